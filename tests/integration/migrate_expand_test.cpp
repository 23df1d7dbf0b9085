// Expand/contract against a live node: a column renamed and another retyped while a newer
// write to the new column is kept, then the old column dropped only when destructive changes
// are allowed.
#include <chrono>
#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/error.hpp"
#include "coodie/migrate/expand_contract.hpp"
#include "coodie/migrate/runner.hpp"
#include "support.hpp"

namespace {

namespace migrate = coodie::migrate;
using coodie::migration_error;
using namespace std::chrono_literals;

COODIE_KEYSPACE_SUITE(MigrateExpand, "migrate_expand");

constexpr std::int32_t rows = 2000;

// --8<-- [start:expand-contract]
TEST_F(MigrateExpand, ARenameAndARetypeCopyEveryValueAndKeepNewerWrites) {
  auto o = coodie::test::options_from_env();
  o.keyspace = ks();
  coodie::driver_session s = coodie::driver_session::connect(o);
  s.execute("CREATE TABLE items (k int, c int, brand text, score int, PRIMARY KEY (k, c))");
  coodie::prepared_statement insert =
      s.prepare("INSERT INTO items (k, c, brand, score) VALUES (?, ?, ?, ?)");
  for (std::int32_t i = 0; i < rows; ++i) {
    // Every tenth brand is null: it stays null in the new column.
    std::optional<std::string> brand;
    if (i % 10 != 0) {
      brand = "brand" + std::to_string(i);
    }
    s.execute(insert.bind(i % 50, i, brand, i));
  }
  auto rename = migrate::expand_contract(
      {.expand = "20261201_001", .backfill = "20261201_002", .contract = "20261215_001"},
      {.table = "items", .from = "brand", .from_type = "text", .to = "maker", .to_type = "text"});
  auto retype = migrate::expand_contract(
      {.expand = "20261201_003", .backfill = "20261201_004", .contract = "20261215_002"},
      {.table = "items",
       .from = "score",
       .from_type = "int",
       .to = "score_big",
       .to_type = "bigint",
       .convert = migrate::convert_with<std::int32_t, std::int64_t>(
           [](std::int32_t v) { return std::int64_t{v} * 1'000'000'000; }),
       .parallelism = 3});
  std::vector<migrate::migration> all{rename.expand, rename.backfill, retype.expand,
                                      retype.backfill};
  migrate::runner r(s, all, {.lease = 5s});
  r.apply({.target = "20261201_001"});
  // The application, already on the new column, writes one row's maker after the expand.
  s.execute("UPDATE items SET maker = 'written by the app' WHERE k = 1 AND c = 1");
  r.apply();

  std::int32_t seen = 0;
  for (const coodie::row& row :
       s.rows(coodie::statement("SELECT c, brand, maker, score, score_big FROM items"))) {
    ++seen;
    const auto c = row.get<std::int32_t>(0);
    const auto brand = row.get<std::optional<std::string>>(1);
    const auto maker = row.get<std::optional<std::string>>(2);
    if (c == 1) {
      EXPECT_EQ(maker, "written by the app");
    } else {
      EXPECT_EQ(maker, brand) << "row " << c;
    }
    EXPECT_EQ(row.get<std::int64_t>(4), std::int64_t{row.get<std::int32_t>(3)} * 1'000'000'000);
  }
  EXPECT_EQ(seen, rows);

  // A later release drops the old columns: only with destructive changes allowed.
  all.push_back(rename.contract);
  all.push_back(retype.contract);
  migrate::runner later(s, all, {.lease = 5s});
  try {
    later.apply();
    ADD_FAILURE() << "the contract ran without allow_destructive";
  } catch (const migration_error& e) {
    EXPECT_EQ(e.why(), migration_error::reason::refused);
    EXPECT_EQ(e.migration(), "20261215_001");
  }
  EXPECT_EQ(coodie::test::live_column_type(s, ks(), "items", "brand"), "text");
  later.apply({.allow_destructive = true});
  EXPECT_EQ(coodie::test::live_column_type(s, ks(), "items", "brand"), "");
  EXPECT_EQ(coodie::test::live_column_type(s, ks(), "items", "score"), "");
  // The way back adds the old columns again (their values are gone).
  later.rollback(2);
  EXPECT_EQ(coodie::test::live_column_type(s, ks(), "items", "score"), "int");
}
// --8<-- [end:expand-contract]

TEST_F(MigrateExpand, AnExpandAndBackfillRolledBackAndAppliedAgainCopyEveryRowAgain) {
  auto o = coodie::test::options_from_env();
  o.keyspace = ks();
  coodie::driver_session s = coodie::driver_session::connect(o);
  s.execute("CREATE TABLE again (k int PRIMARY KEY, old text)");
  for (std::int32_t i = 0; i < 20; ++i) {
    s.execute(coodie::statement("INSERT INTO again (k, old) VALUES (?, ?)", i, std::to_string(i)));
  }
  auto m = migrate::expand_contract(
      {.expand = "20261202_001", .backfill = "20261202_002", .contract = "20261216_001"},
      {.table = "again", .from = "old", .from_type = "text", .to = "fresh", .to_type = "text"});
  migrate::runner r(s, {m.expand, m.backfill}, {.lease = 5s});
  r.apply();
  r.rollback(2);
  r.apply();
  std::int32_t copied = 0;
  for (const coodie::row& row : s.rows(coodie::statement("SELECT old, fresh FROM again"))) {
    copied += row.get<std::optional<std::string>>(1) == row.get<std::string>(0) ? 1 : 0;
  }
  EXPECT_EQ(copied, 20);
}

}  // namespace
