// Rule: a keyspace name declared as a constant is checked at compile time.
// expect-error: invalid_schema_name_use_1_to_48_letters_digits_or_underscores
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct A {
  std::int32_t id = 0;
};

template <>
inline constexpr auto coodie::model<A> =
    coodie::table("a").keyspace("shop\"").partition_key<&A::id>();

void instantiate() {
  (void)coodie::schema_of<A>();
}
