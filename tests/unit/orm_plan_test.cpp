// The plan of every ODM operation, with no server: its CQL text, its bound values in order, and
// its options and idempotence. What the fronts send is exactly a plan (both run the same ones),
// so a wrong marker order or a lost option shows here.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"

namespace orm_plan_test {
struct Product {
  std::string category;
  std::string name;
  double price = 0;
  std::set<std::string> tags;
  std::optional<std::string> description;
};
struct Views {
  std::string page;
  std::int64_t views = 0;
  std::int64_t likes = 0;
};
}  // namespace orm_plan_test

template <>
inline constexpr auto coodie::model<orm_plan_test::Product> =
    coodie::table("products")
        .partition_key<&orm_plan_test::Product::category>()
        .clustering_key<&orm_plan_test::Product::name>();
template <>
inline constexpr auto coodie::model<orm_plan_test::Views> =
    coodie::table("views")
        .partition_key<&orm_plan_test::Views::page>()
        .type<&orm_plan_test::Views::views>(coodie::cql::counter)
        .type<&orm_plan_test::Views::likes>(coodie::cql::counter);

namespace {

namespace d = coodie::orm::detail;
using coodie::col;
using orm_plan_test::Product;
using orm_plan_test::Views;

const coodie::wire::data_type text_type = coodie::wire::simple_type(coodie::wire::type_id::varchar);

/// The values a plan should bind, encoded as the columns' types.
struct values {
  coodie::value_list list;
  values& text(const std::string& s) {
    list.add_as(s, text_type);
    return *this;
  }
  values& dbl(double v) {
    list.add_as(v, coodie::wire::simple_type(coodie::wire::type_id::double_));
    return *this;
  }
  values& int32(std::int32_t v) {
    list.add_as(v, coodie::wire::simple_type(coodie::wire::type_id::int_));
    return *this;
  }
  values& bigint(std::int64_t v) {
    list.add_as(v, coodie::wire::simple_type(coodie::wire::type_id::bigint));
    return *this;
  }
  values& set(const std::set<std::string>& v) {
    list.add_as(v, coodie::wire::set_of(text_type));
    return *this;
  }
  values& null_text() {
    list.add_as(std::optional<std::string>(), text_type);
    return *this;
  }
};

void expect_values(const coodie::value_list& got, const values& want) {
  coodie::wire::bound_values g = got.view();
  coodie::wire::bound_values w = want.list.view();
  EXPECT_EQ(g.count, w.count);
  EXPECT_TRUE(std::equal(g.data.begin(), g.data.end(), w.data.begin(), w.data.end()))
      << "the bound values differ in their bytes";
}

Product anvil() {
  return {.category = "tools", .name = "anvil", .price = 99.5, .tags = {"iron"}, .description = {}};
}

const std::string all_columns = "category, name, price, tags, description";

TEST(OrmPlan, SaveInsertsEveryColumnThenTheUsingValues) {
  auto p = d::save_plan(anvil(), {.ttl = 60, .timestamp = 5});
  EXPECT_EQ(p.request.cql("shop"), "INSERT INTO shop.products (" + all_columns +
                                       ") VALUES (?, ?, ?, ?, ?) USING TTL ? AND TIMESTAMP ?");
  expect_values(
      p.request.values,
      values().text("tools").text("anvil").dbl(99.5).set({"iron"}).null_text().int32(60).bigint(5));
  ASSERT_TRUE(p.request.shape.has_value());
  EXPECT_EQ(p.request.shape->kind, d::stmt_kind::insert);
  EXPECT_EQ(p.request.shape->flags, d::with_ttl | d::with_timestamp);
  EXPECT_TRUE(p.request.options.idempotent) << "a write with USING TIMESTAMP may be resent";

  auto plain = d::save_plan(anvil());
  EXPECT_EQ(plain.request.cql("shop"),
            "INSERT INTO shop.products (" + all_columns + ") VALUES (?, ?, ?, ?, ?)");
  EXPECT_FALSE(plain.request.options.idempotent);
  EXPECT_TRUE(plain.request.idempotent_with_timestamp);
}

TEST(OrmPlan, InsertIfNotExistsIsNeverSentTwice) {
  auto p = d::insert_plan(anvil(), {.ttl = 5, .cl = coodie::consistency::quorum});
  EXPECT_EQ(p.request.cql("shop"), "INSERT INTO shop.products (" + all_columns +
                                       ") VALUES (?, ?, ?, ?, ?) IF NOT EXISTS USING TTL ?");
  EXPECT_FALSE(p.request.options.idempotent);
  EXPECT_FALSE(p.request.idempotent_with_timestamp);
  EXPECT_EQ(p.request.options.cl, coodie::consistency::quorum);
}

TEST(OrmPlan, KeyReadsBindTheKeyInKeyOrder) {
  auto g = d::get_plan<Product>("tools", "anvil");
  EXPECT_EQ(g.request.cql("shop"),
            "SELECT " + all_columns + " FROM shop.products WHERE category = ? AND name = ?");
  expect_values(g.request.values, values().text("tools").text("anvil"));
  EXPECT_TRUE(g.request.options.idempotent);
  EXPECT_EQ(g.request.options.page_size, 0) << "one row never needs the server's paging";
  auto f = d::find_one_plan<Product>(std::string("tools"), std::string_view("vice"));
  EXPECT_EQ(f.request.cql("shop"), g.request.cql("shop"));
  expect_values(f.request.values, values().text("tools").text("vice"));
}

TEST(OrmPlan, UpdateBindsUsingThenMembersThenKey) {
  auto p = d::update_plan(anvil(), coodie::members<&Product::price, &Product::tags>,
                          {.ttl = 10, .timeout = std::chrono::milliseconds(250)}, "shop");
  EXPECT_EQ(p.request.cql("shop"),
            "UPDATE shop.products USING TTL ? SET price = ?, tags = ? WHERE category = ? AND "
            "name = ?");
  expect_values(p.request.values,
                values().int32(10).dbl(99.5).set({"iron"}).text("tools").text("anvil"));
  EXPECT_EQ(p.request.options.timeout, std::chrono::milliseconds(250));
}

TEST(OrmPlan, ConditionalWritesBindTheConditionLastAndAreNeverSentTwice) {
  using coodie::col;
  auto upd = d::conditional_update_plan(
      anvil(), coodie::members<&Product::price>,
      coodie::when(col<&Product::price> == 10, col<&Product::description> != "old"),
      {.serial_cl = coodie::consistency::local_serial}, "shop");
  EXPECT_EQ(upd.request.cql("shop"),
            "UPDATE shop.products SET price = ? WHERE category = ? AND name = ? IF price = ? AND "
            "description != ?");
  expect_values(upd.request.values,
                values().dbl(99.5).text("tools").text("anvil").dbl(10).text("old"));
  EXPECT_FALSE(upd.request.options.idempotent);
  EXPECT_TRUE(upd.request.options.conditional) << "the driver never retries it after Paxos";
  EXPECT_FALSE(upd.request.idempotent_with_timestamp);
  EXPECT_EQ(upd.request.options.serial_cl, coodie::consistency::local_serial);
  // Paxos runs at serial or local_serial; any other level is refused before sending.
  EXPECT_THROW(d::conditional_update_plan(anvil(), coodie::members<&Product::price>,
                                          coodie::condition<Product>(coodie::if_exists),
                                          {.serial_cl = coodie::consistency::quorum}, "shop"),
               coodie::usage_error);

  auto del = d::conditional_remove_plan(anvil(), coodie::condition<Product>(coodie::if_exists), {},
                                        "shop");
  EXPECT_EQ(del.request.cql("shop"),
            "DELETE FROM shop.products WHERE category = ? AND name = ? IF EXISTS");
  expect_values(del.request.values, values().text("tools").text("anvil"));
  // Paxos picks a conditional write's timestamp; the server refuses one given.
  EXPECT_THROW(d::conditional_remove_plan(anvil(), coodie::condition<Product>(coodie::if_exists),
                                          {.timestamp = 3}, "shop"),
               coodie::usage_error);
  EXPECT_THROW(d::conditional_update_plan(anvil(), coodie::members<&Product::price>,
                                          coodie::condition<Product>(coodie::if_exists),
                                          {.timestamp = 3}, "shop"),
               coodie::usage_error);
  EXPECT_THROW(d::insert_plan(anvil(), {.timestamp = 3}), coodie::usage_error);
  EXPECT_FALSE(del.request.options.idempotent);
  EXPECT_FALSE(del.request.idempotent_with_timestamp);

  auto in = d::conditional_remove_plan(
      anvil(), coodie::when(col<&Product::tags>.in(std::vector<std::set<std::string>>{{"iron"}})),
      {}, "shop");
  EXPECT_EQ(in.request.cql("shop"),
            "DELETE FROM shop.products WHERE category = ? AND name = ? IF tags IN ?");
}

TEST(OrmPlan, RemovesBindTheTimestampThenTheKeyAndRefuseATtl) {
  auto row = d::remove_plan(anvil(), {.timestamp = 7});
  EXPECT_EQ(row.request.cql("shop"),
            "DELETE FROM shop.products USING TIMESTAMP ? WHERE category = ? AND name = ?");
  expect_values(row.request.values, values().bigint(7).text("tools").text("anvil"));
  EXPECT_EQ(row.request.shape->flags, d::with_timestamp);

  auto cols = d::remove_columns_plan(anvil(), coodie::members<&Product::description>, {}, "shop");
  EXPECT_EQ(cols.request.cql("shop"),
            "DELETE description FROM shop.products WHERE category = ? AND name = ?");
  expect_values(cols.request.values, values().text("tools").text("anvil"));

  EXPECT_THROW(d::remove_plan(anvil(), {.ttl = 1}), coodie::usage_error);
  EXPECT_THROW(
      d::remove_columns_plan(anvil(), coodie::members<&Product::price>, {.ttl = 1}, "shop"),
      coodie::usage_error);
}

d::query_state tools_query() {
  d::query_state q;
  coodie::filter<Product> f = col<&Product::category> == "tools";
  q.spec.where.push_back(f.term);
  q.where_values.append(f.value);
  return q;
}

TEST(OrmPlan, QueriesSelectFirstCountAndPage) {
  d::query_state q = tools_query();
  q.read.cl = coodie::consistency::one;
  const d::query_site at{"shop", nullptr};
  d::orm_request all = d::select_request<Product, Product>(q, at);
  EXPECT_EQ(all.cql("shop"), "SELECT " + all_columns + " FROM shop.products WHERE category = ?");
  expect_values(all.values, values().text("tools"));
  EXPECT_TRUE(all.options.idempotent);
  EXPECT_EQ(all.options.cl, coodie::consistency::one);

  auto first = d::first_plan<Product, Product>(q, at);
  EXPECT_EQ(first.request.cql("shop"),
            "SELECT " + all_columns + " FROM shop.products WHERE category = ? LIMIT ?");
  expect_values(first.request.values, values().text("tools").int32(1));
  EXPECT_EQ(first.request.options.page_size, 0);

  q.limit = 5;
  auto count = d::count_plan<Product>(q, at);
  EXPECT_EQ(count.request.cql("shop"), "SELECT COUNT(*) FROM shop.products WHERE category = ?");
  expect_values(count.request.values, values().text("tools"));
  EXPECT_EQ(count.request.options.page_size, 0) << "a count is one row, however many it counts";
  EXPECT_EQ(d::all_rows_page_size(q), 0) << "a limit of 5 fits one page of 5000";

  q.fetch_size = 20;
  auto page = d::page_plan<Product, Product>(q, at, std::nullopt);
  EXPECT_EQ(page.request.options.page_size, 20);
  EXPECT_EQ(d::all_rows_page_size(q), 0);
  q.limit = 21;
  EXPECT_EQ(d::all_rows_page_size(q), 20) << "a limit beyond the fetch size reads page by page";
  q.limit.reset();
  EXPECT_EQ(d::all_rows_page_size(q), 20);
  q.fetch_size.reset();
  q.limit = 101;
  EXPECT_EQ(d::all_rows_page_size(q), 5000) << "a large answer keeps the server's page cut";
  q.limit = 5;
  expect_values(page.request.values, values().text("tools").int32(5));
  EXPECT_THROW((d::page_plan<Product, Product>(q, at, std::string("bm90LWEtdG9rZW4"))),
               coodie::page_token_error);
}

TEST(OrmPlan, AQueryTextIsBuiltOncePerShape) {
  d::query_state q = tools_query();
  const coodie::table_schema& t = d::table_of<Product>();
  auto reads = &d::row_target<Product, Product>::columns;
  const std::string* first = &d::shape_of_select(t, "shop", q, reads).text;
  q.where_values = values().text("garden").list;  // other values, the same shape
  EXPECT_EQ(&d::shape_of_select(t, "shop", q, reads).text, first);
  EXPECT_EQ(*first, "SELECT " + all_columns + " FROM shop.products WHERE category = ?");
  q.limit = 3;
  EXPECT_EQ(d::shape_of_select(t, "shop", q, reads).text, *first + " LIMIT ?");
  q.limit.reset();
  EXPECT_EQ(d::shape_of_select(t, "depot", q, reads).text,
            "SELECT " + all_columns + " FROM depot.products WHERE category = ?");
  q.spec.allow_filtering = true;
  EXPECT_EQ(d::shape_of_select(t, "shop", q, reads).text, *first + " ALLOW FILTERING");
  q.spec.allow_filtering = false;
  EXPECT_EQ(&d::shape_of_select(t, "shop", q, reads).text, first) << "the first shape is kept";

  // IN binds one list whatever its length: one shape.
  d::query_state two = tools_query();
  two.spec.where.push_back((col<&Product::name>.in(std::vector<std::string>{"a", "b"})).term);
  d::query_state three = tools_query();
  three.spec.where.push_back(
      (col<&Product::name>.in(std::vector<std::string>{"a", "b", "c"})).term);
  const std::string* in_text = &d::shape_of_select(t, "shop", two, reads).text;
  EXPECT_EQ(&d::shape_of_select(t, "shop", three, reads).text, in_text);
  EXPECT_EQ(*in_text, *first + " AND name IN ?");
}

TEST(OrmPlan, AQueryTheServerWouldFilterIsRefusedUnlessAllowed) {
  d::query_state q;
  coodie::filter<Product> f = col<&Product::price> < 10.0;
  q.spec.where.push_back(f.term);
  q.where_values.append(f.value);
  EXPECT_THROW((d::select_request<Product, Product>(q, {"shop", nullptr})), coodie::usage_error);
  q.spec.allow_filtering = true;
  EXPECT_EQ((d::select_request<Product, Product>(q, {"shop", nullptr}).cql("shop")),
            "SELECT " + all_columns + " FROM shop.products WHERE price < ? ALLOW FILTERING");
}

TEST(OrmPlan, BulkWritesRunOnceWhenTheKeysNameTheRows) {
  const d::query_site at{"shop", nullptr};
  d::bulk_plan del = d::bulk_remove_plan<Product>(tools_query(), at, {.timestamp = 3});
  EXPECT_TRUE(del.direct);
  EXPECT_EQ(del.write.cql("shop"),
            "DELETE FROM shop.products USING TIMESTAMP ? WHERE category = ?");
  expect_values(del.write.values, values().bigint(3).text("tools"));

  d::query_state whole = tools_query();
  coodie::filter<Product> n = col<&Product::name> == "anvil";
  whole.spec.where.push_back(n.term);
  whole.where_values.append(n.value);
  d::bulk_plan upd =
      d::bulk_update_plan<Product>(whole, at, {coodie::assign<&Product::price>(9.5)}, {});
  EXPECT_TRUE(upd.direct);
  EXPECT_EQ(upd.write.cql("shop"),
            "UPDATE shop.products SET price = ? WHERE category = ? AND name = ?");
  expect_values(upd.write.values, values().dbl(9.5).text("tools").text("anvil"));
}

TEST(OrmPlan, OtherBulkWritesReadTheKeysThenWriteRowByRow) {
  const d::query_site at{"shop", nullptr};
  d::query_state q = tools_query();
  q.limit = 10;  // a limit cannot be part of a DELETE: the keys are read first
  d::bulk_plan del = d::bulk_remove_plan<Product>(q, at, {});
  EXPECT_FALSE(del.direct);
  EXPECT_EQ(del.keys.cql("shop"),
            "SELECT category, name FROM shop.products WHERE category = ? LIMIT ?");
  expect_values(del.keys.values, values().text("tools").int32(10));
  EXPECT_EQ(del.keys.options.page_size, 5000);
  EXPECT_EQ(del.write.cql("shop"), "DELETE FROM shop.products WHERE category = ? AND name = ?");
  EXPECT_EQ(del.write.values.size(), 0) << "each row's key cells are appended as read";

  d::bulk_plan upd = d::bulk_update_plan<Product>(
      tools_query(), at, {coodie::assign<&Product::description>("sale")}, {.ttl = 9});
  EXPECT_FALSE(upd.direct) << "an UPDATE needs every clustering column";
  EXPECT_EQ(upd.write.cql("shop"),
            "UPDATE shop.products USING TTL ? SET description = ? WHERE category = ? AND name = ?");
  expect_values(upd.write.values, values().int32(9).text("sale"));

  EXPECT_THROW(d::bulk_remove_plan<Product>(d::query_state{}, at, {}), coodie::usage_error);
  EXPECT_THROW(d::bulk_update_plan<Product>(tools_query(), at, {}, {}), coodie::usage_error);
}

}  // namespace

