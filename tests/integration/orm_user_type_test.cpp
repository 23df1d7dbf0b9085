// User types through a model against the server, in both fronts: a three-level nesting (order,
// list of line items, each with a product and a map of attributes) round-trips; a field added
// by ALTER TYPE outside coodie, and a server order that differs from the struct's, still read
// into the right members; a type whose fields start in another order refuses writes; sync_table
// creates the types a model uses, nested ones first, and reports what it will not change.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "coodie/orm/user_type.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_udt_it {
struct Product {
  std::string sku;
  std::map<std::string, std::string> attributes;
};
struct LineItem {
  Product product;
  std::int32_t quantity = 0;
  std::optional<std::string> note;
};
struct Order {
  std::int32_t id = 0;
  std::vector<LineItem> items;
};
}  // namespace orm_udt_it

// One user type as three versions of a struct: v2 adds a field, v3 changes its type.
namespace orm_udt_evo {
namespace v1 {
struct Address {
  std::string street;
  std::string city;
};
struct Customer {
  std::int32_t id = 0;
  Address home;
};
}  // namespace v1
namespace v2 {
struct Address {
  std::string street;
  std::string city;
  std::optional<std::string> zip;
};
struct Customer {
  std::int32_t id = 0;
  Address home;
};
}  // namespace v2
namespace v3 {
struct Address {
  std::string street;
  std::string city;
  std::optional<std::int32_t> zip;
};
}  // namespace v3
}  // namespace orm_udt_evo

template <>
inline constexpr auto coodie::udt<orm_udt_it::Product> = coodie::user_type("udt_product");
template <>
inline constexpr auto coodie::udt<orm_udt_it::LineItem> = coodie::user_type("udt_line_item");
template <>
inline constexpr auto coodie::model<orm_udt_it::Order> =
    coodie::table("udt_orders").partition_key<&orm_udt_it::Order::id>();

template <>
inline constexpr auto coodie::udt<orm_udt_evo::v1::Address> = coodie::user_type("evo_address");
template <>
inline constexpr auto coodie::udt<orm_udt_evo::v2::Address> = coodie::user_type("evo_address");
template <>
inline constexpr auto coodie::udt<orm_udt_evo::v3::Address> = coodie::user_type("evo_address");
template <>
inline constexpr auto coodie::model<orm_udt_evo::v1::Customer> =
    coodie::table("evo_customers").partition_key<&orm_udt_evo::v1::Customer::id>();
template <>
inline constexpr auto coodie::model<orm_udt_evo::v2::Customer> =
    coodie::table("evo_customers").partition_key<&orm_udt_evo::v2::Customer::id>();

namespace {

using orm_udt_it::LineItem;
using orm_udt_it::Order;
using orm_udt_it::Product;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmUserTypeBase, "orm_udt");

template <class F>
class OrmUserType : public test::orm_suite<OrmUserTypeBase, F> {
 protected:
  /// The types as the struct declares them, created by hand, and the table by sync_table.
  template <class S>
  void create(S& s, const std::string& product_fields) {
    F::await([&] { return s.template drop_table<Order>(); });
    this->db().execute("DROP TYPE IF EXISTS " + this->ks() + ".udt_line_item");
    this->db().execute("DROP TYPE IF EXISTS " + this->ks() + ".udt_product");
    this->db().execute("CREATE TYPE " + this->ks() + ".udt_product (" + product_fields + ")");
    this->db().execute("CREATE TYPE " + this->ks() +
                       ".udt_line_item (product frozen<udt_product>, quantity int, note text)");
    F::await([&] { return s.template sync_table<Order>(); });
  }
};
TYPED_TEST_SUITE(OrmUserType, test::orm_fronts, test::front_names);

Order sample(std::int32_t id) {
  return Order{
      .id = id,
      .items = {
          {.product = {.sku = "anvil", .attributes = {{"color", "black"}}},
           .quantity = 2,
           .note = "fragile"},
          {.product = {.sku = "rope", .attributes = {}}, .quantity = 10, .note = std::nullopt}}};
}

