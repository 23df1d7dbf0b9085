// Materialized views and vector search, with no server: the DDL of a view and of a vector index
// as exact strings, the sync plan of a view and of index options, the schema a view or a vector
// model declares, and the SELECT of an order_by_ann query with its values in bind order and the
// refusals checked before sending.
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/error.hpp"
#include "coodie/orm/schema.hpp"
#include "coodie/orm/session.hpp"
#include "coodie/orm/view.hpp"
#include "schema_columns.hpp"

namespace orm_view_vector_test {

struct Product {
  std::string sku;
  std::string category;
  std::string name;
  double price = 0;
  std::vector<std::string> codes;  // a set<text> column (type choice)
  std::set<std::string> tags;      // frozen in the base
  std::optional<std::int32_t> stock;
};

/// A view over Product: partition key category (the one column outside the base key), then the
/// base key sku, DESC; members of the base's types (std::optional aside) without their choices.
struct ProductByCategory {
  std::string category;
  std::string sku;
  std::string name;
  double price = 0;
  std::vector<std::string> codes;
  std::set<std::string> tags;
  std::int32_t stock = 0;
};

/// A vector model: partition key owner, clustering id, an SAI index on topic, a plain index on
/// title, nothing on body, a DOT_PRODUCT vector index on embedding.
struct Doc {
  std::string owner;
  std::int32_t id = 0;
  std::string topic;
  std::string title;
  std::string body;
  std::array<float, 3> embedding{};
};

/// A projection with two similarities of the same column: the ANN vector is bound for each.
struct Hit {
  std::int32_t id = 0;
  coodie::similarity_cosine_of<&Doc::embedding> score;
  coodie::similarity_euclidean_of<&Doc::embedding> closeness;
};

/// A vector column with no index.
struct Unindexed {
  std::int32_t id = 0;
  std::array<float, 3> embedding{};
};

/// A vector index with the default similarity function.
struct Cosine {
  std::int32_t id = 0;
  std::array<float, 2> v{};
};

}  // namespace orm_view_vector_test

namespace vt = orm_view_vector_test;

template <>
inline constexpr auto coodie::model<vt::Product> = coodie::table("products")
                                                       .keyspace("shop")
                                                       .partition_key<&vt::Product::sku>()
                                                       .type<&vt::Product::codes>(coodie::cql::set)
                                                       .frozen<&vt::Product::tags>();
template <>
inline constexpr auto coodie::model<vt::ProductByCategory> =
    coodie::view<vt::Product>("products_by_category")
        .partition_key<&vt::ProductByCategory::category>()
        .clustering_key<&vt::ProductByCategory::sku>(coodie::desc)
        .comment("by category");
template <>
inline constexpr auto coodie::model<vt::Doc> =
    coodie::table("docs")
        .keyspace("shop")
        .partition_key<&vt::Doc::owner>()
        .clustering_key<&vt::Doc::id>()
        .sai_index<&vt::Doc::topic>()
        .index<&vt::Doc::title>()
        .vector_index<&vt::Doc::embedding>(coodie::similarity::dot_product);
template <>
inline constexpr auto coodie::model<vt::Unindexed> =
    coodie::table("unindexed").keyspace("shop").partition_key<&vt::Unindexed::id>();
template <>
inline constexpr auto coodie::model<vt::Cosine> = coodie::table("cosine")
                                                      .keyspace("shop")
                                                      .partition_key<&vt::Cosine::id>()
                                                      .vector_index<&vt::Cosine::v>();

