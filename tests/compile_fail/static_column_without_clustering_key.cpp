// Rule: a static column needs a table with a clustering key.
// expect-error: coodie: a static column needs a table with a clustering key
#include <cstdint>
#include <string>

#include "coodie/orm/mapping.hpp"

struct Site {
  std::int32_t id = 0;
  std::string name;
};

template <>
inline constexpr auto coodie::model<Site> =
    coodie::table("t").partition_key<&Site::id>().static_column<&Site::name>();

void instantiate() {
  (void)coodie::schema_of<Site>();
}
