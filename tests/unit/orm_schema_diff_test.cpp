// The live table from fake system_schema rows, option comparison, and the sync plan.
#include <gtest/gtest.h>

#include "coodie/error.hpp"
#include "coodie/orm/schema.hpp"
#include "schema_columns.hpp"

namespace coodie {
namespace {

using wire::simple_type;
using wire::type_id;
using string_map = std::map<std::string, std::string>;

column_schema col(std::string name, std::string cql, column_kind kind = column_kind::regular,
                  int position = -1, order o = order::asc) {
  // The diff compares cql_type only.
  return test::column(std::move(name), simple_type(type_id::int_), std::move(cql), kind, position,
                      o);
}

/// The model: ((a, b), c ASC, d DESC), a static, two regular columns, an index, two options.
table_schema model() {
  table_schema t;
  t.model = "Event";
  t.name = "events";
  t.columns = {col("a", "int", column_kind::partition_key, 0),
               col("b", "text", column_kind::partition_key, 1),
               col("c", "int", column_kind::clustering, 0, order::asc),
               col("d", "timestamp", column_kind::clustering, 1, order::desc),
               col("s", "text", column_kind::static_column),
               col("tags", "map<text, frozen<set<int>>>"),
               col("v", "vector<float, 3>")};
  t.indexes = {{"events_s_idx", "s", ""}};
  t.options = {{"default_time_to_live", "300"},
               {"comment", "'it''s'"},
               {"compaction", "{'class': 'LeveledCompactionStrategy'}"}};
  return t;
}

/// system_schema rows for exactly model(), as Cassandra 5.0 returns them.
std::vector<system_column_row> live_columns() {
  return {{"a", "none", "partition_key", 0, "int"},
          {"b", "none", "partition_key", 1, "text"},
          {"c", "asc", "clustering", 0, "int"},
          {"d", "desc", "clustering", 1, "timestamp"},
          {"s", "none", "static", -1, "text"},
          {"tags", "none", "regular", -1, "map<text, frozen<set<int>>>"},
          {"v", "none", "regular", -1, "vector<float, 3>"}};
}

std::vector<system_index_row> live_indexes() {
  // The node's default_secondary_index is sai: a plain CREATE INDEX is stored as CUSTOM.
  return {{"events_s_idx", "CUSTOM", {{"class_name", "sai"}, {"target", "s"}}}};
}

std::map<std::string, option_value> live_options() {
  return {
      {"additional_write_policy", std::string("99p")},
      {"allow_auto_snapshot", std::monostate{}},
      {"bloom_filter_fp_chance", 0.1},
      {"caching", string_map{{"keys", "ALL"}, {"rows_per_partition", "NONE"}}},
      {"cdc", std::monostate{}},
      {"comment", std::string("it's")},
      {"compaction",
       string_map{{"class", "org.apache.cassandra.db.compaction.LeveledCompactionStrategy"},
                  {"max_threshold", "32"},
                  {"min_threshold", "4"}}},
      {"compression", string_map{{"chunk_length_in_kb", "16"},
                                 {"class", "org.apache.cassandra.io.compress.LZ4Compressor"}}},
      {"crc_check_chance", 1.0},
      {"default_time_to_live", 300.0},
      {"gc_grace_seconds", 864000.0},
      {"memtable", std::monostate{}},
      {"read_repair", std::string("BLOCKING")},
      {"speculative_retry", std::string("99p")},
  };
}

existing_table live() {
  return make_existing_table("ks", "events", live_columns(), live_indexes(), live_options());
}

const std::string create_events =
    "CREATE TABLE IF NOT EXISTS ks.events (a int, b text, c int, d timestamp, s text STATIC, "
    "tags map<text, frozen<set<int>>>, v vector<float, 3>, PRIMARY KEY ((a, b), c, d)) WITH "
    "CLUSTERING ORDER BY (c ASC, d DESC) AND default_time_to_live = 300 AND comment = 'it''s' "
    "AND compaction = {'class': 'LeveledCompactionStrategy'}";

TEST(SchemaDiff, MissingTableIsCreatedWithItsIndexes) {
  table_schema t = model();
  t.indexes.push_back({"events_v_sai", "v", "StorageAttachedIndex"});
  sync_plan p = plan_table_sync(t, "ks", std::nullopt);
  EXPECT_TRUE(p.creates_table);
  EXPECT_TRUE(p.differences.empty());
  EXPECT_EQ(p.statements,
            (std::vector<std::string>{
                create_events, "CREATE INDEX IF NOT EXISTS events_s_idx ON ks.events (s)",
                "CREATE CUSTOM INDEX IF NOT EXISTS events_v_sai ON ks.events (v) USING "
                "'StorageAttachedIndex'"}));
}

TEST(SchemaDiff, DryRunOfAMissingTablePlansOnlyTheCreate) {
  // No ALTER ADD for the columns of a table that does not exist (the Python library's defect).
  sync_options dry;
  dry.dry_run = true;
  sync_plan p = plan_table_sync(model(), "ks", std::nullopt, dry);
  ASSERT_EQ(p.statements.size(), 2u);
  EXPECT_EQ(p.statements[0], create_events);
  EXPECT_EQ(p.statements[1], "CREATE INDEX IF NOT EXISTS events_s_idx ON ks.events (s)");
}

TEST(SchemaDiff, UnchangedTablePlansNothing) {
  sync_plan p = plan_table_sync(model(), "ks", live());
  EXPECT_FALSE(p.creates_table);
  EXPECT_TRUE(p.statements.empty()) << p.statements.front();
  EXPECT_TRUE(p.differences.empty()) << p.differences.front().message;
}

TEST(SchemaDiff, TypeSpellingDifferencesAreNotChanges) {
  table_schema t = model();
  t.columns[1].cql_type = "VARCHAR";
  t.columns[5].cql_type = "map<varchar,frozen<set<int>>>";
  t.columns[6].cql_type = "vector<float,3>";
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_TRUE(p.differences.empty()) << p.differences.front().message;
}

TEST(SchemaDiff, MissingColumnsAreAdded) {
  table_schema t = model();
  t.columns.push_back(col("price", "bigint"));
  t.columns.push_back(col("note", "text", column_kind::static_column));
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_EQ(p.statements, (std::vector<std::string>{"ALTER TABLE ks.events ADD price bigint",
                                                    "ALTER TABLE ks.events ADD note text STATIC"}));
  EXPECT_TRUE(p.differences.empty());
}

TEST(SchemaDiff, MissingIndexesAreCreated) {
  table_schema t = model();
  t.indexes.push_back({"events_tags_idx", "keys(tags)", ""});
  t.indexes.push_back({"events_v_sai", "v", "sai"});
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_EQ(p.statements,
            (std::vector<std::string>{
                "CREATE INDEX IF NOT EXISTS events_tags_idx ON ks.events (keys(tags))",
                "CREATE CUSTOM INDEX IF NOT EXISTS events_v_sai ON ks.events (v) USING 'sai'"}));
}

TEST(SchemaDiff, IndexClassesCompareByMeaning) {
  table_schema t = model();
  t.indexes[0].custom_class = "StorageAttachedIndex";  // live: CUSTOM 'sai'
  EXPECT_TRUE(plan_table_sync(t, "ks", live()).statements.empty());
  std::vector<system_index_row> rows = {
      {"events_s_idx",
       "CUSTOM",
       {{"class_name", "org.apache.cassandra.index.sai.StorageAttachedIndex"}, {"target", "s"}}}};
  existing_table e = make_existing_table("ks", "events", live_columns(), rows, live_options());
  sync_plan p = plan_table_sync(t, "ks", e);
  EXPECT_TRUE(p.statements.empty());
  EXPECT_TRUE(p.differences.empty());
}

TEST(SchemaDiff, ChangedScalarAndMapOptionsAreAlteredTogether) {
  table_schema t = model();
  t.options.push_back({"gc_grace_seconds", "3600"});
  t.options[2].cql_literal = "{'class': 'SizeTieredCompactionStrategy', 'min_threshold': 4}";
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_EQ(
      p.statements,
      (std::vector<std::string>{
          "ALTER TABLE ks.events WITH compaction = {'class': "
          "'SizeTieredCompactionStrategy', 'min_threshold': 4} AND gc_grace_seconds = 3600"}));
  EXPECT_TRUE(p.differences.empty());
}

TEST(SchemaDiff, ChangedMapEntryIsAltered) {
  table_schema t = model();
  t.options = {{"caching", "{'keys': 'ALL', 'rows_per_partition': 10}"}};
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_EQ(p.statements,
            (std::vector<std::string>{"ALTER TABLE ks.events WITH caching = {'keys': 'ALL', "
                                      "'rows_per_partition': 10}"}));
}

TEST(SchemaDiff, OptionsMatchingServerDefaultsAreUnchanged) {
  table_schema t = model();
  t.options = {
      {"default_time_to_live", "300"},
      {"gc_grace_seconds", "864000.0"},
      {"bloom_filter_fp_chance", "0.1"},
      {"comment", "$$it's$$"},
      {"compaction", "{'class': 'LeveledCompactionStrategy', 'max_threshold': '32'}"},
      {"compression", "{'class': 'LZ4Compressor', 'enabled': true, 'chunk_length_in_kb': 16}"},
      {"caching", "{'keys': 'all'}"},
      {"speculative_retry", "'99PERCENTILE'"},
      {"additional_write_policy", "'99p'"},
      {"read_repair", "'blocking'"},
      {"cdc", "false"},
      {"allow_auto_snapshot", "true"},
      {"memtable", "'default'"},
      {"crc_check_chance", "1"},
  };
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_TRUE(p.statements.empty()) << p.statements.front();
}

TEST(SchemaDiff, NullOptionDiffersFromANonDefaultValue) {
  table_schema t = model();
  t.options = {{"cdc", "true"}, {"allow_auto_snapshot", "false"}};
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_EQ(p.statements,
            (std::vector<std::string>{
                "ALTER TABLE ks.events WITH cdc = true AND allow_auto_snapshot = false"}));
}

TEST(SchemaDiff, UnparsableOptionLiteralIsAUsageError) {
  table_schema t = model();
  t.options = {{"comment", "'unterminated"}};
  EXPECT_THROW(plan_table_sync(t, "ks", live()), usage_error);
}

TEST(SchemaDiff, UnnamedIndexIsAUsageError) {
  table_schema t = model();
  t.indexes[0].name.clear();
  EXPECT_THROW(plan_table_sync(t, "ks", live()), usage_error);
  EXPECT_THROW(plan_table_sync(t, "ks", std::nullopt), usage_error);
}

TEST(SchemaDiff, TypeChangeIsReportedNotApplied) {
  table_schema t = model();
  t.columns[4].cql_type = "int";  // s is text on the server
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_TRUE(p.statements.empty());
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0],
            (schema_difference{difference_kind::type_changed, "ks.events", "s",
                               "column ks.events.s: the model's type is int but the live "
                               "table's is text; coodie does not change a column's type"}));
}

