// A session: a pool of connections to the cluster, a prepared-statement cache, and every request
// the client sends. Each operation exists once, as an asynchronous operation taking an Asio
// completion token (coroutines, futures and callbacks all work); the blocking call of the same
// name drives that operation and waits for it.
//
// Completion signature of every async operation: void(std::exception_ptr, T). A bare
// `co_await s.async_execute(st)` in an boost::asio::awaitable coroutine (the default token is
// boost::asio::use_awaitable) throws the typed coodie::error on failure.
//
// Example (blocking):
//   coodie::driver_session s = coodie::driver_session::connect({.hosts = {"127.0.0.1"}});
//   s.execute("CREATE KEYSPACE IF NOT EXISTS shop WITH replication = "
//             "{'class': 'SimpleStrategy', 'replication_factor': 1}");
//   auto ps = s.prepare("SELECT name FROM shop.items WHERE id = ?");
//   for (auto& [name] : s.execute(ps.bind(id)).as<std::string>()) { ... }
//
// Example (coroutine):
//   boost::asio::awaitable<void> run(coodie::driver_session& s) {
//     coodie::result r = co_await s.async_execute(coodie::statement("SELECT * FROM shop.items"));
//     coodie::pager p = s.pages(coodie::statement("SELECT * FROM shop.items").set_page_size(100));
//     while (auto page = co_await p.async_next()) { ... }
//   }
//
// Thread safety: a session may be used from any thread; its internal state lives on one strand.
// Blocking calls must not be made from a thread that runs the session's io_context (they would
// wait for themselves); they throw usage_error instead.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "coodie/driver/metrics.hpp"
#include "coodie/driver/options.hpp"
#include "coodie/driver/result.hpp"
#include "coodie/driver/statement.hpp"

namespace coodie {

/// The completion token used when none is given: a bare `co_await s.async_execute(st)` inside an
/// boost::asio::awaitable coroutine. (Boost 1.81 cannot await boost::asio::deferred operations
/// whose signature begins with std::exception_ptr, so deferred is not the default; it still works
/// with callbacks.)
using default_token = boost::asio::use_awaitable_t<>;

namespace driver::detail {
class session_impl;
class pager_state;
template <class T>
using handler = boost::asio::any_completion_handler<void(std::exception_ptr, T)>;
using void_handler = boost::asio::any_completion_handler<void(std::exception_ptr)>;
}  // namespace driver::detail

class driver_session;

/// Reads a statement's result page by page. The next page is requested as soon as the current
/// one is handed out, so it travels while the caller works on the current page; at most one page
/// is held ahead.
class pager {
 public:
  pager() = default;
  explicit pager(std::shared_ptr<driver::detail::pager_state> state) : state_(std::move(state)) {}

  /// The next page, or std::nullopt after the last one.
  template <class Token = default_token>
  auto async_next(Token&& token = {}) {
    return boost::asio::async_initiate<Token, void(std::exception_ptr, std::optional<result>)>(
        [st = state_](auto h) {
          start_next(st, driver::detail::handler<std::optional<result>>(std::move(h)));
        },
        token);
  }
  /// Blocking form of async_next().
  std::optional<result> next();

 private:
  static void start_next(const std::shared_ptr<driver::detail::pager_state>& st,
                         driver::detail::handler<std::optional<result>> h);
  std::shared_ptr<driver::detail::pager_state> state_;
};

/// Every row of every page of a statement, fetched as iteration proceeds (blocking).
/// A row stays valid until the iterator moves past its page.
class row_range {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = row;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = row;
    iterator() = default;
    explicit iterator(pager* p) : pager_(p) { advance_page(); }
    row operator*() const { return page_->at(index_); }
    iterator& operator++() {
      if (++index_ >= page_->size()) {
        advance_page();
      }
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, std::default_sentinel_t) noexcept {
      return a.pager_ == nullptr;
    }

   private:
    void advance_page();
    pager* pager_ = nullptr;
    std::optional<result> page_;
    std::size_t index_ = 0;
  };
  explicit row_range(pager p) : pager_(std::move(p)) {}
  iterator begin() { return iterator(&pager_); }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  pager pager_;
};

