// The session's state: host pools, the prepared-statement cache, request execution with
// transparent re-prepare, keyspace changes and reconnection. Everything runs on one strand.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/steady_timer.hpp>

#include "connection.hpp"
#include "coodie/driver/session.hpp"

namespace coodie {

/// An encoded request and what is needed to send it again.
struct session::request_spec {
  enum class kind : std::uint8_t { query, execute, batch };
  kind k = kind::query;
  wire::byte_buffer frame;
  std::chrono::milliseconds timeout{12000};
  bool idempotent = false;
  /// execute: the statement, to re-prepare it when the server forgot it.
  std::shared_ptr<const detail::prepared_data> prepared;
  /// batch: every prepared entry.
  std::vector<std::shared_ptr<const detail::prepared_data>> batch_prepared;
};

namespace detail {

/// A completion handler with its executor's outstanding work tracked until it runs.
template <class T>
class pending {
 public:
  pending(handler<T> h, const asio::any_io_executor& fallback)
      : work_(asio::prefer(asio::get_associated_executor(h, fallback),
                           asio::execution::outstanding_work.tracked)),
        h_(std::move(h)) {}
  void operator()(std::exception_ptr e, T value) {
    auto ex = std::move(work_);
    asio::dispatch(ex, [h = std::move(h_), e = std::move(e), v = std::move(value)]() mutable {
      std::move(h)(std::move(e), std::move(v));
    });
  }

 private:
  asio::any_completion_executor work_;
  handler<T> h_;
};

class session_impl;
using result_callback = std::function<void(std::exception_ptr, result)>;
using prepared_callback =
    std::function<void(std::exception_ptr, std::shared_ptr<const prepared_data>)>;

/// The connections to one host.
struct host_pool {
  endpoint ep;
  std::vector<std::shared_ptr<connection>> connections;
  std::unique_ptr<asio::steady_timer> reconnect_timer;
  std::chrono::milliseconds backoff{0};
  bool reconnecting = false;
};

/// Runs an io_context on threads of the session's own.
struct io_runner {
  asio::io_context ctx;
  asio::executor_work_guard<asio::io_context::executor_type> work{ctx.get_executor()};
  std::vector<std::thread> threads;
  std::atomic<std::size_t> running{0};
};

class session_impl : public std::enable_shared_from_this<session_impl> {
 public:
  session_impl(asio::any_io_executor ex, session_options options);

  /// Set when the session owns its io_context (session::connect). Declared first so that it is
  /// destroyed last: every strand and executor below refers to its io_context.
  std::shared_ptr<io_runner> runner;

  // Any thread.
  [[nodiscard]] std::shared_ptr<session::request_spec> build(
      const statement& st, const std::optional<page_state>& page = std::nullopt) const;
  [[nodiscard]] std::shared_ptr<session::request_spec> build(
      const bound_statement& st, const std::optional<page_state>& page = std::nullopt) const;
  [[nodiscard]] std::shared_ptr<session::request_spec> build(const batch& b) const;
  std::int64_t next_timestamp() noexcept;
  [[nodiscard]] bool on_io_thread() const;
  [[nodiscard]] std::string keyspace() const;

  // On the strand.
  void connect(std::function<void(std::exception_ptr)> done);
  /// The least-loaded ready connection, or null.
  std::shared_ptr<connection> pick();
  /// Why pick() found nothing.
  [[nodiscard]] std::string unavailable_message() const;
  void prepare(std::string cql, prepared_callback done);
  void close(std::function<void()> done);

  // Used by requests in flight (on the strand).
  void reprepare(const std::shared_ptr<const prepared_data>& data, connection* conn,
                 prepared_callback done);
  /// A USE succeeded on `origin`: USE it on every other connection, then call done.
  void keyspace_changed(const std::string& ks, connection* origin, std::function<void()> done);

  [[nodiscard]] const strand_type& strand() const noexcept { return strand_; }
  [[nodiscard]] const session_options& options() const noexcept { return *options_; }
  [[nodiscard]] asio::any_io_executor executor() const { return executor_; }

  /// Whether close() has run: later requests fail at once instead of being posted to an
  /// io_context that nobody runs any more.
  [[nodiscard]] bool is_closed() const noexcept { return closed_.load(std::memory_order_acquire); }
  void mark_closed() noexcept { closed_.store(true, std::memory_order_release); }

 private:
  void open_connection(host_pool& pool, std::function<void(std::exception_ptr)> done);
  void schedule_reconnect(host_pool& pool);
  [[nodiscard]] wire::query_parameters parameters(const statement_options& o,
                                                  const std::optional<page_state>& page) const;
  void send_prepare(std::string key, std::string cql, connection* conn);

  asio::any_io_executor executor_;
  strand_type strand_;
  std::shared_ptr<const session_options> options_;
  std::vector<std::unique_ptr<host_pool>> hosts_;
  std::size_t next_host_ = 0;
  bool closing_ = false;

  mutable std::mutex keyspace_mutex_;
  std::string keyspace_;

  std::unordered_map<std::string, std::shared_ptr<const prepared_data>> prepared_;
  std::unordered_map<std::string, std::vector<prepared_callback>> preparing_;

  std::atomic<std::int64_t> last_timestamp_{0};
  std::atomic<bool> closed_{false};
};

/// The state of a pager, shared between its handle and the requests in flight.
class pager_state : public std::enable_shared_from_this<pager_state> {
 public:
  pager_state(std::shared_ptr<session_impl> s, std::variant<statement, bound_statement> st)
      : session_(std::move(s)), statement_(std::move(st)) {}
  /// On the strand.
  void next(pending<std::optional<result>> h);
  [[nodiscard]] const std::shared_ptr<session_impl>& session() const noexcept { return session_; }

 private:
  void fetch();
  void on_page(std::exception_ptr e, result r);
  void deliver(pending<std::optional<result>> h);

  std::shared_ptr<session_impl> session_;
  std::variant<statement, bound_statement> statement_;
  std::optional<page_state> next_state_;
  bool started_ = false;
  bool in_flight_ = false;
  bool done_ = false;
  std::optional<result> ready_;
  std::exception_ptr error_;
  std::optional<pending<std::optional<result>>> waiter_;
};

}  // namespace detail
}  // namespace coodie
