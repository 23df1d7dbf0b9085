// Migration files: statement splitting, sections, names, checksums, destructive statements.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/error.hpp"
#include "coodie/migrate/cql_script.hpp"
#include "coodie/migrate/migration.hpp"

namespace {

using coodie::migration_error;
using coodie::migrate::parse_script;
using coodie::migrate::split_statements;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string refusal(std::string_view text) {
  try {
    (void)parse_script(text, "f.cql");
  } catch (const migration_error& e) {
    EXPECT_EQ(e.why(), migration_error::reason::refused);
    return e.what();
  }
  return "no error";
}

TEST(MigrateScript, SemicolonsInsideLiteralsAndCommentsSeparateNothing) {
  const auto st = split_statements(
      "INSERT INTO t (a, b) VALUES ('x;y', 'it''s; ok'); -- a; comment\n"
      "UPDATE t SET \"we;ird\" = $$a;b$$ WHERE a = 'k'; // another; one\n"
      "/* block; comment\n spanning */ SELECT * FROM t;\n"
      "  DELETE FROM t WHERE a = 'z'",
      "f.cql");
  EXPECT_THAT(st, ElementsAre("INSERT INTO t (a, b) VALUES ('x;y', 'it''s; ok')",
                              "UPDATE t SET \"we;ird\" = $$a;b$$ WHERE a = 'k'", "SELECT * FROM t",
                              "DELETE FROM t WHERE a = 'z'"));
}

TEST(MigrateScript, CommentMarkersInsideLiteralsAreText) {
  const auto st =
      split_statements("INSERT INTO t (a) VALUES ('--not a comment /* nor this');", "f.cql");
  EXPECT_THAT(st, ElementsAre("INSERT INTO t (a) VALUES ('--not a comment /* nor this')"));
}

TEST(MigrateScript, ABatchIsOneStatement) {
  const auto st = split_statements(
      "BEGIN BATCH\n INSERT INTO t (a) VALUES (1);\n INSERT INTO t (a) VALUES (2);\n"
      "APPLY BATCH;\nSELECT a FROM t;",
      "f.cql");
  ASSERT_EQ(st.size(), 2U);
  EXPECT_THAT(st[0], HasSubstr("VALUES (1);"));
  EXPECT_THAT(st[0], HasSubstr("APPLY BATCH"));
  EXPECT_EQ(st[1], "SELECT a FROM t");
}

TEST(MigrateScript, SectionsSplitUpFromDown) {
  const auto s = parse_script(
      "-- a header comment\n-- coodie:up\nCREATE TABLE t (a int PRIMARY KEY);\n"
      "ALTER TABLE t ADD b text;\n--  COODIE:DOWN  \nDROP TABLE t;\n",
      "f.cql");
  EXPECT_THAT(s.up, ElementsAre("CREATE TABLE t (a int PRIMARY KEY)", "ALTER TABLE t ADD b text"));
  ASSERT_TRUE(s.down.has_value());
  EXPECT_THAT(*s.down, ElementsAre("DROP TABLE t"));
}

TEST(MigrateScript, WithoutMarkersAllIsUpAndThereIsNoWayBack) {
  const auto s = parse_script("CREATE TABLE t (a int PRIMARY KEY);", "f.cql");
  EXPECT_EQ(s.up.size(), 1U);
  EXPECT_FALSE(s.down.has_value());
  const auto empty_down = parse_script(
      "-- coodie:up\nCREATE TABLE t (a int PRIMARY KEY);\n"
      "-- coodie:down\n",
      "f.cql");
  ASSERT_TRUE(empty_down.down.has_value());
  EXPECT_TRUE(empty_down.down->empty());
}

TEST(MigrateScript, MalformedFilesAreRefusedWithTheirLine) {
  EXPECT_THAT(refusal("SELECT 1;\nINSERT INTO t (a) VALUES ('open);"),
              HasSubstr("f.cql:2: unterminated string literal"));
  EXPECT_THAT(refusal("SELECT \"x FROM t;"), HasSubstr("unterminated quoted identifier"));
  EXPECT_THAT(refusal("SELECT 1;\n/* never closed"), HasSubstr("f.cql:2: unterminated /*"));
  EXPECT_THAT(refusal("SELECT $$x FROM t;"), HasSubstr("unterminated $$"));
  EXPECT_THAT(refusal("-- coodie:up\nCREATE TABLE t (a int PRIMARY KEY)\n-- coodie:down\nDROP "
                      "TABLE t;"),
              HasSubstr("f.cql:3: section marker inside a statement"));
  EXPECT_THAT(refusal("-- coodie:up\nSELECT 1;\n-- coodie:up\n"), HasSubstr("a second up"));
  EXPECT_THAT(refusal("SELECT 1;\n-- coodie:up\nSELECT 2;"),
              HasSubstr("f.cql:1: statements before the first section marker"));
}

TEST(MigrateScript, DestructiveStatementsAreFoundByTheirWords) {
  using coodie::migrate::is_destructive;
  EXPECT_TRUE(is_destructive("DROP TABLE t"));
  EXPECT_TRUE(is_destructive("drop index t_b_idx"));
  EXPECT_TRUE(is_destructive("TRUNCATE t"));
  EXPECT_TRUE(is_destructive("DELETE FROM t WHERE a = 1"));
  EXPECT_TRUE(is_destructive("ALTER TABLE t DROP b"));
  EXPECT_TRUE(is_destructive("BEGIN BATCH DELETE FROM t WHERE a = 1; APPLY BATCH"));
  EXPECT_FALSE(is_destructive("ALTER TABLE t ADD b text"));
  EXPECT_FALSE(is_destructive("ALTER TABLE t WITH comment = 'we drop nothing'"));
  EXPECT_FALSE(is_destructive("CREATE TABLE \"drop\" (a int PRIMARY KEY)"));
  EXPECT_TRUE(coodie::migrate::is_schema_change("create table t (a int primary key)"));
  EXPECT_FALSE(coodie::migrate::is_schema_change("INSERT INTO t (a) VALUES (1)"));
}

TEST(MigrateScript, ChecksumsIgnoreLineEndsOnly) {
  using coodie::migrate::checksum;
  EXPECT_EQ(checksum(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(checksum("a\r\nb\n"), checksum("a\nb\n"));
  EXPECT_NE(checksum("a\nb\n"), checksum("a\nb \n"));
}

TEST(MigrateFiles, IdsAreDatesAndSequenceNumbers) {
  using coodie::migrate::parse_id;
  EXPECT_EQ(parse_id("20261206_001_add_brand.cql"), "20261206_001");
  EXPECT_EQ(parse_id("20261206_001"), "20261206_001");
  EXPECT_EQ(parse_id("20261306_001_x.cql"), std::nullopt);  // month 13
  EXPECT_EQ(parse_id("20261200_001_x.cql"), std::nullopt);  // day 0
  EXPECT_EQ(parse_id("2026120_001_x.cql"), std::nullopt);
  EXPECT_EQ(parse_id("20261206-001_x.cql"), std::nullopt);
  EXPECT_EQ(parse_id("20261206_0011_x.cql"), std::nullopt);
}

TEST(MigrateFiles, ADirectoryLoadsInIdOrderAndRefusesStrayCqlFiles) {
  const auto dir = std::filesystem::temp_directory_path() / "coodie_migrate_files_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
  };
  write("20261206_002_drop_old.cql",
        "-- coodie:up\nALTER TABLE t DROP old;\n-- coodie:down\n"
        "ALTER TABLE t ADD old text;\n");
  write("20261206_001_create_t.cql", "CREATE TABLE t (a int PRIMARY KEY, old text);");
  write("README.md", "not a migration");
  auto all = coodie::migrate::load_directory(dir);
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].id, "20261206_001");
  EXPECT_EQ(all[0].description, "create t");
  EXPECT_FALSE(all[0].reversible());
  EXPECT_FALSE(all[0].destructive);
  EXPECT_EQ(all[1].id, "20261206_002");
  EXPECT_TRUE(all[1].reversible());
  EXPECT_TRUE(all[1].destructive);
  EXPECT_EQ(all[1].checksum.size(), 64U);

