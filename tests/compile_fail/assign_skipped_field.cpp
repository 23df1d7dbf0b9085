// Rule: a field the user type's declaration skips is not stored, so it cannot be assigned.
// expect-error: the field is skipped by the user type's declaration
#include <string>

#include "coodie/orm/session.hpp"

struct Place {
  std::string city;
  int cache = 0;
};
struct Customer {
  int id = 0;
  Place home;
};

template <>
inline constexpr auto coodie::udt<Place> = coodie::user_type("place").skip<&Place::cache>();
template <>
inline constexpr auto coodie::model<Customer> =
    coodie::table("customers").partition_key<&Customer::id>().unfrozen<&Customer::home>();

void instantiate(coodie::sync::session& s) {
  s.find<Customer>()
      .where(coodie::col<&Customer::id> == 1)
      .update({coodie::assign<&Customer::home, &Place::cache>(1)});
}
