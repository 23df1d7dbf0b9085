// Rule: a collection in the primary key must be frozen (a std::set as clustering key).
// expect-error: coodie: a collection in the primary key must be frozen; add .frozen<&T::member>()
#include <cstdint>
#include <set>
#include <string>

#include "coodie/orm/mapping.hpp"

struct Tagged {
  std::int32_t id = 0;
  std::set<std::string> tags;
  std::string body;
};

template <>
inline constexpr auto coodie::model<Tagged> =
    coodie::table("t").partition_key<&Tagged::id>().clustering_key<&Tagged::tags>();

void instantiate() {
  (void)coodie::schema_of<Tagged>();
}
