// The session's state: host pools, the prepared-statement cache, request execution with
// transparent re-prepare, keyspace changes and reconnection. Everything runs on one strand.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
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
#include "metrics_data.hpp"
#include "plan.hpp"
#include "token_map.hpp"

namespace coodie {

/// An encoded request and what is needed to send it again.
struct driver_session::request_spec {
  enum class kind : std::uint8_t { query, execute, batch };
  kind k = kind::query;
  wire::byte_buffer frame;
  std::chrono::milliseconds timeout{12000};
  bool idempotent = false;
  /// statement_options::conditional.
  bool conditional = false;
  /// A simple statement's text (a prepared one's is in `prepared`), for response_notes.
  std::string cql;
  /// execute: the statement, to re-prepare it when the server forgot it.
  std::shared_ptr<const driver::detail::prepared_data> prepared;
  /// batch: every prepared entry.
  std::vector<std::shared_ptr<const driver::detail::prepared_data>> batch_prepared;
  /// The partition's token, when every partition-key value of a prepared statement is bound.
  std::optional<std::int64_t> token;
  /// The keyspace of the partition (a view into `prepared`).
  std::string_view routing_keyspace;
  /// statement_options::node: this node only.
  std::string node;
};

namespace driver::detail {

/// Whether an exception is a connection_error (the next host may do better).
inline bool is_connection_error(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const connection_error&) {
    return true;
  } catch (...) {
    return false;
  }
}

/// A completion handler with its executor's outstanding work tracked until it runs.
template <class T>
class pending {
 public:
  pending(handler<T> h, const boost::asio::any_io_executor& fallback)
      : work_(boost::asio::prefer(boost::asio::get_associated_executor(h, fallback),
                                  boost::asio::execution::outstanding_work.tracked)),
        h_(std::move(h)) {}
  void operator()(std::exception_ptr e, T value) {
    auto ex = std::move(work_);
    boost::asio::dispatch(ex,
                          [h = std::move(h_), e = std::move(e), v = std::move(value)]() mutable {
                            std::move(h)(std::move(e), std::move(v));
                          });
  }

 private:
  boost::asio::any_completion_executor work_;
  handler<T> h_;
};

/// A request that takes one of the session's in-flight slots from start() to its final answer.
class admitted_request {
 public:
  admitted_request() = default;
  admitted_request(const admitted_request&) = delete;
  admitted_request& operator=(const admitted_request&) = delete;
  virtual ~admitted_request() = default;
  /// Sends the first attempt (a slot is held).
  virtual void start() = 0;
  /// Fails the request without sending it (no slot is held).
  virtual void reject(std::exception_ptr e) = 0;
};

class session_impl;
using result_callback = std::function<void(std::exception_ptr, result)>;
using prepared_callback =
    std::function<void(std::exception_ptr, std::shared_ptr<const prepared_data>)>;

/// A host of the cluster and the connections to it.
struct host_pool {
  endpoint ep;
  std::string dc;
  std::string rack;
  std::vector<std::int64_t> tokens;
  /// In a data center other than the local one: used only when remote fallback is on.
  bool remote = false;
  /// No longer part of the cluster (or of the session): its timers must not reopen anything.
  bool removed = false;
  std::vector<std::shared_ptr<connection>> connections;
  std::unique_ptr<boost::asio::steady_timer> reconnect_timer;
  std::chrono::milliseconds backoff{0};
  /// Gossip reported the node UP: until then, retry at the base delay instead of backing off
  /// (its native port opens some seconds after gossip).
  std::chrono::steady_clock::time_point eager_until{};
  bool reconnecting = false;
  std::shared_ptr<host_metrics_data> metrics;

  /// Takes requests: false from the moment the node is lost until, back again, it reports the
  /// schema the control node has (a restarted node may serve a stale schema for a moment).
  bool admitted = true;
  bool admitting = false;
  std::chrono::steady_clock::time_point admit_deadline{};
  std::unique_ptr<boost::asio::steady_timer> admit_timer;

