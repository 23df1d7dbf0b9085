// Shared setup of the integration tests: the session options from the environment, a unique
// keyspace per suite, and the sync/async fronts that let one test body run in both styles.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "coodie/driver/session.hpp"

namespace coodie::test {

/// session_options::from_env() with a 30 s request timeout, and the default superuser of the
/// node that scripts/cassandra runs when COODIE_USERNAME is unset.
session_options options_from_env();

/// "<prefix>_<seed>", printed once so a failing run can be traced on the server.
std::string unique_keyspace(std::string_view prefix);

/// The live CQL type of a column as system_schema.columns spells it ("" when there is none).
std::string live_column_type(driver_session& db, const std::string& keyspace,
                             const std::string& table, const std::string& column);

/// Creates a keyspace (SimpleStrategy, RF 1) for a suite and drops it afterwards.
class keyspace_suite : public ::testing::Test {
 public:
  static void create(std::string_view prefix);
  static void drop();
  static driver_session& db();
  static const std::string& ks();
};

#define COODIE_KEYSPACE_SUITE(Fixture, prefix)                       \
  class Fixture : public ::coodie::test::keyspace_suite {            \
   public:                                                           \
    static void SetUpTestSuite() { keyspace_suite::create(prefix); } \
    static void TearDownTestSuite() { keyspace_suite::drop(); }      \
  }

/// Runs a coroutine to completion on an io_context of the calling thread.
template <class T>
T run_coro(boost::asio::awaitable<T> coro) {
  boost::asio::io_context ctx;
  auto fut = boost::asio::co_spawn(ctx, std::move(coro), boost::asio::use_future);
  ctx.run();
  return fut.get();
}

boost::asio::awaitable<result> execute_coro(driver_session* s, statement st);
boost::asio::awaitable<result> execute_bound_coro(driver_session* s, bound_statement st);
boost::asio::awaitable<result> execute_batch_coro(driver_session* s, batch b);
boost::asio::awaitable<prepared_statement> prepare_coro(driver_session* s, std::string cql);
boost::asio::awaitable<std::optional<result>> next_page_coro(pager* p);

/// Blocking calls.
struct sync_front {
  static constexpr const char* name = "sync";
  static result execute(driver_session& s, const statement& st) { return s.execute(st); }
  static result execute(driver_session& s, const bound_statement& st) { return s.execute(st); }
  static result execute(driver_session& s, const batch& b) { return s.execute(b); }
  static prepared_statement prepare(driver_session& s, std::string cql) {
    return s.prepare(std::move(cql));
  }
  static std::optional<result> next_page(pager& p) { return p.next(); }
};

/// The same calls as coroutines awaited on the test thread's own io_context.
struct async_front {
  static constexpr const char* name = "async";
  static result execute(driver_session& s, const statement& st) {
    return run_coro(execute_coro(&s, st));
  }
  static result execute(driver_session& s, const bound_statement& st) {
    return run_coro(execute_bound_coro(&s, st));
  }
  static result execute(driver_session& s, const batch& b) {
    return run_coro(execute_batch_coro(&s, b));
  }
  static prepared_statement prepare(driver_session& s, std::string cql) {
    return run_coro(prepare_coro(&s, std::move(cql)));
  }
  static std::optional<result> next_page(pager& p) { return run_coro(next_page_coro(&p)); }
};

using fronts = ::testing::Types<sync_front, async_front>;

struct front_names {
  template <class T>
  static std::string GetName(int) {
    return T::name;
  }
};

}  // namespace coodie::test
