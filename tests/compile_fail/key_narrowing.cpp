// Rule: a key value converts without loss: an int64_t variable for an int32 key would narrow.
// expect-error: a key value must convert to its key member's type without loss
#include <cstdint>

#include "coodie/orm/session.hpp"

struct Counter {
  std::int32_t id = 0;
  std::int64_t hits = 0;
};

template <>
inline constexpr auto coodie::model<Counter> =
    coodie::table("counters").partition_key<&Counter::id>();

void instantiate(coodie::sync::session& s) {
  std::int64_t id = 7;
  (void)s.get<Counter>(id);
}
