// The migration runner against a live node: pending migrations applied in id order and recorded
// in the state table, a dry run that changes nothing, rollbacks and targets, a failed statement
// recorded and resumed after the file is fixed, refusals (changed file, destructive step), the
// lock (an expired holder waited out, a live one refused, two runners racing), C++ migrations.
// Each test runs in a keyspace of its own: the state table is per keyspace.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <latch>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/error.hpp"
#include "coodie/migrate/migration.hpp"
#include "coodie/migrate/runner.hpp"
#include "support.hpp"

namespace {

namespace fs = std::filesystem;
namespace migrate = coodie::migrate;
using coodie::migration_error;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

COODIE_KEYSPACE_SUITE(MigrateRunnerSuite, "migrate_runner");

struct recorded {
  std::string status, checksum, applied_by, error;
  std::int32_t steps_done = 0;
  std::int64_t duration_ms = 0;
};

std::vector<std::string> ids(const migrate::run_report& r) {
  std::vector<std::string> out;
  for (const auto& e : r.migrations) {
    out.push_back(e.id);
  }
  return out;
}

/// Quick lock settings (a lease of 2 s).
migrate::runner_options quick(std::string owner = {},
                              std::function<void(const migrate::event&)> on_event = nullptr,
                              std::chrono::milliseconds lock_wait = 15s) {
  return {.lease = 2s,
          .lock_wait = lock_wait,
          .agreement_timeout = 30s,
          .owner = std::move(owner),
          .on_event = std::move(on_event)};
}

migrate::apply_options up_to(const char* target) {
  return {.dry_run = false, .target = target, .allow_destructive = false};
}

class MigrateRunner : public MigrateRunnerSuite {
 protected:
  void SetUp() override {
    static int n = 0;
    ks_ = ks() + "_" + std::to_string(++n);
    db().execute("CREATE KEYSPACE " + ks_ +
                 " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    dir_ = fs::temp_directory_path() / (ks_ + "_migrations");
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    db().execute("DROP KEYSPACE IF EXISTS " + ks_);
    fs::remove_all(dir_);
  }

  coodie::driver_session connect() const {
    auto o = coodie::test::options_from_env();
    o.keyspace = ks_;
    return coodie::driver_session::connect(o);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary | std::ios::trunc) << text;
  }
  /// 20260101_00N_tN.cql for N = 1..3, each creating table tN (without IF NOT EXISTS).
  void write_tables(bool reversible) const {
    for (const std::string n : {"1", "2", "3"}) {
      write("20260101_00" + n + "_t" + n + ".cql",
            "-- coodie:up\nCREATE TABLE t" + n + " (id int PRIMARY KEY);\n" +
                (reversible ? "-- coodie:down\nDROP TABLE t" + n + ";\n" : ""));
    }
  }
  std::vector<migrate::migration> load() const { return migrate::load_directory(dir_); }
  bool has_table(const std::string& table) {
    return !db().execute(coodie::statement("SELECT table_name FROM system_schema.tables WHERE "
                                           "keyspace_name = ? AND table_name = ?",
                                           ks_, table))
                .empty();
  }
  bool has_column(const std::string& table, const std::string& column) {
    return !coodie::test::live_column_type(db(), ks_, table, column).empty();
  }
  /// The state table's rows by id (none when it does not exist).
  std::map<std::string, recorded> state_rows() {
    std::map<std::string, recorded> out;
    if (!has_table("coodie_migrations")) {
      return out;
    }
    for (const coodie::row& r : db().rows(coodie::statement(
             "SELECT id, status, checksum, steps_done, applied_by, duration_ms, error FROM " + ks_ +
             ".coodie_migrations"))) {
      out[r.get<std::string>(0)] = {
          .status = r.get<std::optional<std::string>>(1).value_or(""),
          .checksum = r.get<std::optional<std::string>>(2).value_or(""),
          .applied_by = r.get<std::optional<std::string>>(4).value_or(""),
          .error = r.get<std::optional<std::string>>(6).value_or(""),
          .steps_done = r.get<std::optional<std::int32_t>>(3).value_or(-1),
          .duration_ms = r.get<std::optional<std::int64_t>>(5).value_or(-1)};
    }
    return out;
  }
  /// A lock row of another runner, as it would have left it.
  void foreign_lock(const std::string& owner, int ttl) {
    const coodie::result r = db().execute(
        "INSERT INTO " + ks_ +
        ".coodie_migration_lock (name, owner, acquired_at, renewed_at) VALUES ('migrate', '" +
        owner + "', toTimestamp(now()), toTimestamp(now())) IF NOT EXISTS USING TTL " +
        std::to_string(ttl));
    ASSERT_TRUE(r.front().get<bool>(0)) << "the lock row was free";
  }

