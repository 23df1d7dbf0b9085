#include "coodie/orm/session.hpp"

#include <boost/asio/this_coro.hpp>

namespace coodie {

namespace detail {

asio::awaitable<sync_result> sync_table_op(std::shared_ptr<orm_core> c, table_schema t,
                                           sync_options o) {
  const std::string keyspace = c->default_keyspace();
  const std::string fingerprint = schema_fingerprint(t, keyspace);
  const bool cacheable = !o.dry_run && !o.drop_removed_indexes;
  if (cacheable && c->is_synced(fingerprint)) {
    co_return sync_result{};
  }
  sync_result r = co_await async_sync_table(c->db(), t, keyspace, o);
  if (o.dry_run) {
    co_return r;
  }
  // Warm the statements every model uses: the upsert, the read and the delete by key.
  std::vector<std::string> texts{dml::insert(t, keyspace), dml::select_by_key(t, keyspace),
                                 dml::remove(t, keyspace)};
  if (t.is_counter_table()) {
    texts.erase(texts.begin());  // a counter table takes no INSERT
  }
  for (const std::string& text : texts) {
    if (!c->cached(text)) {
      prepared_statement ps = co_await c->db().async_prepare(text, asio::use_awaitable);
      c->store(text, ps, nullptr);
    }
  }
  if (r.differences.empty()) {
    c->mark_synced(fingerprint);
  }
  co_return r;
}

}  // namespace detail

namespace sync {
session connect(session_options options) {
  return session(coodie::session::connect(std::move(options)));
}
}  // namespace sync

namespace aio {
asio::awaitable<session> connect(session_options options) {
  auto ex = co_await asio::this_coro::executor;
  coodie::session s =
      co_await coodie::session::async_connect(ex, std::move(options), asio::use_awaitable);
  co_return session(std::move(s));
}
}  // namespace aio

}  // namespace coodie
