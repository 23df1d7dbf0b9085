// How ODM sessions come to be: lazy connection (on first use) for both fronts, and the default
// session set once, against the local Cassandra.
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>

#include "coodie/orm/session.hpp"
#include "support.hpp"

namespace orm_session_test {

struct Note {
  std::int32_t id = 0;
  std::string text;
};

}  // namespace orm_session_test

using orm_session_test::Note;

template <>
inline constexpr auto coodie::model<Note> = coodie::table("notes").partition_key<&Note::id>();

namespace {

namespace test = coodie::test;
namespace asio = boost::asio;

COODIE_KEYSPACE_SUITE(OrmSessions, "orm_sessions");

coodie::session_options unreachable() {
  coodie::session_options o = test::options_from_env();
  o.hosts = {"127.0.0.1"};
  o.port = 1;  // nothing listens there
  o.keyspace = "nowhere";
  o.connect_timeout = std::chrono::milliseconds(500);
  return o;
}

// --8<-- [start:lazy]
TEST_F(OrmSessions, SyncLazySessionConnectsOnFirstCall) {
  // Creating a lazy session does no I/O: an unreachable node fails only at the first call, with
  // the driver's own error, and the next call tries again.
  coodie::sync::session bad = coodie::sync::connect_lazily(unreachable());
  EXPECT_THROW(bad.find_one<Note>(1), coodie::connection_error);
  EXPECT_THROW(bad.connect(), coodie::connection_error);

  coodie::session_options o = test::options_from_env();
  o.keyspace = ks();
  coodie::sync::session s = coodie::sync::connect_lazily(o);
  s.sync_table<Note>();
  s.save(Note{1, "one"});
  EXPECT_EQ(s.get<Note>(1).text, "one");
  EXPECT_TRUE(s.driver().is_open());
}
// --8<-- [end:lazy]

// --8<-- [start:default-session]
TEST_F(OrmSessions, SyncDefaultSession) {
  coodie::sync::clear_default_session();
  EXPECT_THROW(coodie::sync::default_session(), coodie::usage_error);
  coodie::session_options o = test::options_from_env();
  o.keyspace = ks();
  coodie::sync::init_lazily(o);
  coodie::sync::default_session().sync_table<Note>();
  coodie::sync::default_session().save(Note{2, "two"});
  EXPECT_EQ(coodie::sync::default_session().get<Note>(2).text, "two");
  // Copies share one connection: a copy made before a replacement keeps working.
  coodie::sync::session held = coodie::sync::default_session();
  coodie::sync::init(o);
  EXPECT_EQ(held.get<Note>(2).text, "two");
  EXPECT_EQ(coodie::sync::default_session().get<Note>(2).text, "two");
  coodie::sync::clear_default_session();
  EXPECT_THROW(coodie::sync::default_session(), coodie::usage_error);
}
// --8<-- [end:default-session]

boost::asio::awaitable<bool> aio_unreachable_fails_on_first_call() {
  coodie::aio::session bad = coodie::aio::connect_lazily(unreachable());
  try {
    co_await bad.find_one<Note>(1);
  } catch (const coodie::connection_error&) {
    co_return true;
  }
  co_return false;
}

boost::asio::awaitable<void> aio_lazy(coodie::aio::session s) {
  // Concurrent first uses share one connect (s connects on this coroutine's executor).
  auto ex = co_await boost::asio::this_coro::executor;
  bool other_done = false;
  std::exception_ptr other_failed;
  boost::asio::co_spawn(ex, s.connect(), [&](std::exception_ptr e) {
    other_failed = e;
    other_done = true;
  });
  co_await s.sync_table<Note>();
  while (!other_done) {
    boost::asio::steady_timer wait(ex, std::chrono::milliseconds(1));
    co_await wait.async_wait(boost::asio::use_awaitable);
  }
  EXPECT_FALSE(other_failed);
  EXPECT_TRUE(s.driver().is_open());
  std::optional<Note> absent = co_await s.find_one<Note>(4);
  EXPECT_FALSE(absent.has_value());
  // Named, not a temporary: GCC 12 destroys a temporary of a co_await full-expression twice.
  Note note{3, "three"};
  co_await s.save(note);
  Note three = co_await s.get<Note>(3);
  EXPECT_EQ(three.text, "three");
}

// By pointer: session_options in the frame trips GCC 12's false -Wmismatched-new-delete.
boost::asio::awaitable<std::string> aio_default(std::shared_ptr<coodie::session_options> o) {
  co_await coodie::aio::init(*o);
  Note n = co_await coodie::aio::default_session().get<Note>(3);
  coodie::aio::clear_default_session();
  co_return n.text;
}

TEST_F(OrmSessions, AioLazySessionConnectsOnFirstAwait) {
  coodie::session_options o = test::options_from_env();
  o.keyspace = ks();
  EXPECT_TRUE(test::run_coro(aio_unreachable_fails_on_first_call()));
  coodie::aio::session lazy = coodie::aio::connect_lazily(o);
  // Not connected yet: the driver session is refused rather than connected while blocking.
  EXPECT_THROW(lazy.driver(), coodie::usage_error);
  // Moved in: the session connects on the run's io_context, so it must end within the run.
  test::run_coro(aio_lazy(std::move(lazy)));
  coodie::aio::clear_default_session();
  EXPECT_THROW(coodie::aio::default_session(), coodie::usage_error);
  EXPECT_EQ(test::run_coro(aio_default(std::make_shared<coodie::session_options>(o))), "three");
  EXPECT_THROW(coodie::aio::default_session(), coodie::usage_error);
}

}  // namespace
