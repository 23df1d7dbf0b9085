// Rule: a table name declared as a constant is checked at compile time (1 to 48 letters, digits
// or underscores), not on first use.
// expect-error: invalid_schema_name_use_1_to_48_letters_digits_or_underscores
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct A {
  std::int32_t id = 0;
};

template <>
inline constexpr auto coodie::model<A> =
    coodie::table("a; DROP KEYSPACE shop").partition_key<&A::id>();

void instantiate() {
  (void)coodie::schema_of<A>();
}
