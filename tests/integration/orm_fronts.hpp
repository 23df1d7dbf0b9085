// The two ODM fronts for typed integration tests: one test body runs through coodie::sync and
// coodie::aio (F::await runs a call to completion either way).
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <future>
#include <thread>
#include <vector>

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
  /// Runs f(0) ... f(n - 1) at once, one thread each; their results in order (the first
  /// exception a call threw is rethrown once every thread is done).
  template <class F>
  static auto concurrently(std::size_t n, F f) {
    std::vector<decltype(f(std::size_t{0}))> out(n);
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      threads.emplace_back([&out, &errors, &f, i] {
        try {
          out[i] = f(i);
        } catch (...) {
          errors[i] = std::current_exception();
        }
      });
    }
    for (std::thread& t : threads) {
      t.join();
    }
    for (const std::exception_ptr& e : errors) {
      if (e) {
        std::rethrow_exception(e);
      }
    }
    return out;
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
  /// Runs the awaitables f(0) ... f(n - 1) at once, as coroutines on one thread; their results
  /// in order.
  template <class F>
  static auto concurrently(std::size_t n, F f) {
    using R = typename decltype(f(std::size_t{0}))::value_type;
    boost::asio::io_context ctx;
    std::vector<std::future<R>> futures;
    futures.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      futures.push_back(boost::asio::co_spawn(ctx, f(i), boost::asio::use_future));
    }
    ctx.run();
    std::vector<R> out;
    out.reserve(n);
    for (std::future<R>& fut : futures) {
      out.push_back(fut.get());
    }
    return out;
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
