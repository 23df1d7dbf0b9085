// Rule: a view's primary key holds every primary key column of its base model (the server
// refuses the view otherwise).
// expect-error: coodie: a view's primary key holds every primary key column of its base model
#include <string>

#include "coodie/orm/view.hpp"

struct Product {
  std::string sku;
  std::string category;
};
struct ByCategory {
  std::string category;
  std::string sku;  // a regular column of the view: the base key is not in the view's key
};

template <>
inline constexpr auto coodie::model<Product> =
    coodie::table("products").partition_key<&Product::sku>();
template <>
inline constexpr auto coodie::model<ByCategory> =
    coodie::view<Product>("by_category").partition_key<&ByCategory::category>();

void instantiate() {
  (void)coodie::schema_of<ByCategory>();
}
