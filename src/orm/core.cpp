#include "coodie/orm/detail/core.hpp"

#include <algorithm>

#include "coodie/orm/type_text.hpp"

#include <boost/asio/this_coro.hpp>

namespace coodie::detail {

coodie::session& orm_core::db() {
  std::lock_guard lock(connect_mutex_);
  if (!db_.is_open()) {
    if (!blocking_) {
      throw usage_error(
          "this coodie::aio session connects lazily and has not connected yet; await a call "
          "(or connect()) before using its driver session");
    }
    db_ = coodie::session::connect(options_);
    open_.store(true, std::memory_order_release);
  }
  return db_;
}

asio::awaitable<coodie::session*> orm_core::async_db(std::shared_ptr<orm_core> self) {
  for (;;) {
    {
      std::lock_guard lock(connect_mutex_);
      if (db_.is_open()) {
        co_return &db_;
      }
      if (blocking_) {
        // A blocking core's coroutines run on its session's executor: connected already.
        throw usage_error("a lazy coodie::sync session was used before connecting");
      }
      if (!connecting_) {
        connecting_ = true;
        break;
      }
    }
    // Another coroutine is connecting: look again shortly (only until the first connect ends).
    asio::steady_timer wait(co_await asio::this_coro::executor, std::chrono::milliseconds(2));
    co_await wait.async_wait(asio::use_awaitable);
  }
  std::exception_ptr failed;
  coodie::session s;
  try {
    auto ex = co_await asio::this_coro::executor;
    s = co_await coodie::session::async_connect(ex, options_, asio::use_awaitable);
  } catch (...) {
    failed = std::current_exception();
  }
  std::lock_guard lock(connect_mutex_);
  connecting_ = false;
  if (failed) {
    std::rethrow_exception(failed);
  }
  db_ = std::move(s);
  open_.store(true, std::memory_order_release);
  (void)self;
  co_return &db_;
}

prepared_statement prepare_blocking(orm_core& c, const orm_request& rq) {
  prepared_statement ps = c.cached(rq.text, rq.table);
  if (!ps) {
    ps = c.db().prepare(rq.text);
    c.store(rq.text, ps, rq.table);
  }
  if (rq.key) {
    c.store(*rq.key, ps);
  }
  return ps;
}

asio::awaitable<prepared_statement> prepare_awaiting(std::shared_ptr<orm_core> c, std::string text,
                                                     const table_schema* table,
                                                     std::optional<stmt_key> key) {
  prepared_statement ps = c->cached(text, table);
  if (!ps) {
    coodie::session* db = co_await c->async_db(c);
    ps = co_await db->async_prepare(text, asio::use_awaitable);
    c->store(text, ps, table);
  }
  if (key) {
    c->store(*key, ps);
  }
  co_return ps;
}

namespace {

/// Checks the statement's bind markers against the model's columns: a marker named after a
/// column binds that column's type, or a list of it (IN), or an element of it (CONTAINS);
/// anything else means the live column is not the model's (schema_error).
void check_types(const prepared_statement& ps, const table_schema& table) {
  for (const wire::column_spec& v : ps.variables()) {
    const column_schema* c = table.find(v.name);
    if (c != nullptr && cql_type_text(v.type, false) != cql_type_text(c->type, false) &&
        !(c->type.id == wire::type_id::counter && v.type.id == wire::type_id::counter)) {
      bool collection_element = !c->type.params.empty();
      bool in_list = v.type.id == wire::type_id::list && !v.type.params.empty() &&
                     v.type.params.front() == c->type;
      if (!collection_element && !in_list) {
        throw schema_error("model " + table.model + ", table " + table.name + ", column " +
                               c->name + ": the live column is " + wire::to_cql(v.type) +
                               " but the model says " + c->cql_type +
                               "; sync_table reports the difference",
                           table.name, c->name);
      }
    }
  }
}

}  // namespace

prepared_statement orm_core::cached(const std::string& text, const table_schema* table) {
  prepared_statement ps;
  {
    std::lock_guard lock(mutex_);
    auto it = prepared_.find(text);
    if (it == prepared_.end()) {
      return ps;
    }
    const std::vector<const table_schema*>& checked = it->second.checked;
    if (table == nullptr || std::find(checked.begin(), checked.end(), table) != checked.end()) {
      return it->second.ps;
    }
    ps = it->second.ps;
  }
  // Models sharing a table share its texts: each is checked against the live types once.
  check_types(ps, *table);
  std::lock_guard lock(mutex_);
  prepared_[text].checked.push_back(table);
  return ps;
}

void orm_core::store(const std::string& text, const prepared_statement& ps,
                     const table_schema* table) {
  if (table != nullptr) {
    check_types(ps, *table);
  }
  std::lock_guard lock(mutex_);
  text_entry& e = prepared_[text];
  e.ps = ps;
  if (table != nullptr) {
    e.checked.push_back(table);
  }
}

orm_core::index_list orm_core::live_indexes(const table_schema* model) const {
  std::lock_guard lock(mutex_);
  auto it = live_indexes_.find(model);
  return it == live_indexes_.end() ? nullptr : it->second;
}

void orm_core::set_live_indexes(const table_schema* model, index_list indexes) {
  std::lock_guard lock(mutex_);
  live_indexes_[model] = std::move(indexes);
}

prepared_statement orm_core::cached(const stmt_key& key) const {
  std::lock_guard lock(mutex_);
  auto it = by_shape_.find(key);
  return it == by_shape_.end() ? prepared_statement() : it->second;
}

void orm_core::store(const stmt_key& key, const prepared_statement& ps) {
  std::lock_guard lock(mutex_);
  by_shape_.emplace(key, ps);
}

void orm_core::forget(std::string_view keyspace, std::string_view table) {
  // A fingerprint starts "keyspace.table(" (see schema_fingerprint).
  std::string prefix = std::string(keyspace) + '.';
  if (!table.empty()) {
    prefix += std::string(table) + '(';
  }
  std::lock_guard lock(mutex_);
  std::erase_if(synced_, [&](const std::string& f) { return f.rfind(prefix, 0) == 0; });
  std::erase_if(live_indexes_, [&](const auto& entry) {
    const table_schema& t = *entry.first;
    return (t.keyspace.empty() ? options_.keyspace : t.keyspace) == keyspace &&
           (table.empty() || t.name == table);
  });
  prepared_.clear();  // cheap to prepare again; a table of the same name may differ now
  by_shape_.clear();
}

bool orm_core::is_synced(const std::string& fingerprint) const {
  std::lock_guard lock(mutex_);
  return synced_.count(fingerprint) != 0;
}

void orm_core::mark_synced(const std::string& fingerprint) {
  std::lock_guard lock(mutex_);
  synced_.insert(fingerprint);
}

std::string schema_fingerprint(const table_schema& t, std::string_view keyspace) {
  std::string out = t.keyspace.empty() ? std::string(keyspace) : t.keyspace;
  out += '.' + t.name + '(';
  for (const column_schema& c : t.columns) {
    out += c.name + ' ' + c.cql_type + ' ' + std::to_string(static_cast<int>(c.kind)) + ' ' +
           std::to_string(c.position) + ' ' + std::to_string(static_cast<int>(c.clustering_order)) +
           ',';
  }
  out += ")[";
  for (const index_schema& i : t.indexes) {
    out += i.name + ' ' + i.column + ' ' + i.custom_class + ',';
  }
  out += "]{";
  for (const table_option& o : t.options) {
    out += o.name + '=' + o.cql_literal + ',';
  }
  out += '}';
  return out;
}

}  // namespace coodie::detail
