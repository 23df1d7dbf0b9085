// Rule: a collection in the primary key must be frozen (a std::vector as partition key).
// expect-error: coodie: a collection in the primary key must be frozen; add .frozen<&T::member>()
#include <cstdint>
#include <string>
#include <vector>

#include "coodie/orm/mapping.hpp"

struct Path {
  std::vector<std::string> parts;
  std::int32_t size = 0;
};

template <>
inline constexpr auto coodie::model<Path> = coodie::table("t").partition_key<&Path::parts>();

void instantiate() {
  (void)coodie::schema_of<Path>();
}
