#include "coodie/orm/session.hpp"

#include <algorithm>
#include <mutex>
#include <optional>
#include <string_view>

#include <boost/asio/this_coro.hpp>

namespace coodie {

namespace orm::detail {

namespace {

/// Prepares the statements every model uses: the upsert, the read and the delete by key.
boost::asio::awaitable<void> warm_statements(std::shared_ptr<orm_core> c,
                                             const table_schema* model) {
  std::vector<stmt_kind> kinds{stmt_kind::select_by_key};
  if (model->view_of.empty()) {  // a view takes no write
    kinds.push_back(stmt_kind::remove);
  }
  if (!model->is_counter_table() && model->view_of.empty()) {  // a counter table takes no INSERT
    kinds.push_back(stmt_kind::insert);
  }
  for (stmt_kind kind : kinds) {
    const stmt_key shape{model, kind, 0};
    try {
      co_await prepare_awaiting(c, shape_text(shape, c->default_keyspace()), model, shape);
    } catch (const schema_error&) {
      // A live type the statement cannot use (a user type's fields in another order): the
      // error belongs to the call that uses the statement, which checks it again.
    }
  }
}

/// After an applied ALTER TYPE, prepared statements describe the type's old fields: the driver
/// prepares again, and the session checks again, on next use.
void after_type_change(orm_core& c, driver_session& db, const sync_result& r,
                       std::string_view keyspace) {
  if (r.applied && std::any_of(r.statements.begin(), r.statements.end(), [](const std::string& st) {
        return st.rfind("ALTER TYPE", 0) == 0;
      })) {
    db.forget_prepared();
    c.forget(keyspace);
  }
}

}  // namespace

boost::asio::awaitable<sync_result> sync_type_op(std::shared_ptr<orm_core> c, wire::data_type t,
                                                 sync_options o) {
  coodie::driver_session* db = co_await c->async_db(c);
  const std::string keyspace = t.keyspace.empty() ? c->default_keyspace() : t.keyspace;
  sync_result r = co_await async_sync_type(*db, std::move(t), keyspace, o);
  after_type_change(*c, *db, r, keyspace);
  co_return r;
}

boost::asio::awaitable<sync_result> sync_table_op(std::shared_ptr<orm_core> c,
                                                  const table_schema* model, sync_options o) {
  const table_schema& t = *model;
  const std::string& keyspace = c->default_keyspace();
  const std::string fingerprint = schema_fingerprint(t, keyspace);
  const bool cacheable = !o.dry_run && !o.drop_removed_indexes;
  if (cacheable && c->is_synced(fingerprint)) {
    co_return sync_result{};
  }
  coodie::driver_session* db = co_await c->async_db(c);
  sync_result r = co_await async_sync_table(*db, t, keyspace, o);
  if (o.dry_run) {
    co_return r;
  }
  after_type_change(*c, *db, r, t.keyspace_or(keyspace));
  // What the server made of the indexes (a plain CREATE INDEX may be SAI), for the queries'
  // ALLOW FILTERING decision.
  std::optional<existing_table> live =
      co_await async_read_table(*db, std::string(t.keyspace_or(keyspace)), t.name);
  if (live) {
    c->set_live_indexes(
        model, std::make_shared<const std::vector<index_schema>>(std::move(live->schema.indexes)));
  }
  if (!r.differences.empty()) {
    co_return r;  // statements are prepared, and checked against the live columns, on first use
  }
  co_await warm_statements(c, model);
  c->mark_synced(fingerprint);
  co_return r;
}

boost::asio::awaitable<sync_result> sync_view_op(std::shared_ptr<orm_core> c,
                                                 const table_schema* base, const table_schema* view,
                                                 sync_options o) {
  sync_result r = co_await sync_table_op(c, base, o);
  sync_result v = co_await sync_table_op(c, view, o);
  r.append(v);
  r.created = v.created;
  co_return r;
}

boost::asio::awaitable<void> drop_table_op(std::shared_ptr<orm_core> c, const table_schema* t) {
  coodie::driver_session* db = co_await c->async_db(c);
  const std::string keyspace(t->keyspace_or(c->default_keyspace()));
  co_await async_drop_table(*db, *t, keyspace);
  c->forget(keyspace, t->name);
}

boost::asio::awaitable<void> drop_keyspace_op(std::shared_ptr<orm_core> c, std::string name) {
  coodie::driver_session* db = co_await c->async_db(c);
  co_await async_drop_keyspace(*db, name);
  c->forget(name);
}

}  // namespace orm::detail

namespace orm::detail {
namespace {

/// The default session of one front.
template <class Session>
class default_slot {
 public:
  static void set(std::optional<Session> s) {
    std::optional<Session> old;
    {
      std::lock_guard lock(mutex());
      old = std::exchange(value(), std::move(s));
    }
    // old closes here, outside the lock, when it was the last copy
  }
  static Session get(std::string_view front) {
    std::lock_guard lock(mutex());
    if (!value()) {
      throw usage_error("no default coodie::" + std::string(front) + " session; call coodie::" +
                        std::string(front) + "::init(...) or set_default_session(...) first");
    }
    return *value();
  }

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static std::optional<Session>& value() {
    static std::optional<Session> v;
    return v;
  }
};

}  // namespace
}  // namespace orm::detail

namespace sync {
session connect(session_options options) {
  return session(coodie::driver_session::connect(std::move(options)));
}
session connect_lazily(session_options options) {
  return session(std::move(options), orm::detail::lazy_t{});
}
void init(session_options options) {
  set_default_session(connect(std::move(options)));
}
void init_lazily(session_options options) {
  set_default_session(connect_lazily(std::move(options)));
}
void set_default_session(session s) {
  orm::detail::default_slot<session>::set(std::move(s));
}
void clear_default_session() {
  orm::detail::default_slot<session>::set(std::nullopt);
}
session default_session() {
  return orm::detail::default_slot<session>::get("sync");
}
}  // namespace sync

namespace aio {
namespace {
// The options travel by pointer: with them in the coroutine frame GCC 12 warns falsely
// (-Wmismatched-new-delete) about the frame's deallocation.
boost::asio::awaitable<session> connect_with(std::shared_ptr<session_options> options) {
  auto ex = co_await boost::asio::this_coro::executor;
  coodie::driver_session s = co_await coodie::driver_session::async_connect(
      ex, std::move(*options), boost::asio::use_awaitable);
  co_return session(std::move(s));
}

boost::asio::awaitable<void> init_with(std::shared_ptr<session_options> options) {
  set_default_session(co_await connect_with(std::move(options)));
}
}  // namespace

boost::asio::awaitable<session> connect(session_options options) {
  return connect_with(std::make_shared<session_options>(std::move(options)));
}
session connect_lazily(session_options options) {
  return session(std::move(options), orm::detail::lazy_t{});
}
boost::asio::awaitable<void> init(session_options options) {
  return init_with(std::make_shared<session_options>(std::move(options)));
}
void init_lazily(session_options options) {
  set_default_session(connect_lazily(std::move(options)));
}
void set_default_session(session s) {
  orm::detail::default_slot<session>::set(std::move(s));
}
void clear_default_session() {
  orm::detail::default_slot<session>::set(std::nullopt);
}
session default_session() {
  return orm::detail::default_slot<session>::get("aio");
}
}  // namespace aio

}  // namespace coodie
