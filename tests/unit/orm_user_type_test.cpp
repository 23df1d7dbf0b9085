// User types with no server: the declared type, and values written and read by field name
// against live type descriptions in any field order, with fields added, missing or of another
// type, nested and inside collections.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/mapping.hpp"
#include "coodie/orm/type_schema.hpp"
#include "coodie/orm/user_type.hpp"
#include "schema_detail.hpp"

namespace orm_udt_test {
struct Address {
  std::string street;
  std::string city;
  std::optional<std::string> zip;
  int cache = 0;
};
struct LineItem {
  std::string sku;
  std::int32_t quantity = 0;
  std::map<std::string, std::string> attributes;
};
struct Order {
  std::int32_t id = 0;
  Address ship_to;
  std::vector<LineItem> items;
};
}  // namespace orm_udt_test

template <>
inline constexpr auto coodie::udt<orm_udt_test::Address> =
    coodie::user_type("address")
        .field<&orm_udt_test::Address::zip>("zip_code")
        .skip<&orm_udt_test::Address::cache>();
template <>
inline constexpr auto coodie::udt<orm_udt_test::LineItem> = coodie::user_type();
template <>
inline constexpr auto coodie::model<orm_udt_test::Order> =
    coodie::table("orders").partition_key<&orm_udt_test::Order::id>();

