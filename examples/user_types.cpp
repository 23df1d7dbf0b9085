// User-defined types with the blocking front (coodie::sync): structs declared as CQL user types,
// used as frozen and unfrozen columns, inside a list and a map, and nested in one another;
// sync_table creating the types before the tables, a field set alone in an unfrozen column, a
// frozen column compared by value, a projection, and sync_type on a type already up to date.
#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "coodie/coodie.hpp"
#include "example_check.hpp"

namespace shop {

// --8<-- [start:address]
// A user type is a plain struct, like a model.
struct Address {
  std::string street;
  std::string city;
  std::optional<std::string> zip;  // std::optional: the field may be null
  bool verified = false;           // process state, not stored (skipped below)
  friend bool operator==(const Address&, const Address&) = default;
};
// --8<-- [end:address]

struct Product {
  std::string sku;
  std::string name;
  double price = 0;
};

// --8<-- [start:line-item]
// User types nest: a line item holds a product.
struct LineItem {
  Product product;
  std::int32_t quantity = 0;
  std::optional<std::string> note;
};
// --8<-- [end:line-item]

// --8<-- [start:customer]
struct Customer {
  coodie::uuid id;
  std::string name;
  Address home;                          // address (unfrozen, declared below)
  Address billing;                       // frozen<address>
  std::vector<Address> previous;         // list<frozen<address>>
  std::map<std::string, Address> named;  // map<text, frozen<address>>
};
// --8<-- [end:customer]

struct Order {
  coodie::uuid customer_id;
  std::int32_t number = 0;
  std::vector<LineItem> items;  // list<frozen<line_item>>
  Address ship_to;              // frozen<address>
};

// A projection: some columns of Order.
struct OrderItems {
  std::vector<LineItem> items;
};

}  // namespace shop

// --8<-- [start:address-udt]
template <>
inline constexpr auto coodie::udt<shop::Address> =
    coodie::user_type("address")
        .keyspace("coodie_example_user_types")
        .field<&shop::Address::zip>("zip_code")  // a field name other than the member's
        .skip<&shop::Address::verified>();
// --8<-- [end:address-udt]
template <>
inline constexpr auto coodie::udt<shop::Product> =
    coodie::user_type().keyspace("coodie_example_user_types");  // named product
template <>
inline constexpr auto coodie::udt<shop::LineItem> =
    coodie::user_type().keyspace("coodie_example_user_types");  // named line_item

// --8<-- [start:customer-model]
template <>
inline constexpr auto coodie::model<shop::Customer> =
    coodie::table("customers")
        .keyspace("coodie_example_user_types")
        .partition_key<&shop::Customer::id>()
        .unfrozen<&shop::Customer::home>();  // each field a cell: set one field alone
// --8<-- [end:customer-model]
template <>
inline constexpr auto coodie::model<shop::Order> = coodie::table("orders")
                                                       .keyspace("coodie_example_user_types")
                                                       .partition_key<&shop::Order::customer_id>()
                                                       .clustering_key<&shop::Order::number>();

