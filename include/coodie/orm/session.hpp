// The two fronts of the ODM: coodie::sync::session (blocking) and coodie::aio::session
// (coroutines). Both are one template over an execution mode, so they have the same calls with
// the same behaviour; sync returns values, aio returns boost::asio::awaitable<value>.
//
// Example (blocking):
//   auto s = coodie::sync::connect({.hosts = {"127.0.0.1"}, .keyspace = "shop"});
//   s.sync_table<Product>();
//   s.save(Product{.id = coodie::uuid::random(), .name = "Widget", .price = 4.99});
//   Product p = s.get<Product>(id);                      // document_not_found when absent
//   auto cheap = s.find<Product>()
//                    .where(coodie::col<&Product::category> == "tools",
//                           coodie::col<&Product::price> < 10.0)
//                    .limit(10)
//                    .all();
//
// Example (coroutine):
//   boost::asio::awaitable<void> run() {
//     auto s = co_await coodie::aio::connect({.hosts = {"127.0.0.1"}, .keyspace = "shop"});
//     co_await s.save(p);
//     std::optional<Product> q = co_await s.find_one<Product>(id);
//   }
#pragma once

#include <chrono>
#include <memory>
#include <ranges>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "coodie/driver/session.hpp"
#include "coodie/driver/trace.hpp"
#include "coodie/orm/batch.hpp"
#include "coodie/orm/bulk.hpp"
#include "coodie/orm/detail/changes.hpp"
#include "coodie/orm/detail/core.hpp"
#include "coodie/orm/detail/documents.hpp"
#include "coodie/orm/detail/guards.hpp"
#include "coodie/orm/detail/raw.hpp"
#include "coodie/orm/mapping.hpp"
#include "coodie/orm/options.hpp"
#include "coodie/orm/polymorphic.hpp"
#include "coodie/orm/query.hpp"
#include "coodie/orm/schema.hpp"
#include "coodie/orm/stream.hpp"
#include "coodie/orm/type_schema.hpp"
#include "coodie/orm/user_type.hpp"
#include "coodie/orm/view.hpp"

namespace coodie {

namespace orm::detail {

/// Runs f(driver session, a...), a function returning an awaitable, once the core is
/// connected; the core stays alive until it ends.
template <class R, class F, class... A>
boost::asio::awaitable<R> on_db(std::shared_ptr<orm_core> c, F f, A... a) {
  coodie::driver_session* db = co_await c->async_db(c);
  co_return co_await f(*db, std::move(a)...);
}

/// sync_table with the session's cache of synced tables and the warm-up of the model's
/// statements.
boost::asio::awaitable<sync_result> sync_table_op(std::shared_ptr<orm_core> c,
                                                  const table_schema* t, sync_options o);
/// sync_type; after an ALTER TYPE it forgets the prepared statements (theirs list old fields).
boost::asio::awaitable<sync_result> sync_type_op(std::shared_ptr<orm_core> c, wire::data_type t,
                                                 sync_options o);
/// Syncs the base table, then the view.
boost::asio::awaitable<sync_result> sync_view_op(std::shared_ptr<orm_core> c,
                                                 const table_schema* base, const table_schema* view,
                                                 sync_options o);
/// Drops, and forgets what the session knew of the table (synced, prepared statements).
boost::asio::awaitable<void> drop_table_op(std::shared_ptr<orm_core> c, const table_schema* t);
boost::asio::awaitable<void> drop_keyspace_op(std::shared_ptr<orm_core> c, std::string name);

}  // namespace orm::detail

/// A front of the ODM over one driver session; copies share the session. Mode is
/// detail::sync_mode or detail::aio_mode; use coodie::sync::session or coodie::aio::session.
template <class Mode>
class basic_session {
 public:
  template <class V>
  using result_t = typename Mode::template result_t<V>;

  /// An empty front that is connected to nothing, as a future or a member holds one before a
  /// connected session is assigned to it; every call throws usage_error until then.
  ///   std::future<coodie::aio::session> f =
  ///       boost::asio::co_spawn(io, coodie::aio::connect(o), boost::asio::use_future);
  basic_session() = default;

