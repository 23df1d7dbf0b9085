// Rule: a clustering order applies only to clustering columns.
// expect-error: coodie: clustering_order<&T::member>() names a column that is not a clustering key
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct Row {
  std::int32_t id = 0;
  std::int32_t seq = 0;
  std::int32_t x = 0;
};

template <>
inline constexpr auto coodie::model<Row> = coodie::table("t")
                                               .partition_key<&Row::id>()
                                               .clustering_key<&Row::seq>()
                                               .clustering_order<&Row::x>(coodie::desc);

void instantiate() {
  (void)coodie::schema_of<Row>();
}
