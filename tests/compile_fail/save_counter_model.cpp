// Rule: a counter table is written by increment and decrement, never saved whole.
// expect-error: coodie: the model is a counter table: change it with increment or decrement
#include <cstdint>
#include <string>

#include "coodie/orm/session.hpp"

struct Views {
  std::string page;
  std::int64_t views = 0;
};

template <>
inline constexpr auto coodie::model<Views> =
    coodie::table("views").partition_key<&Views::page>().type<&Views::views>(coodie::cql::counter);

void instantiate(coodie::sync::session& s) {
  s.save(Views{});
}
