// Rule: an index names a stored column, not a skipped member.
// expect-error: coodie: an index names a skipped member
#include <cstdint>
#include <string>

#include "coodie/orm/mapping.hpp"

struct Row {
  std::int32_t id = 0;
  std::string cached;
};

template <>
inline constexpr auto coodie::model<Row> =
    coodie::table("t").partition_key<&Row::id>().index<&Row::cached>().skip<&Row::cached>();

void instantiate() {
  (void)coodie::schema_of<Row>();
}
