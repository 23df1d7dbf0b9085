// Rule: a restriction names a column of the model (a skipped member is none).
// expect-error: coodie: the member is not a column of the model (it is skipped)
#include <cstdint>
#include <string>

#include "coodie/orm/filter.hpp"

struct A {
  std::int32_t id = 0;
  std::string cache;
};

template <>
inline constexpr auto coodie::model<A> =
    coodie::table("a").partition_key<&A::id>().skip<&A::cache>();

void instantiate() {
  (void)(coodie::col<&A::cache> == std::string("x"));
}
