// Models as the migration tools see them: type text parsed back, snapshots, generated files.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/coodie.hpp"
#include "coodie/error.hpp"
#include "coodie/migrate/models.hpp"
#include "coodie/migrate/schema_diff.hpp"
#include "coodie/orm/type_text.hpp"

namespace snap {

struct Point {
  double x = 0;
  double y = 0;
};
struct Place {
  std::string name;
  Point at;
  std::vector<Point> path;
};
struct Trip {
  coodie::uuid id;
  std::int32_t leg = 0;
  std::map<std::string, Place> stops;
  std::optional<std::array<float, 3>> embedding;
  std::tuple<std::int32_t, std::string> code;
};

}  // namespace snap

template <>
inline constexpr auto coodie::udt<snap::Point> = coodie::user_type("point");
template <>
inline constexpr auto coodie::udt<snap::Place> = coodie::user_type("place");
template <>
inline constexpr auto coodie::model<snap::Trip> =
    coodie::table("trips")
        .partition_key<&snap::Trip::id>()
        .clustering_key<&snap::Trip::leg>(coodie::desc)
        .index<&snap::Trip::code>()
        .option("gc_grace_seconds", 3600);

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MigrateModels, TypeTextParsesBackToTheTypeItSpells) {
  for (const char* text : {"int", "frozen<list<frozen<tuple<int, text>>>>", "map<text, bigint>",
                           "vector<float, 3>", "set<frozen<map<uuid, boolean>>>",
                           "frozen<tuple<date, time, duration, inet, varint, decimal>>"}) {
    const coodie::wire::data_type t = coodie::parse_cql_type(text, nullptr);
    const bool frozen = std::string_view(text).starts_with("frozen<");
    EXPECT_EQ(coodie::cql_type_text(t, frozen), text);
  }
  EXPECT_EQ(coodie::parse_cql_type("VARCHAR", nullptr).id, coodie::wire::type_id::varchar);
  EXPECT_THROW((void)coodie::parse_cql_type("list<int", nullptr), coodie::invalid_model);
  EXPECT_THROW((void)coodie::parse_cql_type("map<int>", nullptr), coodie::invalid_model);
  try {
    (void)coodie::parse_cql_type("frozen<address>", nullptr);
    ADD_FAILURE() << "an unknown user type was accepted";
  } catch (const coodie::invalid_model& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown type address"));
  }
}

TEST(MigrateModels, ASnapshotReadsBackToTheSameTablesAndTypes) {
  const coodie::migrate::model_set m = coodie::migrate::models<snap::Trip>();
  ASSERT_EQ(m.types.size(), 2U);
  EXPECT_EQ(m.types[0].name, "point");  // used by place: first
  const coodie::migrate::model_set back =
      coodie::migrate::from_snapshot(coodie::migrate::to_snapshot(m), "trips.json");
  ASSERT_EQ(back.tables.size(), 1U);
  EXPECT_EQ(back.types, m.types);
  const coodie::table_schema& a = m.tables[0];
  const coodie::table_schema& b = back.tables[0];
  EXPECT_EQ(b.name, a.name);
  EXPECT_EQ(b.model, a.model);
  EXPECT_EQ(b.columns, a.columns);
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    EXPECT_EQ(b.columns[i].type, a.columns[i].type) << a.columns[i].name;
  }
  EXPECT_EQ(b.indexes, a.indexes);
  EXPECT_EQ(b.options, a.options);
  EXPECT_EQ(coodie::ddl::create_table(b, "shop"), coodie::ddl::create_table(a, "shop"));
}

TEST(MigrateModels, ABadSnapshotIsNamedWithThePartAtFault) {
  auto message = [](std::string_view json) -> std::string {
    try {
      (void)coodie::migrate::from_snapshot(json, "m.json");
    } catch (const coodie::invalid_model& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_THAT(message("{"), HasSubstr("model snapshot m.json: not JSON"));
  EXPECT_THAT(message("{}"), HasSubstr("not a coodie model snapshot"));
  EXPECT_THAT(message(R"({"coodie_snapshot":1,"types":[],"tables":[{"name":"t","model":"T",)"
                      R"("keyspace":"","columns":[{"name":"a","type":"int","kind":"key",)"
                      R"("position":0,"order":"asc"}],"indexes":[],"options":[]}]})"),
              HasSubstr("table t, column a: unknown kind key"));
}

TEST(MigrateModels, AGeneratedMigrationUndoesItsChangesInReverseOrUnlessItCannot) {
  coodie::migrate::schema_diff d;
  d.changes.push_back({.object = "table t",
                       .up = "CREATE TABLE t (k int PRIMARY KEY)",
                       .down = "DROP TABLE IF EXISTS t"});
  d.changes.push_back(
      {.object = "column t.v", .up = "ALTER TABLE t ADD v text", .down = "ALTER TABLE t DROP v"});
  d.todos.push_back({.object = "ks.t.w", .note = "type_changed: w is int, the model says text"});
  const std::string text = coodie::migrate::render_migration(d, "two", "2026-12-06T00:00:00Z");
  EXPECT_THAT(text, HasSubstr("-- coodie:up\nCREATE TABLE t (k int PRIMARY KEY);\nALTER TABLE t "
                              "ADD v text;\n-- TODO"));
  EXPECT_THAT(text, HasSubstr("-- coodie:down\nALTER TABLE t DROP v;\nDROP TABLE IF EXISTS t;\n"));
  d.changes.push_back({.object = "type a",
                       .up = "ALTER TYPE a ADD z text",
                       .note = "Cassandra cannot drop a field of a user type"});
  const std::string one_way = coodie::migrate::render_migration(d, "three", "now");
  EXPECT_THAT(one_way, Not(HasSubstr("-- coodie:down")));
  EXPECT_THAT(one_way, HasSubstr("type a: Cassandra cannot drop a field of a user type"));
}

TEST(MigrateModels, TwoModelsOfOneTableAreRefusedButOneModelNamedTwiceIsKept) {
  coodie::table_schema a;
  a.name = "trips";
  a.keyspace = "travel";
  a.model = "Trip";
  coodie::table_schema b = a;
  b.model = "OtherTrip";
  coodie::migrate::model_set m;
  m.add(a);
  m.add(a);  // a polymorphic base and its subtypes give their one table again
  EXPECT_EQ(m.tables.size(), 1u);
  try {
    m.add(b);
    ADD_FAILURE() << "two models of table travel.trips were accepted";
  } catch (const coodie::usage_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("models Trip and OtherTrip both declare table travel.trips"));
  }
  b.keyspace = "archive";  // the same name in another keyspace is another table
  m.add(b);
  EXPECT_EQ(m.tables.size(), 2u);
}

TEST(MigrateModels, MigrationFilesAreNumberedWithinTheirDay) {
  const auto dir = std::filesystem::temp_directory_path() / "coodie_next_migration_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto day = std::chrono::sys_days(std::chrono::year(2026) / 12 / 6);
  EXPECT_EQ(coodie::migrate::next_migration_file(dir, "Add brand & index!", day).filename(),
            "20261206_001_add_brand_index.cql");
  std::ofstream(dir / "20261206_007_x.cql") << "";
  std::ofstream(dir / "20261205_009_y.cql") << "";
  EXPECT_EQ(coodie::migrate::next_migration_file(dir, "z", day).filename(), "20261206_008_z.cql");
  EXPECT_THROW((void)coodie::migrate::next_migration_file(dir, "!!", day), coodie::migration_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
