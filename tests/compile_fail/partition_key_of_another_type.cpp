// Rule: keys are members of the model's type (here the whole declaration names another type).
// expect-error: coodie: coodie::model<T> names members of another type than T
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct A {
  std::int32_t id = 0;
};
struct B {
  std::int32_t id = 0;
};

template <>
inline constexpr auto coodie::model<A> = coodie::table("a").partition_key<&B::id>();

void instantiate() {
  (void)coodie::schema_of<A>();
}
