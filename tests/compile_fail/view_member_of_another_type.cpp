// Rule: a view's member has the type of the base model's column of that name.
// expect-error: coodie: a member of the view has another type than the base model's column of
// that name
#include <string>

#include "coodie/orm/view.hpp"

struct Product {
  std::string sku;
  std::string category;
  double price = 0;
};
struct ByCategory {
  std::string category;
  std::string sku;
  float price = 0;  // Product::price is a double
};

template <>
inline constexpr auto coodie::model<Product> =
    coodie::table("products").partition_key<&Product::sku>();
template <>
inline constexpr auto coodie::model<ByCategory> = coodie::view<Product>("by_category")
                                                      .partition_key<&ByCategory::category>()
                                                      .clustering_key<&ByCategory::sku>();

void instantiate() {
  (void)coodie::schema_of<ByCategory>();
}
