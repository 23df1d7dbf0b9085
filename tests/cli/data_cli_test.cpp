// A data migration over 100,000 rows, killed mid-way and resumed: every row processed, none
// skipped, little processed twice, and the rate held to its limit.
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/use_future.hpp>

#include "cli_support.hpp"

namespace coodie::test {
namespace {

using DataCli = cli_keyspace;

constexpr std::int32_t row_count = 100'000;
constexpr double rate_limit = 20'000;

std::int64_t value_of(std::int32_t k) {
  return static_cast<std::int64_t>(k) * 7 + 3;
}

std::size_t lines_in(const std::filesystem::path& p) {
  std::ifstream in(p);
  return static_cast<std::size_t>(
      std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
}

TEST_F(DataCli, AKilledDataMigrationResumesWithoutSkippingARowAndHoldsItsRate) {
  admin_->execute("CREATE TABLE " + ks_ + ".events (k int PRIMARY KEY, v bigint)");
  prepared_statement insert =
      admin_->prepare("INSERT INTO " + ks_ + ".events (k, v) VALUES (?, ?)");
  std::vector<std::future<result>> wave;
  for (std::int32_t k = 0; k < row_count; ++k) {
    wave.push_back(admin_->async_execute(insert.bind(k, value_of(k)), boost::asio::use_future));
    if (wave.size() == 512 || k + 1 == row_count) {
      for (auto& f : wave) {
        f.get();
      }
      wave.clear();
    }
  }
  const auto log = dir_.path() / "events.log";
  setenv("COODIE_TEST_LOG", log.c_str(), 1);
  setenv("COODIE_TEST_RATE", std::to_string(rate_limit).c_str(), 1);

  cli_process first(dir_.path(), {"migrate", "-k", ks_, "--lease", "3"}, COODIE_DATA_APP);
  for (int i = 0; i < 1000 && lines_in(log) < 45'000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::size_t at_kill = lines_in(log);
  first.kill();
  ASSERT_GE(at_kill, 45'000U) << "the first run did not get far enough";
  ASSERT_LT(at_kill, static_cast<std::size_t>(row_count)) << "the first run finished already";

  const cli_outcome resumed = run_cli(
      dir_.path(), {"migrate", "-k", ks_, "--lease", "3", "--lock-wait", "60"}, COODIE_DATA_APP);
  ASSERT_EQ(resumed.code, 0) << resumed.err;

  // Every row, each with its value; repeats only from the range the kill interrupted.
  std::map<std::int32_t, int> seen;
  std::int64_t sum = 0;
  std::ifstream in(log);
  std::int32_t k = 0;
  std::int64_t v = 0;
  std::size_t lines = 0;
  while (in >> k >> v) {
    ++lines;
    ASSERT_EQ(v, value_of(k)) << "row " << k;
    if (seen[k]++ == 0) {
      sum += v;
    }
  }
  std::int64_t expected = 0;
  for (std::int32_t i = 0; i < row_count; ++i) {
    expected += value_of(i);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(row_count));
  EXPECT_EQ(sum, expected);
  std::int64_t largest_range = 0;
  for (const row& r : admin_->rows(statement(
           "SELECT rows FROM " + ks_ + ".coodie_data_checkpoints WHERE scan = 'log_events'"))) {
    largest_range = std::max(largest_range, r.get<std::int64_t>(0));
  }
  const std::size_t repeated = lines - static_cast<std::size_t>(row_count);
  EXPECT_LE(repeated, static_cast<std::size_t>(largest_range));

  // The resumed run's own pace, as the scan measured it.
  const std::size_t at = resumed.err.find(" rate ");
  ASSERT_NE(at, std::string::npos) << resumed.err;
  const double rate = std::stod(resumed.err.substr(at + 6));
  std::cout << "[ figures  ] killed after " << at_kill << " rows; re-processed " << repeated
            << " (largest range " << largest_range << "); resumed run at " << rate
            << " rows/s against a limit of " << rate_limit << " (" << (rate / rate_limit - 1) * 100
            << "%)\n";
  EXPECT_NEAR(rate, rate_limit, rate_limit * 0.10);
  EXPECT_THAT(resumed.err, ::testing::HasSubstr("resumed 1"));
}

}  // namespace
}  // namespace coodie::test
