// Rule: WRITETIME and TTL are read from regular or static columns, never from key columns.
// expect-error: coodie: writetime_of and ttl_of read a regular or static column, not a key
#include <cstdint>
#include <string>

#include "coodie/orm/session.hpp"

struct Sale {
  std::string shop;
  std::int64_t amount = 0;
};
struct Stamp {
  coodie::writetime_of<&Sale::shop> written;
};

template <>
inline constexpr auto coodie::model<Sale> = coodie::table("sales").partition_key<&Sale::shop>();

void instantiate(coodie::sync::session& s) {
  (void)s.find<Sale>().only<Stamp>();
}
