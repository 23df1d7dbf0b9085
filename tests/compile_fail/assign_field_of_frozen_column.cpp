// Rule: one field of a user type column can be set alone only when the column is declared
// unfrozen: a frozen value is written whole.
// expect-error: one field of a user type column can be set alone only when the column is not frozen
#include <string>

#include "coodie/orm/session.hpp"

struct Place {
  std::string city;
  std::string street;
};
struct Customer {
  int id = 0;
  Place home;
};

template <>
inline constexpr auto coodie::udt<Place> = coodie::user_type("place");
template <>
inline constexpr auto coodie::model<Customer> =
    coodie::table("customers").partition_key<&Customer::id>();

void instantiate(coodie::sync::session& s) {
  s.find<Customer>()
      .where(coodie::col<&Customer::id> == 1)
      .update({coodie::assign<&Customer::home, &Place::city>("Lyon")});
}
