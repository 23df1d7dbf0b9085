// Control: key-based reads take the key members' types, string literals for text keys and
// integer literals that fit. It must compile, so the key_* cases fail for their own reason.
// expect-success
#include <cstdint>
#include <string>

#include "coodie/orm/session.hpp"

struct Item {
  std::string shop;
  std::int64_t sku = 0;
  std::int32_t size = 0;
  double price = 0;
};

template <>
inline constexpr auto coodie::model<Item> = coodie::table("items")
                                                .partition_key<&Item::shop>()
                                                .clustering_key<&Item::sku>()
                                                .clustering_key<&Item::size>();

void instantiate(coodie::sync::session& s) {
  std::string shop = "north";
  std::int32_t size = 4;
  (void)s.get<Item>("north", 42, 3);
  (void)s.find_one<Item>(shop, std::int64_t{42}, size);
  (void)s.find_one<Item>(std::string_view("north"), 42, std::int16_t{3});
}