class driver_session {
 public:
  using executor_type = boost::asio::any_io_executor;

  driver_session() = default;
  driver_session(driver_session&&) noexcept = default;
  /// Closes the session this one held, then takes o's.
  driver_session& operator=(driver_session&& o) noexcept;
  /// Closes the session (waits for its connections to close). On the thread that runs the
  /// session's I/O (the last owner was a handler or coroutine that ended there), which cannot
  /// wait for itself, another thread closes it in the background; the program waits for those
  /// closes (10 s at most) when it exits.
  ~driver_session();

  /// Connects with an io_context and I/O thread(s) of the session's own. Blocking.
  /// Throws connection_error, authentication_error, ... when no connection could be opened.
  static driver_session connect(session_options options);
  /// Connects on the caller's executor; the caller runs its io_context.
  template <class Token = default_token>
  static auto async_connect(executor_type ex, session_options options, Token&& token = {}) {
    return boost::asio::async_initiate<Token, void(std::exception_ptr, driver_session)>(
        [](auto h, executor_type e, session_options o) {
          start_connect(std::move(e), std::move(o),
                        driver::detail::handler<driver_session>(std::move(h)));
        },
        token, std::move(ex), std::move(options));
  }

  /// Runs a statement (QUERY).
  template <class Token = default_token>
  auto async_execute(const statement& st, Token&& token = {}) {
    return initiate<result>(token, [req = make_request(st)](session_impl_ptr impl, auto h) mutable {
      start_request(impl, std::move(req), std::move(h));
    });
  }
  /// Runs CQL text without values.
  template <class Token = default_token>
  auto async_execute(std::string_view cql, Token&& token = {}) {
    return async_execute(statement(std::string(cql)), std::forward<Token>(token));
  }
  /// Runs a prepared statement with its values (EXECUTE); re-prepares transparently when the
  /// server has forgotten it.
  template <class Token = default_token>
  auto async_execute(const bound_statement& st, Token&& token = {}) {
    return initiate<result>(token, [req = make_request(st)](session_impl_ptr impl, auto h) mutable {
      start_request(impl, std::move(req), std::move(h));
    });
  }
  /// Runs a batch (BATCH).
  template <class Token = default_token>
  auto async_execute(const batch& b, Token&& token = {}) {
    return initiate<result>(token, [req = make_request(b)](session_impl_ptr impl, auto h) mutable {
      start_request(impl, std::move(req), std::move(h));
    });
  }
  /// Prepares a statement, or returns it from the cache (keyed by keyspace and text) without a
  /// round trip. Concurrent prepares of one statement share one PREPARE.
  template <class Token = default_token>
  auto async_prepare(std::string cql, Token&& token = {}) {
    return initiate<prepared_statement>(
        token, [cql = std::move(cql)](session_impl_ptr impl, auto h) mutable {
          start_prepare(impl, std::move(cql), std::move(h));
        });
  }
  /// Waits until every node the session is connected to reports the same schema version, each
  /// asked for its own (system.local on a connection to that node), polling every
  /// schema_agreement_interval; schema_error naming each node's version after `timeout`. The
  /// session already waits so after each schema change it makes; this is for DDL made elsewhere.
  ///   co_await s.async_wait_schema_agreement(std::chrono::seconds(10));
  template <class Token = default_token>
  auto async_wait_schema_agreement(std::chrono::milliseconds timeout, Token&& token = {}) {
    return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
        [impl = impl_, timeout](auto h) {
          start_agreement(impl, timeout, driver::detail::void_handler(std::move(h)));
        },
        token);
  }
  /// Closes every connection; requests in flight fail with connection_error.
  template <class Token = default_token>
  auto async_close(Token&& token = {}) {
    return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
        [impl = impl_](auto h) { start_close(impl, driver::detail::void_handler(std::move(h))); },
        token);
  }

  result execute(const statement& st);
  result execute(std::string_view cql);
  result execute(const bound_statement& st);
  result execute(const batch& b);
  prepared_statement prepare(std::string cql);
  /// The statement `cql` as this session prepared it already (from its cache, keyed by the
  /// session keyspace and the text), or an empty prepared_statement: no round trip, no wait,
  /// callable from any thread. What an upper layer uses instead of a cache of its own.
  ///   if (prepared_statement ps = s.find_prepared(cql)) { s.execute(ps.bind(42)); }
  [[nodiscard]] prepared_statement find_prepared(std::string_view cql) const;
  /// Empties the prepared-statement cache: the next prepare of each text asks the server again.
  /// For after a schema change that alters what a prepared statement describes (ALTER TYPE
  /// adding a field): the cached bind and result metadata would still list the old fields.
  /// Statements already held keep working.
  void forget_prepared();
  /// Closes the connections and ends the session's I/O thread(s), waiting for both; a second
  /// close does nothing. Throws usage_error on a thread that runs the session's I/O.
  void close();

  /// Page-by-page reading of a statement (see pager).
  pager pages(statement st);
  pager pages(bound_statement st);
  /// Blocking iteration over every row of every page.
  row_range rows(statement st) { return row_range(pages(std::move(st))); }
  row_range rows(bound_statement st) { return row_range(pages(std::move(st))); }

  /// The keyspace the session's connections currently USE ("" for none).
  [[nodiscard]] std::string keyspace() const;
  [[nodiscard]] const session_options& options() const;
  /// Counters of requests, retries and errors, latency percentiles, per host and in total.
  /// Any thread; a consistent-enough copy taken without stopping the session.
  /// Example: `std::cout << s.metrics().to_text();`
  [[nodiscard]] session_metrics metrics() const;
  [[nodiscard]] executor_type get_executor() const;
  /// True on a thread that runs the session's I/O (where blocking calls are refused).
  [[nodiscard]] bool running_in_io_thread() const;
  /// Waits for f: how every blocking call of the session waits for its answer. On a session with
  /// no I/O thread of its own (session_options::io_threads = 0) the waiting thread runs the
  /// session's I/O meanwhile (one thread at a time; the others wait for their answer or their
  /// turn), so one call costs no thread hand-off. Use it for a future of this session's work.
  /// Example: `s.wait(s.async_wait_schema_agreement(30s, boost::asio::use_future));`
  template <class T>
  T wait(std::future<T> f) const {
    drive_until([&f] { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
    return f.get();
  }
  [[nodiscard]] bool is_open() const noexcept { return impl_ != nullptr; }

  /// An encoded request ready to be sent; public for the pager and the ODM layer.
  struct request_spec;

 private:
  using session_impl_ptr = std::shared_ptr<driver::detail::session_impl>;
  explicit driver_session(session_impl_ptr impl) : impl_(std::move(impl)) {}
  /// Closes the session held, if any, as the destructor says; never throws.
  void release() noexcept;

  template <class T, class Token, class Fn>
  auto initiate(Token& token, Fn&& fn) {
    return boost::asio::async_initiate<Token, void(std::exception_ptr, T)>(
        [impl = impl_](auto h, Fn f) { f(impl, driver::detail::handler<T>(std::move(h))); }, token,
        std::forward<Fn>(fn));
  }

  std::shared_ptr<request_spec> make_request(const statement& st) const;
  std::shared_ptr<request_spec> make_request(const bound_statement& st) const;
  std::shared_ptr<request_spec> make_request(const batch& b) const;

  static void start_connect(executor_type ex, session_options options,
                            driver::detail::handler<driver_session> h);
  static void start_request(const session_impl_ptr& impl, std::shared_ptr<request_spec> req,
                            driver::detail::handler<result> h);
  static void start_prepare(const session_impl_ptr& impl, std::string cql,
                            driver::detail::handler<prepared_statement> h);
  static void start_close(const session_impl_ptr& impl, driver::detail::void_handler h);
  static void start_agreement(const session_impl_ptr& impl, std::chrono::milliseconds timeout,
                              driver::detail::void_handler h);
  /// Returns when ready() holds; runs the session's I/O meanwhile when no thread of its own does.
  void drive_until(const std::function<bool()>& ready) const;

  session_impl_ptr impl_;
};

}  // namespace coodie
