// The two ODM fronts for typed integration tests: one test body runs through coodie::sync and
// coodie::aio (F::await runs a call to completion either way).
#pragma once

#include <algorithm>
#include <cstddef>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "support.hpp"

namespace coodie::test {

/// Blocking front: calls return their values.
struct sync_orm {
  static constexpr const char* name = "sync";
  using session = coodie::sync::session;
  template <class F>
  static auto await(F&& f) {
    return f();
  }
  /// Calls fn on every row of the query's stream; returns the largest page held.
  template <class Q, class Fn>
  static std::size_t each(const Q& q, Fn fn) {
    auto st = q.stream();
    std::size_t held = 0;
    while (auto* row = st.next()) {
      held = std::max(held, st.rows_held());
      fn(*row);
    }
    pages = st.pages_read();
    return held;
  }
  static inline std::size_t pages = 0;
};
/// Coroutine front: each call's awaitable runs to completion on the test thread.
struct aio_orm {
  static constexpr const char* name = "aio";
  using session = coodie::aio::session;
  template <class F>
  static auto await(F&& f) {
    return run_coro(f());
  }
  template <class Q, class Fn>
  static std::size_t each(const Q& q, Fn fn) {
    return run_coro(each_coro(q, std::move(fn)));
  }
  template <class Q, class Fn>
  static boost::asio::awaitable<std::size_t> each_coro(Q q, Fn fn) {
    auto st = co_await q.stream();
    std::size_t held = 0;
    while (auto* row = co_await st.next()) {
      held = std::max(held, st.rows_held());
      fn(*row);
    }
    pages = st.pages_read();
    co_return held;
  }
  static inline std::size_t pages = 0;
};

using orm_fronts = ::testing::Types<sync_orm, aio_orm>;

/// A typed ODM fixture over a keyspace suite (COODIE_KEYSPACE_SUITE): front() connects a session
/// of front F whose keyspace is the suite's.
template <class Suite, class F>
class orm_suite : public Suite {
 protected:
  typename F::session front() {
    session_options o = options_from_env();
    o.keyspace = Suite::ks();
    return typename F::session(driver_session::connect(o));
  }
};

}  // namespace coodie::test