  /// ScyllaDB: how the node splits its tokens among its cores, from its first connection. The
  /// pool then wants connections on every shard.
  std::optional<wire::sharding_info> sharding;

  /// The least-loaded ready connection of an admitted host, or null. With a token, one on the
  /// shard that owns it when the node is sharded and such a connection is ready.
  [[nodiscard]] connection* least_loaded(std::optional<std::int64_t> token = {}) const noexcept {
    return admitted ? any_ready(token) : nullptr;
  }
  /// The least-loaded ready connection, admitted or not.
  [[nodiscard]] connection* any_ready(std::optional<std::int64_t> token = {}) const noexcept {
    std::optional<std::uint32_t> shard;
    if (sharding && token) {
      shard = sharding->shard_of(*token);
    }
    return pick_connection(connections, shard);
  }
};
using host_ptr = std::shared_ptr<host_pool>;

/// What the control connection reads about a host from system.local / system.peers(_v2).
struct host_info {
  endpoint ep;
  std::string dc;
  std::string rack;
  std::vector<std::int64_t> tokens;
};

/// Runs an io_context on threads of the session's own.
struct io_runner {
  boost::asio::io_context ctx;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ctx.get_executor()};
  std::vector<std::thread> threads;
  std::atomic<std::size_t> running{0};

  /// Set when the session runs no thread of its own (io_threads = 0): the threads waiting in
  /// blocking calls run ctx instead, one at a time (the leader). The others sleep, each on its
  /// own condition, until the leader finds their answer came (it looks after every handler it
  /// runs) or hands the lead on, to the longest waiting, when its own answer came.
  bool caller_driven = false;
  /// Returns when ready() holds, running ctx meanwhile when no other thread does.
  void drive_until(const std::function<bool()>& ready);
  /// At close: runs what is left of ctx's work (the connections' last handlers), for at most
  /// `limit`, as the leader.
  void drain(std::chrono::milliseconds limit);

 private:
  struct waiter {
    const std::function<bool()>* ready = nullptr;
    std::condition_variable cv;
    bool woken = false;
    bool lead = false;  ///< woken to take the lead (else: its answer came)
  };
  /// Waits (lock held) until this thread may lead or, when `ready` is given, its answer came;
  /// true when it leads.
  bool wait_for_lead(std::unique_lock<std::mutex>& lock, const std::function<bool()>* ready);
  /// Wakes the followers whose answer came (lock held).
  void wake_answered(std::unique_lock<std::mutex>& held);
  /// Gives the lead up (lock held): wakes the answered followers, and the longest-waiting other
  /// one to take the lead.
  void pass_lead(std::unique_lock<std::mutex>& held);
  void hand_on();

  std::mutex m_;
  std::deque<waiter*> waiting_;
  bool driving_ = false;
};

class session_impl : public std::enable_shared_from_this<session_impl> {
 public:
  session_impl(boost::asio::any_io_executor ex, session_options options);

  /// Set when the session owns its io_context (session::connect). Declared first so that it is
  /// destroyed last: every strand and executor below refers to its io_context.
  std::shared_ptr<io_runner> runner;

  // Any thread.
  [[nodiscard]] std::shared_ptr<driver_session::request_spec> build(
      const statement& st, const std::optional<page_state>& page = std::nullopt) const;
  [[nodiscard]] std::shared_ptr<driver_session::request_spec> build(
      const bound_statement& st, const std::optional<page_state>& page = std::nullopt) const;
  [[nodiscard]] std::shared_ptr<driver_session::request_spec> build(const batch& b) const;
  std::int64_t next_timestamp() noexcept;
  [[nodiscard]] bool on_io_thread() const;
  [[nodiscard]] std::string keyspace() const;

