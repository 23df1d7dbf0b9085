// Rule: every stored field of a user type maps to a CQL type; a member of a struct that is no
// user type (and has no cql_traits) is named at compile time, not met at run time.
// expect-error: every field of a user type must map to a CQL type
#include <string>

#include "coodie/orm/session.hpp"

struct Point {  // no declaration: not a CQL type
  double x = 0;
  double y = 0;
};
struct Place {
  std::string name;
  Point where;
};
struct Visit {
  int id = 0;
  Place place;
};

template <>
inline constexpr auto coodie::udt<Place> = coodie::user_type("place");
template <>
inline constexpr auto coodie::model<Visit> = coodie::table("visits").partition_key<&Visit::id>();

void instantiate(coodie::sync::session& s) {
  s.save(Visit{});
}
