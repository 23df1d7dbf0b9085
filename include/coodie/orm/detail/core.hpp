// The state a front shares between its copies: the driver session, which of its prepared
// statements were checked against which model's column types (and a lookup of the models' fixed
// statements by shape), and the tables synced in this session. And the two execution modes,
// blocking and coroutine, that run one request the same way. Internal to coodie/orm/session.hpp.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "coodie/driver/session.hpp"
#include "coodie/driver/statement.hpp"
#include "coodie/orm/detail/plan.hpp"
#include "coodie/orm/table_schema.hpp"

namespace coodie::orm::detail {

/// Selects the constructor of a front that connects on first use.
struct lazy_t {};

class orm_core {
 public:
  /// Over a connected driver session.
  explicit orm_core(coodie::driver_session s)
      : options_(s.options()), db_(std::move(s)), open_(true) {}
  /// Connects on first use: blocking when `blocking`, else on the first awaiting coroutine's
  /// executor.
  orm_core(session_options lazy, bool blocking) : options_(std::move(lazy)), blocking_(blocking) {}

  /// The driver session; a blocking lazy core connects here on first use. An awaiting lazy
  /// core that has not connected yet refuses (usage_error): await async_db() first.
  coodie::driver_session& db();
  /// The driver session, connecting first when lazy (concurrent first uses share one connect).
  boost::asio::awaitable<coodie::driver_session*> async_db(std::shared_ptr<orm_core> self);
  /// The driver session once connected, else nullptr (no lock: the per-request fast path).
  coodie::driver_session* connected() noexcept {
    return open_.load(std::memory_order_acquire) ? &db_ : nullptr;
  }
  /// The keyspace models without one of their own use (known before connecting).
  [[nodiscard]] const std::string& default_keyspace() const noexcept { return options_.keyspace; }
  /// The session's options (guardrails, notes callback, ...).
  [[nodiscard]] const session_options& options() const noexcept { return options_; }
  /// The driver stamps every write with a client timestamp (session_options).
  [[nodiscard]] bool client_timestamps() const noexcept { return options_.client_timestamps; }

  /// The prepared statement of an ODM text from the driver's cache, when the driver session
  /// has prepared it already; checked against `table`'s column types on its first use with
  /// that model (schema_error).
  prepared_statement cached(const std::string& text, const table_schema* table);
  /// The prepared statement of a model's fixed statement, by shape.
  prepared_statement cached(const stmt_key& key) const;
  void store(const stmt_key& key, const prepared_statement& ps);
  /// Checks a statement's bind markers and result columns against the model's columns once
  /// per model (schema_error when the live table's type differs from the model's).
  void check(const prepared_statement& ps, const table_schema* table);

  /// The indexes of a model's table as the server described them when this session synced it
  /// (nullptr before): they say what a plain CREATE INDEX became (native or SAI).
  using index_list = std::shared_ptr<const std::vector<index_schema>>;
  index_list live_indexes(const table_schema* model) const;
  void set_live_indexes(const table_schema* model, index_list indexes);

  /// Forgets what this session knew of the keyspace's tables (or of one table when `table` is
  /// not empty): synced fingerprints, live indexes and every prepared statement.
  void forget(std::string_view keyspace, std::string_view table = {});

  /// True when this session synced the table with this fingerprint already.
  bool is_synced(const std::string& fingerprint) const;
  void mark_synced(const std::string& fingerprint);

