// Rule: assign<&T::column, &U::field>() names a field of the column's own user type.
// expect-error: the field is not a member of the column's user type
#include <string>

#include "coodie/orm/session.hpp"

struct Place {
  std::string city;
};
struct Person {
  std::string city;
};
struct Customer {
  int id = 0;
  Place home;
};

template <>
inline constexpr auto coodie::udt<Place> = coodie::user_type("place");
template <>
inline constexpr auto coodie::model<Customer> =
    coodie::table("customers").partition_key<&Customer::id>().unfrozen<&Customer::home>();

void instantiate(coodie::sync::session& s) {
  s.find<Customer>()
      .where(coodie::col<&Customer::id> == 1)
      .update({coodie::assign<&Customer::home, &Person::city>("Lyon")});
}