TEST(SchemaDiff, ClusteringOrderChangeIsAKeyChange) {
  table_schema t = model();
  t.columns[3].clustering_order = order::asc;
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_TRUE(p.statements.empty());
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0],
            (schema_difference{difference_kind::key_changed, "ks.events", "d",
                               "table ks.events: the primary key differs at column d: model "
                               "Event has PRIMARY KEY ((a, b), c ASC, d ASC) but the live table "
                               "has PRIMARY KEY ((a, b), c ASC, d DESC); coodie does not change "
                               "a primary key"}));
}

TEST(SchemaDiff, KeyColumnChangesAreKeyChanges) {
  {  // a new clustering column: reported, not added
    table_schema t = model();
    t.columns.push_back(col("e", "int", column_kind::clustering, 2));
    sync_plan p = plan_table_sync(t, "ks", live());
    EXPECT_TRUE(p.statements.empty()) << p.statements.front();
    ASSERT_EQ(p.differences.size(), 1u);
    EXPECT_EQ(p.differences[0].kind, difference_kind::key_changed);
    EXPECT_EQ(p.differences[0].column, "e");
  }
  {  // partition key columns swapped
    table_schema t = model();
    t.columns[0].position = 1;
    t.columns[1].position = 0;
    sync_plan p = plan_table_sync(t, "ks", live());
    ASSERT_EQ(p.differences.size(), 1u);
    EXPECT_EQ(p.differences[0].kind, difference_kind::key_changed);
    EXPECT_EQ(p.differences[0].column, "b");
  }
  {  // a clustering column made regular
    table_schema t = model();
    t.columns[3].kind = column_kind::regular;
    t.columns[3].position = -1;
    sync_plan p = plan_table_sync(t, "ks", live());
    ASSERT_EQ(p.differences.size(), 1u);
    EXPECT_EQ(p.differences[0].kind, difference_kind::key_changed);
    EXPECT_EQ(p.differences[0].column, "d");
  }
}

