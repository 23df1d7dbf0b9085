// Rule: a type used as a model has a coodie::model<T> declaration.
// expect-error: coodie: the type has no model declaration; write template <> inline constexpr auto
// coodie::model<T> = coodie::table(...).partition_key<&T::member>();
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct Undeclared {
  std::int32_t id = 0;
};

void instantiate() {
  (void)coodie::schema_of<Undeclared>();
}