  std::string ks_;
  fs::path dir_;
};

/// The migration_error f throws, of the expected kind.
migration_error thrown(const auto& f, migration_error::reason expected) {
  try {
    f();
  } catch (const migration_error& e) {
    EXPECT_EQ(e.why(), expected) << e.what();
    return e;
  }
  ADD_FAILURE() << "no migration_error";
  return {expected, ""};
}

TEST_F(MigrateRunner, AppliesPendingMigrationsInOrderAndRecordsThem) {
  // 002 alters the table 001 creates: run out of order, it fails.
  write("20260101_002_price.cql", "-- coodie:up\nALTER TABLE products ADD price int;\n");
  write("20260101_001_products.cql",
        "-- coodie:up\nCREATE TABLE products (id int PRIMARY KEY, name text);\n"
        "-- coodie:down\nDROP TABLE products;\n");
  const auto all = load();
  auto s = connect();
  std::vector<std::string> started;
  migrate::runner r(s, all, quick({}, [&](const migrate::event& e) {
                      if (e.what == migrate::event::kind::started) {
                        started.push_back(e.migration);
                      }
                    }));
  const migrate::run_report done = r.apply();
  EXPECT_THAT(started, ElementsAre("20260101_001", "20260101_002"));
  EXPECT_THAT(ids(done), ElementsAre("20260101_001", "20260101_002"));
  EXPECT_TRUE(has_table("products"));
  EXPECT_TRUE(has_column("products", "price"));

  const auto rows = state_rows();
  ASSERT_EQ(rows.size(), 2U);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const recorded& x = rows.at(all[i].id);
    EXPECT_EQ(x.status, "applied");
    EXPECT_EQ(x.checksum, all[i].checksum);
    EXPECT_EQ(x.steps_done, 1);
    EXPECT_GT(x.duration_ms, 0);
    EXPECT_EQ(x.duration_ms, done.migrations[i].duration_ms);
    EXPECT_THAT(x.applied_by, HasSubstr("@"));
    EXPECT_THAT(x.applied_by, HasSubstr(":" + std::to_string(getpid())));
  }

  started.clear();
  EXPECT_TRUE(r.apply().migrations.empty()) << "nothing is pending";
  EXPECT_TRUE(started.empty());

  const auto st = r.status();
  ASSERT_EQ(st.size(), 2U);
  for (std::size_t i = 0; i < st.size(); ++i) {
    EXPECT_EQ(st[i].id, all[i].id);
    EXPECT_EQ(st[i].state, migrate::state::applied);
    EXPECT_EQ(st[i].applied_checksum, all[i].checksum);
    EXPECT_TRUE(st[i].applied_at.has_value());
  }
}