namespace {

namespace d = coodie::orm::detail;
using coodie::col;
using coodie::column_kind;
using coodie::difference_kind;
using coodie::existing_table;
using coodie::index_schema;
using coodie::option_value;
using coodie::order;
using coodie::sync_plan;
using coodie::system_column_row;
using coodie::system_index_row;
using coodie::table_option;
using coodie::table_schema;
using coodie::usage_error;
using coodie::wire::simple_type;
using coodie::wire::type_id;
using vt::Doc;
using vt::Hit;
using vt::ProductByCategory;
using string_map = std::map<std::string, std::string>;

// ---------------------------------------------------------------------------------------------
// DDL of a view, by hand-built schemas.

/// A view "by_category" over "products": ((category), sku DESC), a regular column, an option.
table_schema by_category() {
  table_schema v;
  v.model = "ByCategory";
  v.name = "by_category";
  v.view_of = "products";
  v.columns = {
      coodie::test::column("category", simple_type(type_id::varchar), "text",
                           column_kind::partition_key, 0),
      coodie::test::column("sku", simple_type(type_id::varchar), "text", column_kind::clustering, 0,
                           order::desc),
      coodie::test::column("price", simple_type(type_id::double_), "double"),
  };
  v.options = {{"comment", "'by category'"}};
  return v;
}

const std::string create_by_category =
    "CREATE MATERIALIZED VIEW IF NOT EXISTS shop.by_category AS SELECT category, sku, price FROM "
    "shop.products WHERE category IS NOT NULL AND sku IS NOT NULL PRIMARY KEY (category, sku) "
    "WITH CLUSTERING ORDER BY (sku DESC) AND comment = 'by category'";

TEST(OrmViewDdl, CreateViewSelectsItsColumnsFromTheBaseWithTheKeyNotNull) {
  EXPECT_EQ(coodie::ddl::create_view(by_category(), "shop"), create_by_category);
  // create_table of a view's schema is the same statement.
  EXPECT_EQ(coodie::ddl::create_table(by_category(), "shop"), create_by_category);
}

TEST(OrmViewDdl, CreateViewWithACompositePartitionKeyAndNoOption) {
  table_schema v = by_category();
  v.options.clear();
  v.columns[2].kind = column_kind::partition_key;  // price joins the partition key, second
  v.columns[2].position = 1;
  v.keyspace = "catalog";  // the view's keyspace is its base's too
  EXPECT_EQ(coodie::ddl::create_view(v, "shop"),
            "CREATE MATERIALIZED VIEW IF NOT EXISTS catalog.by_category AS SELECT category, sku, "
            "price FROM catalog.products WHERE category IS NOT NULL AND price IS NOT NULL AND sku "
            "IS NOT NULL PRIMARY KEY ((category, price), sku) WITH CLUSTERING ORDER BY (sku DESC)");
}

TEST(OrmViewDdl, CreateViewOfATableIsAUsageError) {
  table_schema t = by_category();
  t.view_of.clear();
  EXPECT_THROW((void)coodie::ddl::create_view(t, "shop"), usage_error);
  table_schema bad = by_category();
  bad.view_of = "products; DROP TABLE x";
  EXPECT_THROW((void)coodie::ddl::create_view(bad, "shop"), usage_error);
}

TEST(OrmViewDdl, DropAlterAndTruncateOfAView) {
  table_schema v = by_category();
  EXPECT_EQ(coodie::ddl::drop_table(v, "shop"),
            "DROP MATERIALIZED VIEW IF EXISTS shop.by_category");
  const std::vector<table_option> opts = {{"comment", "'x'"}, {"gc_grace_seconds", "3600"}};
  EXPECT_EQ(coodie::ddl::alter_options(v, opts, "shop"),
            "ALTER MATERIALIZED VIEW shop.by_category WITH comment = 'x' AND gc_grace_seconds = "
            "3600");
  EXPECT_THROW((void)coodie::ddl::alter_options(v, {}, "shop"), usage_error);
  try {
    (void)coodie::ddl::truncate(v, "shop");
    FAIL() << "expected usage_error";
  } catch (const usage_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("materialized view"), std::string::npos) << what;
    EXPECT_NE(what.find("products"), std::string::npos) << what;
  }
  // The same schema as a table: the table statements.
  v.view_of.clear();
  EXPECT_EQ(coodie::ddl::drop_table(v, "shop"), "DROP TABLE IF EXISTS shop.by_category");
  EXPECT_EQ(coodie::ddl::alter_options(v, opts, "shop"),
            "ALTER TABLE shop.by_category WITH comment = 'x' AND gc_grace_seconds = 3600");
  EXPECT_EQ(coodie::ddl::truncate(v, "shop"), "TRUNCATE TABLE shop.by_category");
}

// ---------------------------------------------------------------------------------------------
// Vector indexes: DDL and comparison.

table_schema docs() {
  table_schema t;
  t.model = "Doc";
  t.name = "docs";
  t.columns = {
      coodie::test::column("id", simple_type(type_id::int_), "int", column_kind::partition_key, 0),
      coodie::test::column("v", coodie::wire::vector_of(simple_type(type_id::float_), 3),
                           "vector<float, 3>")};
  t.indexes = {{"docs_v_idx", "v", "StorageAttachedIndex", {{"similarity_function", "COSINE"}}}};
  return t;
}

std::vector<system_column_row> docs_columns() {
  return {{"id", "none", "partition_key", 0, "int"},
          {"v", "none", "regular", -1, "vector<float, 3>"}};
}

existing_table live_docs(const std::string& function) {
  std::vector<system_index_row> idx = {
      {"docs_v_idx",
       "CUSTOM",
       {{"class_name", "org.apache.cassandra.index.sai.StorageAttachedIndex"},
        {"similarity_function", function},
        {"target", "v"}}}};
  return coodie::make_existing_table("shop", "docs", docs_columns(), idx, {});
}

