// Schema sync against the local Cassandra: create, re-sync, add columns and indexes, options,
// reported differences, dry runs, and the keyspace/table operations.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "coodie/orm/schema.hpp"
#include "schema_columns.hpp"
#include "support.hpp"

namespace coodie::test {
namespace {

COODIE_KEYSPACE_SUITE(OrmSchema, "orm_schema");

using wire::simple_type;
using wire::type_id;

/// ((tenant, day), at DESC, seq ASC) with a static column and collection columns.
table_schema events(std::string name) {
  table_schema t;
  t.model = "Event";
  t.name = std::move(name);
  t.columns = {
      column("tenant", simple_type(type_id::varchar), "text", column_kind::partition_key, 0),
      column("day", simple_type(type_id::int_), "int", column_kind::partition_key, 1),
      column("at", simple_type(type_id::timestamp), "timestamp", column_kind::clustering, 0,
             order::desc),
      column("seq", simple_type(type_id::int_), "int", column_kind::clustering, 1, order::asc),
      column("owner", simple_type(type_id::varchar), "text", column_kind::static_column),
      column("payload", simple_type(type_id::varchar), "text"),
      column("tags",
             wire::map_of(simple_type(type_id::varchar), wire::set_of(simple_type(type_id::int_))),
             "map<text, frozen<set<int>>>"),
      column("scores", wire::list_of(simple_type(type_id::int_)), "frozen<list<int>>"),
      column("embedding", wire::vector_of(simple_type(type_id::float_), 3), "vector<float, 3>"),
  };
  return t;
}

/// (id) with a couple of regular columns.
table_schema people(std::string name) {
  table_schema t;
  t.model = "Person";
  t.name = std::move(name);
  t.columns = {column("id", simple_type(type_id::int_), "int", column_kind::partition_key, 0),
               column("email", simple_type(type_id::varchar), "text"),
               column("score", simple_type(type_id::int_), "int")};
  return t;
}

sync_result do_sync(const table_schema& t, sync_options o = {}) {
  return run_coro(async_sync_table(OrmSchema::db(), t, OrmSchema::ks(), o));
}

std::optional<existing_table> read(const std::string& table) {
  return run_coro(async_read_table(OrmSchema::db(), OrmSchema::ks(), table));
}

std::string qualified(const std::string& table) {
  return OrmSchema::ks() + "." + table;
}

/// The id of the one row an index query finds (sync returns once its indexes are built, so the
/// query answers at once), or -1.
int query_index(const statement& st) {
  result r = OrmSchema::db().execute(st);
  return r.size() == 1 ? r.front().get<std::int32_t>(0) : -1;
}

TEST_F(OrmSchema, CreatesACompositeKeyTableVisibleInSystemSchema) {
  table_schema t = events("events");
  t.indexes = {{"events_payload_idx", "payload", ""}};
  sync_result r = do_sync(t);
  EXPECT_TRUE(r.created);
  EXPECT_TRUE(r.applied);
  EXPECT_TRUE(r.differences.empty());
  ASSERT_EQ(r.statements.size(), 2u);
  EXPECT_EQ(r.statements[0], ddl::create_table(t, ks()));

  result rows = db().execute(statement(
      "SELECT column_name, kind, position, clustering_order, type FROM system_schema.columns "
      "WHERE keyspace_name = ? AND table_name = ?",
      ks(), std::string("events")));
  std::map<std::string, std::tuple<std::string, int, std::string, std::string>> seen;
  for (auto& [name, kind, pos, ord, type] :
       rows.as<std::string, std::string, std::int32_t, std::string, std::string>()) {
    seen[name] = {kind, pos, ord, type};
  }
  using entry = std::tuple<std::string, int, std::string, std::string>;
  EXPECT_EQ(seen.size(), 9u);
  EXPECT_EQ(seen["tenant"], (entry{"partition_key", 0, "none", "text"}));
  EXPECT_EQ(seen["day"], (entry{"partition_key", 1, "none", "int"}));
  EXPECT_EQ(seen["at"], (entry{"clustering", 0, "desc", "timestamp"}));
  EXPECT_EQ(seen["seq"], (entry{"clustering", 1, "asc", "int"}));
  EXPECT_EQ(seen["owner"], (entry{"static", -1, "none", "text"}));
  EXPECT_EQ(seen["tags"], (entry{"regular", -1, "none", "map<text, frozen<set<int>>>"}));
  EXPECT_EQ(seen["scores"], (entry{"regular", -1, "none", "frozen<list<int>>"}));
  EXPECT_EQ(seen["embedding"], (entry{"regular", -1, "none", "vector<float, 3>"}));

  std::optional<existing_table> live = read("events");
  ASSERT_TRUE(live);
  ASSERT_EQ(live->schema.indexes.size(), 1u);
  EXPECT_EQ(live->schema.indexes[0].name, "events_payload_idx");
  EXPECT_EQ(live->schema.indexes[0].column, "payload");

  sync_result again = do_sync(t);  // the second plan is empty
  EXPECT_FALSE(again.created);
  EXPECT_FALSE(again.applied);
  EXPECT_TRUE(again.statements.empty()) << again.statements.front();
  EXPECT_TRUE(again.differences.empty()) << again.differences.front().message;
}

TEST_F(OrmSchema, ReadingAMissingTableGivesNothing) {
  EXPECT_FALSE(read("no_such_table"));
}

// --8<-- [start:added-column]
TEST_F(OrmSchema, AddedColumnIsAddedAndOldRowsReadItAsNull) {
  table_schema t = people("people_add");
  do_sync(t);
  db().execute(statement("INSERT INTO " + qualified("people_add") + " (id, email) VALUES (?, ?)", 1,
                         std::string("a@x")));
  t.columns.push_back(column("nickname", simple_type(type_id::varchar), "text"));
  t.columns.push_back(column("history", wire::list_of(simple_type(type_id::int_)), "list<int>"));
  sync_result r = do_sync(t);
  EXPECT_FALSE(r.created);
  EXPECT_TRUE(r.applied);
  EXPECT_EQ(r.statements,
            (std::vector<std::string>{
                "ALTER TABLE " + qualified("people_add") + " ADD nickname text",
                "ALTER TABLE " + qualified("people_add") + " ADD history list<int>"}));
  result row = db().execute(statement(
      "SELECT email, nickname, history FROM " + qualified("people_add") + " WHERE id = ?", 1));
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(row.front().get<std::string>(0), "a@x");
  EXPECT_TRUE(row.front().is_null(1));
  EXPECT_TRUE(row.front().is_null(2));
  EXPECT_TRUE(do_sync(t).statements.empty());
}
// --8<-- [end:added-column]

TEST_F(OrmSchema, AddedIndexesAreCreatedAndQueryable) {
  table_schema t = people("people_idx");
  do_sync(t);
  for (int i = 0; i < 5; ++i) {
    db().execute(
        statement("INSERT INTO " + qualified("people_idx") + " (id, email, score) VALUES (?, ?, ?)",
                  i, "p" + std::to_string(i) + "@x", i * 10));
  }
  t.indexes = {{"people_by_email", "email", ""}, {"score_sai", "score", "StorageAttachedIndex"}};
  sync_result r = do_sync(t);
  EXPECT_EQ(
      r.statements,
      (std::vector<std::string>{
          "CREATE INDEX IF NOT EXISTS people_by_email ON " + qualified("people_idx") + " (email)",
          "CREATE CUSTOM INDEX IF NOT EXISTS score_sai ON " + qualified("people_idx") +
              " (score) USING 'StorageAttachedIndex'"}));

  result idx = db().execute(statement(
      "SELECT index_name FROM system_schema.indexes WHERE keyspace_name = ? AND table_name = ?",
      ks(), std::string("people_idx")));
  std::vector<std::string> names;
  for (auto& [n] : idx.as<std::string>()) {
    names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"people_by_email", "score_sai"}));

