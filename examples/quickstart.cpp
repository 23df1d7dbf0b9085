// The quickstart: declare a model, connect, create its keyspace and table, save a few products,
// read one back by its key and query a category. Run it with `make run` (it starts a local
// Cassandra unless COODIE_HOSTS names a cluster). Running it again is harmless: saves are upserts.
// --8<-- [start:model]
// [readme:quickstart-model]
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "coodie/coodie.hpp"
#include "example_check.hpp"

namespace shop {

// A model is a plain struct: its members are the table's columns.
struct Product {
  std::string category;
  std::string name;
  double price = 0;
  std::set<std::string> tags;
  std::optional<std::string> description;  // optional members may be null
};

}  // namespace shop

// ...plus one declaration: the table, its keyspace and its primary key.
template <>
inline constexpr auto coodie::model<shop::Product> =
    coodie::table("products")
        .keyspace("coodie_example_quickstart")
        .partition_key<&shop::Product::category>()  // rows of one category live together
        .clustering_key<&shop::Product::name>();    // ...sorted by name
// [readme:quickstart-model end]
// --8<-- [end:model]

int main() try {
  using coodie::col;
  using shop::Product;

  // --8<-- [start:main]
  // [readme:quickstart-main]
  // COODIE_HOSTS, COODIE_USERNAME, COODIE_PASSWORD (or COODIE_URI, cassandra://...).
  coodie::sync::session s = coodie::sync::connect(coodie::session_options::from_env());
  // CREATE KEYSPACE IF NOT EXISTS, with SimpleStrategy and one replica.
  s.create_keyspace({.name = "coodie_example_quickstart", .replication_factor = 1});
  // CREATE TABLE when missing; on an existing table, add what the model gained.
  coodie::sync_result synced = s.sync_table<Product>();
  std::cout << (synced.created ? "created table products\n" : "table products is up to date\n");

  const std::vector<Product> products{
      {"tools", "anvil", 89.90, {"steel", "heavy"}, "Forged, 50 kg"},
      {"tools", "bolt", 0.15, {"steel"}, std::nullopt},
      {"tools", "crank", 12.50, {"steel", "light"}, std::nullopt},
      {"paint", "easel", 45.00, {"wood"}, "Folds flat"},
  };
  for (const Product& p : products) {
    s.save(p);  // INSERT of every column: an upsert
  }

  // By primary key, in key order and of the key members' types (checked at compile time);
  // document_not_found if absent.
  Product anvil = s.get<Product>("tools", "anvil");
  std::cout << anvil.name << " costs " << anvil.price << ": " << anvil.description.value_or("")
            << '\n';

  // A query: restrictions are typed, so comparing name with a number would not compile.
  auto tools =
      s.find<Product>().where(col<&Product::category> == "tools", col<&Product::name> >= "b");
  std::cout << tools.cql() << '\n';
  std::vector<Product> found = tools.all();
  // [readme:quickstart-main end]
  // --8<-- [end:main]
  for (const Product& p : found) {
    std::cout << "  " << p.name << "  " << p.price << "  {";
    const char* sep = "";
    for (const std::string& t : p.tags) {
      std::cout << sep << t;
      sep = ", ";
    }
    std::cout << "}\n";
  }

  examples::check(anvil.tags == std::set<std::string>{"heavy", "steel"}, "anvil's tags");
  examples::check(found.size() == 2 && found[0].name == "bolt" && found[1].name == "crank",
                  "the tools from b on are bolt and crank, in name order");
  examples::check(!found[0].description.has_value(), "bolt has no description");
  std::cout << "quickstart: ok\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "quickstart failed: " << e.what() << '\n';
  return 1;
}