  /// A front over a connected driver session.
  explicit basic_session(coodie::driver_session s)
      : core_(std::make_shared<orm::detail::orm_core>(std::move(s))) {}
  /// A front that connects on first use (see sync::connect_lazily, aio::connect_lazily).
  basic_session(session_options lazy, orm::detail::lazy_t)
      : core_(std::make_shared<orm::detail::orm_core>(std::move(lazy), Mode::blocking)) {}

  /// Connects now when the session is lazy and not connected yet; otherwise does nothing.
  result_t<void> connect() { return Mode::run_coro(core(), connect_op(core())); }

  /// The driver session, for raw CQL. A lazy sync session connects here; a lazy aio session
  /// must have connected (any awaited call, or connect()) first, else usage_error.
  coodie::driver_session& driver() { return core()->db(); }

  // --- schema -------------------------------------------------------------------------------

  /// Creates the table and its indexes when missing; on an existing table adds missing columns
  /// and indexes and alters changed options, and reports what it cannot change safely. Costs
  /// no round trip when this session synced the same model already. Prepares the model's
  /// statements. `s.sync_table<Product>({.dry_run = true}).statements` is the plan.
  /// For a polymorphic model or subtype, the table holds every subtype's columns.
  template <class T>
  result_t<sync_result> sync_table(sync_options o = {}) {
    static_assert(!model_info<T>::is_view, "coodie: the model is a view: use sync_view<V>()");
    return Mode::run_coro(
        core(), orm::detail::sync_table_op(core(), &orm::detail::stored_table_of<T>(), o));
  }
  /// DROP TABLE IF EXISTS; the next sync_table<T>() creates it again.
  template <class T>
  result_t<void> drop_table() {
    static_assert(!model_info<T>::is_view && !model_info<T>::is_subtype,
                  "coodie: drop_table takes a table's model: drop_view<V>() drops a view, and a "
                  "subtype's table is its polymorphic base's");
    return Mode::run_coro(core(), orm::detail::drop_table_op(core(), &orm::detail::table_of<T>()));
  }
  /// Syncs materialized view V (coodie/orm/view.hpp): its base model's table first, as
  /// sync_table does, then CREATE MATERIALIZED VIEW when missing. On an existing view it alters
  /// changed options and reports, never changes, a missing column, another key or another type
  /// (drop_view and sync again to rebuild it).
  template <class V>
  result_t<sync_result> sync_view(sync_options o = {}) {
    static_assert(model_info<V>::is_view, "coodie: sync_view takes a view: coodie::view<Base>()");
    using base = typename model_info<V>::decl_type::kind_type::base;
    return Mode::run_coro(core(),
                          orm::detail::sync_view_op(core(), &orm::detail::stored_table_of<base>(),
                                                    &orm::detail::table_of<V>(), o));
  }
  /// DROP MATERIALIZED VIEW IF EXISTS.
  template <class V>
  result_t<void> drop_view() {
    static_assert(model_info<V>::is_view, "coodie: drop_view takes a view: coodie::view<Base>()");
    return Mode::run_coro(core(), orm::detail::drop_table_op(core(), &orm::detail::table_of<V>()));
  }
  /// Creates user type U when missing; on an existing type adds the missing fields (ALTER TYPE
  /// ADD) and reports a field of another type, a field the struct lacks or fields in another
  /// order, never changing them. The types U uses are synced first, the same way, in U's
  /// keyspace. sync_table syncs a model's user types itself.
  template <class U>
  result_t<sync_result> sync_type(sync_options o = {}) {
    static_assert(orm::detail::declared_user_type<U>,
                  "coodie: sync_type needs a user type declared with coodie::udt<U>");
    return Mode::run_coro(core(), orm::detail::sync_type_op(core(), cql_traits<U>::cql_type(), o));
  }
  /// DROP TYPE IF EXISTS (the server refuses while a table or type uses it).
  template <class U>
  result_t<void> drop_type() {
    static_assert(orm::detail::declared_user_type<U>,
                  "coodie: drop_type needs a user type declared with coodie::udt<U>");
    return Mode::run_coro(core(),
                          orm::detail::on_db<void>(
                              core(),
                              [](coodie::driver_session& db, wire::data_type t, std::string ks) {
                                return async_drop_type(db, std::move(t), std::move(ks));
                              },
                              cql_traits<U>::cql_type(), core()->default_keyspace()));
  }
  /// TRUNCATE: removes every row (of every subtype, for a polymorphic base; a subtype is refused
  /// at compile time, as its rows share the table).
  template <class T>
  result_t<void> truncate() {
    static_assert(!model_info<T>::is_view && !model_info<T>::is_subtype,
                  "coodie: truncate takes a table's model: a view cannot be truncated (truncate "
                  "its base), and a subtype's table is its polymorphic base's");
    return Mode::run_coro(core(),
                          orm::detail::on_db<void>(
                              core(),
                              [](coodie::driver_session& db, table_schema t, std::string ks) {
                                return async_truncate(db, std::move(t), std::move(ks));
                              },
                              orm::detail::table_of<T>(), core()->default_keyspace()));
  }
  /// CREATE KEYSPACE IF NOT EXISTS.
  result_t<void> create_keyspace(keyspace_options k) {
    return Mode::run_coro(core(), orm::detail::on_db<void>(
                                      core(),
                                      [](coodie::driver_session& db, keyspace_options o) {
                                        return async_create_keyspace(db, std::move(o));
                                      },
                                      std::move(k)));
  }
  /// DROP KEYSPACE IF EXISTS.
  result_t<void> drop_keyspace(std::string name) {
    return Mode::run_coro(core(), orm::detail::drop_keyspace_op(core(), std::move(name)));
  }