  EXPECT_EQ(query_index(statement("SELECT id FROM " + qualified("people_idx") + " WHERE email = ?",
                                  std::string("p3@x"))),
            3);
  EXPECT_EQ(
      query_index(statement("SELECT id FROM " + qualified("people_idx") + " WHERE score = ?", 40)),
      4);

  EXPECT_TRUE(do_sync(t).statements.empty());
}

TEST_F(OrmSchema, IndexesNotInTheModelAreReportedOrDropped) {
  table_schema t = people("people_drop_idx");
  t.indexes = {{"pdi_email", "email", ""}};
  do_sync(t);
  t.indexes.clear();
  sync_result r = do_sync(t);
  EXPECT_TRUE(r.statements.empty());
  ASSERT_EQ(r.differences.size(), 1u);
  EXPECT_EQ(r.differences[0].kind, difference_kind::index_not_in_model);

  sync_options drop;
  drop.drop_removed_indexes = true;
  r = do_sync(t, drop);
  EXPECT_EQ(r.statements,
            (std::vector<std::string>{"DROP INDEX IF EXISTS " + ks() + ".pdi_email"}));
  std::optional<existing_table> live = read("people_drop_idx");
  ASSERT_TRUE(live);
  EXPECT_TRUE(live->schema.indexes.empty());
}

