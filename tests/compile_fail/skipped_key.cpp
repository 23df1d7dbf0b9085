// Rule: a key or static column is not also skipped.
// expect-error: coodie: a key or static column cannot also be skipped
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct Row {
  std::int32_t id = 0;
  std::int32_t seq = 0;
};

template <>
inline constexpr auto coodie::model<Row> =
    coodie::table("t").partition_key<&Row::id>().clustering_key<&Row::seq>().skip<&Row::seq>();

void instantiate() {
  (void)coodie::schema_of<Row>();
}
