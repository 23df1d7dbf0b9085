// The built `coodie` program against the local Cassandra: concurrent runners, a killed lock
// holder, refusals, dry runs, rollbacks, JSON output and exit codes.
#include <chrono>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "cli_support.hpp"
#include "support.hpp"

namespace coodie::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using MigrateCli = cli_keyspace;

TEST_F(MigrateCli, FourRunnersAtOnceApplyEachMigrationExactlyOnceTenTimesOver) {
  dir_.write("20261201_000_counts.cql", "CREATE TABLE counts (k text PRIMARY KEY, n counter);");
  constexpr int rounds = 10;
  for (int r = 1; r <= rounds; ++r) {
    const std::string n = std::to_string(r);
    const std::string seq = (r < 10 ? "00" : "0") + n;
    // A second run of either would show: the CREATE fails, the counter counts twice.
    dir_.write("20261202_" + seq + "_table_" + n + ".cql",
               "CREATE TABLE t" + n + " (k int PRIMARY KEY);");
    dir_.write("20261203_" + seq + "_count_" + n + ".cql",
               "UPDATE counts SET n = n + 1 WHERE k = 'runs';");
    std::vector<cli_process> runners;
    for (int i = 0; i < 4; ++i) {
      runners.push_back(start("migrate", {"--lock-wait", "120"}));
    }
    for (cli_process& p : runners) {
      const cli_outcome o = p.wait();
      ASSERT_EQ(o.code, 0) << "round " << r << ": " << o.err;
    }
    ASSERT_TRUE(has_table("t" + n));
  }
  const std::map<std::string, std::string> st = state();
  EXPECT_EQ(st.size(), 2U * rounds + 1);
  for (const auto& [id, status] : st) {
    EXPECT_EQ(status, "applied") << id;
  }
  result counted = admin_->execute("SELECT n FROM " + ks_ + ".counts WHERE k = 'runs'");
  ASSERT_EQ(counted.size(), 1U);
  EXPECT_EQ(counted.front().get<std::int64_t>(0), rounds);
}

