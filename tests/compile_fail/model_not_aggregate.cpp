// Rule: a model is a plain aggregate struct.
// expect-error: coodie: a model is a plain aggregate struct
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct Row {
  Row() {}
  std::int32_t id = 0;
};

template <>
inline constexpr auto coodie::model<Row> = coodie::table("t").partition_key<&Row::id>();

void instantiate() {
  (void)coodie::schema_of<Row>();
}
