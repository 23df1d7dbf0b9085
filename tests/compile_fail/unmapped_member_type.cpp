// Rule: every member's type has a coodie::cql_traits specialization (or the member is skipped).
// expect-error: coodie: a member's type has no coodie::cql_traits specialization; map it
// (docs/custom-types.md) or .skip<&T::member>() it
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct Opaque {
  int v = 0;
};

struct Holder {
  std::int32_t id = 0;
  Opaque payload;
};

template <>
inline constexpr auto coodie::model<Holder> = coodie::table("t").partition_key<&Holder::id>();

void instantiate() {
  (void)coodie::schema_of<Holder>();
}
