// Rule: an IF condition names a regular or static column; the key is the write's WHERE clause.
// expect-error: an IF condition names a regular or static column, not a key column
#include <cstdint>
#include <string>

#include "coodie/orm/session.hpp"

struct Account {
  std::string id;
  std::int64_t balance = 0;
};

template <>
inline constexpr auto coodie::model<Account> =
    coodie::table("accounts").partition_key<&Account::id>();

void instantiate(coodie::sync::session& s) {
  s.remove(Account{}, coodie::when(coodie::col<&Account::id> == "a"));
}