TEST_F(MigrateCli, AKilledLockHolderIsTakenOverAfterItsLeaseAndTheRunFinishes) {
  std::string text = "CREATE TABLE big (k int PRIMARY KEY, v text);\n";
  constexpr int rows = 600;
  for (int i = 0; i < rows; ++i) {
    text += "INSERT INTO big (k, v) VALUES (" + std::to_string(i) + ", 'v');\n";
  }
  dir_.write("20261201_001_big.cql", text);
  cli_process holder = start("migrate", {"--lease", "3"});
  // Kill it once it is inside the migration, holding the lock.
  bool inside = false;
  for (int i = 0; i < 1500 && !inside; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    try {  // the state table appears while the runner creates it ("Unknown CF" for a moment)
      result r = admin_->execute("SELECT status, steps_done FROM " + ks_ +
                                 ".coodie_migrations WHERE id = '20261201_001'");
      inside = !r.empty() && r.front().get<std::optional<std::int32_t>>(1).value_or(0) >= 5;
    } catch (const server_error&) {
    }
  }
  ASSERT_TRUE(inside) << "the first runner never got inside its migration";
  holder.kill();
  EXPECT_EQ(state()["20261201_001"], "running");
  // Until its lease ends the dead runner still holds the lock: status reports work in progress.
  const cli_outcome during = run("status", {"--json"});
  EXPECT_EQ(during.code, 0) << during.err;
  EXPECT_THAT(std::string(boost::json::parse(during.out).at("lock_holder").as_string()),
              HasSubstr(":"));

  const auto start_time = std::chrono::steady_clock::now();
  const cli_outcome o = run("migrate", {"--lease", "3", "--lock-wait", "60"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.err, HasSubstr("waiting for the migration lock held by"));
  EXPECT_GE(std::chrono::steady_clock::now() - start_time, std::chrono::milliseconds(500));
  EXPECT_EQ(state()["20261201_001"], "applied");
  result count = admin_->execute("SELECT COUNT(*) FROM " + ks_ + ".big");
  EXPECT_EQ(count.front().get<std::int64_t>(0), rows);
}

TEST_F(MigrateCli, AnEditedAppliedFileIsRefusedNamingIt) {
  const auto file = dir_.write("20261201_001_t.cql", "CREATE TABLE t (k int PRIMARY KEY);\n");
  ASSERT_EQ(run("migrate").code, 0);
  dir_.write("20261201_001_t.cql", "CREATE TABLE t (k int PRIMARY KEY, v text);\n");
  dir_.write("20261201_002_u.cql", "CREATE TABLE u (k int PRIMARY KEY);\n");
  const cli_outcome o = run("migrate");
  EXPECT_EQ(o.code, 3);
  EXPECT_THAT(o.err, HasSubstr("20261201_001_t.cql) changed since it was applied"));
  EXPECT_FALSE(has_table("u"));
  const cli_outcome st = run("status", {"--json"});
  EXPECT_EQ(st.code, 3);
  EXPECT_EQ(boost::json::parse(st.out).at("migrations").at(0).at("state"), "changed");
}

TEST_F(MigrateCli, ADestructiveMigrationRunsOnlyWithAllowDestructive) {
  dir_.write("20261201_001_t.cql", "CREATE TABLE t (k int PRIMARY KEY, old text);\n");
  ASSERT_EQ(run("migrate").code, 0);
  dir_.write(
      "20261201_002_drop_old.cql",
      "-- coodie:up\nALTER TABLE t DROP old;\n-- coodie:down\nALTER TABLE t ADD old text;\n");
  const cli_outcome refused = run("migrate");
  EXPECT_EQ(refused.code, 3);
  EXPECT_THAT(refused.err, HasSubstr("--allow-destructive"));
  EXPECT_EQ(live_column_type(*admin_, ks_, "t", "old"), "text");
  ASSERT_EQ(run("migrate", {"--allow-destructive"}).code, 0);
  EXPECT_EQ(live_column_type(*admin_, ks_, "t", "old"), "");
}

TEST_F(MigrateCli, ADryRunPrintsTheStatementsAndChangesNothing) {
  dir_.write("20261201_001_t.cql",
             "CREATE TABLE t (k int PRIMARY KEY); -- the table\n"
             "INSERT INTO t (k) VALUES (1);\n");
  const cli_outcome o = run("migrate", {"--dry-run"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("Would apply 1 migration"));
  EXPECT_THAT(o.out, HasSubstr("CREATE TABLE t (k int PRIMARY KEY);"));
  EXPECT_THAT(o.out, HasSubstr("INSERT INTO t (k) VALUES (1);"));
  EXPECT_THAT(o.out, Not(HasSubstr("the table")));
  EXPECT_FALSE(has_table("t"));
  EXPECT_FALSE(has_table("coodie_migrations"));
}

TEST_F(MigrateCli, StatusJsonParsesAndMatchesTheHumanOutput) {
  dir_.write("20261201_001_a.cql", "CREATE TABLE a (k int PRIMARY KEY);");
  dir_.write("20261201_002_b.cql", "CREATE TABLE b (k int PRIMARY KEY);");
  dir_.write("20261201_003_c.cql", "CREATE TABLE c (k int PRIMARY KEY);");
  ASSERT_EQ(run("migrate", {"--target", "20261201_002"}).code, 0);
  const cli_outcome human = run("status");
  const cli_outcome json = run("status", {"--json"});
  ASSERT_EQ(human.code, 0) << human.err;
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_EQ(run("status", {"--check"}).code, 6);
  const boost::json::value v = boost::json::parse(json.out);
  EXPECT_EQ(v.at("keyspace").as_string(), ks_);
  const boost::json::array& all = v.at("migrations").as_array();
  ASSERT_EQ(all.size(), 3U);
  for (const boost::json::value& m : all) {
    EXPECT_THAT(human.out, testing::ContainsRegex(std::string(m.at("state").as_string()) + " +" +
                                                  std::string(m.at("id").as_string()) + "  " +
                                                  std::string(m.at("description").as_string())));
  }
  EXPECT_EQ(all[1].at("state"), "applied");
  EXPECT_EQ(all[2].at("state"), "pending");
  EXPECT_EQ(v.at("summary").at("applied"), 2);
  EXPECT_THAT(human.out, HasSubstr(ks_ + ": 3 migrations, 2 applied, 1 pending"));
}

TEST_F(MigrateCli, RollbackRestoresTheSchemaRowsExactly) {
  auto schema = [&] {
    std::vector<std::string> out;
    for (const row& r : admin_->rows(statement(
             "SELECT table_name, column_name, kind, position, type, clustering_order FROM "
             "system_schema.columns WHERE keyspace_name = ?",
             ks_))) {
      out.push_back(r.get<std::string>(0) + ' ' + r.get<std::string>(1) + ' ' +
                    r.get<std::string>(2) + ' ' + std::to_string(r.get<std::int32_t>(3)) + ' ' +
                    r.get<std::string>(4) + ' ' + r.get<std::string>(5));
    }
    for (const row& r : admin_->rows(statement("SELECT table_name, index_name FROM "
                                               "system_schema.indexes WHERE keyspace_name = ?",
                                               ks_))) {
      out.push_back(r.get<std::string>(0) + " index " + r.get<std::string>(1));
    }
    return out;
  };
  dir_.write("20261201_001_t.cql", "CREATE TABLE t (k int, c int, v text, PRIMARY KEY (k, c));");
  ASSERT_EQ(run("migrate").code, 0);
  const std::vector<std::string> before = schema();
  dir_.write("20261201_002_more.cql",
             "-- coodie:up\nALTER TABLE t ADD brand text;\nCREATE INDEX t_brand ON t (brand);\n"
             "CREATE TABLE extra (k int PRIMARY KEY, tags set<text>);\n"
             "-- coodie:down\nDROP TABLE extra;\nDROP INDEX t_brand;\nALTER TABLE t DROP brand;\n");
  ASSERT_EQ(run("migrate").code, 0);
  ASSERT_NE(schema(), before);
  const cli_outcome o = run("migrate", {"--rollback", "--steps", "1"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("Rolled back 1 migration"));
  EXPECT_EQ(schema(), before);
  EXPECT_EQ(state().count("20261201_002"), 0U);
}

TEST_F(MigrateCli, AFailedStatementExitsWithOneAndTheFixedFileResumesAtIt) {
  dir_.write("20261201_001_t.cql",
             "CREATE TABLE t (k int PRIMARY KEY);\nINSERT INTO missing (k) VALUES (1);\n");
  const cli_outcome failed = run("migrate");
  EXPECT_EQ(failed.code, 1);
  EXPECT_THAT(failed.err, HasSubstr("statement 2 of 2"));
  EXPECT_EQ(state()["20261201_001"], "failed");
  EXPECT_EQ(run("status").code, 3);
  // The CREATE TABLE would fail if run again: the resumed run starts at the fixed statement.
  dir_.write("20261201_001_t.cql",
             "CREATE TABLE t (k int PRIMARY KEY);\nINSERT INTO t (k) VALUES (1);\n");
  const cli_outcome fixed = run("migrate");
  ASSERT_EQ(fixed.code, 0) << fixed.err;
  EXPECT_EQ(state()["20261201_001"], "applied");
}

TEST_F(MigrateCli, EveryCommandHasHelpAndBadArgumentsExitWithTwo) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"migrate", "--help"}, {"status", "--help"}}) {
    const cli_outcome o = run_cli(dir_.path(), args);
    EXPECT_EQ(o.code, 0);
    EXPECT_THAT(o.out, HasSubstr("Usage:"));
  }
  EXPECT_THAT(run_cli(dir_.path(), {"migrate", "--help"}).out, HasSubstr("--allow-destructive"));
  EXPECT_EQ(run_cli(dir_.path(), {"frobnicate"}).code, 2);
  EXPECT_EQ(run("migrate", {"--steps", "2"}).code, 2);  // --steps needs --rollback
  if (std::getenv("COODIE_KEYSPACE") == nullptr && std::getenv("COODIE_URI") == nullptr) {
    EXPECT_EQ(run_cli(dir_.path(), {"status"}).code, 2);  // no keyspace anywhere
  }
}

