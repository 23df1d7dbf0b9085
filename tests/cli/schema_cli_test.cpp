// makemigration, schema-diff and snapshot: an application's management program at three
// versions of its models, and the standalone `coodie` reading a snapshot.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "cli_support.hpp"

namespace coodie::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using SchemaCli = cli_keyspace;

const std::string v1 = COODIE_MODEL_APP_V1;
const std::string v2 = COODIE_MODEL_APP_V2;
const std::string v3 = COODIE_MODEL_APP_V3;

/// Every system_schema row of a keyspace that describes its tables, columns, indexes and types
/// (the state tables left out), as text.
std::vector<std::string> schema_rows(driver_session& db, const std::string& ks) {
  std::vector<std::string> out;
  for (const row& r : db.rows(statement("SELECT table_name, column_name, kind, position, type, "
                                        "clustering_order FROM system_schema.columns WHERE "
                                        "keyspace_name = ?",
                                        ks))) {
    if (r.get<std::string>(0).rfind("coodie_", 0) != 0) {
      out.push_back(r.get<std::string>(0) + ' ' + r.get<std::string>(1) + ' ' +
                    r.get<std::string>(2) + ' ' + std::to_string(r.get<std::int32_t>(3)) + ' ' +
                    r.get<std::string>(4) + ' ' + r.get<std::string>(5));
    }
  }
  for (const row& r : db.rows(statement(
           "SELECT table_name, index_name, kind FROM system_schema.indexes WHERE keyspace_name = ?",
           ks))) {
    out.push_back("index " + r.get<std::string>(0) + ' ' + r.get<std::string>(1) + ' ' +
                  r.get<std::string>(2));
  }
  for (const row& r : db.rows(statement(
           "SELECT table_name, gc_grace_seconds FROM system_schema.tables WHERE keyspace_name = ?",
           ks))) {
    out.push_back("table " + r.get<std::string>(0) + " gc " +
                  std::to_string(r.get<std::int32_t>(1)));
  }
  for (const row& r : db.rows(statement("SELECT type_name, field_names, field_types FROM "
                                        "system_schema.types WHERE keyspace_name = ?",
                                        ks))) {
    std::string line = "type " + r.get<std::string>(0);
    for (const std::string& f : r.get<std::vector<std::string>>(1)) {
      line += ' ' + f;
    }
    for (const std::string& f : r.get<std::vector<std::string>>(2)) {
      line += ' ' + f;
    }
    out.push_back(line);
  }
  return out;
}

TEST_F(SchemaCli, MakemigrationMigrateThenSchemaDiffShowsNoDifferenceAndRollbackRestoresTheRows) {
  const cli_outcome first = run("makemigration", {"--name", "Create products!"}, v1);
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("_001_create_products.cql"));
  EXPECT_EQ(run("schema-diff", {}, v1).code, 6);
  ASSERT_EQ(run("migrate").code, 0);
  const cli_outcome same = run("schema-diff", {}, v1);
  EXPECT_EQ(same.code, 0) << same.out << same.err;
  EXPECT_THAT(same.out, HasSubstr("No difference"));
  const std::vector<std::string> before = schema_rows(*admin_, ks_);

  // Version 2: a column with an index, a table option, a new table.
  const cli_outcome second = run("makemigration", {"--name", "brand and reviews"}, v2);
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("_002_brand_and_reviews.cql"));
  EXPECT_THAT(second.out, HasSubstr("ALTER TABLE products ADD brand text"));
  EXPECT_THAT(second.out, HasSubstr("CREATE MATERIALIZED VIEW IF NOT EXISTS reviews_by_stars"));
  ASSERT_EQ(run("migrate").code, 0);
  EXPECT_EQ(run("schema-diff", {}, v2).code, 0);
  EXPECT_NE(schema_rows(*admin_, ks_), before);
  // Against version 1, the view and its table are left over (the view dropped first).
  const cli_outcome leftover = run("schema-diff", {"--allow-destructive"}, v1);
  EXPECT_EQ(leftover.code, 6);
  EXPECT_THAT(leftover.out, HasSubstr("DROP MATERIALIZED VIEW IF EXISTS reviews_by_stars"));
  EXPECT_LT(leftover.out.find("DROP MATERIALIZED VIEW"), leftover.out.find("DROP TABLE"));

  const cli_outcome back = run("migrate", {"--rollback"});
  ASSERT_EQ(back.code, 0) << back.err;
  EXPECT_EQ(schema_rows(*admin_, ks_), before);
  EXPECT_EQ(run("schema-diff", {}, v1).code, 0);
  // The rolled-back file is pending again: a new file would repeat it.
  EXPECT_EQ(run("makemigration", {"--name", "nothing"}, v1).code, 3);
}