TEST(OrmPlan, ChangesBindUsingThenEachChangeThenTheKey) {
  std::int32_t two = 2;
  auto p = d::change_plan(
      anvil(),
      {coodie::set_add<&Product::tags>({"steel"}), coodie::assign<&Product::price>(5.0),
       coodie::set_remove<&Product::tags>({"iron"})},
      {.ttl = two}, "shop");
  EXPECT_EQ(p.request.cql("shop"),
            "UPDATE shop.products USING TTL ? SET tags = tags + ?, price = ?, tags = tags - ? "
            "WHERE category = ? AND name = ?");
  expect_values(
      p.request.values,
      values().int32(2).set({"steel"}).dbl(5.0).set({"iron"}).text("tools").text("anvil"));
  EXPECT_THROW(d::change_plan(anvil(), {}, {}, "shop"), coodie::usage_error);
}

TEST(OrmPlan, ChangesOfWholeColumnsAreNamedByTheirShape) {
  // Each shape names one text: the columns, what each term does, and the USING clauses.
  auto price = d::change_plan(anvil(), {coodie::assign<&Product::price>(5.0)}, {}, "shop");
  auto tags = d::change_plan(anvil(), {coodie::set_add<&Product::tags>({"x"})}, {}, "shop");
  auto both = d::change_plan(
      anvil(), {coodie::assign<&Product::price>(1.0), coodie::set_add<&Product::tags>({"x"})}, {},
      "shop");
  auto swapped = d::change_plan(
      anvil(), {coodie::set_add<&Product::tags>({"x"}), coodie::assign<&Product::price>(1.0)}, {},
      "shop");
  auto timed =
      d::change_plan(anvil(), {coodie::assign<&Product::price>(5.0)}, {.timestamp = 7}, "shop");
  const std::vector<const d::orm_request*> all = {&price.request, &tags.request, &both.request,
                                                  &swapped.request, &timed.request};
  for (const d::orm_request* a : all) {
    ASSERT_TRUE(a->shape.has_value());
    EXPECT_TRUE(a->text.empty()) << "the text is built only when the shape is not prepared yet";
    for (const d::orm_request* b : all) {
      EXPECT_EQ(*a->shape == *b->shape, a == b) << a->cql("shop") << " / " << b->cql("shop");
      EXPECT_EQ(d::stmt_key_hash()(*a->shape) == d::stmt_key_hash()(*b->shape), a == b);
    }
  }
  EXPECT_EQ(price.request.cql("shop"),
            "UPDATE shop.products SET price = ? WHERE category = ? AND name = ?");
  EXPECT_EQ(swapped.request.cql("shop"),
            "UPDATE shop.products SET tags = tags + ?, price = ? WHERE category = ? AND name = ?");
  EXPECT_EQ(timed.request.cql("shop"),
            "UPDATE shop.products USING TIMESTAMP ? SET price = ? WHERE category = ? AND name = ?");
  // The same change of another row: the same shape, its own values.
  Product other = anvil();
  other.name = "hammer";
  auto again = d::change_plan(other, {coodie::assign<&Product::price>(5.0)}, {}, "shop");
  EXPECT_EQ(*again.request.shape, *price.request.shape);
  expect_values(again.request.values, values().dbl(5.0).text("tools").text("hammer"));

  // More terms than a shape holds: sent by its text.
  std::vector<coodie::assignment<Product>> many;
  for (std::size_t i = 0; i <= d::max_shaped_terms; ++i) {
    many.push_back(coodie::assign<&Product::price>(static_cast<double>(i)));
  }
  auto long_one = d::change_plan(anvil(), many, {}, "shop");
  EXPECT_FALSE(long_one.request.shape.has_value());
  EXPECT_EQ(long_one.request.text.rfind("UPDATE shop.products SET price = ?, price = ?", 0), 0U);
  EXPECT_EQ(long_one.request.values.size(), d::max_shaped_terms + 3);
}

