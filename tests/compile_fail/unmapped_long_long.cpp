// Rule: every member's type has a coodie::cql_traits specialization; `long long` has none (use
// std::int64_t), and the error names the model, the member and its type.
// expect-error: coodie: a member's type has no coodie::cql_traits specialization
#include <cstdint>

#include "coodie/orm/mapping.hpp"

struct Counters {
  std::int32_t id = 0;
  long long total = 0;
};

template <>
inline constexpr auto coodie::model<Counters> =
    coodie::table("counters_ll").partition_key<&Counters::id>();

void instantiate() {
  (void)coodie::schema_of<Counters>();
}
