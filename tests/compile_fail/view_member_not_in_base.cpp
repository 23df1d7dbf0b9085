// Rule: every member of a view names a column of its base model.
// expect-error: coodie: a member of the view is not a column of its base model
#include <string>

#include "coodie/orm/view.hpp"

struct Product {
  std::string sku;
  std::string category;
};
struct ByCategory {
  std::string category;
  std::string sku;
  std::string colour;  // not a column of Product
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