TEST(OrmVectorDdl, CreateIndexRendersTheSimilarityOption) {
  table_schema t = docs();
  EXPECT_EQ(coodie::ddl::create_index(t, t.indexes[0], "shop"),
            "CREATE CUSTOM INDEX IF NOT EXISTS docs_v_idx ON shop.docs (v) USING "
            "'StorageAttachedIndex' WITH OPTIONS = {'similarity_function': 'COSINE'}");
  // Several options, in name order, quoted as literals.
  index_schema i = t.indexes[0];
  i.options = {{"similarity_function", "DOT_PRODUCT"}, {"source_model", "it's"}};
  EXPECT_EQ(coodie::ddl::create_index(t, i, "shop"),
            "CREATE CUSTOM INDEX IF NOT EXISTS docs_v_idx ON shop.docs (v) USING "
            "'StorageAttachedIndex' WITH OPTIONS = {'similarity_function': 'DOT_PRODUCT', "
            "'source_model': 'it''s'}");
  // Without options: no WITH OPTIONS.
  i.options.clear();
  EXPECT_EQ(coodie::ddl::create_index(t, i, "shop"),
            "CREATE CUSTOM INDEX IF NOT EXISTS docs_v_idx ON shop.docs (v) USING "
            "'StorageAttachedIndex'");
}

TEST(OrmVectorDiff, ExistingTableReadsIndexOptionsButNotClassAndTarget) {
  existing_table e = live_docs("cosine");
  ASSERT_EQ(e.schema.indexes.size(), 1u);
  EXPECT_EQ(e.schema.indexes[0].name, "docs_v_idx");
  EXPECT_EQ(e.schema.indexes[0].column, "v");
  EXPECT_EQ(e.schema.indexes[0].custom_class,
            "org.apache.cassandra.index.sai.StorageAttachedIndex");
  EXPECT_EQ(e.schema.indexes[0].options, (string_map{{"similarity_function", "cosine"}}));
  // A native index has no options.
  std::vector<system_index_row> native = {
      {"docs_id_idx", "COMPOSITES", {{"target", "id"}, {"other", "x"}}}};
  existing_table n = coodie::make_existing_table("shop", "docs", docs_columns(), native, {});
  ASSERT_EQ(n.schema.indexes.size(), 1u);
  EXPECT_TRUE(n.schema.indexes[0].options.empty());
}

TEST(OrmVectorDiff, SimilarityFunctionsCompareWithoutCase) {
  sync_plan same = coodie::plan_table_sync(docs(), "shop", live_docs("cosine"));
  EXPECT_TRUE(same.statements.empty()) << same.statements.front();
  EXPECT_TRUE(same.differences.empty()) << same.differences.front().message;
  sync_plan upper = coodie::plan_table_sync(docs(), "shop", live_docs("COSINE"));
  EXPECT_TRUE(upper.differences.empty()) << upper.differences.front().message;
}

TEST(OrmVectorDiff, AnotherSimilarityFunctionIsAChangedIndex) {
  table_schema t = docs();
  t.indexes[0].options = {{"similarity_function", "DOT_PRODUCT"}};
  sync_plan p = coodie::plan_table_sync(t, "shop", live_docs("COSINE"));
  EXPECT_TRUE(p.statements.empty()) << p.statements.front();
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0].kind, difference_kind::index_changed);
  EXPECT_EQ(p.differences[0].column, "docs_v_idx");
  const std::string& m = p.differences[0].message;
  EXPECT_NE(m.find("DOT_PRODUCT"), std::string::npos) << m;
  EXPECT_NE(m.find("COSINE"), std::string::npos) << m;
  // A live index lacking the option (the server's default, cosine) differs from DOT_PRODUCT.
  std::vector<system_index_row> bare = {
      {"docs_v_idx", "CUSTOM", {{"class_name", "StorageAttachedIndex"}, {"target", "v"}}}};
  existing_table e = coodie::make_existing_table("shop", "docs", docs_columns(), bare, {});
  p = coodie::plan_table_sync(t, "shop", e);
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0].kind, difference_kind::index_changed);
  // ... but a live index without the option has the server's default, cosine: the same.
  p = coodie::plan_table_sync(docs(), "shop", e);
  EXPECT_TRUE(p.differences.empty()) << p.differences.front().message;
  EXPECT_TRUE(p.statements.empty()) << p.statements.front();
}

