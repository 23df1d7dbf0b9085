#include "coodie/orm/detail/core.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "coodie/orm/type_text.hpp"
#include "coodie/wire/token.hpp"
#include "type_check.hpp"

#include <boost/asio/this_coro.hpp>

namespace coodie::orm::detail {

coodie::driver_session& orm_core::db() {
  std::lock_guard lock(connect_mutex_);
  if (!db_.is_open()) {
    if (!blocking_) {
      throw usage_error(
          "this coodie::aio session connects lazily and has not connected yet; await a call "
          "(or connect()) before using its driver session");
    }
    db_ = coodie::driver_session::connect(options_);
    open_.store(true, std::memory_order_release);
  }
  return db_;
}

boost::asio::awaitable<coodie::driver_session*> orm_core::async_db(std::shared_ptr<orm_core> self) {
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
    boost::asio::steady_timer wait(co_await boost::asio::this_coro::executor,
                                   std::chrono::milliseconds(2));
    co_await wait.async_wait(boost::asio::use_awaitable);
  }
  std::exception_ptr failed;
  coodie::driver_session s;
  try {
    auto ex = co_await boost::asio::this_coro::executor;
    s = co_await coodie::driver_session::async_connect(ex, options_, boost::asio::use_awaitable);
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

prepared_statement lookup(orm_core& c, orm_request& rq) {
  if (rq.shape) {
    if (prepared_statement ps = c.cached(*rq.shape)) {
      return ps;
    }
    if (rq.text.empty()) {
      rq.text = shape_text(*rq.shape, c.default_keyspace());
    }
    // The driver may hold the text already (another caller prepared it): remember the shape,
    // or every later call would build the text again.
    prepared_statement ps = c.cached(rq.text, rq.table);
    if (ps) {
      c.store(*rq.shape, ps);
    }
    return ps;
  }
  return c.cached(rq.text, rq.table);
}

boost::asio::awaitable<prepared_statement> prepare_awaiting(std::shared_ptr<orm_core> c,
                                                            std::string text,
                                                            const table_schema* table,
                                                            std::optional<stmt_key> shape) {
  prepared_statement ps = c->cached(text, table);
  if (!ps) {
    coodie::driver_session* db = co_await c->async_db(c);
    ps = co_await db->async_prepare(text, boost::asio::use_awaitable);
    c->check(ps, table);
  }
  if (shape) {
    c->store(*shape, ps);
  }
  co_return ps;
}

prepared_statement orm_core::cached(const std::string& text, const table_schema* table) {
  coodie::driver_session* db = connected();
  prepared_statement ps = db != nullptr ? db->find_prepared(text) : prepared_statement();
  if (ps) {
    check(ps, table);
  }
  return ps;
}

void orm_core::check(const prepared_statement& ps, const table_schema* table) {
  if (table == nullptr) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    auto it = checked_.find(ps.data().get());
    if (it != checked_.end() && std::find(it->second.models.begin(), it->second.models.end(),
                                          table) != it->second.models.end()) {
      return;
    }
  }
  // Models sharing a table share its texts: each is checked against the live types once.
  check_types(ps, *table);
  std::lock_guard lock(mutex_);
  checked_entry& e = checked_[ps.data().get()];
  e.ps = ps;
  e.models.push_back(table);
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
    return t.keyspace_or(options_.keyspace) == keyspace && (table.empty() || t.name == table);
  });
  checked_.clear();  // a table of the same name may differ now: check again
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

namespace {

constexpr std::size_t token_hash_size = 8;

/// What a page token is bound to: the statement text and its bound values (the page size and
/// consistency may change between pages; the query may not).
std::array<std::byte, token_hash_size> query_hash(const orm_request& rq) {
  wire::byte_buffer buf;
  wire::writer w(buf);
  w.raw(rq.text);
  wire::bound_values v = rq.values.view();
  w.u16(v.count);
  w.raw(v.data);
  auto h = static_cast<std::uint64_t>(wire::murmur3_token(buf));
  std::array<std::byte, token_hash_size> out{};
  for (std::size_t i = 0; i < token_hash_size; ++i) {
    out[i] = static_cast<std::byte>((h >> (8 * i)) & 0xFFU);
  }
  return out;
}

}  // namespace

std::string page_token(const orm_request& rq, const page_state& state) {
  std::array<std::byte, token_hash_size> h = query_hash(rq);
  wire::byte_buffer bytes(h.begin(), h.end());
  bytes.insert(bytes.end(), state.bytes().begin(), state.bytes().end());
  return page_state(std::move(bytes)).to_string();
}

page_state read_page_token(const orm_request& rq, std::string_view token) {
  const std::string model = rq.table != nullptr ? rq.table->model : std::string("?");
  page_state whole;
  try {
    whole = page_state::from_string(token);
  } catch (const usage_error& e) {
    throw page_token_error("model " + model + ": " + e.what());
  }
  wire::bytes_view b = whole.bytes();
  std::array<std::byte, token_hash_size> h = query_hash(rq);
  if (b.size() <= token_hash_size || !std::equal(h.begin(), h.end(), b.begin())) {
    throw page_token_error("model " + model +
                           ": the page token belongs to another query (other restrictions, "
                           "table or columns); start again without a token");
  }
  return page_state(wire::byte_buffer(b.begin() + token_hash_size, b.end()));
}

std::string schema_fingerprint(const table_schema& t, std::string_view keyspace) {
  std::string out(t.keyspace_or(keyspace));
  out += '.' + t.name + '(';
  for (const column_schema& c : t.columns) {
    std::string user_types;  // a changed user type is a changed table to sync
    append_user_types(user_types, c.type);
    out += c.name + ' ' + c.cql_type + user_types + ' ' + std::to_string(static_cast<int>(c.kind)) +
           ' ' + std::to_string(c.position) + ' ' +
           std::to_string(static_cast<int>(c.clustering_order)) + ',';
  }
  out += ")[";
  for (const index_schema& i : t.indexes) {
    out += i.name + ' ' + i.column + ' ' + i.custom_class;
    for (const auto& [name, value] : i.options) {
      out += ' ' + name + '=' + value;
    }
    out += ',';
  }
  out += "]{";
  for (const table_option& o : t.options) {
    out += o.name + '=' + o.cql_literal + ',';
  }
  out += '}';
  if (!t.view_of.empty()) {
    out += " view of " + t.view_of;
  }
  return out;
}

}  // namespace coodie::orm::detail