TEST(OrmPlan, CountersAddOrSubtractAreNeverSentTwiceAndRefuseTtlAndTimestamp) {
  const Views v{.page = "home", .views = 0, .likes = 0};
  auto up = d::counter_plan(v, {coodie::by<&Views::views>(3), coodie::by<&Views::likes>(-1)}, false,
                            {.timestamp = std::nullopt}, "web");
  EXPECT_EQ(up.request.cql("web"),
            "UPDATE web.views SET views = views + ?, likes = likes + ? WHERE page = ?");
  expect_values(up.request.values, values().bigint(3).bigint(-1).text("home"));
  EXPECT_FALSE(up.request.options.idempotent);
  EXPECT_FALSE(up.request.idempotent_with_timestamp) << "a timestamp makes no counter idempotent";

  auto down = d::counter_plan(v, coodie::by<&Views::views>(2), true, {}, "web");
  EXPECT_EQ(down.request.cql("web"), "UPDATE web.views SET views = views - ? WHERE page = ?");
  expect_values(down.request.values, values().bigint(2).text("home"));

  EXPECT_THROW(d::counter_plan(v, coodie::by<&Views::views>(1), false, {.ttl = 5}, "web"),
               coodie::usage_error);
  EXPECT_THROW(d::counter_plan(v, coodie::by<&Views::views>(1), true, {.timestamp = 5}, "web"),
               coodie::usage_error);
}