TEST_F(MigrateRunner, DryRunChangesNothingAndListsTheStatements) {
  write("20260101_001_products.cql",
        "-- coodie:up\nCREATE TABLE products (id int PRIMARY KEY);\n"
        "INSERT INTO products (id) VALUES (1);\n");
  auto all = load();
  bool saw_dry_run = false;
  all.push_back(migrate::cpp_migration(
      {.id = "20260101_002", .description = "cpp", .version = "1", .destructive = false},
      [&](migrate::context& ctx) {
        saw_dry_run = ctx.dry_run();
        ctx.execute("CREATE TABLE from_cpp (id int PRIMARY KEY)");
      }));
  auto s = connect();
  migrate::runner r(s, all, quick());
  const migrate::run_report plan =
      r.apply({.dry_run = true, .target = std::nullopt, .allow_destructive = false});
  EXPECT_TRUE(plan.dry_run);
  EXPECT_TRUE(saw_dry_run);
  ASSERT_THAT(ids(plan), ElementsAre("20260101_001", "20260101_002"));
  EXPECT_THAT(plan.migrations[0].statements,
              ElementsAre("CREATE TABLE products (id int PRIMARY KEY)",
                          "INSERT INTO products (id) VALUES (1)"));
  EXPECT_THAT(plan.migrations[1].statements,
              ElementsAre("CREATE TABLE from_cpp (id int PRIMARY KEY)"));
  EXPECT_FALSE(has_table("coodie_migrations"));
  EXPECT_FALSE(has_table("coodie_migration_lock"));
  EXPECT_FALSE(has_table("products"));
  EXPECT_FALSE(has_table("from_cpp"));
  for (const auto& m : r.status()) {
    EXPECT_EQ(m.state, migrate::state::pending) << m.id;
  }
}

TEST_F(MigrateRunner, RollsBackTheDownSectionAndMovesToATarget) {
  write_tables(true);
  auto s = connect();
  migrate::runner r(s, load(), quick());
  EXPECT_THAT(ids(r.apply(up_to("20260101_002"))), ElementsAre("20260101_001", "20260101_002"));
  EXPECT_TRUE(has_table("t2"));
  EXPECT_FALSE(has_table("t3")) << "beyond the target";
  EXPECT_EQ(state_rows().size(), 2U);
  EXPECT_THAT(ids(r.apply()), ElementsAre("20260101_003"));
  EXPECT_TRUE(has_table("t3"));

  const migrate::run_report back = r.rollback(1);
  EXPECT_EQ(back.direction, migrate::direction::down);
  EXPECT_THAT(ids(back), ElementsAre("20260101_003"));
  EXPECT_THAT(back.migrations[0].statements, ElementsAre("DROP TABLE t3"));
  EXPECT_FALSE(has_table("t3"));
  EXPECT_EQ(state_rows().count("20260101_003"), 0U);

  // t3 is pending again: the target 001 rolls back 002 only.
  const migrate::run_report down = r.apply(up_to("20260101_001"));
  EXPECT_EQ(down.direction, migrate::direction::down);
  EXPECT_THAT(ids(down), ElementsAre("20260101_002"));
  EXPECT_FALSE(has_table("t2"));
  EXPECT_TRUE(has_table("t1"));
  const auto rows = state_rows();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows.begin()->first, "20260101_001");
  EXPECT_EQ(rows.begin()->second.status, "applied");
}

TEST_F(MigrateRunner, AFailedStatementIsRecordedAndTheFixedFileResumesAfterIt) {
  const std::string name = "20260101_001_two_steps.cql";
  // Without IF NOT EXISTS: running statement 1 twice would fail.
  const std::string first = "-- coodie:up\nCREATE TABLE first_step (id int PRIMARY KEY);\n";
  write(name, first + "INSERT INTO missing_table (id) VALUES (1);\n");
  const auto broken = load();
  auto s = connect();
  migrate::runner first_run(s, broken, quick());
  const migration_error e = thrown([&] { first_run.apply(); }, migration_error::reason::failed);
  EXPECT_EQ(e.migration(), "20260101_001");
  EXPECT_THAT(e.what(), HasSubstr("statement 2 of 2"));
  EXPECT_TRUE(has_table("first_step"));
  const recorded failed = state_rows().at("20260101_001");
  EXPECT_EQ(failed.status, "failed");
  EXPECT_EQ(failed.steps_done, 1);
  EXPECT_THAT(failed.error, HasSubstr("missing_table"));
  EXPECT_EQ(first_run.status().at(0).state, migrate::state::failed);

  write(name, first + "CREATE TABLE second_step (id int PRIMARY KEY);\n");
  const auto fixed = load();
  ASSERT_NE(fixed[0].checksum, broken[0].checksum);
  migrate::runner r(s, fixed, quick());
  const migrate::run_report done = r.apply();
  ASSERT_THAT(ids(done), ElementsAre("20260101_001"));
  EXPECT_THAT(done.migrations[0].statements,
              ElementsAre("CREATE TABLE second_step (id int PRIMARY KEY)"))
      << "statement 1 is not run again";
  EXPECT_TRUE(has_table("second_step"));
  const recorded x = state_rows().at("20260101_001");
  EXPECT_EQ(x.status, "applied");
  EXPECT_EQ(x.checksum, fixed[0].checksum);
  EXPECT_EQ(x.steps_done, 2);
  EXPECT_EQ(x.error, "");
}

