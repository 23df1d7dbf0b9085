// Rule: partition_key<...>() names at least one member.
// expect-error: coodie: partition_key<&T::member...>() names no member
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct Row {
  std::int32_t id = 0;
};

template <>
inline constexpr auto coodie::model<Row> =
    coodie::table("t").partition_key<&Row::id>().partition_key<>();

void instantiate() {
  (void)coodie::schema_of<Row>();
}
