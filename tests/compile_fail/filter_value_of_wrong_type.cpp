// Rule: a restriction's value converts to the column's type without loss (a string compared
// with an int column does not compile, and the message says why).
// expect-error: must convert to the member's type without loss
#include <cstdint>
#include <string>

#include "coodie/orm/filter.hpp"

struct A {
  std::int32_t id = 0;
  std::int32_t n = 0;
};

template <>
inline constexpr auto coodie::model<A> = coodie::table("a").partition_key<&A::id>();

void instantiate() {
  (void)(coodie::col<&A::n> == std::string("3"));
}
