// Rule: a counter column is never assigned a value; it changes by increment or decrement.
// expect-error: coodie: a counter column changes only by increment or decrement
#include <cstdint>
#include <string>

#include "coodie/orm/updates.hpp"

struct Views {
  std::string page;
  std::int64_t views = 0;
};

template <>
inline constexpr auto coodie::model<Views> =
    coodie::table("views").partition_key<&Views::page>().type<&Views::views>(coodie::cql::counter);

void instantiate() {
  (void)coodie::assign<&Views::views>(std::int64_t{3});
}