TEST_F(MigrateRunner, RefusesAnAppliedMigrationWhoseFileChangedAndRunsNothing) {
  const std::string name = "20260101_001_products.cql";
  write(name, "CREATE TABLE products (id int PRIMARY KEY);\n");
  auto s = connect();
  const auto before = load();
  migrate::runner(s, before, quick()).apply();

  write(name, "CREATE TABLE products (id int PRIMARY KEY, name text);\n");
  write("20260101_002_orders.cql", "CREATE TABLE orders (id int PRIMARY KEY);\n");
  migrate::runner r(s, load(), quick());
  EXPECT_THAT(thrown([&] { r.apply(); }, migration_error::reason::refused).what(),
              HasSubstr((dir_ / name).string()));
  EXPECT_FALSE(has_table("orders"));
  EXPECT_FALSE(has_column("products", "name"));
  const auto rows = state_rows();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows.at("20260101_001").checksum, before[0].checksum);
  EXPECT_EQ(r.status()[0].state, migrate::state::changed);
}

TEST_F(MigrateRunner, RefusesADestructiveMigrationUnlessAllowed) {
  write("20260101_001_items.cql", "CREATE TABLE items (id int PRIMARY KEY, note text);\n");
  auto s = connect();
  migrate::runner(s, load(), quick()).apply();
  write("20260101_002_drop_note.cql", "ALTER TABLE items DROP note;\n");
  write("20260101_003_other.cql", "CREATE TABLE other (id int PRIMARY KEY);\n");
  migrate::runner r(s, load(), quick());
  EXPECT_THAT(thrown([&] { r.apply(); }, migration_error::reason::refused).what(),
              HasSubstr("allow_destructive"));
  EXPECT_TRUE(has_column("items", "note"));
  EXPECT_FALSE(has_table("other")) << "nothing runs";
  EXPECT_EQ(state_rows().size(), 1U);

  const auto done = r.apply({.dry_run = false, .target = std::nullopt, .allow_destructive = true});
  EXPECT_THAT(ids(done), ElementsAre("20260101_002", "20260101_003"));
  EXPECT_FALSE(has_column("items", "note"));
  EXPECT_TRUE(has_table("other"));
  EXPECT_EQ(state_rows().at("20260101_002").status, "applied");
}

TEST_F(MigrateRunner, WaitsForALockWhoseHolderDiedAndAppliesOnceItExpires) {
  auto s = connect();
  migrate::runner(s, {}, quick()).apply();  // creates the state and lock tables
  foreign_lock("dead-runner", 3);
  write("20260101_001_products.cql", "CREATE TABLE products (id int PRIMARY KEY);\n");
  std::vector<std::string> holders;
  migrate::runner r(s, load(), quick("me", [&](const migrate::event& e) {
                      if (e.what == migrate::event::kind::waiting_for_lock) {
                        holders.push_back(e.detail);
                      }
                    }));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(ids(r.apply()), ElementsAre("20260101_001"));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1s) << "it waited for the row to expire";
  EXPECT_THAT(holders, ElementsAre("dead-runner"));
  EXPECT_EQ(state_rows().at("20260101_001").applied_by, "me");
  EXPECT_TRUE(db().execute("SELECT owner FROM " + ks_ + ".coodie_migration_lock").empty())
      << "the lock is released";
}

