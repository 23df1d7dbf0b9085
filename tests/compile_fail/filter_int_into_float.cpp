// Rule: an integer is accepted for a floating-point column only when the column's type holds
// every value of it: an int against a float column (24-bit mantissa) does not compile.
// expect-error: must convert to the member's type without loss
#include <cstdint>

#include "coodie/orm/filter.hpp"

struct A {
  std::int32_t id = 0;
  float ratio = 0;
};

template <>
inline constexpr auto coodie::model<A> = coodie::table("a").partition_key<&A::id>();

void instantiate() {
  std::int32_t n = 3;
  (void)(coodie::col<&A::ratio> > n);
}