TEST(SchemaDiff, LiveColumnMissingFromTheModelIsReported) {
  table_schema t = model();
  t.columns.pop_back();  // v
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_TRUE(p.statements.empty());
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0],
            (schema_difference{difference_kind::column_not_in_model, "ks.events", "v",
                               "column ks.events.v (vector<float, 3>) exists in the live table "
                               "but not in model Event; coodie does not drop columns"}));
}

TEST(SchemaDiff, StaticChangeIsReported) {
  table_schema t = model();
  t.columns[4].kind = column_kind::regular;
  sync_plan p = plan_table_sync(t, "ks", live());
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0].kind, difference_kind::static_changed);
  EXPECT_EQ(p.differences[0].column, "s");
}

TEST(SchemaDiff, LiveIndexMissingFromTheModelIsReportedOrDropped) {
  table_schema t = model();
  t.indexes.clear();
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_TRUE(p.statements.empty());
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0].kind, difference_kind::index_not_in_model);
  EXPECT_EQ(p.differences[0].column, "events_s_idx");

  sync_options drop;
  drop.drop_removed_indexes = true;
  p = plan_table_sync(t, "ks", live(), drop);
  EXPECT_TRUE(p.differences.empty());
  EXPECT_EQ(p.statements, (std::vector<std::string>{"DROP INDEX IF EXISTS ks.events_s_idx"}));
}

