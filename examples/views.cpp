// Materialized views with the blocking front (coodie::sync): a products table and a view of it
// keyed by category, which the server keeps up to date. sync_view creates the base table and the
// view; a saved product shows up in the view, a change of category moves its view row, a deleted
// product leaves the view (each a moment after the write: views are eventually consistent, so the
// reads poll with a deadline); drop_view removes the view and leaves the table.
#include <chrono>
#include <concepts>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "coodie/coodie.hpp"
#include "example_check.hpp"

namespace shop {

// --8<-- [start:product]
struct Product {  // one row per stock-keeping unit
  std::string sku;
  std::string category;
  std::string name;
  double price = 0;
};
// --8<-- [end:product]

// --8<-- [start:view-struct]
// A view is a struct of base columns (members named like Product's, of the same types) with a
// primary key of its own: the products of one category, sorted by sku.
struct ProductByCategory {
  std::string category;
  std::string sku;
  std::string name;
  double price = 0;
};
// --8<-- [end:view-struct]

}  // namespace shop

template <>
inline constexpr auto coodie::model<shop::Product> =
    coodie::table("products").keyspace("coodie_example_views").partition_key<&shop::Product::sku>();

// --8<-- [start:view-model]
// The view lives in its base's keyspace. Its key holds the base's key (sku) and one column more
// (category); the compiler checks both, and each member's name and type against Product.
template <>
inline constexpr auto coodie::model<shop::ProductByCategory> =
    coodie::view<shop::Product>("products_by_category")
        .partition_key<&shop::ProductByCategory::category>()
        .clustering_key<&shop::ProductByCategory::sku>();
// --8<-- [end:view-model]

namespace {

// --8<-- [start:eventually]
/// Polls until done() holds, every 100 ms for at most 10 s; false when time ran out. A view
/// catches up with its base table a moment after each write.
template <std::predicate P>
bool eventually(P done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}
// --8<-- [end:eventually]

}  // namespace

int main() try {
  using coodie::col;
  using shop::Product;
  using shop::ProductByCategory;

  coodie::sync::session s = coodie::sync::connect(coodie::session_options::from_env());
  s.create_keyspace({.name = "coodie_example_views", .replication_factor = 1});
  // --8<-- [start:reset]
  // Start every run from nothing: the view first (the server refuses to drop a table that a view
  // reads).
  s.drop_view<ProductByCategory>();
  s.drop_table<Product>();
  // --8<-- [end:reset]

  // --- schema ---------------------------------------------------------------------------------
  // --8<-- [start:dry-run]
  // sync_view syncs the base model's table first, as sync_table does, then creates the view.
  coodie::sync_result plan = s.sync_view<ProductByCategory>({.dry_run = true});
  // --8<-- [end:dry-run]
  std::cout << "sync_view<ProductByCategory> would run:\n";
  examples::print_statements(plan);
  examples::check(plan.statements.size() == 2, "the table, then the view");
  examples::check(plan.statements[1] ==
                      "CREATE MATERIALIZED VIEW IF NOT EXISTS "
                      "coodie_example_views.products_by_category AS SELECT category, sku, name, "
                      "price FROM coodie_example_views.products WHERE category IS NOT NULL AND "
                      "sku IS NOT NULL PRIMARY KEY (category, sku) WITH CLUSTERING ORDER BY (sku "
                      "ASC)",
                  "the view selects its columns, every key column IS NOT NULL");
  coodie::sync_result synced = s.sync_view<ProductByCategory>();
  examples::check(synced.created && synced.statements == plan.statements, "the plan was run");
  // --8<-- [start:again]
  // On a view that matches the struct there is nothing to do. A column the struct gained, another
  // key or another type is reported in differences, never applied: a view cannot be altered so.
  coodie::sync_result again = s.sync_view<ProductByCategory>();
  examples::check(again.statements.empty() && again.differences.empty() && !again.created,
                  "the view is up to date");
  // --8<-- [end:again]

  // --- writes go to the base table; the view follows --------------------------------------------
  const std::vector<Product> products{
      {"T-100", "tools", "anvil", 89.90},
      {"T-200", "tools", "bolt", 0.15},
      {"T-300", "tools", "garden hose", 24.00},  // filed under tools by mistake
      {"P-100", "paint", "easel", 45.00},
  };
  for (const Product& p : products) {
    s.save(p);
  }

  // --8<-- [start:read]
  // A view is read like a table: by its partition key, in its clustering order.
  auto tools = s.find<ProductByCategory>().where(col<&ProductByCategory::category> == "tools");
  examples::check(eventually([&] { return tools.count() == 3; }), "three tools in the view");
  std::vector<ProductByCategory> rows = tools.all();
  examples::check(rows[0].sku == "T-100" && rows[1].name == "bolt" && rows[2].sku == "T-300",
                  "the category's products, sorted by sku");
  // --8<-- [end:read]
  for (const ProductByCategory& p : rows) {
    std::cout << "tools: " << p.sku << ' ' << p.name << " at " << p.price << '\n';
  }
  // --8<-- [start:get]
  // By the view's primary key: category, then sku.
  ProductByCategory bolt = s.get<ProductByCategory>("tools", "T-200");
  examples::check(bolt.name == "bolt" && bolt.price == 0.15, "one view row by its key");
  // --8<-- [end:get]

  // --8<-- [start:move]
  // A new category in the base row moves the product to another partition of the view.
  s.save(Product{"T-300", "garden", "garden hose", 24.00});
  auto garden = s.find<ProductByCategory>().where(col<&ProductByCategory::category> == "garden");
  examples::check(eventually([&] { return garden.count() == 1 && tools.count() == 2; }),
                  "the hose moved from tools to garden");
  // --8<-- [end:move]
  std::cout << "moved " << garden.all().front().name << " to garden\n";

  // --8<-- [start:delete]
  // A deleted base row leaves the view.
  s.remove(products[0]);
  examples::check(eventually([&] { return tools.count() == 1; }), "the anvil left the view");
  std::optional<ProductByCategory> gone = s.find_one<ProductByCategory>("tools", "T-100");
  examples::check(!gone, "no view row for the deleted product");
  // --8<-- [end:delete]
  std::cout << "tools after the delete: " << tools.count() << " product\n";

  // --- drop -----------------------------------------------------------------------------------
  // --8<-- [start:drop]
  // DROP MATERIALIZED VIEW: the base table and its rows stay.
  s.drop_view<ProductByCategory>();
  examples::check(s.get<Product>("T-200").name == "bolt", "the base table keeps its rows");
  // --8<-- [end:drop]
  std::cout << "dropped the view products_by_category\n";

  std::cout << "views: ok\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "views failed: " << e.what() << '\n';
  return 1;
}