void expect_same(const Order& got, const Order& want) {
  ASSERT_EQ(got.items.size(), want.items.size());
  for (std::size_t i = 0; i < want.items.size(); ++i) {
    EXPECT_EQ(got.items[i].product.sku, want.items[i].product.sku);
    EXPECT_EQ(got.items[i].product.attributes, want.items[i].product.attributes);
    EXPECT_EQ(got.items[i].quantity, want.items[i].quantity);
    EXPECT_EQ(got.items[i].note, want.items[i].note);
  }
}

TYPED_TEST(OrmUserType, ThreeLevelsRoundTripAndAnAddedFieldIsRead) {
  using F = TypeParam;
  auto s = this->front();
  this->create(s, "sku text, attributes frozen<map<text, text>>");
  EXPECT_EQ(test::live_column_type(this->db(), this->ks(), "udt_orders", "items"),
            "list<frozen<udt_line_item>>");

  const Order o = sample(1);
  F::await([&] { return s.save(o); });
  expect_same(F::await([&] { return s.template get<Order>(1); }), o);

  // A field added outside coodie: reads skip it, writes leave it null, the struct is unchanged.
  this->db().execute("ALTER TYPE " + this->ks() + ".udt_line_item ADD discount int");
  expect_same(F::await([&] { return s.template get<Order>(1); }), o);
  const Order o2 = sample(2);
  F::await([&] { return s.save(o2); });
  expect_same(F::await([&] { return s.template get<Order>(2); }), o2);
}

TYPED_TEST(OrmUserType, TheServersFieldOrderIsReadByNameAndRefusedForWrites) {
  using F = TypeParam;
  auto s = this->front();
  // The server's product type lists attributes first: another client writes a row.
  this->create(s, "attributes frozen<map<text, text>>, sku text");
  this->db().execute("INSERT INTO " + this->ks() +
                     ".udt_orders (id, items) VALUES (7, [{product: {sku: 'vice', attributes: "
                     "{'size': 'L'}}, quantity: 3, note: null}])");
  Order got = F::await([&] { return s.template get<Order>(7); });
  ASSERT_EQ(got.items.size(), 1U);
  EXPECT_EQ(got.items[0].product.sku, "vice");
  EXPECT_EQ(got.items[0].product.attributes.at("size"), "L");
  EXPECT_EQ(got.items[0].quantity, 3);
  EXPECT_FALSE(got.items[0].note.has_value());
  // Writing in the struct's order would put the sku where the server reads attributes.
  try {
    F::await([&] { return s.save(sample(8)); });
    ADD_FAILURE() << "a write in the struct's field order was sent";
  } catch (const coodie::schema_error& e) {
    EXPECT_NE(std::string(e.what()).find("udt_product(attributes, sku)"), std::string::npos)
        << e.what();
  }
  auto rows = this->db().execute(coodie::statement(
      "SELECT id FROM " + this->ks() + ".udt_orders WHERE id = ?", std::int32_t{8}));
  EXPECT_TRUE(rows.empty()) << "nothing was written";
}

