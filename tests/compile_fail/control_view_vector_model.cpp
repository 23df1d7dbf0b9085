// Control: a valid view and a vector model through the same paths as the failing view and vector
// cases (same headers, same instantiations). It must compile, so that those cases fail for their
// rule and not for a broken declaration around it.
// expect-success
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "coodie/orm/session.hpp"
#include "coodie/orm/view.hpp"

struct Product {
  std::string sku;
  std::string category;
  double price = 0;
  std::optional<std::int32_t> stock;
};
struct ByCategory {
  std::string category;
  std::string sku;
  double price = 0;
  std::int32_t stock = 0;  // the base's std::optional aside, the same type
};

template <>
inline constexpr auto coodie::model<Product> =
    coodie::table("products").partition_key<&Product::sku>();
template <>
inline constexpr auto coodie::model<ByCategory> = coodie::view<Product>("by_category")
                                                      .partition_key<&ByCategory::category>()
                                                      .clustering_key<&ByCategory::sku>();

struct Doc {
  std::int32_t id = 0;
  std::string title;
  std::array<float, 3> embedding{};
};
struct Hit {
  std::int32_t id = 0;
  coodie::similarity_cosine_of<&Doc::embedding> score;
  coodie::similarity_euclidean_of<&Doc::embedding> near;
  coodie::similarity_dot_product_of<&Doc::embedding> dot;
};

template <>
inline constexpr auto coodie::model<Doc> =
    coodie::table("docs").partition_key<&Doc::id>().vector_index<&Doc::embedding>(
        coodie::similarity::dot_product);

void instantiate(coodie::sync::session& s) {
  (void)coodie::schema_of<ByCategory>();
  (void)s.find<ByCategory>().where(coodie::col<&ByCategory::category> == "tools").all();
  (void)s.get<ByCategory>(std::string("tools"), std::string("a1"));
  s.save(Product{});
  const std::array<float, 3> v{};
  (void)s.find<Doc>().order_by_ann(coodie::col<&Doc::embedding>, v).limit(10).all();
  (void)s.find<Doc>().order_by_ann(coodie::col<&Doc::embedding>, v).limit(10).only<Hit>().all();
  const std::vector<float> w(3);
  (void)s.find<Doc>()
      .order_by_ann(coodie::col<&Doc::embedding>, std::span<const float>(w))
      .limit(10)
      .all();
}
