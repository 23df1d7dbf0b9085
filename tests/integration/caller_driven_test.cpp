// A session with no I/O thread of its own (session_options::io_threads = 0): the threads that
// wait in blocking calls run its I/O. Every kind of blocking call, many threads at once on one
// session, the object mapper's sync front on it, and asynchronous calls, which complete while a
// blocking call drives the session.
#include <atomic>
#include <cstdint>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/migrate/codegen.hpp"
#include "coodie/orm/session.hpp"
#include "support.hpp"

namespace caller_driven_test {
struct Entry {
  std::int32_t id = 0;
  std::int32_t n = 0;
  std::string text;
};
}  // namespace caller_driven_test

using caller_driven_test::Entry;

template <>
inline constexpr auto coodie::model<Entry> =
    coodie::table("entries").partition_key<&Entry::id>().clustering_key<&Entry::n>();

namespace {

namespace test = coodie::test;
using coodie::col;

COODIE_KEYSPACE_SUITE(CallerDriven, "caller_driven");

coodie::session_options driven_options() {
  coodie::session_options o = test::options_from_env();
  o.io_threads = 0;
  return o;
}

TEST_F(CallerDriven, EveryBlockingCallRunsTheIoOnTheCallingThread) {
  coodie::driver_session s = coodie::driver_session::connect(driven_options());
  const std::string table = ks() + ".kv";
  s.execute("CREATE TABLE IF NOT EXISTS " + table + " (k int, c int, v text, PRIMARY KEY (k, c))");
  coodie::prepared_statement ins =
      s.prepare("INSERT INTO " + table + " (k, c, v) VALUES (?, ?, ?)");
  for (std::int32_t c = 0; c < 30; ++c) {
    s.execute(ins.bind(1, c, "v" + std::to_string(c)));
  }
  coodie::pager p =
      s.pages(coodie::statement("SELECT c, v FROM " + table + " WHERE k = 1").set_page_size(7));
  std::int32_t rows = 0;
  std::size_t pages = 0;
  while (std::optional<coodie::result> r = p.next()) {
    ++pages;
    for (const coodie::row& row : *r) {
      EXPECT_EQ(row.get<std::int32_t>(0), rows);
      EXPECT_EQ(row.get<std::string>(1), "v" + std::to_string(rows));
      ++rows;
    }
  }
  EXPECT_EQ(rows, 30);
  EXPECT_GE(pages, 5u);
  EXPECT_FALSE(s.running_in_io_thread()) << "between calls no thread runs the session's I/O";
  s.close();
  EXPECT_FALSE(s.is_open());
}

TEST_F(CallerDriven, ManyThreadsShareOneSessionAndEachGetsItsOwnAnswers) {
  coodie::driver_session s = coodie::driver_session::connect(driven_options());
  const std::string table = ks() + ".shared";
  s.execute("CREATE TABLE IF NOT EXISTS " + table + " (k int PRIMARY KEY, v int)");
  coodie::prepared_statement ins = s.prepare("INSERT INTO " + table + " (k, v) VALUES (?, ?)");
  coodie::prepared_statement sel = s.prepare("SELECT v FROM " + table + " WHERE k = ?");
  std::atomic<int> wrong{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (std::int32_t t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (std::int32_t i = 0; i < 150; ++i) {
          const std::int32_t k = t * 1000 + i;
          s.execute(ins.bind(k, k * 3));
          coodie::result r = s.execute(sel.bind(k));
          if (r.size() != 1 || r.front().get<std::int32_t>(0) != k * 3) {
            ++wrong;
          }
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << "thread " << t << ": " << e.what();
        ++failed;
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(s.execute("SELECT COUNT(*) FROM " + table).front().get<std::int64_t>(0), 900);
}

TEST_F(CallerDriven, AsyncCallsCompleteWhileABlockingCallDrives) {
  coodie::driver_session s = coodie::driver_session::connect(driven_options());
  std::atomic<bool> answered{false};
  std::exception_ptr nested;
  s.async_execute(coodie::statement("SELECT release_version FROM system.local"),
                  [&](std::exception_ptr e, coodie::result r) {
                    EXPECT_FALSE(e);
                    EXPECT_EQ(r.size(), 1u);
                    // A handler runs on the thread driving the session: blocking there is refused.
                    try {
                      s.execute("SELECT now() FROM system.local");
                    } catch (...) {
                      nested = std::current_exception();
                    }
                    answered = true;
                  });
  // Nothing drives the session until a blocking call does; this one runs the handler too.
  s.execute("SELECT cluster_name FROM system.local");
  for (int i = 0; i < 100 && !answered; ++i) {
    s.execute("SELECT cluster_name FROM system.local");
  }
  ASSERT_TRUE(answered.load());
  EXPECT_THROW(std::rethrow_exception(nested), coodie::usage_error);
}

TEST_F(CallerDriven, TheSyncObjectMapperRunsOnIt) {
  coodie::session_options o = driven_options();
  o.keyspace = ks();
  coodie::sync::session s = coodie::sync::connect(o);
  s.sync_table<Entry>();
  for (std::int32_t n = 0; n < 12; ++n) {
    s.save(Entry{7, n, "e" + std::to_string(n)});
  }
  EXPECT_EQ(s.get<Entry>(7, 3).text, "e3");
  EXPECT_FALSE(s.find_one<Entry>(7, 99).has_value());
  auto q = s.find<Entry>().where(col<&Entry::id> == 7);
  EXPECT_EQ(q.count(), 12);
  EXPECT_EQ(q.fetch_size(5).all().size(), 12u);
  EXPECT_EQ(q.limit(4).all().size(), 4u);
  std::size_t streamed = 0;
  for (const Entry& e : q.fetch_size(5).stream()) {
    EXPECT_EQ(e.text, "e" + std::to_string(e.n));
    ++streamed;
  }
  EXPECT_EQ(streamed, 12u);

  // The migration tools wait the same way: reading the live schema runs on this thread too.
  const std::string models = coodie::migrate::generate_models(s.driver(), {.name_space = "live"});
  EXPECT_NE(models.find("table(\"entries\")"), std::string::npos) << models;
}

}  // namespace