  // --- documents ----------------------------------------------------------------------------

  /// Upsert of every column of obj.
  template <class T>
  result_t<void> save(const T& obj, write_options w = {}) {
    guard_write<T>(obj, w, "save");
    return Mode::run(core(), orm::detail::save_plan(obj, w));
  }

  /// INSERT ... IF NOT EXISTS: applied, or the row already there.
  template <class T>
  result_t<lwt_result<T>> insert(const T& obj, write_options w = {}) {
    guard_write<T>(obj, w, "insert");
    return Mode::run(core(), orm::detail::insert_plan(obj, w));
  }

  /// The row with this primary key (partition key then clustering values, in key order);
  /// document_not_found when there is none. Each value converts without loss to its key
  /// member's type, and there is one per key column: anything else does not compile.
  ///   Product p = s.get<Product>("tools", "anvil");
  /// A polymorphic base returns std::variant<subtypes..., T> (coodie/orm/polymorphic.hpp).
  template <class T, class... K>
  result_t<orm::detail::read_t<T>> get(K&&... key) {
    return Mode::run(core(), orm::detail::get_plan<T>(std::forward<K>(key)...));
  }

  /// The row with this primary key, or std::nullopt.
  template <class T, class... K>
  result_t<std::optional<orm::detail::read_t<T>>> find_one(K&&... key) {
    return Mode::run(core(), orm::detail::find_one_plan<T>(std::forward<K>(key)...));
  }

  /// Writes only the named members' columns of obj's row (other columns are left alone).
  template <class T, auto... Ms>
  result_t<void> update(const T& obj, members_t<Ms...> m, write_options w = {}) {
    guard_write<T, Ms...>(obj, w, "update");
    return Mode::run(core(), orm::detail::update_plan(obj, m, w, core()->default_keyspace()));
  }

  /// Changes obj's row (named by its key members) by assignments and collection operations of
  /// coodie/orm/updates.hpp, in one UPDATE:
  ///   s.update(post, {coodie::set_add<&Post::tags>({"cql"}),
  ///   coodie::map_erase<&Post::meta>("x")});
  template <class T>
  result_t<void> update(const T& obj, std::type_identity_t<std::vector<assignment<T>>> set,
                        write_options w = {}) {
    return Mode::run(core(),
                     orm::detail::change_plan(obj, std::move(set), w, core()->default_keyspace()));
  }

  /// Adds to counters of obj's row (a counter model; its key members name the row), one delta
  /// or several: `s.increment(page, coodie::by<&PageViews::views>(1))`,
  /// `s.increment(page, {coodie::by<&PageViews::views>(1), coodie::by<&PageViews::likes>(2)})`.
  /// Never retried or speculated (a counter update is not idempotent); a TTL or a timestamp is a
  /// usage_error, as the server refuses both on counters.
  template <class T>
  result_t<void> increment(const T& obj, std::type_identity_t<counter_change<T>> by,
                           write_options w = {}) {
    return Mode::run(core(), orm::detail::counter_plan(obj, std::move(by), false, w,
                                                       core()->default_keyspace()));
  }

