// What a migration run will do, decided from the migrations and the state table (no server).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/error.hpp"
#include "coodie/migrate/runner.hpp"
#include "run_plan.hpp"

namespace {

using coodie::migration_error;
using coodie::migrate::direction;
using coodie::migrate::migration;
using coodie::migrate::state;
using coodie::migrate::detail::plan_apply;
using coodie::migrate::detail::plan_rollback;
using coodie::migrate::detail::state_row;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

migration cql(std::string id, std::vector<std::string> up,
              std::optional<std::vector<std::string>> down = std::vector<std::string>{}) {
  migration m;
  m.id = std::move(id);
  m.source = m.id + "_x.cql";
  m.checksum = "sum-" + m.id;
  m.up = std::move(up);
  m.down = std::move(down);
  return m;
}

state_row applied(const migration& m) {
  state_row r;
  r.id = m.id;
  r.checksum = m.checksum;
  r.status = "applied";
  return r;
}

std::vector<std::string> ids(const coodie::migrate::detail::run_plan& p) {
  std::vector<std::string> out;
  for (const migration* m : p.steps) {
    out.push_back(m->id);
  }
  return out;
}

std::string refusal(const auto& f) {
  try {
    f();
  } catch (const migration_error& e) {
    EXPECT_EQ(e.why(), migration_error::reason::refused);
    return e.what();
  }
  return "no refusal";
}

class MigratePlan : public ::testing::Test {
 protected:
  std::vector<migration> all{cql("20261201_001", {"CREATE TABLE a (k int PRIMARY KEY)"}),
                             cql("20261201_002", {"CREATE TABLE b (k int PRIMARY KEY)"}),
                             cql("20261202_001", {"ALTER TABLE a ADD v text", "SELECT 1"})};
  std::map<std::string, state_row> rows;
};

TEST_F(MigratePlan, PendingMigrationsRunInIdOrderUpToTheTarget) {
  rows[all[0].id] = applied(all[0]);
  EXPECT_THAT(ids(plan_apply(all, rows, {})), ElementsAre("20261201_002", "20261202_001"));
  auto p = plan_apply(all, rows, {.target = "20261201_002"});
  EXPECT_EQ(p.direction, direction::up);
  EXPECT_THAT(ids(p), ElementsAre("20261201_002"));
}

TEST_F(MigratePlan, AnOlderTargetRollsBackWhatFollowsItNewestFirst) {
  for (const migration& m : all) {
    rows[m.id] = applied(m);
  }
  auto p = plan_apply(all, rows, {.target = "20261201_001"});
  EXPECT_EQ(p.direction, direction::down);
  EXPECT_THAT(ids(p), ElementsAre("20261202_001", "20261201_002"));
  EXPECT_THAT(ids(plan_rollback(all, rows, 1)), ElementsAre("20261202_001"));
  EXPECT_THAT(refusal([&] { (void)plan_rollback(all, rows, 4); }),
              HasSubstr("cannot roll back 4 migrations: only 3 applied"));
}

TEST_F(MigratePlan, AChangedAppliedMigrationIsRefusedNamingItsFile) {
  rows[all[0].id] = applied(all[0]);
  rows[all[0].id].checksum = "sum-before";
  EXPECT_THAT(refusal([&] { (void)plan_apply(all, rows, {}); }),
              HasSubstr("migration 20261201_001 (20261201_001_x.cql) changed since it was "
                        "applied"));
  auto st = coodie::migrate::detail::merge_status(all, rows);
  EXPECT_EQ(st[0].state, state::changed);
  EXPECT_EQ(st[1].state, state::pending);
}

TEST_F(MigratePlan, UnknownTargetsIrreversibleAndDestructiveMigrationsAreRefused) {
  EXPECT_THAT(refusal([&] { (void)plan_apply(all, rows, {.target = "20261209_001"}); }),
              HasSubstr("unknown target 20261209_001"));
  all[2].down.reset();
  for (const migration& m : all) {
    rows[m.id] = applied(m);
  }
  EXPECT_THAT(refusal([&] { (void)plan_rollback(all, rows, 1); }),
              HasSubstr("20261202_001 (20261202_001_x.cql) cannot be rolled back"));
  rows.clear();
  all[1].destructive = true;
  EXPECT_THAT(refusal([&] { (void)plan_apply(all, rows, {}); }),
              HasSubstr("20261201_002 (20261201_002_x.cql) drops or deletes"));
  EXPECT_EQ(plan_apply(all, rows, {.allow_destructive = true}).steps.size(), 3U);
}

TEST_F(MigratePlan, AStoppedMigrationResumesOnlyWhenWhatItAppliedIsUnchanged) {
  rows[all[0].id] = applied(all[0]);
  rows[all[1].id] = applied(all[1]);
  state_row failed = applied(all[2]);
  failed.status = "failed";
  failed.steps_done = 1;
  failed.done_checksum = coodie::migrate::detail::steps_checksum(all[2].up, 1);
  failed.checksum = "sum-of-the-failing-file";  // the file was fixed since: allowed
  rows[all[2].id] = failed;
  EXPECT_THAT(ids(plan_apply(all, rows, {})), ElementsAre("20261202_001"));
  EXPECT_EQ(coodie::migrate::detail::merge_status(all, rows)[2].state, state::failed);
  all[2].up[0] = "ALTER TABLE a ADD w text";  // the applied statement changed
  EXPECT_THAT(
      refusal([&] { (void)plan_apply(all, rows, {}); }),
      HasSubstr("stopped after 1 statements of its up section, and those statements changed"));
}

TEST_F(MigratePlan, AnAppliedMigrationThisProgramLacksIsAWarningUpAndARefusalDown) {
  state_row other;
  other.id = "20261203_001";
  other.status = "applied";
  other.source = "elsewhere.cql";
  rows[other.id] = other;
  auto p = plan_apply(all, rows, {});
  ASSERT_EQ(p.warnings.size(), 1U);
  EXPECT_THAT(p.warnings[0], HasSubstr("20261203_001 (elsewhere.cql) is applied but this program "
                                       "does not have it"));
  EXPECT_EQ(coodie::migrate::detail::merge_status(all, rows).back().state, state::unknown);
  EXPECT_THAT(refusal([&] { (void)plan_rollback(all, rows, 1); }),
              HasSubstr("this program does not have it"));
}

}  // namespace
