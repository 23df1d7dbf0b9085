// Model declarations: reflection of member names, the table a declaration describes, the CQL
// type of every member type, and the run-time checks (invalid_model).
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/mapping.hpp"
#include "coodie/orm/type_text.hpp"

namespace orm_model_test {

// --8<-- [start:reading]
struct Reading {
  std::string sensor;
  std::string day;
  std::chrono::sys_time<std::chrono::milliseconds> ts;
  std::int32_t seq = 0;
  std::string site_name;
  double temp = 0;
  std::set<std::string> tags;
  std::optional<std::int32_t> level;
  std::array<float, 3> embedding{};
  std::map<std::string, std::vector<std::int32_t>> series;
  std::tuple<std::int32_t, std::string> pair;
  std::string cached;  // not stored
};
// --8<-- [end:reading]

struct PageView {
  std::string url;
  std::int64_t views = 0;
  std::int64_t clicks = 0;
};

// --8<-- [start:order-item]
struct OrderItem {
  coodie::uuid id;
  std::vector<std::string> codes;
};
// --8<-- [end:order-item]

struct HTTPAddress {
  std::int32_t id = 0;
};

struct BadChoice {
  std::int32_t id = 0;
  std::string name;
};

}  // namespace orm_model_test

using namespace orm_model_test;

// --8<-- [start:reading-model]
template <>
inline constexpr auto coodie::model<Reading> = coodie::table("readings")
                                                   .keyspace("metrics")
                                                   .partition_key<&Reading::sensor, &Reading::day>()
                                                   .clustering_key<&Reading::ts>(coodie::desc)
                                                   .clustering_key<&Reading::seq>()
                                                   .static_column<&Reading::site_name>()
                                                   .index<&Reading::temp>()
                                                   .sai_index<&Reading::level>("by_level")
                                                   .frozen<&Reading::tags>()
                                                   .column<&Reading::temp>("temperature")
                                                   .skip<&Reading::cached>()
                                                   .default_ttl(300)
                                                   .comment("it's")
                                                   .compaction({{"class",
                                                                 "LeveledCompactionStrategy"}})
                                                   .option("bloom_filter_fp_chance", 0.01);
// --8<-- [end:reading-model]

template <>
inline constexpr auto coodie::model<PageView> = coodie::table("page_views")
                                                    .partition_key<&PageView::url>()
                                                    .type<&PageView::views>(coodie::cql::counter)
                                                    .type<&PageView::clicks>(coodie::cql::counter);

// --8<-- [start:order-item-model]
template <>
inline constexpr auto coodie::model<OrderItem> =
    coodie::table().partition_key<&OrderItem::id>().type<&OrderItem::codes>(coodie::cql::set);
// --8<-- [end:order-item-model]

template <>
inline constexpr auto coodie::model<HTTPAddress> =
    coodie::table().partition_key<&HTTPAddress::id>();

template <>
inline constexpr auto coodie::model<BadChoice> =
    coodie::table().partition_key<&BadChoice::id>().type<&BadChoice::name>(coodie::cql::counter);