TEST(SchemaDiff, IndexUnderAnotherNameIsReportedOrReplaced) {
  table_schema t = model();
  t.indexes[0].name = "events_s_renamed";
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_TRUE(p.statements.empty());
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0],
            (schema_difference{difference_kind::index_name_differs, "ks.events", "events_s_renamed",
                               "index events_s_renamed of model Event exists on ks.events (s) as "
                               "events_s_idx; sync with drop_removed_indexes to replace it"}));

  sync_options drop;
  drop.drop_removed_indexes = true;
  p = plan_table_sync(t, "ks", live(), drop);
  EXPECT_TRUE(p.differences.empty());
  EXPECT_EQ(p.statements, (std::vector<std::string>{
                              "DROP INDEX IF EXISTS ks.events_s_idx",
                              "CREATE INDEX IF NOT EXISTS events_s_renamed ON ks.events (s)"}));
}

TEST(SchemaDiff, IndexWithAnotherTargetOrClassIsReported) {
  table_schema t = model();
  t.indexes[0].column = "tags";
  sync_plan p = plan_table_sync(t, "ks", live());
  EXPECT_TRUE(p.statements.empty());
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0].kind, difference_kind::index_changed);
  EXPECT_EQ(p.differences[0].message,
            "index events_s_idx of ks.events: model Event has it on tags using the default index "
            "class but the live index is on s using sai; coodie does not rebuild indexes");

  std::vector<system_index_row> native = {{"events_s_idx", "COMPOSITES", {{"target", "s"}}}};
  existing_table e = make_existing_table("ks", "events", live_columns(), native, live_options());
  t = model();
  t.indexes[0].custom_class = "StorageAttachedIndex";
  p = plan_table_sync(t, "ks", e);
  ASSERT_EQ(p.differences.size(), 1u);
  EXPECT_EQ(p.differences[0].kind, difference_kind::index_changed);
}