 private:
  session_options options_;
  bool blocking_ = true;
  mutable std::mutex connect_mutex_;
  bool connecting_ = false;  ///< an awaiting lazy core's connect is under way
  coodie::driver_session db_;
  std::atomic<bool> open_{false};  ///< db_ is connected and never assigned again
  mutable std::mutex mutex_;
  /// The driver's prepared statements this session checked, and against which models. The
  /// entry holds the statement, so its address names it while it is here. Lookups only: the
  /// statements themselves are cached once, in the driver session.
  struct checked_entry {
    prepared_statement ps;
    std::vector<const table_schema*> models;
  };
  std::unordered_map<const void*, checked_entry> checked_;
  std::unordered_map<stmt_key, prepared_statement, stmt_key_hash> by_shape_;
  std::unordered_set<std::string> synced_;
  std::unordered_map<const table_schema*, index_list> live_indexes_;
};

/// The fingerprint of a table as synced: keyspace, name, columns, indexes and options.
std::string schema_fingerprint(const table_schema& t, std::string_view keyspace);

/// The token of the page after `state`, bound to the request's query: 8 bytes of a hash of its
/// text and bound values, then the server's paging state, in URL-safe base64.
std::string page_token(const orm_request& rq, const page_state& state);
/// The paging state inside a token that page_token() made for the same query; page_token_error
/// naming the model when the token belongs to another query or is no token.
page_state read_page_token(const orm_request& rq, std::string_view token);

/// True when the server refused a bound value for its size ("Expected 8 or 0 byte long (4)"):
/// the live column's type changed after the statement was checked against the model.
bool refused_for_size(const invalid_query_error& e) noexcept;
/// After such a refusal: prepares the statement's text afresh, forgets the session's stale
/// statements of the table, and throws the schema_error naming the column whose live type now
/// differs from the model's. Returns when it finds none (the caller rethrows the server's error).
void explain_refusal(orm_core& c, const prepared_statement& sent, const table_schema& table);
boost::asio::awaitable<void> explain_refusal_awaiting(std::shared_ptr<orm_core> c,
                                                      prepared_statement sent,
                                                      const table_schema* table);

/// The prepared statement of a request when this session has it already: by shape, else by
/// text (a shape's text is built, into rq.text, only on a miss). Checked against the request's
/// model on its first use with that model (schema_error). Empty when it must be prepared.
prepared_statement lookup(orm_core& c, orm_request& rq);
/// The one prepare path of the ODM: prepares the text, checks it against the model, and
/// remembers it (under its shape too, when it has one).
boost::asio::awaitable<prepared_statement> prepare_awaiting(
    std::shared_ptr<orm_core> c, std::string text, const table_schema* table,
    std::optional<stmt_key> shape = std::nullopt);

/// Marks a timestamped plain write idempotent, so the driver's retry and speculative execution
/// apply to it (a resent write with the same timestamp changes nothing).
inline void settle_idempotence(const orm_core& c, orm_request& rq) {
  if (rq.idempotent_with_timestamp && (c.client_timestamps() || rq.options.timestamp)) {
    rq.options.idempotent = true;
  }
}

inline bound_statement bind_request(const orm_core& c, prepared_statement ps, orm_request&& rq) {
  settle_idempotence(c, rq);
  bound_statement b(std::move(ps), std::move(rq.values));
  b.options() = std::move(rq.options);
  return b;
}

/// Binds the request and starts sending it: the request is written at once, so its values are
/// freed here, while they are in the cache, not after the answer.
inline boost::asio::awaitable<result> send_request(coodie::driver_session& db, const orm_core& c,
                                                   prepared_statement ps, orm_request&& rq) {
  const bound_statement b = bind_request(c, std::move(ps), std::move(rq));
  return db.async_execute(b, boost::asio::use_awaitable);
}

/// True when e is the server's refusal of a bound value for its size (see refused_for_size).
bool refused_for_size(const std::exception_ptr& e) noexcept;
/// Explains such a refusal (explain_refusal_awaiting), then throws it.
boost::asio::awaitable<void> explain_then_rethrow(std::shared_ptr<orm_core> c,
                                                  prepared_statement sent,
                                                  const table_schema* table,
                                                  std::exception_ptr refused);

/// A write whose statement is prepared, sent from the awaiting coroutine without a coroutine of
/// its own: the caller resumes straight from the driver's answer (what a raw async_execute
/// costs). A refusal for a value's size is explained as in run_request.
inline boost::asio::awaitable<void> send_write(std::shared_ptr<orm_core> c,
                                               coodie::driver_session& db, prepared_statement ps,
                                               orm_request&& rq) {
  const table_schema* table = rq.table;
  bound_statement b = bind_request(*c, std::move(ps), std::move(rq));
  auto start = [c = std::move(c), db = &db, b = std::move(b), table](auto h) mutable {
    const auto ex = boost::asio::get_associated_executor(h);
    // The request is written here; when it cannot be (too large, a closed session) the caller
    // gets the error, not the event loop.
    using operation = decltype(db->async_execute(b, boost::asio::deferred));
    std::optional<operation> op;
    try {
      op.emplace(db->async_execute(b, boost::asio::deferred));
    } catch (...) {
      boost::asio::post(
          ex, [h = std::move(h), e = std::current_exception()]() mutable { std::move(h)(e); });
      return;
    }
    prepared_statement sent = b.prepared();
    b = bound_statement(prepared_statement());  // its values are in the request now
    auto done = [c = std::move(c), sent = std::move(sent), table, h = std::move(h)](
                    std::exception_ptr e, const result&) mutable {
      if (e && table != nullptr && refused_for_size(e)) {
        const auto on = boost::asio::get_associated_executor(h);
        boost::asio::co_spawn(on, explain_then_rethrow(std::move(c), std::move(sent), table, e),
                              std::move(h));
        return;
      }
      std::move(h)(e);
    };
    std::move (*op)(boost::asio::bind_executor(ex, std::move(done)));
  };
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                     void(std::exception_ptr)>(std::move(start),
                                                               boost::asio::use_awaitable);
}

/// Blocking: each call runs its plan and returns the answer.
struct sync_mode {
  static constexpr bool blocking = true;
  template <class R>
  using result_t = R;