TEST_F(SchemaCli, DroppingAColumnIsLeftOutUnlessAllowedThenAppliedOnlyWithAllowDestructive) {
  ASSERT_EQ(run("makemigration", {"--name", "init"}, v1).code, 0);
  ASSERT_EQ(run("migrate").code, 0);
  ASSERT_EQ(run("makemigration", {"--name", "v2"}, v2).code, 0);
  // A file not applied yet: a new one would repeat it.
  const cli_outcome unapplied = run("makemigration", {"--name", "again"}, v2);
  EXPECT_EQ(unapplied.code, 3);
  EXPECT_THAT(unapplied.err, HasSubstr("_002_v2.cql) is pending: apply it first"));
  ASSERT_EQ(run("migrate").code, 0);
  // Version 3 no longer has Product::tags.
  const cli_outcome refused = run("makemigration", {"--name", "drop tags"}, v3);
  EXPECT_EQ(refused.code, 3);
  EXPECT_THAT(refused.err, HasSubstr("--allow-destructive"));
  EXPECT_THAT(refused.out, HasSubstr("No schema changes"));
  const cli_outcome diff = run("schema-diff", {}, v3);
  EXPECT_EQ(diff.code, 6);
  EXPECT_THAT(diff.out, HasSubstr("left out"));

  const cli_outcome written =
      run("makemigration", {"--name", "drop tags", "--allow-destructive"}, v3);
  ASSERT_EQ(written.code, 0) << written.err;
  EXPECT_THAT(written.out, HasSubstr("ALTER TABLE products DROP tags"));
  EXPECT_EQ(run("migrate").code, 3);  // the runner's guard: a destructive migration
  EXPECT_EQ(live_column_type(*admin_, ks_, "products", "tags"), "list<text>");
  ASSERT_EQ(run("migrate", {"--allow-destructive"}).code, 0);
  EXPECT_EQ(live_column_type(*admin_, ks_, "products", "tags"), "");
  EXPECT_EQ(run("schema-diff", {}, v3).code, 0);
}

TEST_F(SchemaCli, TheStandaloneCoodieReadsASnapshotAndReportsATypeChangeAsATodo) {
  ASSERT_EQ(run("makemigration", {"--name", "init"}, v1).code, 0);
  ASSERT_EQ(run("migrate").code, 0);
  const cli_outcome snap = run_cli(dir_.path(), {"snapshot", "--output", "models.json"}, v1);
  ASSERT_EQ(snap.code, 0) << snap.err;
  EXPECT_THAT(snap.out, HasSubstr("1 tables, 1 user types"));
  EXPECT_EQ(run("schema-diff", {"--models", "models.json"}).code, 0);

  // The same models with price as text: no statement changes a column's type.
  std::ifstream in(dir_.path() / "models.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string price = R"({"name":"price","type":"double")";
  ASSERT_NE(text.find(price), std::string::npos);
  text.replace(text.find(price), price.size(), R"({"name":"price","type":"text")");
  std::ofstream(dir_.path() / "changed.json") << text;
  const cli_outcome human = run("schema-diff", {"--models", "changed.json"});
  const cli_outcome json = run("schema-diff", {"--models", "changed.json", "--json"});
  EXPECT_EQ(human.code, 6);
  EXPECT_EQ(json.code, 6);
  const boost::json::value v = boost::json::parse(json.out);
  ASSERT_EQ(v.at("todos").as_array().size(), 1U);
  const std::string note(v.at("todos").at(0).at("note").as_string());
  EXPECT_THAT(note, HasSubstr("type_changed"));
  EXPECT_THAT(human.out, HasSubstr("! TODO " + note));
  EXPECT_EQ(v.at("differences"), 1);
  const cli_outcome todo =
      run("makemigration", {"--name", "price as text", "--models", "changed.json"});
  EXPECT_EQ(todo.code, 7);
  EXPECT_THAT(todo.err, HasSubstr("TODO in the file"));

  const cli_outcome broken = run("schema-diff", {"--models", "migrations"});
  EXPECT_EQ(broken.code, 2) << broken.err;
  std::ofstream(dir_.path() / "bad.json") << R"({"coodie_snapshot":1,"types":[],"tables":[{}]})";
  const cli_outcome bad = run("schema-diff", {"--models", "bad.json"});
  EXPECT_NE(bad.code, 0);
  EXPECT_THAT(bad.err, HasSubstr("model snapshot bad.json: a table has no \"name\""));
  EXPECT_THAT(run("schema-diff").err, Not(HasSubstr("password")));
  EXPECT_EQ(run("schema-diff").code, 2);  // the standalone program has no models of its own
}

}  // namespace
}  // namespace coodie::test
