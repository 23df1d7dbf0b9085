// Rule: a bulk update assigns regular or static columns, never a key column.
// expect-error: coodie: a key column cannot be assigned by an update
#include <cstdint>
#include <string>

#include "coodie/orm/updates.hpp"

struct A {
  std::int32_t id = 0;
  std::string name;
};

template <>
inline constexpr auto coodie::model<A> = coodie::table("a").partition_key<&A::id>();

void instantiate() {
  (void)coodie::assign<&A::id>(std::int32_t{2});
}
