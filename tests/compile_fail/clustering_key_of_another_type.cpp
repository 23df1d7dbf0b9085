// Rule: keys are members of the model's type (a later key names a member of another type).
// expect-error: coodie: the member named is not a member of the model's type
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct A {
  std::int32_t id = 0;
  std::int32_t x = 0;
};
struct B {
  std::int32_t x = 0;
};

template <>
inline constexpr auto coodie::model<A> =
    coodie::table("a").partition_key<&A::id>().clustering_key<&B::x>();

void instantiate() {
  (void)coodie::schema_of<A>();
}