  /// Subtracts from counters of obj's row, as increment adds (counters go below zero).
  template <class T>
  result_t<void> decrement(const T& obj, std::type_identity_t<counter_change<T>> by,
                           write_options w = {}) {
    return Mode::run(
        core(), orm::detail::counter_plan(obj, std::move(by), true, w, core()->default_keyspace()));
  }

  /// Writes the named members' columns of obj's row only if the condition holds (a lightweight
  /// transaction, never retried): `coodie::if_exists`, or `coodie::when(...)` on regular or
  /// static columns. Applied, or the row as it is (lwt_result).
  ///   auto r = s.update(acct, coodie::members<&Account::balance>,
  ///                     coodie::when(coodie::col<&Account::balance> == old_balance));
  template <class T, auto... Ms>
  result_t<lwt_result<T>> update(const T& obj, members_t<Ms...> m,
                                 std::type_identity_t<condition<T>> when, write_options w = {}) {
    guard_write<T, Ms...>(obj, w, "update");
    return Mode::run(
        core(), orm::detail::conditional_update_plan(obj, m, when, w, core()->default_keyspace()));
  }

  /// Deletes obj's row.
  template <class T>
  result_t<void> remove(const T& obj, write_options w = {}) {
    return Mode::run(core(), orm::detail::remove_plan(obj, w));
  }

  /// Deletes obj's row only if the condition holds (coodie::if_exists or coodie::when(...)):
  /// applied, or the row as it is.
  template <class T>
  result_t<lwt_result<T>> remove(const T& obj, std::type_identity_t<condition<T>> when,
                                 write_options w = {}) {
    return Mode::run(
        core(), orm::detail::conditional_remove_plan(obj, when, w, core()->default_keyspace()));
  }

  /// Deletes (nulls) the named members' columns of obj's row.
  template <class T, auto... Ms>
  result_t<void> remove_columns(const T& obj, members_t<Ms...> m, write_options w = {}) {
    return Mode::run(core(),
                     orm::detail::remove_columns_plan(obj, m, w, core()->default_keyspace()));
  }

  /// Runs a CQL statement written by hand, its values bound in order (each checked against its
  /// bind marker's type once the statement is prepared), and reads every row (all pages) into R, a
  /// model or any aggregate struct, by column name: each member of R must find its column
  /// (codec_error naming it otherwise); other columns are ignored. The statement is prepared once
  /// per session. Values are always bound, never spliced into the text.
  ///   struct Total { std::string category; std::int64_t n; };
  ///   auto totals = s.query<Total>("SELECT category, COUNT(*) AS n FROM shop.products "
  ///                                "WHERE category = ? GROUP BY category", std::string("tools"));
  template <class R, class... A>
  result_t<std::vector<R>> query(std::string cql, const A&... args) {
    return Mode::run_coro(
        core(), orm::detail::raw_all<R, A...>(core(), std::move(cql), std::tuple<A...>(args...)));
  }

  /// Reads the trace of a traced call (write_options::tracing, read_options::tracing or
  /// session_options::tracing; its id reaches session_options::on_response_notes) once the
  /// server has written it to system_traces (coodie/driver/trace.hpp).
  result_t<trace_info> trace(uuid id, std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    return Mode::run_coro(core(), trace_op(core(), id, wait));
  }

  // --- batches ------------------------------------------------------------------------------

  /// A new batch of document operations, for the session's keyspace (coodie/orm/batch.hpp).
  ///   coodie::write_batch b = s.batch();  // or s.batch(coodie::batch_kind::unlogged)
  [[nodiscard]] write_batch batch(batch_kind kind = batch_kind::logged) const {
    const std::shared_ptr<orm::detail::orm_core>& c = core();
    return write_batch(kind, c->default_keyspace(),
                       std::shared_ptr<const session_options>(c, &c->options()));
  }

  /// Sends a batch as one BATCH request: applied, or for a conditional batch that did not apply
  /// each conditional statement's row as it is. Never retried unless every statement is a plain
  /// write with a timestamp.
  ///   coodie::batch_result r = s.execute(b, {.cl = coodie::consistency::quorum});
  result_t<batch_result> execute(write_batch b, batch_options o = {}) {
    if constexpr (Mode::blocking) {
      return orm::detail::run_batch_blocking(core(), b, o);
    } else {
      return orm::detail::run_batch(core(), std::move(b), o);
    }
  }

