// Rule: a materialized view is kept up to date by the server from its base table: saving a view
// row does not compile (write to the base model instead).
// expect-error: coodie: the model is a materialized view, which the server keeps up to date
#include <string>

#include "coodie/orm/session.hpp"
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
    coodie::table("products").partition_key<&Product::sku>();
template <>
inline constexpr auto coodie::model<ByCategory> = coodie::view<Product>("by_category")
                                                      .partition_key<&ByCategory::category>()
                                                      .clustering_key<&ByCategory::sku>();

void instantiate(coodie::sync::session& s) {
  s.save(ByCategory{});
}