TEST(SchemaDiff, EverythingAtOnceInPlanOrder) {
  table_schema t = model();
  t.columns.push_back(col("price", "bigint"));
  t.indexes.push_back({"events_price_idx", "price", ""});
  t.options.push_back({"gc_grace_seconds", "60"});
  std::vector<system_index_row> idx = live_indexes();
  idx.push_back({"old_idx", "COMPOSITES", {{"target", "values(tags)"}}});
  existing_table e = make_existing_table("ks", "events", live_columns(), idx, live_options());
  sync_options drop;
  drop.drop_removed_indexes = true;
  sync_plan p = plan_table_sync(t, "ks", e, drop);
  EXPECT_EQ(p.statements,
            (std::vector<std::string>{
                "ALTER TABLE ks.events ADD price bigint", "DROP INDEX IF EXISTS ks.old_idx",
                "CREATE INDEX IF NOT EXISTS events_price_idx ON ks.events (price)",
                "ALTER TABLE ks.events WITH gc_grace_seconds = 60"}));
}

TEST(SchemaDiff, ExistingTableFromSystemSchemaRows) {
  std::vector<system_index_row> idx = {
      {"i1", "CUSTOM", {{"class_name", "sai"}, {"target", "values(m)"}}},
      {"i2", "CUSTOM", {{"class_name", "StorageAttachedIndex"}, {"target", "keys(\"Cap\")"}}},
      {"i3", "CUSTOM", {{"class_name", "sai"}, {"target", "\"Mixed\""}}},
      {"i4", "COMPOSITES", {{"target", "full(f)"}}},
  };
  std::map<std::string, option_value> opts = {{"comment", std::string("x'y")},
                                              {"cdc", std::monostate{}},
                                              {"default_time_to_live", 0.0},
                                              {"caching", string_map{{"keys", "ALL"}}}};
  existing_table e = make_existing_table("ks", "events", live_columns(), idx, opts);
  EXPECT_EQ(e.schema.keyspace, "ks");
  EXPECT_EQ(e.schema.name, "events");
  ASSERT_EQ(e.schema.columns.size(), 7u);
  EXPECT_EQ(e.schema.columns[3].kind, column_kind::clustering);
  EXPECT_EQ(e.schema.columns[3].position, 1);
  EXPECT_EQ(e.schema.columns[3].clustering_order, order::desc);
  EXPECT_EQ(e.schema.columns[4].kind, column_kind::static_column);
  EXPECT_EQ(e.schema.columns[4].position, -1);
  EXPECT_EQ(e.schema.columns[5].cql_type, "map<text, frozen<set<int>>>");
  EXPECT_EQ(e.schema.partition_key().size(), 2u);
  EXPECT_EQ(e.schema.indexes,
            (std::vector<index_schema>{{"i1", "m", "sai"},
                                       {"i2", "keys(Cap)", "StorageAttachedIndex"},
                                       {"i3", "Mixed", "sai"},
                                       {"i4", "full(f)", ""}}));
  EXPECT_EQ(e.schema.options, (std::vector<table_option>{{"caching", "{'keys': 'ALL'}"},
                                                         {"comment", "'x''y'"},
                                                         {"default_time_to_live", "0"}}));
  EXPECT_EQ(e.options.size(), 4u);
}

TEST(SchemaDiff, ExistingTableRejectsUnknownKinds) {
  std::vector<system_column_row> cols = {{"a", "none", "partition_key", 0, "int"},
                                         {"b", "none", "weird", -1, "int"}};
  EXPECT_THROW(make_existing_table("ks", "t", cols, {}, {}), schema_error);
  cols[1] = {"b", "sideways", "clustering", 0, "int"};
  EXPECT_THROW(make_existing_table("ks", "t", cols, {}, {}), schema_error);
}

TEST(SchemaDiff, DifferenceKindNames) {
  EXPECT_EQ(to_string(difference_kind::type_changed), "type_changed");
  EXPECT_EQ(to_string(difference_kind::index_name_differs), "index_name_differs");
}