int main() try {
  using coodie::col;
  using shop::Address;
  using shop::Customer;
  using shop::LineItem;
  using shop::Order;
  using shop::Product;

  coodie::sync::session s = coodie::sync::connect(coodie::session_options::from_env());
  s.create_keyspace({.name = "coodie_example_user_types", .replication_factor = 1});
  // Start every run from nothing: the tables, then the types (the server refuses to drop a type
  // a table or another type uses).
  s.drop_table<Order>();
  s.drop_table<Customer>();
  s.drop_type<LineItem>();
  s.drop_type<Product>();
  s.drop_type<Address>();

  // --- schema ---------------------------------------------------------------------------------
  // --8<-- [start:dry-run]
  // sync_table creates the user types a model uses before its table, nested types first; a dry
  // run lists every statement and executes none.
  coodie::sync_result plan = s.sync_table<Customer>({.dry_run = true});
  // --8<-- [end:dry-run]
  std::cout << "sync_table<Customer> would run:\n";
  examples::print_statements(plan);
  examples::check(plan.statements.size() == 2, "one type and one table");
  examples::check(plan.statements[0] ==
                      "CREATE TYPE IF NOT EXISTS coodie_example_user_types.address "
                      "(street text, city text, zip_code text)",
                  "the type comes first, with the renamed field and without the skipped one");
  examples::check(plan.statements[1] ==
                      "CREATE TABLE IF NOT EXISTS coodie_example_user_types.customers (id uuid, "
                      "name text, home address, billing frozen<address>, previous "
                      "list<frozen<address>>, named map<text, frozen<address>>, PRIMARY KEY (id))",
                  "then the table: home unfrozen, the other user type columns frozen");
  examples::check(s.sync_table<Customer>().statements == plan.statements, "the plan was run");

  coodie::sync_result order_plan = s.sync_table<Order>({.dry_run = true});
  std::cout << "sync_table<Order> would run:\n";
  examples::print_statements(order_plan);
  examples::check(order_plan.statements.size() == 3, "two types and one table");
  examples::check(order_plan.statements[0] ==
                      "CREATE TYPE IF NOT EXISTS coodie_example_user_types.product "
                      "(sku text, name text, price double)",
                  "the nested type first");
  examples::check(order_plan.statements[1] ==
                      "CREATE TYPE IF NOT EXISTS coodie_example_user_types.line_item "
                      "(product frozen<product>, quantity int, note text)",
                  "then the type that uses it (address exists already)");
  s.sync_table<Order>();

  // --- save and read back ---------------------------------------------------------------------
  const Customer ann{
      .id = coodie::uuid::random(),
      .name = "Ann",
      .home = {.street = "1 Elm St", .city = "Paris", .zip = "75001", .verified = true},
      .billing = {.street = "9 Quay", .city = "Paris", .zip = std::nullopt, .verified = false},
      .previous = {{.street = "3 Oak Rd", .city = "Nantes", .zip = "44000", .verified = false}},
      .named = {{"office", {.street = "5 Rue", .city = "Lille", .zip = {}, .verified = false}}}};
  s.save(ann);
  Customer loaded = s.get<Customer>(ann.id);
  examples::check(loaded.home.street == "1 Elm St" && loaded.home.zip == "75001",
                  "the unfrozen address reads back");
  examples::check(!loaded.home.verified, "a skipped member is not stored");
  examples::check(loaded.billing.city == "Paris" && !loaded.billing.zip, "a null field is empty");
  examples::check(loaded.previous.size() == 1 && loaded.previous[0].city == "Nantes",
                  "a list of addresses reads back");
  examples::check(loaded.named.at("office").city == "Lille", "a map of addresses reads back");
  std::cout << "saved and read " << loaded.name << ", at home in " << loaded.home.city << '\n';

  // --- one field of an unfrozen column --------------------------------------------------------
  // --8<-- [start:field-update]
  // UPDATE ... SET home.city = ?, home.zip_code = ?: the other fields keep their values.
  s.find<Customer>()
      .where(col<&Customer::id> == ann.id)
      .update({coodie::assign<&Customer::home, &Address::city>("Lyon"),
               coodie::assign<&Customer::home, &Address::zip>(std::nullopt)});
  // --8<-- [end:field-update]
  Customer moved = s.get<Customer>(ann.id);
  examples::check(moved.home.city == "Lyon" && !moved.home.zip, "city and zip were set");
  examples::check(moved.home.street == "1 Elm St", "the street was left alone");
  std::cout << "moved to " << moved.home.city << ", still at " << moved.home.street << '\n';

  // --- nested types in a list -----------------------------------------------------------------
  const Order first{.customer_id = ann.id,
                    .number = 1,
                    .items = {{.product = {.sku = "A-1", .name = "anvil", .price = 89.9},
                               .quantity = 1,
                               .note = "fragile"},
                              {.product = {.sku = "R-2", .name = "rope", .price = 4.5},
                               .quantity = 3,
                               .note = std::nullopt}},
                    .ship_to = ann.billing};
  const Order second{.customer_id = ann.id,
                     .number = 2,
                     .items = {{.product = {.sku = "B-7", .name = "bolt", .price = 0.15},
                                .quantity = 100,
                                .note = std::nullopt}},
                     .ship_to = moved.home};
  s.save(first);
  s.save(second);
  Order back = s.get<Order>(ann.id, 1);
  examples::check(back.items.size() == 2 && back.items[0].product.name == "anvil" &&
                      back.items[0].note == "fragile" && back.items[1].quantity == 3 &&
                      !back.items[1].note,
                  "line items and their products read back");

  // --8<-- [start:filter]
  // A frozen user type column is compared by value (here filtered inside one partition).
  std::vector<Order> to_billing =
      s.find<Order>()
          .where(col<&Order::customer_id> == ann.id, col<&Order::ship_to> == ann.billing)
          .allow_filtering()
          .all();
  examples::check(to_billing.size() == 1 && to_billing[0].number == 1,
                  "one order ships to the billing address");
  // --8<-- [end:filter]

  // A projection reads some columns, user types included.
  std::vector<shop::OrderItems> items =
      s.find<Order>().where(col<&Order::customer_id> == ann.id).only<shop::OrderItems>().all();
  examples::check(items.size() == 2 && items[1].items[0].product.sku == "B-7",
                  "the projection holds the line items");
  std::cout << "order 2 holds " << items[1].items[0].quantity << " x "
            << items[1].items[0].product.name << '\n';

  // --- sync_type ------------------------------------------------------------------------------
  // --8<-- [start:sync-type]
  // On a type that matches the struct there is nothing to do. A member added to the struct
  // would be added to the type here (ALTER TYPE ... ADD); a changed, removed or reordered field
  // is reported in differences, never applied.
  coodie::sync_result type_sync = s.sync_type<Address>();
  examples::check(type_sync.statements.empty() && type_sync.differences.empty(),
                  "the address type is up to date");
  // --8<-- [end:sync-type]
  std::cout << "sync_type<Address>: up to date\n";

  std::cout << "user_types: ok\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "user_types failed: " << e.what() << '\n';
  return 1;
}
