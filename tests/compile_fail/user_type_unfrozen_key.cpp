// Rule: a user type in the primary key must be frozen: a key is one value, and a non-frozen user
// type is a cell per field.
// expect-error: a user type in the primary key must be frozen
#include <string>

#include "coodie/orm/session.hpp"

struct Place {
  std::string city;
  std::string street;
};
struct Visit {
  int shop = 0;
  Place at;
  int count = 0;
};

template <>
inline constexpr auto coodie::udt<Place> = coodie::user_type("place");
template <>
inline constexpr auto coodie::model<Visit> = coodie::table("visits")
                                                 .partition_key<&Visit::shop>()
                                                 .clustering_key<&Visit::at>()
                                                 .unfrozen<&Visit::at>();

void instantiate(coodie::sync::session& s) {
  s.save(Visit{});
}