namespace {

namespace wire = coodie::wire;
using orm_udt_test::Address;
using orm_udt_test::LineItem;
using orm_udt_test::Order;

const wire::data_type text = wire::simple_type(wire::type_id::varchar);
const wire::data_type int_type = wire::simple_type(wire::type_id::int_);

wire::data_type udt(std::string name, std::vector<std::string> fields,
                    std::vector<wire::data_type> types) {
  wire::data_type t;
  t.id = wire::type_id::udt;
  t.keyspace = "shop";
  t.name = std::move(name);
  t.field_names = std::move(fields);
  t.params = std::move(types);
  return t;
}

template <class T>
wire::byte_buffer encode(const T& v, const wire::data_type& as) {
  wire::byte_buffer buf;
  wire::writer w(buf);
  wire::encode_value(v, as, w);
  return buf;
}
template <class T>
T decode(const wire::byte_buffer& buf, const wire::data_type& as) {
  wire::reader r(buf);
  return wire::decode_value<T>(r.value(), as);
}

TEST(OrmUserType, TheDeclaredTypeNamesItsFields) {
  const wire::data_type& a = coodie::cql_traits<Address>::cql_type();
  EXPECT_EQ(a.id, wire::type_id::udt);
  EXPECT_EQ(a.name, "address");
  EXPECT_EQ(a.field_names, (std::vector<std::string>{"street", "city", "zip_code"}));
  ASSERT_EQ(a.params.size(), 3U);
  EXPECT_EQ(coodie::cql_traits<LineItem>::cql_type().name, "line_item") << "snake_case default";
  EXPECT_EQ(coodie::cql_type_text(coodie::cql_traits<LineItem>::cql_type().params[2], false),
            "map<text, text>");
}

TEST(OrmUserType, AModelMemberIsAFrozenColumn) {
  const coodie::table_schema& t = coodie::schema_of<Order>();
  EXPECT_EQ(t.find("ship_to")->cql_type, "frozen<address>");
  EXPECT_EQ(t.find("items")->cql_type, "list<frozen<line_item>>");
}

TEST(OrmUserType, FieldsAreReadByNameInTheServersOrder) {
  const Address home{.street = "1 Main St", .city = "Springfield", .zip = "12345", .cache = 7};
  // The server's type lists the fields in another order and has one the struct lacks.
  const wire::data_type live =
      udt("address", {"zip_code", "country", "city", "street"}, {text, text, text, text});
  wire::byte_buffer buf = encode(home, live);
  Address back = decode<Address>(buf, live);
  EXPECT_EQ(back.street, "1 Main St");
  EXPECT_EQ(back.city, "Springfield");
  EXPECT_EQ(back.zip, "12345");
  EXPECT_EQ(back.cache, 0) << "a skipped member is not stored";

  // The field the struct lacks was written as null: read as an optional string, it is empty.
  using as_tuple = std::tuple<std::optional<std::string>, std::optional<std::string>>;
  as_tuple first_two = decode<as_tuple>(buf, live);
  EXPECT_EQ(std::get<0>(first_two), "12345");
  EXPECT_FALSE(std::get<1>(first_two).has_value());
}

TEST(OrmUserType, AValueWithoutTheNewerFieldsReadsThemAsDefaults) {
  // Written when the type had only street and city (an older row): zip reads as empty.
  const wire::data_type old_type = udt("address", {"street", "city"}, {text, text});
  wire::byte_buffer buf =
      encode(std::tuple<std::string, std::string>{"2 Elm", "Shelbyville"}, old_type);
  const wire::data_type live = udt("address", {"street", "city", "zip_code"}, {text, text, text});
  Address back{.street = "x", .city = "y", .zip = "stale", .cache = 0};
  wire::reader r(buf);
  wire::decode_value(r.value(), live, back);
  EXPECT_EQ(back.street, "2 Elm");
  EXPECT_EQ(back.city, "Shelbyville");
  EXPECT_FALSE(back.zip.has_value()) << "a field the value lacks must not keep a stale value";
}

TEST(OrmUserType, AFieldOfAnotherTypeOrAMissingFieldIsATypedError) {
  const Address home{.street = "1 Main St", .city = "Springfield", .zip = {}, .cache = 0};
  const wire::data_type wrong =
      udt("address", {"street", "city", "zip_code"}, {text, int_type, text});
  try {
    (void)encode(home, wrong);
    FAIL() << "an int field was written from a string";
  } catch (const coodie::codec_error& e) {
    EXPECT_NE(std::string(e.what()).find("user type address, field city"), std::string::npos)
        << e.what();
  }
  const wire::data_type lacking = udt("address", {"street", "city"}, {text, text});
  try {
    (void)encode(home, lacking);
    FAIL() << "zip_code would have been dropped silently";
  } catch (const coodie::codec_error& e) {
    EXPECT_NE(std::string(e.what()).find("field zip_code"), std::string::npos) << e.what();
  }
  wire::byte_buffer buf =
      encode(home, udt("address", {"street", "city", "zip_code"}, {text, text, text}));
  EXPECT_THROW((void)decode<Address>(buf, wrong), coodie::codec_error);
}

TEST(OrmUserType, NestedAndInCollectionsRoundTrip) {
  const std::vector<LineItem> items{
      {.sku = "anvil", .quantity = 2, .attributes = {{"color", "black"}, {"weight", "50kg"}}},
      {.sku = "rope", .quantity = 1, .attributes = {}},
  };
  // The server's line_item lists quantity first.
  const wire::data_type item = udt("line_item", {"quantity", "attributes", "sku"},
                                   {int_type, wire::map_of(text, text), text});
  const wire::data_type list = wire::list_of(item);
  wire::byte_buffer buf = encode(items, list);
  std::vector<LineItem> back = decode<std::vector<LineItem>>(buf, list);
  ASSERT_EQ(back.size(), 2U);
  EXPECT_EQ(back[0].sku, "anvil");
  EXPECT_EQ(back[0].quantity, 2);
  EXPECT_EQ(back[0].attributes, items[0].attributes);
  EXPECT_EQ(back[1].sku, "rope");
  EXPECT_TRUE(back[1].attributes.empty());

  std::map<std::string, Address> book{
      {"home", {.street = "a", .city = "b", .zip = "c", .cache = 0}}};
  const wire::data_type addr = udt("address", {"city", "street", "zip_code"}, {text, text, text});
  auto book_back = decode<std::map<std::string, Address>>(encode(book, wire::map_of(text, addr)),
                                                          wire::map_of(text, addr));
  EXPECT_EQ(book_back.at("home").street, "a");
  EXPECT_EQ(book_back.at("home").zip, "c");
}

}  // namespace