namespace {

// The compilers spell these otherwise than a named namespace's struct: unnamed namespaces
// ("{anonymous}", "(anonymous namespace)"), nesting, template arguments, UTF-8 names.
struct LocalRow {
  int first = 0;
  double größe = 0;
  struct Inner {
    int inner_id = 0;
    long café_2 = 0;
  };
};
template <class T, int N>
struct Boxed {
  T held;
  int count = N;
};

TEST(OrmReflect, MemberNamesOfUnnamedNamespacesNestedClassesTemplatesAndUtf8) {
  using coodie::orm::detail::field_names;
  using coodie::orm::detail::member_name;
  using coodie::orm::detail::type_short_name;
  static_assert(field_names<LocalRow>[0] == "first");
  static_assert(field_names<LocalRow>[1] == "größe");
  static_assert(field_names<LocalRow::Inner>[1] == "café_2");
  static_assert(member_name<&LocalRow::Inner::inner_id>() == "inner_id");
  static_assert(field_names<Boxed<LocalRow, -3>>[0] == "held");
  static_assert(field_names<Boxed<LocalRow, -3>>[1] == "count");
  static_assert(type_short_name<LocalRow>() == "LocalRow");
  static_assert(type_short_name<LocalRow::Inner>() == "Inner");
  EXPECT_EQ(field_names<LocalRow>[1], "größe");
}

TEST(OrmReflect, MemberNamesComeFromTheCompiler) {
  static_assert(coodie::orm::detail::field_names<Reading>[0] == "sensor");
  static_assert(coodie::orm::detail::field_names<Reading>[11] == "cached");
  static_assert(coodie::orm::detail::member_name<&Reading::site_name>() == "site_name");
  static_assert(coodie::orm::detail::field_index<&Reading::temp>() == 5);
  static_assert(coodie::orm::detail::type_short_name<Reading>() == "Reading");
  EXPECT_EQ(coodie::orm::detail::field_names<PageView>[1], "views");
}

TEST(OrmModel, DeclarationDescribesTheTable) {
  using info = coodie::model_info<Reading>;
  static_assert(info::column_count == 11);
  static_assert(info::column_of[11] == -1);
  static_assert(info::column_names[5] == "temperature");
  const coodie::table_schema& t = coodie::schema_of<Reading>();
  EXPECT_EQ(t.model, "Reading");
  EXPECT_EQ(t.name, "readings");
  EXPECT_EQ(t.keyspace, "metrics");
  ASSERT_EQ(t.columns.size(), 11u);
  auto pk = t.partition_key();
  ASSERT_EQ(pk.size(), 2u);
  EXPECT_EQ(pk[0]->name, "sensor");
  EXPECT_EQ(pk[1]->name, "day");
  auto ck = t.clustering_key();
  ASSERT_EQ(ck.size(), 2u);
  EXPECT_EQ(ck[0]->name, "ts");
  EXPECT_EQ(ck[0]->clustering_order, coodie::order::desc);
  EXPECT_EQ(ck[1]->name, "seq");
  EXPECT_EQ(ck[1]->clustering_order, coodie::order::asc);
  EXPECT_EQ(t.find("site_name")->kind, coodie::column_kind::static_column);
  EXPECT_EQ(t.find("temperature")->member, "temp");
  EXPECT_EQ(t.find("cached"), nullptr);
  ASSERT_EQ(t.indexes.size(), 2u);
  EXPECT_EQ(t.indexes[0].name, "readings_temperature_idx");
  EXPECT_EQ(t.indexes[0].column, "temperature");
  EXPECT_EQ(t.indexes[0].custom_class, "");
  EXPECT_EQ(t.indexes[1].name, "by_level");
  EXPECT_EQ(t.indexes[1].custom_class, "StorageAttachedIndex");
  ASSERT_EQ(t.options.size(), 4u);
  EXPECT_EQ(t.options[0], (coodie::table_option{"default_time_to_live", "300"}));
  EXPECT_EQ(t.options[1], (coodie::table_option{"comment", "'it''s'"}));
  EXPECT_EQ(t.options[2],
            (coodie::table_option{"compaction", "{'class': 'LeveledCompactionStrategy'}"}));
  EXPECT_EQ(t.options[3], (coodie::table_option{"bloom_filter_fp_chance", "0.01"}));
  EXPECT_FALSE(t.is_counter_table());
}

// --8<-- [start:type-text]
TEST(OrmModel, MemberTypesMapToSchemaTypeText) {
  const coodie::table_schema& t = coodie::schema_of<Reading>();
  auto type_of = [&](const char* c) { return t.find(c)->cql_type; };
  EXPECT_EQ(type_of("sensor"), "text");
  EXPECT_EQ(type_of("ts"), "timestamp");
  EXPECT_EQ(type_of("seq"), "int");
  EXPECT_EQ(type_of("temperature"), "double");
  EXPECT_EQ(type_of("tags"), "frozen<set<text>>");
  EXPECT_EQ(type_of("level"), "int");
  EXPECT_EQ(type_of("embedding"), "vector<float, 3>");
  EXPECT_EQ(type_of("series"), "map<text, frozen<list<int>>>");
  EXPECT_EQ(type_of("pair"), "frozen<tuple<int, text>>");
}
// --8<-- [end:type-text]

TEST(OrmModel, ExplicitTypeChoices) {
  const coodie::table_schema& pv = coodie::schema_of<PageView>();
  EXPECT_EQ(pv.find("views")->cql_type, "counter");
  EXPECT_TRUE(pv.is_counter_table());
  const coodie::table_schema& oi = coodie::schema_of<OrderItem>();
  EXPECT_EQ(oi.name, "order_item");
  EXPECT_EQ(oi.find("codes")->cql_type, "set<text>");
  EXPECT_EQ(coodie::schema_of<HTTPAddress>().name, "http_address");
}

TEST(OrmModel, ImpossibleTypeChoiceIsInvalidModel) {
  try {
    (void)coodie::schema_of<BadChoice>();
    FAIL() << "expected invalid_model";
  } catch (const coodie::invalid_model& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("BadChoice"), std::string::npos) << what;
    EXPECT_NE(what.find("member name"), std::string::npos) << what;
    EXPECT_NE(what.find("counter"), std::string::npos) << what;
  }
}

TEST(OrmModel, SnakeCase) {
  EXPECT_EQ(coodie::orm::detail::snake_case("OrderItem"), "order_item");
  EXPECT_EQ(coodie::orm::detail::snake_case("HTTPAddress"), "http_address");
  EXPECT_EQ(coodie::orm::detail::snake_case("IPInfo"), "ip_info");
  EXPECT_EQ(coodie::orm::detail::snake_case("user2Name"), "user2_name");
  EXPECT_EQ(coodie::orm::detail::snake_case("product"), "product");
}

}  // namespace

namespace {

TEST(OrmModel, DeclaredNamesAreCheckedWhereTheyAreConstants) {
  static_assert(coodie::orm::detail::valid_schema_name("products_2"));
  static_assert(!coodie::orm::detail::valid_schema_name("a-b"));
  static_assert(!coodie::orm::detail::valid_schema_name("x; DROP TABLE y"));
  // A name only known at run time is checked when the declaration is made.
  std::string bad = "shop\"";
  EXPECT_THROW((void)coodie::table(bad), coodie::usage_error);
  EXPECT_THROW((void)coodie::table("t").keyspace(bad), coodie::usage_error);
}

}  // namespace
