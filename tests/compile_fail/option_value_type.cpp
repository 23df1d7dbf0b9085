// Rule: a table option's value is an integer, a floating-point number, a bool, text or a map.
// expect-error: coodie: a table option is an integer, a floating-point number, a bool, text or a
// coodie::option_map
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct Row {
  std::int32_t id = 0;
};

struct NotAnOption {};

template <>
inline constexpr auto coodie::model<Row> =
    coodie::table("t").partition_key<&Row::id>().option("x", NotAnOption{});

void instantiate() {
  (void)coodie::schema_of<Row>();
}