  write("20261206_003.cql", "SELECT 1;");  // no description
  try {
    (void)coodie::migrate::load_directory(dir);
    ADD_FAILURE() << "a stray .cql file was loaded";
  } catch (const migration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("20261206_003.cql"));
  }
  std::filesystem::remove(dir / "20261206_003.cql");
  write("20261206_001_again.cql", "SELECT 1;");
  EXPECT_THROW((void)coodie::migrate::load_directory(dir), migration_error);
  std::filesystem::remove_all(dir);
}

TEST(MigrateFiles, CppMigrationsCheckTheirIdAndNameTheirVersion) {
  auto step = [](coodie::migrate::context&) {};
  auto a = coodie::migrate::cpp_migration({.id = "20261206_004", .description = "backfill"}, step);
  auto b = coodie::migrate::cpp_migration(
      {.id = "20261206_004", .description = "backfill", .version = "2"}, step, step);
  EXPECT_TRUE(a.is_cpp());
  EXPECT_FALSE(a.reversible());
  EXPECT_TRUE(b.reversible());
  EXPECT_NE(a.checksum, b.checksum);
  EXPECT_THROW((void)coodie::migrate::cpp_migration({.id = "20261206_4", .description = "x"}, step),
               migration_error);
  EXPECT_THROW((void)coodie::migrate::cpp_migration({.id = "20261206_005"}, nullptr),
               migration_error);
}

}  // namespace
