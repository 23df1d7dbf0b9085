// Rule: a view lives in its base model's keyspace (the server builds it from the base table
// there): a view declaring another keyspace is refused.
// expect-error: coodie: a view lives in its base model's keyspace; remove .keyspace() from the
// view's declaration
#include <string>

#include "coodie/orm/view.hpp"

struct Product {
  std::string sku;
  std::string category;
};
struct ByCategory {
  std::string category;
  std::string sku;
};

template <>
inline constexpr auto coodie::model<Product> =
    coodie::table("products").keyspace("shop").partition_key<&Product::sku>();
template <>
inline constexpr auto coodie::model<ByCategory> = coodie::view<Product>("by_category")
                                                      .keyspace("analytics")
                                                      .partition_key<&ByCategory::category>()
                                                      .clustering_key<&ByCategory::sku>();

void instantiate() {
  (void)coodie::schema_of<ByCategory>();
}
