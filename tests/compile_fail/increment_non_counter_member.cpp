// Rule: increment and decrement change counter members only.
// expect-error: coodie: increment and decrement change counter members only
#include <cstdint>
#include <string>

#include "coodie/orm/session.hpp"

struct Stats {
  std::string page;
  std::int64_t views = 0;  // a bigint, not declared a counter
};

template <>
inline constexpr auto coodie::model<Stats> = coodie::table("stats").partition_key<&Stats::page>();

void instantiate(coodie::sync::session& s) {
  s.increment(Stats{}, coodie::by<&Stats::views>(1));
}