// --8<-- [start:type-change]
TEST_F(OrmSchema, TypeChangeIsReportedAndNotApplied) {
  table_schema t = people("people_type");
  do_sync(t);
  t.columns[2].cql_type = "text";
  t.columns[2].type = simple_type(type_id::varchar);
  sync_result r = do_sync(t);
  EXPECT_FALSE(r.applied);
  EXPECT_TRUE(r.statements.empty());
  ASSERT_EQ(r.differences.size(), 1u);
  EXPECT_EQ(r.differences[0].kind, difference_kind::type_changed);
  EXPECT_EQ(r.differences[0].column, "score");
  EXPECT_EQ(r.differences[0].message,
            "column " + qualified("people_type") +
                ".score: the model's type is text but the live table's is int; coodie does not "
                "change a column's type");
  std::optional<existing_table> live = read("people_type");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->schema.find("score")->cql_type, "int");
}
// --8<-- [end:type-change]

TEST_F(OrmSchema, KeyChangeAndDroppedColumnAreReported) {
  table_schema t = events("events_key");
  do_sync(t);
  t.columns[2].clustering_order = order::asc;
  t.columns.pop_back();  // embedding
  sync_result r = do_sync(t);
  EXPECT_TRUE(r.statements.empty());
  ASSERT_EQ(r.differences.size(), 2u);
  EXPECT_EQ(r.differences[0].kind, difference_kind::key_changed);
  EXPECT_EQ(r.differences[0].column, "at");
  EXPECT_EQ(r.differences[1].kind, difference_kind::column_not_in_model);
  EXPECT_EQ(r.differences[1].column, "embedding");
}

TEST_F(OrmSchema, ChangedOptionsAreAltered) {
  table_schema t = people("people_opts");
  t.options = {{"default_time_to_live", "300"}};
  do_sync(t);
  t.options = {{"default_time_to_live", "300"},
               {"gc_grace_seconds", "3600"},
               {"comment", "'people''s table'"},
               {"compaction", "{'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': 80}"},
               {"caching", "{'keys': 'ALL', 'rows_per_partition': 'NONE'}"},
               {"speculative_retry", "'95PERCENTILE'"},
               {"compression", "{'class': 'LZ4Compressor', 'enabled': true}"}};
  sync_result r = do_sync(t);
  EXPECT_TRUE(r.applied);
  EXPECT_EQ(r.statements,
            (std::vector<std::string>{
                "ALTER TABLE " + qualified("people_opts") +
                " WITH gc_grace_seconds = 3600 AND comment = 'people''s table' AND compaction = "
                "{'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': 80} AND "
                "speculative_retry = '95PERCENTILE'"}));
  std::optional<existing_table> live = read("people_opts");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->options.at("gc_grace_seconds"), option_value(3600.0));
  EXPECT_EQ(live->options.at("comment"), option_value(std::string("people's table")));
  const auto& compaction =
      std::get<std::map<std::string, std::string>>(live->options.at("compaction"));
  EXPECT_EQ(compaction.at("class"), "org.apache.cassandra.db.compaction.LeveledCompactionStrategy");
  EXPECT_EQ(do_sync(t).statements, std::vector<std::string>{});  // stored values equal the model's
}