TEST_F(MigrateRunner, GivesUpAsLockedWhileALiveRunnerHoldsTheLock) {
  auto s = connect();
  migrate::runner(s, {}, quick()).apply();
  foreign_lock("live-runner", 60);
  write("20260101_001_products.cql", "CREATE TABLE products (id int PRIMARY KEY);\n");
  migrate::runner r(s, load(), quick("me", nullptr, 1s));
  EXPECT_THAT(thrown([&] { r.apply(); }, migration_error::reason::locked).what(),
              HasSubstr("live-runner"));
  EXPECT_FALSE(has_table("products"));
  EXPECT_TRUE(state_rows().empty());
  db().execute("DELETE FROM " + ks_ +
               ".coodie_migration_lock WHERE name = 'migrate' IF owner = 'live-runner'");
  EXPECT_THAT(ids(r.apply()), ElementsAre("20260101_001")) << "free again";
}

TEST_F(MigrateRunner, TwoRunnersAtOnceApplyEachMigrationExactlyOnce) {
  write_tables(false);  // a second CREATE TABLE t1 would fail
  const auto all = load();
  std::latch go(2);
  std::vector<std::string> errors(2);
  std::vector<std::size_t> applied(2, 0);
  auto work = [&](std::size_t i) {
    try {
      auto s = connect();
      migrate::runner r(s, all, quick("runner-" + std::to_string(i), nullptr, 60s));
      go.arrive_and_wait();
      applied[i] = r.apply().migrations.size();
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
  EXPECT_EQ(errors[0] + errors[1], "");
  EXPECT_EQ(applied[0] + applied[1], 3U);
  const auto rows = state_rows();
  ASSERT_EQ(rows.size(), 3U);
  for (const auto& [id, x] : rows) {
    EXPECT_EQ(x.status, "applied") << id;
  }
}

TEST_F(MigrateRunner, AppliesAndRollsBackACppMigration) {
  const auto m = migrate::cpp_migration(
      {.id = "20260101_001", .description = "cpp table", .version = "1", .destructive = false},
      [](migrate::context& ctx) {
        ctx.execute("CREATE TABLE from_cpp (id int PRIMARY KEY)");
        ctx.execute("INSERT INTO from_cpp (id) VALUES (7)");
      },
      [](migrate::context& ctx) { ctx.execute("DROP TABLE from_cpp"); });
  auto s = connect();
  migrate::runner r(s, {m}, quick());
  const auto done = r.apply();
  ASSERT_THAT(ids(done), ElementsAre("20260101_001"));
  EXPECT_THAT(done.migrations[0].statements,
              ElementsAre("CREATE TABLE from_cpp (id int PRIMARY KEY)",
                          "INSERT INTO from_cpp (id) VALUES (7)"));
  EXPECT_EQ(db().execute("SELECT id FROM " + ks_ + ".from_cpp").front().get<std::int32_t>(0), 7);
  const recorded x = state_rows().at("20260101_001");
  EXPECT_EQ(x.status, "applied");
  EXPECT_EQ(x.checksum, m.checksum);
  EXPECT_EQ(r.status()[0].source, "c++");

  const auto back = r.rollback(1);
  EXPECT_THAT(back.migrations[0].statements, ElementsAre("DROP TABLE from_cpp"));
  EXPECT_FALSE(has_table("from_cpp"));
  EXPECT_TRUE(state_rows().empty());
  EXPECT_EQ(r.status()[0].state, migrate::state::pending);
}

TEST_F(MigrateRunner, TheHeartbeatRenewsTheLockEveryThirdOfItsLease) {
  std::set<std::int64_t> renewals;  // distinct renewed_at values seen while the lock is held
  const auto m = migrate::cpp_migration(
      {.id = "20260101_001", .description = "hold the lock"}, [&](migrate::context& ctx) {
        const auto end = std::chrono::steady_clock::now() + 2200ms;
        while (std::chrono::steady_clock::now() < end) {
          const coodie::result r = ctx.session().execute(
              "SELECT renewed_at FROM coodie_migration_lock WHERE name = 'migrate'");
          renewals.insert(r.front()
                              .get<std::chrono::sys_time<std::chrono::milliseconds>>(0)
                              .time_since_epoch()
                              .count());
          std::this_thread::sleep_for(50ms);
        }
      });
  auto s = connect();
  migrate::runner(s, {m}, quick()).apply();  // a lease of 2 s: a renewal every 667 ms
  EXPECT_GE(renewals.size(), 3U);
  EXPECT_LE(renewals.size(), 6U);
}

}  // namespace