  /// Saves any number of documents of model T, grouped by partition into unlogged batches of
  /// at most o.max_batch_bytes, with at most o.concurrency requests in flight
  /// (coodie/orm/bulk.hpp):
  ///   coodie::bulk_save_result r = s.save_many(readings);
  /// Saves are upserts, so a failure leaves some rows written; running it again is safe.
  template <class Range, class T = std::ranges::range_value_t<Range>>
  result_t<bulk_save_result> save_many(const Range& docs, bulk_save_options o = {}) {
    for (const T& d : docs) {
      guard_write<T>(d, o.write, "save_many");
    }
    orm::detail::batch_entries entries = orm::detail::save_entries<T>(docs, o.write);
    return Mode::run_coro(core(), orm::detail::run_save_many(core(), std::move(entries), o));
  }

  // --- queries ------------------------------------------------------------------------------

  /// A query on model T, refined by chaining (each call returns a new query).
  /// A subtype's query reads its rows only (a restriction on the discriminator); a polymorphic
  /// base's reads std::variant<subtypes..., T>.
  template <class T>
  basic_query<T, Mode, orm::detail::read_t<T>> find() const {
    return basic_query<T, Mode, orm::detail::read_t<T>>(core());
  }

 private:
  /// The session's skip_nulls unless the call says, then the null_writes guardrail for the
  /// members written (Ms, or every column).
  template <class T, auto... Ms>
  void guard_write(const T& obj, write_options& w, const char* op) const {
    orm::detail::guard_write(core()->options(), obj, w, op, {orm::detail::field_index<Ms>()...});
  }

  static boost::asio::awaitable<void> connect_op(std::shared_ptr<orm::detail::orm_core> c) {
    co_await c->async_db(c);
  }
  static boost::asio::awaitable<trace_info> trace_op(std::shared_ptr<orm::detail::orm_core> c,
                                                     uuid id, std::chrono::milliseconds wait) {
    coodie::driver_session* db = co_await c->async_db(c);
    co_return co_await async_fetch_trace(*db, id, wait);
  }

  /// The shared state; usage_error on a default-constructed (empty) front.
  const std::shared_ptr<orm::detail::orm_core>& core() const {
    if (!core_) {
      throw usage_error(
          "this coodie session is empty (default-constructed): assign a connected one first");
    }
    return core_;
  }

  std::shared_ptr<orm::detail::orm_core> core_;
};

namespace sync {
/// The blocking front.
using session = basic_session<orm::detail::sync_mode>;
template <class T, class R = T>
using query = basic_query<T, orm::detail::sync_mode, R>;
template <class T, class R = T>
using stream = basic_stream<T, orm::detail::sync_mode, R>;

/// Connects (blocking) with an I/O thread of the session's own.
session connect(session_options options);
/// A session that connects (blocking) on its first call.
session connect_lazily(session_options options);

/// The default session, for code that does not pass one around (like the Python init_coodie):
/// `coodie::sync::init({.hosts = {"127.0.0.1"}, .keyspace = "shop"});` then
/// `coodie::sync::default_session().save(p);`. Explicit sessions remain the norm.
void init(session_options options);
/// Makes a session that connects on first use the default one.
void init_lazily(session_options options);
/// Makes s the default session (replacing any other).
void set_default_session(session s);
/// Forgets the default session (closing it when no copy is left).
void clear_default_session();
/// The default session; usage_error when none was set.
session default_session();
}  // namespace sync

namespace aio {
/// The coroutine front.
using session = basic_session<orm::detail::aio_mode>;
template <class T, class R = T>
using query = basic_query<T, orm::detail::aio_mode, R>;
template <class T, class R = T>
using stream = basic_stream<T, orm::detail::aio_mode, R>;

/// Connects on the awaiting coroutine's executor; `auto s = co_await aio::connect(o);`.
boost::asio::awaitable<session> connect(session_options options);
/// A session that connects on the executor of the first coroutine that awaits one of its calls.
session connect_lazily(session_options options);

/// The default session (see coodie::sync::init): `co_await coodie::aio::init(o);`.
boost::asio::awaitable<void> init(session_options options);
void init_lazily(session_options options);
void set_default_session(session s);
void clear_default_session();
session default_session();
}  // namespace aio

}  // namespace coodie