TEST_F(OrmSchema, DryRunChangesNothing) {
  table_schema t = people("people_dry");
  t.indexes = {{"people_dry_email", "email", ""}};
  sync_options dry;
  dry.dry_run = true;
  sync_result r = do_sync(t, dry);
  EXPECT_TRUE(r.created);
  EXPECT_FALSE(r.applied);
  EXPECT_EQ(r.statements, (std::vector<std::string>{ddl::create_table(t, ks()),
                                                    ddl::create_index(t, t.indexes[0], ks())}));
  EXPECT_FALSE(read("people_dry"));

  do_sync(t);
  t.columns.push_back(column("extra", simple_type(type_id::bigint), "bigint"));
  t.options = {{"comment", "'dry'"}};
  r = do_sync(t, dry);
  EXPECT_FALSE(r.created);
  EXPECT_FALSE(r.applied);
  EXPECT_EQ(r.statements, (std::vector<std::string>{
                              "ALTER TABLE " + qualified("people_dry") + " ADD extra bigint",
                              "ALTER TABLE " + qualified("people_dry") + " WITH comment = 'dry'"}));
  std::optional<existing_table> live = read("people_dry");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->schema.find("extra"), nullptr);
  EXPECT_EQ(live->options.at("comment"), option_value(std::string("")));
}

TEST_F(OrmSchema, ConcurrentSyncsOfOneModelBothSucceed) {
  table_schema t = people("people_race");
  t.indexes = {{"people_race_email", "email", ""}};
  for (int round = 0; round < 2; ++round) {  // first both create, then both add a column
    if (round == 1) {
      t.columns.push_back(column("added", simple_type(type_id::bigint), "bigint"));
    }
    boost::asio::io_context ctx;
    auto first =
        boost::asio::co_spawn(ctx, async_sync_table(db(), t, ks(), {}), boost::asio::use_future);
    auto second =
        boost::asio::co_spawn(ctx, async_sync_table(db(), t, ks(), {}), boost::asio::use_future);
    ctx.run();
    sync_result a = first.get();
    sync_result b = second.get();
    EXPECT_TRUE(a.differences.empty());
    EXPECT_TRUE(b.differences.empty());
    if (round == 1) {  // the loser's ALTER failed, it re-read, and nothing was left to do
      EXPECT_EQ(a.statements.size() + b.statements.size(), 1u);
    }
    EXPECT_TRUE(do_sync(t).statements.empty());
  }
  std::optional<existing_table> live = read("people_race");
  ASSERT_TRUE(live);
  EXPECT_NE(live->schema.find("added"), nullptr);
}

TEST_F(OrmSchema, TruncateAndDropTable) {
  table_schema t = people("people_gone");
  do_sync(t);
  db().execute(statement("INSERT INTO " + qualified("people_gone") + " (id) VALUES (1)"));
  run_coro(async_truncate(db(), t, ks()));
  EXPECT_TRUE(db().execute("SELECT id FROM " + qualified("people_gone")).empty());
  run_coro(async_drop_table(db(), t, ks()));
  EXPECT_FALSE(read("people_gone"));
  run_coro(async_drop_table(db(), t, ks()));  // IF EXISTS: dropping again is fine
}

TEST_F(OrmSchema, CreateAndDropKeyspace) {
  keyspace_options k;
  k.name = ks() + "_extra";
  run_coro(async_create_keyspace(db(), k));
  result r = db().execute(statement(
      "SELECT durable_writes, replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
      k.name));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r.front().get<bool>(0));
  using replication = std::map<std::string, std::string>;
  EXPECT_EQ(r.front().get<replication>(1).at("class"),
            "org.apache.cassandra.locator.SimpleStrategy");
  run_coro(async_create_keyspace(db(), k));  // IF NOT EXISTS
  run_coro(async_drop_keyspace(db(), k.name));
  EXPECT_TRUE(db().execute(statement("SELECT keyspace_name FROM system_schema.keyspaces WHERE "
                                     "keyspace_name = ?",
                                     k.name))
                  .empty());
}

TEST_F(OrmSchema, SchemaAgreementOnOneNodeIsImmediate) {
  auto start = std::chrono::steady_clock::now();
  run_coro(async_wait_schema_agreement(db(), std::chrono::milliseconds(2000)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
}

TEST_F(OrmSchema, KeyspaceComesFromTheModelOrTheSession) {
  table_schema t = people("people_ks");
  t.keyspace = ks();
  sync_result r = run_coro(async_sync_table(db(), t, "", {}));
  EXPECT_TRUE(r.created);
  t.keyspace.clear();
  if (db().keyspace().empty()) {
    EXPECT_THROW(run_coro(async_sync_table(db(), t, "", {})), usage_error);
  }
}

}  // namespace
}  // namespace coodie::test