  /// The request's prepared statement: looked up, else prepared (blocking).
  static prepared_statement prepare(const std::shared_ptr<orm_core>& c, orm_request& rq) {
    prepared_statement ps = lookup(*c, rq);
    return ps ? ps : run_coro(c, prepare_awaiting(c, rq.text, rq.table, rq.shape));
  }

  template <class Read>
  static auto run(const std::shared_ptr<orm_core>& c, plan<Read> p) {
    orm_request& rq = p.request;
    prepared_statement ps = prepare(c, rq);
    coodie::driver_session* db = c->connected();
    const table_schema* table = rq.table;
    const bound_statement b = bind_request(*c, std::move(ps), std::move(rq));
    result r;
    try {
      r = (db != nullptr ? *db : c->db()).execute(b);
    } catch (const invalid_query_error& e) {
      if (table != nullptr && refused_for_size(e)) {
        explain_refusal(*c, b.prepared(), *table);
      }
      throw;
    }
    return p.read(r);
  }

  /// Runs a multi-request operation, written once as a coroutine, on the session's executor.
  template <class R>
  static R run_coro(const std::shared_ptr<orm_core>& c, boost::asio::awaitable<R> coro) {
    coodie::driver_session& db = c->db();
    if (db.running_in_io_thread()) {
      throw usage_error("a blocking coodie::sync call was made on the session's own I/O thread");
    }
    return db.wait(
        boost::asio::co_spawn(db.get_executor(), std::move(coro), boost::asio::use_future));
  }
};

/// Coroutines: each call returns an boost::asio::awaitable of the plan's answer.
struct aio_mode {
  static constexpr bool blocking = false;
  template <class R>
  using result_t = boost::asio::awaitable<R>;

  template <class Read>
  static auto run(std::shared_ptr<orm_core> c, plan<Read> p) {
    if constexpr (std::is_same_v<Read, no_answer>) {
      if (coodie::driver_session* db = c->connected(); db != nullptr) {
        if (prepared_statement ps = lookup(*c, p.request)) {
          return send_write(std::move(c), *db, std::move(ps), std::move(p.request));
        }
      }
    }
    return run_request(std::move(c), std::move(p.request), std::move(p.read));
  }

  // A coroutine of its own over the plan's parts, the shape GCC 12 is known to compile right.
  template <class Read>
  static auto run_request(std::shared_ptr<orm_core> c, orm_request rq, Read read)
      -> boost::asio::awaitable<decltype(read(std::declval<const result&>()))> {
    coodie::driver_session* db = c->connected();
    if (db == nullptr) {
      db = co_await c->async_db(c);
    }
    prepared_statement ps = lookup(*c, rq);
    if (!ps) {
      ps = co_await prepare_awaiting(c, rq.text, rq.table, rq.shape);
    }
    const table_schema* table = rq.table;
    const prepared_statement sent = table != nullptr ? ps : prepared_statement();
    boost::asio::awaitable<result> answer = send_request(*db, *c, std::move(ps), std::move(rq));
    result r;
    std::exception_ptr refused;
    try {
      r = co_await std::move(answer);
    } catch (const invalid_query_error& e) {
      if (table == nullptr || !refused_for_size(e)) {
        throw;
      }
      refused = std::current_exception();
    }
    if (refused) {
      co_await explain_refusal_awaiting(c, sent, table);
      std::rethrow_exception(refused);
    }
    co_return read(r);
  }

  template <class R>
  static boost::asio::awaitable<R> run_coro(const std::shared_ptr<orm_core>&,
                                            boost::asio::awaitable<R> coro) {
    return coro;
  }
};

}  // namespace coodie::orm::detail
