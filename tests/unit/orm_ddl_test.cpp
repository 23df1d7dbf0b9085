// The DDL builders, as exact strings.
#include <gtest/gtest.h>

#include "coodie/error.hpp"
#include "coodie/orm/schema.hpp"
#include "schema_columns.hpp"

namespace coodie {
namespace {

using wire::simple_type;
using wire::type_id;

using test::column;

/// ((a, b), c ASC, d DESC) with a static and a collection column.
table_schema events() {
  table_schema t;
  t.model = "Event";
  t.name = "events";
  t.columns = {
      column("a", simple_type(type_id::int_), "int", column_kind::partition_key, 0),
      column("b", simple_type(type_id::varchar), "text", column_kind::partition_key, 1),
      column("c", simple_type(type_id::int_), "int", column_kind::clustering, 0, order::asc),
      column("d", simple_type(type_id::timestamp), "timestamp", column_kind::clustering, 1,
             order::desc),
      column("name", simple_type(type_id::varchar), "text", column_kind::static_column),
      column("tags",
             wire::map_of(simple_type(type_id::varchar), wire::set_of(simple_type(type_id::int_))),
             "map<text, frozen<set<int>>>"),
  };
  t.options = {{"default_time_to_live", "300"}, {"comment", "'x'"}};
  return t;
}

table_schema simple_table() {
  table_schema t;
  t.model = "Item";
  t.name = "items";
  t.columns = {column("id", simple_type(type_id::uuid), "uuid", column_kind::partition_key, 0),
               column("name", simple_type(type_id::varchar), "text")};
  return t;
}

TEST(Ddl, CreateKeyspaceSimpleStrategy) {
  keyspace_options k;
  k.name = "shop";
  EXPECT_EQ(ddl::create_keyspace(k),
            "CREATE KEYSPACE IF NOT EXISTS shop WITH replication = {'class': 'SimpleStrategy', "
            "'replication_factor': 1} AND durable_writes = true");
  k.replication_factor = 3;
  k.durable_writes = false;
  EXPECT_EQ(ddl::create_keyspace(k),
            "CREATE KEYSPACE IF NOT EXISTS shop WITH replication = {'class': 'SimpleStrategy', "
            "'replication_factor': 3} AND durable_writes = false");
}

TEST(Ddl, CreateKeyspaceNetworkTopologyListsEveryDatacenter) {
  keyspace_options k;
  k.name = "Shop";
  k.strategy = keyspace_options::strategy::network_topology;
  k.datacenters = {{"dc1", 3}, {"eu'west", 2}};
  EXPECT_EQ(ddl::create_keyspace(k),
            "CREATE KEYSPACE IF NOT EXISTS \"Shop\" WITH replication = {'class': "
            "'NetworkTopologyStrategy', 'dc1': 3, 'eu''west': 2} AND durable_writes = true");
}

TEST(Ddl, CreateKeyspaceRejectsBadInput) {
  keyspace_options k;
  k.name = "shop";
  k.replication_factor = 0;
  EXPECT_THROW(ddl::create_keyspace(k), usage_error);
  k.replication_factor = 1;
  k.strategy = keyspace_options::strategy::network_topology;
  EXPECT_THROW(ddl::create_keyspace(k), usage_error);  // no datacenter
  k.datacenters = {{"dc1", 0}};
  EXPECT_THROW(ddl::create_keyspace(k), usage_error);
  k.datacenters = {{"dc1", 1}, {"dc1", 2}};
  EXPECT_THROW(ddl::create_keyspace(k), usage_error);
  k.datacenters = {{"dc1", 1}};
  k.name = "my-shop";
  EXPECT_THROW(ddl::create_keyspace(k), usage_error);
  k.name = "";
  EXPECT_THROW(ddl::create_keyspace(k), usage_error);
}

TEST(Ddl, DropKeyspace) {
  EXPECT_EQ(ddl::drop_keyspace("shop"), "DROP KEYSPACE IF EXISTS shop");
  EXPECT_THROW(ddl::drop_keyspace("a b"), usage_error);
}

TEST(Ddl, CreateTableWithCompositeKeyMixedOrderStaticAndOptions) {
  EXPECT_EQ(ddl::create_table(events(), "ks"),
            "CREATE TABLE IF NOT EXISTS ks.events (a int, b text, c int, d timestamp, "
            "name text STATIC, tags map<text, frozen<set<int>>>, PRIMARY KEY ((a, b), c, d)) "
            "WITH CLUSTERING ORDER BY (c ASC, d DESC) AND default_time_to_live = 300 AND "
            "comment = 'x'");
}

TEST(Ddl, CreateTableWithOnePartitionKeyColumn) {
  EXPECT_EQ(ddl::create_table(simple_table(), "shop"),
            "CREATE TABLE IF NOT EXISTS shop.items (id uuid, name text, PRIMARY KEY (id))");
  table_schema t = simple_table();
  t.columns.push_back(
      column("at", simple_type(type_id::timestamp), "timestamp", column_kind::clustering, 0));
  t.options = {{"compaction", "{'class': 'LeveledCompactionStrategy'}"}};
  EXPECT_EQ(ddl::create_table(t, "shop"),
            "CREATE TABLE IF NOT EXISTS shop.items (id uuid, name text, at timestamp, "
            "PRIMARY KEY (id, at)) WITH CLUSTERING ORDER BY (at ASC) AND compaction = "
            "{'class': 'LeveledCompactionStrategy'}");
}

TEST(Ddl, KeyColumnsFollowTheirPositionsNotTheMemberOrder) {
  table_schema t = events();
  std::swap(t.columns[0], t.columns[1]);  // b declared before a
  std::swap(t.columns[2], t.columns[3]);
  t.options.clear();
  EXPECT_EQ(ddl::create_table(t, "ks"),
            "CREATE TABLE IF NOT EXISTS ks.events (b text, a int, d timestamp, c int, "
            "name text STATIC, tags map<text, frozen<set<int>>>, PRIMARY KEY ((a, b), c, d)) "
            "WITH CLUSTERING ORDER BY (c ASC, d DESC)");
}

TEST(Ddl, QuotesIdentifiersAndFallsBackToTheModelKeyspace) {
  table_schema t;
  t.model = "User";
  t.keyspace = "Accounts";
  t.name = "Users";
  t.columns = {column("userId", simple_type(type_id::uuid), "uuid", column_kind::partition_key, 0),
               column("order", simple_type(type_id::int_), "int")};
  EXPECT_EQ(ddl::create_table(t, ""),
            "CREATE TABLE IF NOT EXISTS \"Accounts\".\"Users\" (\"userId\" uuid, \"order\" int, "
            "PRIMARY KEY (\"userId\"))");
  t.keyspace.clear();
  EXPECT_EQ(ddl::drop_table(t, ""), "DROP TABLE IF EXISTS \"Users\"");
  EXPECT_EQ(ddl::truncate(t, "other"), "TRUNCATE TABLE other.\"Users\"");
}

TEST(Ddl, CreateTableRejectsAModelWithoutPartitionKey) {
  table_schema t = simple_table();
  t.columns[0].kind = column_kind::regular;
  try {
    ddl::create_table(t, "shop");
    FAIL() << "no partition key accepted";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("model Item"), std::string::npos) << e.what();
  }
}

TEST(Ddl, CreateTableRejectsStaticWithoutClusteringKey) {
  table_schema t = simple_table();
  t.columns[1].kind = column_kind::static_column;
  try {
    ddl::create_table(t, "shop");
    FAIL() << "STATIC without clustering key accepted";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("model Item"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("STATIC"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ddl::alter_add_column(t, t.columns[1], "shop"), usage_error);
}

TEST(Ddl, CreateTableRejectsBadNamesAndOptions) {
  table_schema t = simple_table();
  t.columns.push_back(t.columns[1]);
  EXPECT_THROW(ddl::create_table(t, "shop"), usage_error);  // column twice
  t = simple_table();
  t.name = "bad-name";
  EXPECT_THROW(ddl::create_table(t, "shop"), usage_error);
  t = simple_table();
  EXPECT_THROW(ddl::create_table(t, "bad ks"), usage_error);
  t.options = {{"Comment", "'x'"}};
  EXPECT_THROW(ddl::create_table(t, "shop"), usage_error);
  t.options = {{"comment = 'x'; DROP TABLE y; --", "'x'"}};
  EXPECT_THROW(ddl::create_table(t, "shop"), usage_error);
  t.options = {{"comment", ""}};
  EXPECT_THROW(ddl::create_table(t, "shop"), usage_error);
  t = simple_table();
  t.columns[1].cql_type.clear();
  EXPECT_THROW(ddl::create_table(t, "shop"), usage_error);
}

TEST(Ddl, CreateIndexNativeAndCustom) {
  table_schema t = events();
  EXPECT_EQ(ddl::create_index(t, {"events_c_idx", "c", ""}, "ks"),
            "CREATE INDEX IF NOT EXISTS events_c_idx ON ks.events (c)");
  EXPECT_EQ(ddl::create_index(t, {"events_name_sai", "name", "StorageAttachedIndex"}, "ks"),
            "CREATE CUSTOM INDEX IF NOT EXISTS events_name_sai ON ks.events (name) USING "
            "'StorageAttachedIndex'");
  EXPECT_EQ(ddl::create_index(t, {"events_tags_sai", "tags", "sai"}, "ks"),
            "CREATE CUSTOM INDEX IF NOT EXISTS events_tags_sai ON ks.events (tags) USING 'sai'");
}

TEST(Ddl, CreateIndexOnCollectionTargets) {
  table_schema t = events();
  t.columns.push_back(
      column("Cap", wire::map_of(simple_type(type_id::varchar), simple_type(type_id::int_)),
             "map<text, int>"));
  EXPECT_EQ(ddl::create_index(t, {"i1", "keys(tags)", ""}, "ks"),
            "CREATE INDEX IF NOT EXISTS i1 ON ks.events (keys(tags))");
  EXPECT_EQ(ddl::create_index(t, {"i2", "entries(Cap)", ""}, "ks"),
            "CREATE INDEX IF NOT EXISTS i2 ON ks.events (entries(\"Cap\"))");
  EXPECT_EQ(ddl::create_index(t, {"i3", "VALUES(\"Cap\")", ""}, "ks"),
            "CREATE INDEX IF NOT EXISTS i3 ON ks.events (values(\"Cap\"))");
  EXPECT_EQ(ddl::create_index(t, {"i4", "full(tags)", "sai"}, "ks"),
            "CREATE CUSTOM INDEX IF NOT EXISTS i4 ON ks.events (full(tags)) USING 'sai'");
}

TEST(Ddl, CreateIndexRejectsAMissingNameOrColumn) {
  table_schema t = events();
  EXPECT_THROW(ddl::create_index(t, {"", "c", ""}, "ks"), usage_error);
  EXPECT_THROW(ddl::create_index(t, {"i", "nope", ""}, "ks"), usage_error);
  EXPECT_THROW(ddl::create_index(t, {"i", "size(tags)", ""}, "ks"), usage_error);
  EXPECT_THROW(ddl::create_index(t, {"bad name", "c", ""}, "ks"), usage_error);
}

TEST(Ddl, DropIndex) {
  EXPECT_EQ(ddl::drop_index("ks", "events_c_idx"), "DROP INDEX IF EXISTS ks.events_c_idx");
  EXPECT_EQ(ddl::drop_index("", "Idx"), "DROP INDEX IF EXISTS \"Idx\"");
  EXPECT_THROW(ddl::drop_index("ks", ""), usage_error);
}

TEST(Ddl, AlterAddColumn) {
  table_schema t = events();
  EXPECT_EQ(ddl::alter_add_column(t, column("price", simple_type(type_id::bigint), "bigint"), "ks"),
            "ALTER TABLE ks.events ADD price bigint");
  EXPECT_EQ(
      ddl::alter_add_column(
          t, column("Note", simple_type(type_id::varchar), "text", column_kind::static_column),
          "ks"),
      "ALTER TABLE ks.events ADD \"Note\" text STATIC");
  EXPECT_EQ(
      ddl::alter_add_column(
          t, column("v", wire::vector_of(simple_type(type_id::float_), 3), "vector<float, 3>"),
          "ks"),
      "ALTER TABLE ks.events ADD v vector<float, 3>");
  EXPECT_THROW(ddl::alter_add_column(t, t.columns[0], "ks"), usage_error);  // a key column
}

TEST(Ddl, AlterOptions) {
  table_schema t = events();
  std::vector<table_option> opts = {{"gc_grace_seconds", "3600"},
                                    {"compaction", "{'class': 'LeveledCompactionStrategy'}"}};
  EXPECT_EQ(ddl::alter_options(t, opts, "ks"),
            "ALTER TABLE ks.events WITH gc_grace_seconds = 3600 AND compaction = {'class': "
            "'LeveledCompactionStrategy'}");
  EXPECT_THROW(ddl::alter_options(t, {}, "ks"), usage_error);
}

TEST(Ddl, DropAndTruncateTable) {
  EXPECT_EQ(ddl::drop_table(events(), "ks"), "DROP TABLE IF EXISTS ks.events");
  EXPECT_EQ(ddl::truncate(events(), "ks"), "TRUNCATE TABLE ks.events");
}

}  // namespace
}  // namespace coodie