TEST(OrmVectorDiff, AMissingVectorIndexIsCreatedWithItsOptions) {
  existing_table e = coodie::make_existing_table("shop", "docs", docs_columns(), {}, {});
  sync_plan p = coodie::plan_table_sync(docs(), "shop", e);
  EXPECT_TRUE(p.differences.empty());
  EXPECT_EQ(p.statements,
            (std::vector<std::string>{
                "CREATE CUSTOM INDEX IF NOT EXISTS docs_v_idx ON shop.docs (v) USING "
                "'StorageAttachedIndex' WITH OPTIONS = {'similarity_function': 'COSINE'}"}));
}

// ---------------------------------------------------------------------------------------------
// The sync plan of a view.

std::vector<system_column_row> by_category_columns() {
  return {{"category", "none", "partition_key", 0, "text"},
          {"sku", "desc", "clustering", 0, "text"},
          {"price", "none", "regular", -1, "double"}};
}

/// The live object by_category: a view over `view_of`, or a table when it is empty.
existing_table live_by_category(std::vector<system_column_row> columns, const std::string& comment,
                                const std::string& view_of = "products") {
  std::map<std::string, option_value> opts = {{"comment", comment}, {"gc_grace_seconds", 864000.0}};
  existing_table e =
      coodie::make_existing_table("shop", "by_category", columns, {}, std::move(opts));
  e.schema.view_of = view_of;
  return e;
}

TEST(OrmViewSync, AMissingViewIsCreated) {
  sync_plan p = coodie::plan_table_sync(by_category(), "shop", std::nullopt);
  EXPECT_TRUE(p.creates_table);
  EXPECT_TRUE(p.differences.empty());
  EXPECT_EQ(p.statements, (std::vector<std::string>{create_by_category}));
}

TEST(OrmViewSync, AnUnchangedViewPlansNothing) {
  sync_plan p = coodie::plan_table_sync(by_category(), "shop",
                                        live_by_category(by_category_columns(), "by category"));
  EXPECT_FALSE(p.creates_table);
  EXPECT_TRUE(p.statements.empty()) << p.statements.front();
  EXPECT_TRUE(p.differences.empty()) << p.differences.front().message;
}

TEST(OrmViewSync, AColumnTheLiveViewLacksIsReportedNotAdded) {
  std::vector<system_column_row> cols = by_category_columns();
  cols.pop_back();  // no price
  sync_plan p = coodie::plan_table_sync(by_category(), "shop",
                                        live_by_category(std::move(cols), "by category"));
  EXPECT_TRUE(p.statements.empty()) << p.statements.front();
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0].kind, difference_kind::column_not_in_view);
  EXPECT_EQ(p.differences[0].table, "shop.by_category");
  EXPECT_EQ(p.differences[0].column, "price");
  EXPECT_NE(p.differences[0].message.find("price"), std::string::npos) << p.differences[0].message;
  EXPECT_EQ(coodie::to_string(difference_kind::column_not_in_view), "column_not_in_view");

  // The same schema as a table: ALTER TABLE ADD.
  table_schema t = by_category();
  t.view_of.clear();
  cols = by_category_columns();
  cols.pop_back();
  p = coodie::plan_table_sync(t, "shop", live_by_category(std::move(cols), "by category", ""));
  EXPECT_TRUE(p.differences.empty());
  EXPECT_EQ(p.statements,
            (std::vector<std::string>{"ALTER TABLE shop.by_category ADD price double"}));
}