TEST(SchemaDiffOptions, ParsesCqlLiterals) {
  EXPECT_EQ(parse_option_literal("300"), option_value(300.0));
  EXPECT_EQ(parse_option_literal(" -1.5e2 "), option_value(-150.0));
  EXPECT_EQ(parse_option_literal("'it''s'"), option_value(std::string("it's")));
  EXPECT_EQ(parse_option_literal("$$a'b$$"), option_value(std::string("a'b")));
  EXPECT_EQ(parse_option_literal("TRUE"), option_value(true));
  EXPECT_EQ(parse_option_literal("{}"), option_value(string_map{}));
  EXPECT_EQ(parse_option_literal("{'class' : 'X', 'n': 32, 'on': false, 'f': 0.5}"),
            option_value(string_map{{"class", "X"}, {"n", "32"}, {"on", "false"}, {"f", "0.5"}}));
  EXPECT_FALSE(parse_option_literal(""));
  EXPECT_FALSE(parse_option_literal("'open"));
  EXPECT_FALSE(parse_option_literal("{'a': }"));
  EXPECT_FALSE(parse_option_literal("{'a': 1"));
  EXPECT_FALSE(parse_option_literal("12abc"));
  EXPECT_FALSE(parse_option_literal("'a' 'b'"));
}

TEST(SchemaDiffOptions, RendersCqlLiterals) {
  EXPECT_EQ(to_cql_literal(option_value(300.0)), "300");
  EXPECT_EQ(to_cql_literal(option_value(0.01)), "0.01");
  EXPECT_EQ(to_cql_literal(option_value(true)), "true");
  EXPECT_EQ(to_cql_literal(option_value(std::string("x'y"))), "'x''y'");
  EXPECT_EQ(to_cql_literal(option_value(std::monostate{})), "null");
  EXPECT_EQ(to_cql_literal(option_value(string_map{{"a", "1"}, {"b", "c"}})),
            "{'a': '1', 'b': 'c'}");
  for (const char* lit : {"300", "0.01", "'x''y'", "{'a': '1', 'b': 'c'}", "false"}) {
    EXPECT_EQ(to_cql_literal(*parse_option_literal(lit)), lit);
  }
}

TEST(SchemaDiffOptions, MatchesByMeaning) {
  EXPECT_TRUE(option_matches("default_time_to_live", 300.0, 300.0));
  EXPECT_FALSE(option_matches("default_time_to_live", 300.0, 301.0));
  EXPECT_TRUE(option_matches("x", 32.0, std::string("32")));
  EXPECT_TRUE(option_matches("x", std::string("32"), 32.0));
  EXPECT_TRUE(option_matches("comment", std::string("a"), std::string("a")));
  EXPECT_FALSE(option_matches("comment", std::string("a"), std::string("A")));
  EXPECT_TRUE(option_matches("speculative_retry", std::string("MIN(99PERCENTILE,50MS)"),
                             std::string("MIN(99p,50ms)")));
  EXPECT_FALSE(option_matches("speculative_retry", std::string("95p"), std::string("99p")));
  EXPECT_TRUE(option_matches("incremental_backups", true, std::monostate{}));
  EXPECT_FALSE(option_matches("incremental_backups", false, std::monostate{}));
  EXPECT_FALSE(option_matches("comment", std::string(""), std::monostate{}));
  EXPECT_TRUE(option_matches(
      "compaction", string_map{{"class", "UnifiedCompactionStrategy"}},
      string_map{{"class", "org.apache.cassandra.db.compaction.UnifiedCompactionStrategy"}}));
  EXPECT_FALSE(option_matches(
      "compaction", string_map{{"class", "LeveledCompactionStrategy"}},
      string_map{{"class", "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"}}));
  EXPECT_FALSE(option_matches("compaction", string_map{{"sstable_size_in_mb", "160"}},
                              string_map{{"class", "LeveledCompactionStrategy"}}));
  EXPECT_FALSE(option_matches("caching", string_map{{"keys", "ALL"}}, std::string("ALL")));
}

}  // namespace
}  // namespace coodie
