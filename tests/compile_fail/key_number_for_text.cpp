// Rule: a key value must convert to its key member's type: a number for a text key does not
// compile (before, it failed at run time with a codec_error).
// expect-error: a key value must convert to its key member's type without loss
#include <cstdint>
#include <string>

#include "coodie/orm/session.hpp"

struct Product {
  std::string category;
  std::int32_t stock = 0;
};

template <>
inline constexpr auto coodie::model<Product> =
    coodie::table("products").partition_key<&Product::category>();

void instantiate(coodie::sync::session& s) {
  (void)s.get<Product>(42);
}
