// Rule: GROUP BY names primary key columns from the first one, in key order.
// expect-error: coodie: group_by names primary key columns from the first, in key order
#include <cstdint>
#include <string>

#include "coodie/orm/session.hpp"

struct Sale {
  std::string shop;
  std::int32_t day = 0;
  std::int64_t amount = 0;
};

template <>
inline constexpr auto coodie::model<Sale> =
    coodie::table("sales").partition_key<&Sale::shop>().clustering_key<&Sale::day>();

void instantiate(coodie::sync::session& s) {
  (void)s.find<Sale>().group_by<&Sale::day>();
}
