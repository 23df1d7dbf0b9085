// Thousands of requests in flight on one session: every one completes with its own answer. These
// load the node on purpose, so they run alone (RUN_SERIAL, see tests/CMakeLists.txt).
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include <future>
#include <mutex>
#include <thread>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/detached.hpp>

#include "support.hpp"

namespace coodie::test {
namespace {

COODIE_KEYSPACE_SUITE(Concurrency, "it_concurrency");

constexpr int in_flight = 5000;

std::string describe(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  }
}

boost::asio::awaitable<void> read_one(driver_session* s, prepared_statement ps, int key, int* ok,
                                      int* bad) {
  result r = co_await s->async_execute(ps.bind(key), boost::asio::use_awaitable);
  if (r.size() == 1 && r.front().get<std::string>(0) == "value-" + std::to_string(key)) {
    ++*ok;
  } else {
    ++*bad;
  }
}

TEST_F(Concurrency, FiveThousandCoroutinesInFlight) {
  db().execute("CREATE TABLE " + ks() + ".kv (k int PRIMARY KEY, v text)");
  prepared_statement ins = db().prepare("INSERT INTO " + ks() + ".kv (k, v) VALUES (?, ?)");
  prepared_statement sel = db().prepare("SELECT v FROM " + ks() + ".kv WHERE k = ?");

  // Writes: all issued before any completes, with callbacks.
  std::atomic<int> written{0};
  std::atomic<int> write_errors{0};
  std::string first_error;
  {
    boost::asio::io_context ctx;
    for (int k = 0; k < in_flight; ++k) {
      db().async_execute(ins.bind(k, "value-" + std::to_string(k)),
                         boost::asio::bind_executor(ctx, [&](std::exception_ptr e, result) {
                           if (e) {
                             if (write_errors++ == 0) {
                               first_error = describe(e);
                             }
                           } else {
                             ++written;
                           }
                         }));
    }
    ctx.run();
  }
  ASSERT_EQ(write_errors.load(), 0) << first_error;
  ASSERT_EQ(written.load(), in_flight);

  // Reads: 5,000 coroutines on one thread, all awaiting at once.
  int ok = 0;
  int bad = 0;
  boost::asio::io_context ctx;
  for (int k = 0; k < in_flight; ++k) {
    boost::asio::co_spawn(ctx, read_one(&db(), sel, k, &ok, &bad), boost::asio::detached);
  }
  ctx.run();
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(ok, in_flight);
}

TEST_F(Concurrency, InFlightLimitHoldsRequestsBackAndRunsThemAll) {
  db().execute("CREATE TABLE IF NOT EXISTS " + ks() + ".limited (k int PRIMARY KEY, v int)");
  session_options o = options_from_env();
  o.max_in_flight = 8;
  driver_session s = driver_session::connect(o);
  prepared_statement ins = s.prepare("INSERT INTO " + ks() + ".limited (k, v) VALUES (?, ?)");
  constexpr int n = 500;
  std::vector<std::future<result>> fs;
  for (int k = 0; k < n; ++k) {
    fs.push_back(s.async_execute(ins.bind(k, k), boost::asio::use_future));
  }
  for (auto& f : fs) {
    f.get();
  }
  session_metrics m = s.metrics();
  EXPECT_LE(m.peak_in_flight, 8);
  EXPECT_GE(m.peak_in_flight, 1);
  EXPECT_EQ(m.waiting, 0);
  EXPECT_EQ(m.totals.requests, static_cast<std::uint64_t>(n));  // PREPARE is not counted
  result r = s.execute("SELECT count(*) FROM " + ks() + ".limited");
  EXPECT_EQ(r.front().get<std::int64_t>(0), n);
  // The shared session, with the default limit of 4,096, was given 5,000 at once above.
  EXPECT_LE(db().metrics().peak_in_flight, 4096);
}

TEST_F(Concurrency, FuturesFromManyThreads) {
  db().execute("CREATE TABLE IF NOT EXISTS " + ks() + ".counts (k int PRIMARY KEY, v int)");
  prepared_statement ins = db().prepare("INSERT INTO " + ks() + ".counts (k, v) VALUES (?, ?)");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  std::mutex m;
  std::string first_error;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::future<result>> fs;
      for (int i = 0; i < 250; ++i) {
        int k = t * 1000 + i;
        fs.push_back(db().async_execute(ins.bind(k, k * 2), boost::asio::use_future));
      }
      for (auto& f : fs) {
        try {
          f.get();
        } catch (const std::exception& e) {
          if (failures++ == 0) {
            std::lock_guard lock(m);
            first_error = e.what();
          }
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0) << first_error;
  result r = db().execute("SELECT count(*) FROM " + ks() + ".counts");
  EXPECT_EQ(r.front().get<std::int64_t>(0), 1000);
}

}  // namespace
}  // namespace coodie::test
