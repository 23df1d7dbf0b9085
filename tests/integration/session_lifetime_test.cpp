// The end of a session with an I/O thread of its own, wherever its last owner lets it go: on
// that I/O thread itself (a handler or a coroutine that held the last handle), or by a move
// assignment that replaces it; and a session whose callers run its I/O, let go in a handler its
// caller ran. Either way the session closes, its threads end, and the process goes on. The
// count of the process's threads (/proc/self/task) shows it.
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "coodie/orm/session.hpp"
#include "support.hpp"

namespace {

namespace test = coodie::test;

/// Threads of this process now.
long thread_count() {
  long n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
    ++n;
  }
  return n;
}

/// Whether the process's thread count comes down to `want` within 10 s.
bool threads_come_down_to(long want) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (thread_count() > want) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

TEST(SessionLifetime, TheLastHandleLetGoOnItsOwnIoThreadClosesTheSession) {
  const long before = thread_count();
  auto s = std::make_shared<coodie::driver_session>(
      coodie::driver_session::connect(test::options_from_env()));
  ASSERT_GT(thread_count(), before);  // its I/O thread
  EXPECT_EQ(s->execute("SELECT release_version FROM system.local").size(), 1u);
  std::promise<bool> on_io_thread;
  const coodie::driver_session::executor_type ex = s->get_executor();
  boost::asio::post(ex, [s = std::move(s), &on_io_thread]() mutable {
    const bool there = s->running_in_io_thread();
    s.reset();  // the last owner: the session ends here, on its own thread
    on_io_thread.set_value(there);
  });
  EXPECT_TRUE(on_io_thread.get_future().get());
  EXPECT_TRUE(threads_come_down_to(before))
      << thread_count() << " threads, " << before << " before the session";
}

TEST(SessionLifetime, AnAioSessionWhoseLastOwnerIsACoroutineClosesWhenItEnds) {
  const long before = thread_count();
  auto s = std::make_shared<coodie::aio::session>(
      coodie::driver_session::connect(test::options_from_env()));
  std::promise<std::size_t> rows;
  const coodie::driver_session::executor_type ex = s->driver().get_executor();
  boost::asio::co_spawn(
      ex,
      [](std::shared_ptr<coodie::aio::session> owned,
         std::promise<std::size_t>* out) -> boost::asio::awaitable<void> {
        coodie::driver_session& db = owned->driver();
        const coodie::statement st("SELECT release_version FROM system.local");  // named: GCC 12
        coodie::result r = co_await db.async_execute(st);
        owned.reset();  // the coroutine held the last handle
        out->set_value(r.size());
      }(std::move(s), &rows),
      boost::asio::detached);
  EXPECT_EQ(rows.get_future().get(), 1u);
  EXPECT_TRUE(threads_come_down_to(before))
      << thread_count() << " threads, " << before << " before the session";
}

TEST(SessionLifetime, ACallerDrivenSessionLetGoInAHandlerItsCallerRunsCloses) {
  coodie::session_options o = test::options_from_env();
  o.io_threads = 0;  // the thread waiting in pages.next() runs the session's handlers
  const long before = thread_count();
  auto s = std::make_shared<coodie::driver_session>(coodie::driver_session::connect(o));
  // Many pages (hundreds of schema columns, 5 a page): the handler's one round trip, sent
  // first, is answered while they are read.
  coodie::statement st("SELECT column_name FROM system_schema.columns");
  st.set_page_size(5);
  coodie::pager pages = s->pages(st);
  std::promise<bool> let_go;
  s->async_execute("SELECT release_version FROM system.local",
                   [owned = s, &let_go](std::exception_ptr e, coodie::result) mutable {
                     const bool driving = owned->running_in_io_thread();
                     owned.reset();  // the last owner of the handle
                     let_go.set_value(driving && e == nullptr);
                   });
  s.reset();
  bool closed_under_the_pager = false;
  try {
    while (std::optional<coodie::result> page = pages.next()) {  // drives the session meanwhile
    }
  } catch (const coodie::connection_error& e) {
    // The session closed under the pager: its last handle went, so later pages cannot come.
    EXPECT_NE(std::string(e.what()).find("closed"), std::string::npos) << e.what();
    closed_under_the_pager = true;
  }
  EXPECT_TRUE(closed_under_the_pager);  // hundreds of round trips: the close comes first
  std::future<bool> done = let_go.get_future();
  ASSERT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(done.get());  // released on the thread that ran the handler, as the caller drove
  EXPECT_TRUE(threads_come_down_to(before))
      << thread_count() << " threads, " << before << " before the session";
}

TEST(SessionLifetime, MoveAssignmentClosesTheSessionItReplaces) {
  const long before = thread_count();
  coodie::driver_session a = coodie::driver_session::connect(test::options_from_env());
  const long with_one = thread_count();
  ASSERT_GT(with_one, before);
  a = coodie::driver_session::connect(test::options_from_env());
  EXPECT_EQ(thread_count(), with_one);  // the first session's thread was joined
  EXPECT_EQ(a.execute("SELECT release_version FROM system.local").size(), 1u);
  a = coodie::driver_session();
  EXPECT_FALSE(a.is_open());
  EXPECT_EQ(thread_count(), before);
}

}  // namespace