TEST(OrmViewSync, ATableAndAViewOfOneNameAreNeverAlteredAsEachOther) {
  auto refused = [](const table_schema& model, const existing_table& live, const char* says) {
    try {
      (void)coodie::plan_table_sync(model, "shop", live);
      ADD_FAILURE() << "planned a sync of " << model.name << " over the other kind of object";
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  };
  table_schema t = by_category();
  t.view_of.clear();
  refused(t, live_by_category(by_category_columns(), "by category"),
          "is a materialized view on the server, but the model declares a table");
  refused(by_category(), live_by_category(by_category_columns(), "by category", ""),
          "is a table on the server, but the model declares a materialized view");
  refused(by_category(), live_by_category(by_category_columns(), "by category", "orders"),
          "is over orders, but the model declares it over products");
}

TEST(OrmViewSync, AChangedOptionIsAlteredOnTheView) {
  sync_plan p = coodie::plan_table_sync(by_category(), "shop",
                                        live_by_category(by_category_columns(), "old"));
  EXPECT_TRUE(p.differences.empty()) << p.differences.front().message;
  EXPECT_EQ(p.statements,
            (std::vector<std::string>{"ALTER MATERIALIZED VIEW shop.by_category WITH comment = "
                                      "'by category'"}));
}

// ---------------------------------------------------------------------------------------------
// Models.

TEST(OrmViewModel, AViewLivesInItsBasesKeyspaceWithItsBasesColumnTypes) {
  static_assert(coodie::model_info<ProductByCategory>::is_view);
  static_assert(!coodie::model_info<vt::Product>::is_view);
  const table_schema& v = coodie::schema_of<ProductByCategory>();
  EXPECT_EQ(v.model, "ProductByCategory");
  EXPECT_EQ(v.name, "products_by_category");
  EXPECT_EQ(v.view_of, "products");
  EXPECT_EQ(v.keyspace, "shop");
  EXPECT_TRUE(coodie::schema_of<vt::Product>().view_of.empty());
  ASSERT_EQ(v.columns.size(), 7u);
  auto pk = v.partition_key();
  ASSERT_EQ(pk.size(), 1u);
  EXPECT_EQ(pk[0]->name, "category");
  auto ck = v.clustering_key();
  ASSERT_EQ(ck.size(), 1u);
  EXPECT_EQ(ck[0]->name, "sku");
  EXPECT_EQ(ck[0]->clustering_order, order::desc);
  // The view's members declare no type choice: each column takes its base column's type.
  const table_schema& base = coodie::schema_of<vt::Product>();
  for (const char* c : {"category", "sku", "name", "price", "codes", "tags", "stock"}) {
    ASSERT_NE(v.find(c), nullptr) << c;
    EXPECT_EQ(v.find(c)->cql_type, base.find(c)->cql_type) << c;
    EXPECT_EQ(v.find(c)->type, base.find(c)->type) << c;
  }
  EXPECT_EQ(v.find("codes")->cql_type, "set<text>");
  EXPECT_EQ(v.find("tags")->cql_type, "frozen<set<text>>");
  EXPECT_EQ(v.find("stock")->cql_type, "int");
  EXPECT_TRUE(v.indexes.empty());
  EXPECT_EQ(v.options, (std::vector<table_option>{{"comment", "'by category'"}}));
}

TEST(OrmViewModel, AViewModelsCreateStatement) {
  EXPECT_EQ(coodie::ddl::create_view(coodie::schema_of<ProductByCategory>(), "other"),
            "CREATE MATERIALIZED VIEW IF NOT EXISTS shop.products_by_category AS SELECT category, "
            "sku, name, price, codes, tags, stock FROM shop.products WHERE category IS NOT NULL "
            "AND sku IS NOT NULL PRIMARY KEY (category, sku) WITH CLUSTERING ORDER BY (sku DESC) "
            "AND comment = 'by category'");
  EXPECT_EQ(coodie::ddl::drop_table(coodie::schema_of<ProductByCategory>(), "other"),
            "DROP MATERIALIZED VIEW IF EXISTS shop.products_by_category");
  EXPECT_THROW((void)coodie::ddl::truncate(coodie::schema_of<ProductByCategory>(), "other"),
               usage_error);
}

TEST(OrmViewModel, AViewIsReadLikeAnyModel) {
  d::query_state q;
  coodie::filter<ProductByCategory> f = col<&ProductByCategory::category> == "tools";
  q.spec.where.push_back(f.term);
  q.where_values.append(f.value);
  d::orm_request rq =
      d::select_request<ProductByCategory, ProductByCategory>(q, {"other", nullptr});
  EXPECT_EQ(rq.cql("other"),
            "SELECT category, sku, name, price, codes, tags, stock FROM shop.products_by_category "
            "WHERE category = ?");
  EXPECT_EQ(rq.values.size(), 1u);
}

TEST(OrmVectorModel, AVectorIndexCarriesItsSimilarityFunction) {
  const table_schema& t = coodie::schema_of<Doc>();
  EXPECT_EQ(t.find("embedding")->cql_type, "vector<float, 3>");
  ASSERT_EQ(t.indexes.size(), 3u);
  EXPECT_EQ(t.indexes[2].name, "docs_embedding_idx");
  EXPECT_EQ(t.indexes[2].column, "embedding");
  EXPECT_EQ(t.indexes[2].custom_class, "StorageAttachedIndex");
  EXPECT_EQ(t.indexes[2].options, (string_map{{"similarity_function", "DOT_PRODUCT"}}));
  EXPECT_TRUE(t.indexes[0].options.empty());  // the SAI index on topic
  EXPECT_TRUE(t.indexes[1].options.empty());  // the plain index on title
  EXPECT_EQ(coodie::ddl::create_index(t, t.indexes[2], "other"),
            "CREATE CUSTOM INDEX IF NOT EXISTS docs_embedding_idx ON shop.docs (embedding) USING "
            "'StorageAttachedIndex' WITH OPTIONS = {'similarity_function': 'DOT_PRODUCT'}");
  // Without a function: COSINE.
  const table_schema& c = coodie::schema_of<vt::Cosine>();
  ASSERT_EQ(c.indexes.size(), 1u);
  EXPECT_EQ(c.indexes[0].options, (string_map{{"similarity_function", "COSINE"}}));
}

// ---------------------------------------------------------------------------------------------
// order_by_ann queries.

using vec3 = std::array<float, 3>;
const vec3 query_vector = {0.25F, -1.5F, 3.0F};

void expect_values(const coodie::value_list& got, const coodie::value_list& want) {
  coodie::wire::bound_values g = got.view();
  coodie::wire::bound_values w = want.view();
  EXPECT_EQ(g.count, w.count);
  EXPECT_TRUE(std::equal(g.data.begin(), g.data.end(), w.data.begin(), w.data.end()))
      << "the bound values differ in their bytes";
}

/// An ANN query on Doc by query_vector, as order_by_ann leaves it, with a limit of 5.
d::query_state ann_query() {
  d::query_state q;
  q.spec.ann_of = "embedding";
  q.ann_vector.add_as(query_vector, coodie::schema_of<Doc>().find("embedding")->type);
  q.limit = 5;
  return q;
}

template <class F>
void restrict(d::query_state& q, F f) {
  q.spec.where.push_back(f.term);
  q.where_values.append(f.value);
}

/// The refusal of q, checking that select_request refuses it the same way.
std::string refusal(const d::query_state& q, const d::query_site& at = {"shop", nullptr}) {
  std::string why = d::ann_refusal(coodie::schema_of<Doc>(), q, at.live_indexes.get());
  if (!why.empty()) {
    try {
      (void)d::select_request<Doc, Doc>(q, at);
      ADD_FAILURE() << "select_request did not refuse: " << why;
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  }
  return why;
}

TEST(OrmVectorQuery, AnnSelectBindsEachSimilarityThenWhereThenTheVectorThenLimits) {
  d::query_state q = ann_query();
  restrict(q, col<&Doc::owner> == "ann");
  restrict(q, col<&Doc::topic> == "cql");
  q.per_partition_limit = 2;
  d::orm_request rq = d::select_request<Doc, Hit>(q, {"other", nullptr});
  EXPECT_EQ(rq.cql("other"),
            "SELECT id, similarity_cosine(embedding, ?), similarity_euclidean(embedding, ?) FROM "
            "shop.docs WHERE owner = ? AND topic = ? ORDER BY embedding ANN OF ? PER PARTITION "
            "LIMIT ? LIMIT ?");
  const coodie::wire::data_type& vec = coodie::schema_of<Doc>().find("embedding")->type;
  const coodie::wire::data_type text = simple_type(type_id::varchar);
  const coodie::wire::data_type int32 = simple_type(type_id::int_);
  coodie::value_list want;
  want.add_as(query_vector, vec);  // similarity_cosine
  want.add_as(query_vector, vec);  // similarity_euclidean
  want.add_as(std::string("ann"), text);
  want.add_as(std::string("cql"), text);
  want.add_as(query_vector, vec);  // ANN OF
  want.add_as(std::int32_t{2}, int32);
  want.add_as(std::int32_t{5}, int32);
  EXPECT_EQ(rq.values.size(), 7u);
  expect_values(rq.values, want);
  EXPECT_TRUE(rq.options.idempotent);
}

TEST(OrmVectorQuery, AnnSelectOfWholeRows) {
  d::query_state q = ann_query();
  d::orm_request rq = d::select_request<Doc, Doc>(q, {"other", nullptr});
  EXPECT_EQ(rq.cql("other"),
            "SELECT owner, id, topic, title, body, embedding FROM shop.docs ORDER BY embedding ANN "
            "OF ? LIMIT ?");
  coodie::value_list want;
  want.add_as(query_vector, coodie::schema_of<Doc>().find("embedding")->type);
  want.add_as(std::int32_t{5}, simple_type(type_id::int_));
  expect_values(rq.values, want);
}

TEST(OrmVectorQuery, ASimilarityWithoutAnAnnVectorIsRefused) {
  d::query_state q;
  restrict(q, col<&Doc::owner> == "ann");
  EXPECT_THROW((d::select_request<Doc, Hit>(q, {"shop", nullptr})), usage_error);
}

TEST(OrmVectorQuery, AnAcceptedAnnQueryHasNoRefusal) {
  d::query_state q = ann_query();
  EXPECT_EQ(refusal(q), "");
  q.limit = 1;
  EXPECT_EQ(refusal(q), "");
  q.limit = 1000;
  EXPECT_EQ(refusal(q), "");
  restrict(q, col<&Doc::owner> == "ann");  // partition key
  restrict(q, col<&Doc::topic> == "cql");  // SAI index
  restrict(q, col<&Doc::title> == "x");    // declared plain index: may be SAI on the server
  EXPECT_EQ(refusal(q), "");
}

TEST(OrmVectorQuery, AnAnnQueryNeedsALimitFromOneToAThousand) {
  d::query_state q = ann_query();
  q.limit.reset();
  EXPECT_NE(refusal(q), "");
  for (std::int32_t bad : {0, -1, 1001}) {
    q.limit = bad;
    EXPECT_NE(refusal(q), "") << bad;
  }
}

TEST(OrmVectorQuery, AnAnnQueryTakesNoOtherOrderingGroupOrCount) {
  d::query_state q = ann_query();
  q.spec.order_by.emplace_back("id", order::asc);
  EXPECT_NE(refusal(q), "");
  q = ann_query();
  q.spec.group_by = {"owner"};
  EXPECT_NE(refusal(q), "");
  q = ann_query();
  q.spec.count = true;
  EXPECT_NE(refusal(q), "");
}

TEST(OrmVectorQuery, AnAnnQueryNeedsAnIndexOnTheVectorColumn) {
  d::query_state q;
  q.spec.ann_of = "embedding";
  q.ann_vector.add_as(query_vector, coodie::schema_of<vt::Unindexed>().find("embedding")->type);
  q.limit = 5;
  std::string why = d::ann_refusal(coodie::schema_of<vt::Unindexed>(), q, nullptr);
  EXPECT_NE(why, "");
  EXPECT_NE(why.find("embedding"), std::string::npos) << why;
  EXPECT_THROW((d::select_request<vt::Unindexed, vt::Unindexed>(q, {"shop", nullptr})),
               usage_error);
}

TEST(OrmVectorQuery, AnAnnQueryRestrictsPartitionKeyOrIndexedColumnsOnly) {
  d::query_state q = ann_query();
  restrict(q, col<&Doc::id> == 3);  // a clustering column, not indexed
  EXPECT_NE(refusal(q), "");
  EXPECT_NE(refusal(q).find("id"), std::string::npos) << refusal(q);
  q = ann_query();
  restrict(q, col<&Doc::body> == "x");  // a regular column, not indexed
  EXPECT_NE(refusal(q).find("body"), std::string::npos) << refusal(q);
  q = ann_query();
  restrict(q, coodie::token<Doc>() > std::int64_t{0});  // a token range
  EXPECT_NE(refusal(q), "");
}

TEST(OrmVectorQuery, LiveNativeIndexesDoNotServeAnAnnQuery) {
  const table_schema& t = coodie::schema_of<Doc>();
  // As the server described them: topic SAI, title native, embedding SAI.
  auto live = std::make_shared<const std::vector<index_schema>>(std::vector<index_schema>{
      {"docs_topic_idx", "topic", "sai"},
      {"docs_title_idx", "title", ""},
      {"docs_embedding_idx", "embedding", "sai", {{"similarity_function", "dot_product"}}}});
  const d::query_site at{"shop", live};
  d::query_state q = ann_query();
  restrict(q, col<&Doc::topic> == "cql");
  EXPECT_EQ(refusal(q, at), "");
  restrict(q, col<&Doc::title> == "x");
  EXPECT_NE(refusal(q, at).find("title"), std::string::npos) << refusal(q, at);
  // A live native index on the vector column is no vector index.
  auto native = std::make_shared<const std::vector<index_schema>>(
      std::vector<index_schema>{{"docs_embedding_idx", "embedding", ""}});
  EXPECT_NE(d::ann_refusal(t, ann_query(), native.get()), "");
  // No live index at all.
  auto none = std::make_shared<const std::vector<index_schema>>();
  EXPECT_NE(d::ann_refusal(t, ann_query(), none.get()), "");
}

TEST(OrmVectorQuery, FirstAndPageOfAnAnnQuery) {
  d::query_state q = ann_query();
  restrict(q, col<&Doc::owner> == "ann");
  auto first = d::first_plan<Doc, Doc>(q, {"shop", nullptr});
  EXPECT_EQ(first.request.cql("shop"),
            "SELECT owner, id, topic, title, body, embedding FROM shop.docs WHERE owner = ? ORDER "
            "BY embedding ANN OF ? LIMIT ?");
  coodie::value_list want;
  want.add_as(std::string("ann"), simple_type(type_id::varchar));
  want.add_as(query_vector, coodie::schema_of<Doc>().find("embedding")->type);
  want.add_as(std::int32_t{1}, simple_type(type_id::int_));
  expect_values(first.request.values, want);
  // count() and aggregates read no rows in ANN order: refused.
  EXPECT_THROW(d::count_plan<Doc>(q, {"shop", nullptr}), usage_error);
  q.fetch_size = 3;
  auto page = d::page_plan<Doc, Doc>(q, {"shop", nullptr}, std::nullopt);
  EXPECT_EQ(page.request.options.page_size, 3);
  EXPECT_EQ(page.request.values.size(), 3u);
}

TEST(OrmVectorQuery, ABulkDeleteOfAnAnnQueryReadsTheNearestKeysFirst) {
  d::query_state q = ann_query();
  restrict(q, col<&Doc::owner> == "ann");
  d::bulk_plan b = d::bulk_remove_plan<Doc>(q, {"shop", nullptr}, {});
  EXPECT_FALSE(b.direct);
  EXPECT_EQ(b.keys.cql("shop"),
            "SELECT owner, id FROM shop.docs WHERE owner = ? ORDER BY embedding ANN OF ? LIMIT ?");
  coodie::value_list want;
  want.add_as(std::string("ann"), simple_type(type_id::varchar));
  want.add_as(query_vector, coodie::schema_of<Doc>().find("embedding")->type);
  want.add_as(std::int32_t{5}, simple_type(type_id::int_));
  expect_values(b.keys.values, want);
  EXPECT_EQ(b.write.cql("shop"), "DELETE FROM shop.docs WHERE owner = ? AND id = ?");
}

TEST(OrmVectorQuery, ABulkWriteOfAnAnnQueryWithoutALimitIsRefusedLikeItsSelect) {
  // Without a limit the ANN query is refused; a bulk delete restricting the whole partition
  // key must not turn into a DELETE of the whole partition that ignores the ANN ordering.
  d::query_state q = ann_query();
  q.limit.reset();
  restrict(q, col<&Doc::owner> == "ann");
  EXPECT_THROW((d::select_request<Doc, Doc>(q, {"shop", nullptr})), usage_error);
  EXPECT_THROW(d::bulk_remove_plan<Doc>(q, {"shop", nullptr}, {}), usage_error);
  restrict(q, col<&Doc::id> == 3);
  EXPECT_THROW(
      d::bulk_update_plan<Doc>(q, {"shop", nullptr}, {coodie::assign<&Doc::title>("x")}, {}),
      usage_error);
}

// ---------------------------------------------------------------------------------------------
// order_by_ann through a query (a lazy session, never connected: cql() sends nothing).

TEST(OrmVectorQuery, OrderByAnnOfAQuery) {
  coodie::session_options o;
  o.keyspace = "other";
  coodie::sync::session s = coodie::sync::connect_lazily(o);
  auto q = s.find<Doc>()
               .where(col<&Doc::owner> == "ann")
               .order_by_ann(col<&Doc::embedding>, query_vector)
               .limit(10);
  EXPECT_EQ(q.cql(),
            "SELECT owner, id, topic, title, body, embedding FROM shop.docs WHERE owner = ? ORDER "
            "BY embedding ANN OF ? LIMIT ?");
  EXPECT_EQ(q.only<Hit>().cql(),
            "SELECT id, similarity_cosine(embedding, ?), similarity_euclidean(embedding, ?) FROM "
            "shop.docs WHERE owner = ? ORDER BY embedding ANN OF ? LIMIT ?");
  // A vector of run-time size: the column's dimension, or codec_error.
  const std::vector<float> three = {0.25F, -1.5F, 3.0F};
  EXPECT_EQ(s.find<Doc>()
                .where(col<&Doc::owner> == "ann")
                .order_by_ann(col<&Doc::embedding>, std::span<const float>(three))
                .limit(10)
                .cql(),
            q.cql());
  const std::vector<float> four = {1, 2, 3, 4};
  EXPECT_THROW((void)s.find<Doc>().order_by_ann(col<&Doc::embedding>, std::span<const float>(four)),
               coodie::codec_error);
  const std::vector<float> empty;
  EXPECT_THROW(
      (void)s.find<Doc>().order_by_ann(col<&Doc::embedding>, std::span<const float>(empty)),
      coodie::codec_error);
  // Without a limit: refused before sending.
  EXPECT_THROW((void)s.find<Doc>().order_by_ann(col<&Doc::embedding>, query_vector).cql(),
               usage_error);
}

}  // namespace
