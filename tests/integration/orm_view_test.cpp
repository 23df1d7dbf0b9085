// Materialized views through both ODM fronts: a view row appears after a base write and leaves
// after the base row is deleted (views are eventually consistent: a bounded wait); sync_view is
// idempotent and reports a live view that lacks a column; get and paged queries read a view.
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "coodie/orm/view.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_view_test {
struct Product {
  std::string sku;
  std::string category;
  std::string name;
  double price = 0;
};
struct ByCategory {
  std::string category;
  std::string sku;
  std::string name;
  double price = 0;
};
/// The same view name with a column more than the live view has.
struct ByCategoryWider {
  std::string category;
  std::string sku;
  std::string name;
  double price = 0;
};
/// A view of each front's own, for the test that drops it while the other front's tests run.
template <int Front>
struct ByName {
  std::string name;
  std::string sku;
  std::string category;
};
}  // namespace orm_view_test

template <>
inline constexpr auto coodie::model<orm_view_test::Product> =
    coodie::table("view_products").partition_key<&orm_view_test::Product::sku>();
template <>
inline constexpr auto coodie::model<orm_view_test::ByCategory> =
    coodie::view<orm_view_test::Product>("view_products_by_category")
        .partition_key<&orm_view_test::ByCategory::category>()
        .clustering_key<&orm_view_test::ByCategory::sku>(coodie::desc)
        .skip<&orm_view_test::ByCategory::price>();
template <>
inline constexpr auto coodie::model<orm_view_test::ByCategoryWider> =
    coodie::view<orm_view_test::Product>("view_products_by_category")
        .partition_key<&orm_view_test::ByCategoryWider::category>()
        .clustering_key<&orm_view_test::ByCategoryWider::sku>(coodie::desc);

template <>
inline constexpr auto coodie::model<orm_view_test::ByName<0>> =
    coodie::view<orm_view_test::Product>("view_products_by_name_sync")
        .partition_key<&orm_view_test::ByName<0>::name>()
        .clustering_key<&orm_view_test::ByName<0>::sku>();
template <>
inline constexpr auto coodie::model<orm_view_test::ByName<1>> =
    coodie::view<orm_view_test::Product>("view_products_by_name_aio")
        .partition_key<&orm_view_test::ByName<1>::name>()
        .clustering_key<&orm_view_test::ByName<1>::sku>();

namespace {

using coodie::col;
using orm_view_test::ByCategory;
using orm_view_test::ByCategoryWider;
using orm_view_test::Product;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmViewBase, "orm_view");

/// Polls until pred() holds, for at most ten seconds.
template <class P>
bool eventually(P pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

template <class F>
class OrmView : public test::orm_suite<OrmViewBase, F> {
 protected:
  void SetUp() override {
    auto s = this->front();
    F::await([&] { return s.template sync_view<ByCategory>(); });
  }
};
TYPED_TEST_SUITE(OrmView, test::orm_fronts, test::front_names);

TYPED_TEST(OrmView, ARowAppearsAfterABaseWriteAndLeavesAfterItsDelete) {
  using F = TypeParam;
  auto s = this->front();
  const std::string category = std::string(F::name) + "-tools";
  const Product hammer{
      .sku = std::string(F::name) + "-h1", .category = category, .name = "Hammer", .price = 12.5};
  const Product saw{
      .sku = std::string(F::name) + "-s1", .category = category, .name = "Saw", .price = 20};
  F::await([&] { return s.save(hammer); });
  F::await([&] { return s.save(saw); });
  auto in_view = [&] {
    return F::await([&] {
      return s.template find<ByCategory>().where(col<&ByCategory::category> == category).all();
    });
  };
  ASSERT_TRUE(eventually([&] { return in_view().size() == 2; }));
  std::vector<ByCategory> rows = in_view();
  EXPECT_EQ(rows[0].sku, saw.sku) << "clustered by sku, descending";
  EXPECT_EQ(rows[1].name, "Hammer");
  EXPECT_EQ(rows[1].price, 0) << "a skipped member is not read";

  const ByCategory one = F::await([&] { return s.template get<ByCategory>(category, hammer.sku); });
  EXPECT_EQ(one.name, "Hammer");

  F::await([&] { return s.remove(hammer); });
  ASSERT_TRUE(eventually([&] { return in_view().size() == 1; }));
  EXPECT_FALSE(
      F::await([&] { return s.template find_one<ByCategory>(category, hammer.sku); }).has_value());
}

TYPED_TEST(OrmView, SyncViewIsIdempotentAndReportsAMissingColumn) {
  using F = TypeParam;
  auto s = this->front();
  coodie::sync_result again = F::await([&] { return s.template sync_view<ByCategory>(); });
  EXPECT_TRUE(again.statements.empty());
  EXPECT_TRUE(again.differences.empty());
  EXPECT_FALSE(again.created);

  coodie::sync_result wider = F::await([&] { return s.template sync_view<ByCategoryWider>(); });
  ASSERT_EQ(wider.differences.size(), 1u);
  EXPECT_EQ(wider.differences[0].kind, coodie::difference_kind::column_not_in_view);
  EXPECT_EQ(wider.differences[0].column, "price");
  EXPECT_TRUE(wider.statements.empty()) << "a view is never altered to add a column";
}

TYPED_TEST(OrmView, DropViewThenSyncCreatesItAgain) {
  using F = TypeParam;
  using V = orm_view_test::ByName<std::is_same_v<F, test::sync_orm> ? 0 : 1>;
  auto s = this->front();
  const std::string name = std::string(F::name) + "-rake";
  F::await([&] {
    return s.save(Product{
        .sku = std::string(F::name) + "-g1", .category = "garden", .name = name, .price = 9});
  });
  F::await([&] { return s.template sync_view<V>(); });
  F::await([&] { return s.template drop_view<V>(); });
  coodie::sync_result r = F::await([&] { return s.template sync_view<V>(); });
  EXPECT_TRUE(r.created);
  ASSERT_EQ(r.statements.size(), 1u);
  EXPECT_NE(r.statements[0].find("CREATE MATERIALIZED VIEW IF NOT EXISTS"), std::string::npos);
  // The new view is built from the rows already in the base table.
  EXPECT_TRUE(eventually([&] {
    return F::await([&] { return s.template find<V>().where(col<&V::name> == name).count(); }) == 1;
  }));
}

}  // namespace