  // On the strand.
  void connect(std::function<void(std::exception_ptr)> done);
  /// The connection for the next attempt of a request: a replica of its partition when the
  /// token is known (rotating among them), else the local hosts in turn, then remote ones when
  /// fallback is on. Hosts in `tried` come last; null when no host has a ready connection.
  connection* pick(const driver_session::request_spec& spec,
                   std::span<const host_pool* const> tried);
  connection* pick() { return pick(driver_session::request_spec{}, {}); }
  /// Why pick() found nothing.
  [[nodiscard]] std::string unavailable_message() const;
  /// Waits until every host with a ready connection reports the same schema_version.
  /// Asks every connected node for its own schema version until all agree, within `timeout`
  /// (session_options::schema_agreement_timeout when unset).
  void await_schema_agreement(std::function<void(std::exception_ptr)> done,
                              std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  /// The hosts, for metrics and tests.
  [[nodiscard]] const std::vector<host_ptr>& hosts() const noexcept { return hosts_; }
  [[nodiscard]] session_metrics_data& metrics() const noexcept { return *metrics_; }
  [[nodiscard]] const retry_policy& retry() const noexcept { return *retry_; }
  /// A snapshot of every counter (any thread).
  [[nodiscard]] session_metrics metrics_snapshot() const;
  void prepare(std::string cql, prepared_callback done);
  /// The cached statement of `cql` under the session keyspace, or nullptr; any thread, no
  /// allocation once the calling thread has looked up a statement of that length.
  [[nodiscard]] std::shared_ptr<const prepared_data> find_prepared(std::string_view cql) const;
  /// Empties the cache (any thread).
  void forget_prepared();
  void close(std::function<void()> done);
  /// Starts the request when a slot is free (max_in_flight), else queues it (max_waiting), else
  /// rejects it with busy_error.
  void admit(std::shared_ptr<admitted_request> r);
  /// A request holding a slot has its final answer: the next waiting one starts.
  void release();
  /// Sets the frame's tracing flag when the statement (else the session) asks for a trace.
  void mark_tracing(driver_session::request_spec& spec, const statement_options& o) const;
  /// Hands the answer's warnings and trace id to session_options::on_response_notes (or writes
  /// the warnings to stderr).
  void notify(const driver_session::request_spec& spec, const result& r) const;

  // Used by requests in flight (on the strand).
  void reprepare(const std::shared_ptr<const prepared_data>& data, connection* conn,
                 prepared_callback done);
  /// A USE succeeded on `origin`: USE it on every other connection, then call done.
  void keyspace_changed(const std::string& ks, connection* origin, std::function<void()> done);

  [[nodiscard]] const strand_type& strand() const noexcept { return strand_; }
  [[nodiscard]] const session_options& options() const noexcept { return *options_; }
  [[nodiscard]] boost::asio::any_io_executor executor() const { return executor_; }

  /// Whether close() has run: later requests fail at once instead of being posted to an
  /// io_context that nobody runs any more.
  [[nodiscard]] bool is_closed() const noexcept { return closed_.load(std::memory_order_acquire); }
  void mark_closed() noexcept { closed_.store(true, std::memory_order_release); }

 private:
  /// Opens one more connection to the host; with `shard`, through its shard-aware port.
  void open_connection(const host_ptr& pool, std::function<void(std::exception_ptr)> done,
                       std::optional<std::uint32_t> shard = std::nullopt);
  /// Opens n connections to the host, on the shards that lack one when the node is sharded.
  void open_missing(const host_ptr& pool, std::size_t n,
                    const std::function<void(std::exception_ptr)>& done);
  /// How many connections the host should have: connections_per_host, or with ScyllaDB as many
  /// per shard as that rounds up to.
  [[nodiscard]] std::size_t wanted_connections(const host_pool& pool) const noexcept;
  void schedule_reconnect(const host_ptr& pool, bool now = false);
  /// Opens every pool that is not full; done when each has answered (ok when any is ready).
  void fill_pools(std::function<void(std::exception_ptr)> done);

  // The control connection (cluster.cpp).
  void open_control(std::vector<endpoint> candidates, std::size_t index,
                    std::exception_ptr first_error, std::function<void(std::exception_ptr)> done);
  void control_lost();
  void reconnect_control();
  /// Reads system.local, system.peers_v2 (or system.peers) and the keyspaces' replication, then
  /// updates the hosts and the token map.
  void refresh_topology(std::function<void(std::exception_ptr)> done);
  void refresh_keyspaces(std::function<void(std::exception_ptr)> done);
  void schedule_topology_refresh();
  void apply_topology(std::vector<host_info> infos);
  void rebuild_token_map();
  void on_event(const wire::event& ev);
  void host_up(const endpoint& ep);
  /// The pool's ready connections changed: update its metrics, and start admitting it again
  /// when it came back.
  void pool_changed(const host_ptr& pool);
  void check_admission(const host_ptr& pool);

 public:
  /// A host failed to prepare a statement that others prepared: its schema lags. It takes no
  /// requests until it reports the control node's schema again.
  void host_lags(const host_pool* pool);

 private:
  void control_query(std::string cql, std::function<void(std::exception_ptr, result)> done);
  void schema_round(std::shared_ptr<struct agreement_state> st);
  /// Asks the node behind `c` for its own schema_version; done gets none when it cannot tell.
  void ask_schema_version(connection* c, std::function<void(std::optional<std::string>)> done);
  [[nodiscard]] host_ptr find_host(const endpoint& ep) const;
  void update_metrics_hosts();
  [[nodiscard]] wire::query_parameters parameters(const statement_options& o,
                                                  const std::optional<page_state>& page) const;
  /// `everywhere`: once prepared on `conn`, prepare on one connection of every other host before
  /// answering the waiters.
  void send_prepare(std::string key, std::string cql, connection* conn, bool everywhere);
  void prepare_on_other_hosts(const std::string& cql, const host_pool* origin,
                              std::function<void()> done);

  boost::asio::any_io_executor executor_;
  strand_type strand_;
  std::shared_ptr<const session_options> options_;
  std::vector<host_ptr> hosts_;
  plan_cursor cursor_;
  bool closing_ = false;

  // Cluster state (strand only).
  std::vector<endpoint> contact_points_;
  std::shared_ptr<connection> control_;
  std::unique_ptr<boost::asio::steady_timer> control_timer_;
  std::chrono::milliseconds control_backoff_{0};
  std::unique_ptr<boost::asio::steady_timer> refresh_timer_;
  bool refresh_scheduled_ = false;
  std::string local_dc_;
  bool murmur3_ = true;
  token_map token_map_;
  std::unordered_map<std::string, replication> keyspaces_;

  mutable std::mutex metrics_mutex_;
  std::vector<std::shared_ptr<host_metrics_data>> metrics_hosts_;
  std::shared_ptr<session_metrics_data> metrics_;
  std::shared_ptr<const retry_policy> retry_;
  /// Shared by every connection when TLS is on.
  std::shared_ptr<boost::asio::ssl::context> tls_context_;

  mutable std::mutex keyspace_mutex_;
  std::string keyspace_;

  /// One more request runs: counts it and keeps the peak.
  void take_slot();
  std::size_t running_ = 0;
  std::deque<std::shared_ptr<admitted_request>> waiting_;

  /// The prepared-statement cache, keyed by cache_key (keyspace, 0x1F, text): written on the
  /// strand under prepared_mutex_, read there or from any thread by find_prepared.
  struct key_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view k) const noexcept {
      return std::hash<std::string_view>()(k);
    }
  };
  mutable std::mutex prepared_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const prepared_data>, key_hash, std::equal_to<>>
      prepared_;
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

}  // namespace driver::detail
}  // namespace coodie