TEST_F(MigrateCli, ConnectionFailuresExitWithFiveAndNeverShowThePassword) {
  const cli_outcome o =
      run_cli(dir_.path(), {"status", "--uri", "cassandra://someone:s3cr3tpw@127.0.0.1:1/" + ks_});
  EXPECT_EQ(o.code, 5) << o.err;
  EXPECT_THAT(o.out + o.err, Not(HasSubstr("s3cr3tpw")));
  const cli_outcome j = run_cli(
      dir_.path(), {"status", "--json", "--uri", "cassandra://someone:s3cr3tpw@127.0.0.1:1/x"});
  EXPECT_EQ(j.code, 5);
  EXPECT_EQ(boost::json::parse(j.out).at("error").at("kind"), "connection");
  // A URI given where no argument belongs: the usage error does not echo its password.
  const cli_outcome misplaced =
      run_cli(dir_.path(), {"status", "cassandra://someone:s3cr3tpw@127.0.0.1/x"});
  EXPECT_EQ(misplaced.code, 2);
  EXPECT_THAT(misplaced.out + misplaced.err, Not(HasSubstr("s3cr3tpw")));
  EXPECT_THAT(misplaced.err, HasSubstr("***"));
  EXPECT_THAT(j.out + j.err, Not(HasSubstr("s3cr3tpw")));
}

}  // namespace
}  // namespace coodie::test