namespace {

TEST(OrmUserTypeSchema, ThePlanCreatesAddsAndReportsWithoutChanging) {
  const wire::data_type& a = coodie::cql_traits<Address>::cql_type();
  coodie::sync_plan create = coodie::plan_type_sync(a, "shop", std::nullopt);
  ASSERT_EQ(create.statements.size(), 1U);
  EXPECT_EQ(create.statements[0],
            "CREATE TYPE IF NOT EXISTS shop.address (street text, city text, zip_code text)");

  // Live: street and city (city stored as varchar spelled otherwise), plus a field of its own.
  coodie::existing_type live{{"street", "city", "country"}, {"text", "text", "text"}};
  coodie::sync_plan add = coodie::plan_type_sync(a, "shop", live);
  ASSERT_EQ(add.statements.size(), 1U);
  EXPECT_EQ(add.statements[0], "ALTER TYPE shop.address ADD zip_code text");
  ASSERT_EQ(add.differences.size(), 1U);
  EXPECT_EQ(add.differences[0].kind, coodie::difference_kind::field_not_in_model);
  EXPECT_EQ(add.differences[0].column, "country");

  coodie::existing_type changed{{"street", "city", "zip_code"}, {"text", "int", "text"}};
  coodie::sync_plan c = coodie::plan_type_sync(a, "shop", changed);
  EXPECT_TRUE(c.statements.empty());
  ASSERT_EQ(c.differences.size(), 1U);
  EXPECT_EQ(c.differences[0].kind, coodie::difference_kind::field_changed);
  EXPECT_NE(c.differences[0].message.find("city"), std::string::npos);

  coodie::existing_type reordered{{"city", "street", "zip_code"}, {"text", "text", "text"}};
  coodie::sync_plan r = coodie::plan_type_sync(a, "shop", reordered);
  ASSERT_EQ(r.differences.size(), 1U);
  EXPECT_EQ(r.differences[0].kind, coodie::difference_kind::field_order_differs);
}

TEST(OrmUserTypeSchema, FrozenSpellingsCompareEqualAndTypesComeNestedFirst) {
  const wire::data_type& item = coodie::cql_traits<LineItem>::cql_type();
  coodie::existing_type live{{"sku", "quantity", "attributes"}, {"text", "int", "map<text, text>"}};
  coodie::sync_plan p = coodie::plan_type_sync(item, "shop", live);
  EXPECT_TRUE(p.statements.empty());
  EXPECT_TRUE(p.differences.empty()) << p.differences.front().message;

  std::vector<wire::data_type> types = coodie::user_types_of(coodie::schema_of<Order>());
  ASSERT_EQ(types.size(), 2U);
  EXPECT_EQ(types[0].name, "address");
  EXPECT_EQ(types[1].name, "line_item");
  EXPECT_EQ(coodie::ddl::drop_type(types[0], "shop"), "DROP TYPE IF EXISTS shop.address");
}

TEST(OrmUserTypeSchema, ATypeDeclaredInAnotherKeyspaceIsRefusedBeforeAnyStatement) {
  std::vector<wire::data_type> types = coodie::user_types_of(coodie::schema_of<Order>());
  coodie::orm::detail::check_type_keyspaces(types, "shop",
                                            "model Order");  // undeclared: any keyspace
  types[0].keyspace = "billing";
  try {
    coodie::orm::detail::check_type_keyspaces(types, "shop", "model Order");
    ADD_FAILURE() << "a type of keyspace billing was accepted for shop";
  } catch (const coodie::invalid_model& e) {
    EXPECT_STREQ(e.what(),
                 "model Order uses user type address, declared in keyspace billing, from keyspace "
                 "shop: CQL takes the user types of a table or type from its own keyspace");
  }
  types[0].keyspace = "shop";
  coodie::orm::detail::check_type_keyspaces(types, "shop", "model Order");
}

}  // namespace