TYPED_TEST(OrmUserType, SyncTableCreatesTheTypesNestedFirstAndThenNothing) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template drop_table<Order>(); });
  F::await([&] { return s.template drop_type<LineItem>(); });
  F::await([&] { return s.template drop_type<Product>(); });
  // sync_type of a type that uses another creates that one first.
  auto item = F::await([&] { return s.template sync_type<LineItem>({.dry_run = true}); });
  ASSERT_EQ(item.statements.size(), 2U);
  EXPECT_NE(item.statements[0].find(".udt_product ("), std::string::npos) << item.statements[0];
  EXPECT_NE(item.statements[1].find(".udt_line_item ("), std::string::npos) << item.statements[1];
  auto plan = F::await([&] { return s.template sync_table<Order>({.dry_run = true}); });
  ASSERT_EQ(plan.statements.size(), 3U);
  EXPECT_EQ(plan.statements[0], "CREATE TYPE IF NOT EXISTS " + this->ks() +
                                    ".udt_product (sku text, attributes frozen<map<text, text>>)");
  EXPECT_EQ(plan.statements[1],
            "CREATE TYPE IF NOT EXISTS " + this->ks() +
                ".udt_line_item (product frozen<udt_product>, quantity int, note text)");
  EXPECT_EQ(plan.statements[2].rfind("CREATE TABLE", 0), 0U) << plan.statements[2];

  auto done = F::await([&] { return s.template sync_table<Order>(); });
  EXPECT_EQ(done.statements, plan.statements);
  auto fields = this->db().execute(coodie::statement(
      "SELECT field_names FROM system_schema.types WHERE keyspace_name = ? AND type_name = ?",
      this->ks(), std::string("udt_line_item")));
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields.front().template get<std::vector<std::string>>(0),
            (std::vector<std::string>{"product", "quantity", "note"}));
  const Order o = sample(3);
  F::await([&] { return s.save(o); });
  expect_same(F::await([&] { return s.template get<Order>(3); }), o);

  auto again = this->front();  // a new session: nothing cached
  auto second = F::await([&] { return again.template sync_table<Order>(); });
  EXPECT_TRUE(second.statements.empty());
  EXPECT_TRUE(second.differences.empty());

  // What sync_type will not change is reported: a field the struct lacks, a changed type.
  this->db().execute("ALTER TYPE " + this->ks() + ".udt_product ADD extra int");
  auto reported = F::await([&] { return again.template sync_type<Product>(); });
  EXPECT_TRUE(reported.statements.empty());
  ASSERT_EQ(reported.differences.size(), 1U);
  EXPECT_EQ(reported.differences[0].kind, coodie::difference_kind::field_not_in_model);
  EXPECT_EQ(reported.differences[0].column, "extra");
}

TYPED_TEST(OrmUserType, AddingAMemberAltersTheTypeAndOlderRowsReadItEmpty) {
  namespace v1 = orm_udt_evo::v1;
  namespace v2 = orm_udt_evo::v2;
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template drop_table<v1::Customer>(); });
  F::await([&] { return s.template drop_type<v1::Address>(); });
  F::await([&] { return s.template sync_table<v1::Customer>(); });
  F::await(
      [&] { return s.save(v1::Customer{.id = 1, .home = {.street = "1 Elm", .city = "Oak"}}); });

  // The same session: its prepared statements knew the type with two fields.
  auto altered = F::await([&] { return s.template sync_type<v2::Address>(); });
  EXPECT_EQ(altered.statements,
            std::vector<std::string>{"ALTER TYPE " + this->ks() + ".evo_address ADD zip text"});
  v2::Customer old_row = F::await([&] { return s.template get<v2::Customer>(1); });
  EXPECT_EQ(old_row.home.street, "1 Elm");
  EXPECT_FALSE(old_row.home.zip.has_value()) << "a row written before the field reads it empty";
  F::await([&] {
    return s.save(v2::Customer{.id = 2, .home = {.street = "2 Ash", .city = "Oak", .zip = "9"}});
  });
  EXPECT_EQ(F::await([&] { return s.template get<v2::Customer>(2); }).home.zip, "9");
  EXPECT_TRUE(F::await([&] { return s.template sync_table<v2::Customer>(); }).statements.empty());

  // A changed field type is reported, never applied.
  auto changed = F::await([&] { return s.template sync_type<orm_udt_evo::v3::Address>(); });
  EXPECT_TRUE(changed.statements.empty());
  ASSERT_EQ(changed.differences.size(), 1U);
  EXPECT_EQ(changed.differences[0].kind, coodie::difference_kind::field_changed);
  EXPECT_EQ(changed.differences[0].column, "zip");
}

}  // namespace
