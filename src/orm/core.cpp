#include "coodie/orm/detail/core.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "coodie/orm/type_text.hpp"
#include "coodie/wire/token.hpp"

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

namespace {

bool same_type(const wire::data_type& a, const wire::data_type& b) {
  return cql_type_text(a, false) == cql_type_text(b, false);
}

/// True when a value the model encodes as `model` is read right by the server as `live`: the
/// same type, where a user type's live fields begin with the model's, in its order and of its
/// types (fields added later, at the end, are null in what the model writes).
bool writes_as(const wire::data_type& live, const wire::data_type& model) {
  if (model.id == wire::type_id::udt) {
    if (live.id != wire::type_id::udt || live.name != model.name ||
        live.field_names.size() < model.field_names.size() ||
        live.params.size() < model.params.size()) {
      return false;
    }
    for (std::size_t i = 0; i < model.field_names.size(); ++i) {
      if (live.field_names[i] != model.field_names[i] ||
          !writes_as(live.params[i], model.params[i])) {
        return false;
      }
    }
    return true;
  }
  if (model.params.empty() || live.id != model.id || live.params.size() != model.params.size()) {
    return same_type(live, model);
  }
  for (std::size_t i = 0; i < model.params.size(); ++i) {
    if (!writes_as(live.params[i], model.params[i])) {
      return false;
    }
  }
  return live.dimension == model.dimension;
}

/// `col.field` (SET col.field = ?): the model's type of that field of user type column col; a
/// field the model's type lacks is refused. Empty when col is no column of the table.
std::optional<wire::data_type> field_marker(std::string_view name, const table_schema& table,
                                            const column_schema*& column) {
  const std::size_t dot = name.find('.');
  column = dot == std::string_view::npos ? nullptr : table.find(name.substr(0, dot));
  if (column == nullptr) {
    return std::nullopt;
  }
  const wire::data_type& t = column->type;
  const std::string_view field = name.substr(dot + 1);
  for (std::size_t i = 0; t.id == wire::type_id::udt && i < t.field_names.size(); ++i) {
    if (t.field_names[i] == field) {
      return t.params[i];
    }
  }
  return wire::simple_type(wire::type_id::custom);
}

/// The type a bind marker must have, by the name Cassandra gives it: `col` binds the column's
/// type, `in(col)` a list of it, `value(col)` an element (a map's value), `key(col)` a map's
/// key, `idx(col)` a list's index and `col.field` a field of a user type column. Empty when the
/// marker names no column of the table (LIMIT, TTL, TOKEN, ...).
std::optional<wire::data_type> expected_marker(std::string_view name, const table_schema& table,
                                               const column_schema*& column) {
  std::string_view form;
  std::string_view inner = name;
  // A column may be named like a marker form ("in(x)" quoted): its own name comes first.
  if (auto open = name.find('(');
      table.find(name) == nullptr && open != std::string_view::npos && name.back() == ')') {
    form = name.substr(0, open);
    inner = name.substr(open + 1, name.size() - open - 2);
  }
  column = table.find(inner);
  if (column == nullptr && form.empty()) {
    return field_marker(name, table, column);
  }
  if (column == nullptr) {
    return std::nullopt;
  }
  const wire::data_type& t = column->type;
  if (form.empty()) {
    return t;
  }
  if (form == "in") {
    return wire::list_of(t);
  }
  if (wire::is_collection(t.id) && form == "value" && !t.params.empty()) {
    return t.params.back();
  }
  if (t.id == wire::type_id::map && form == "key" && !t.params.empty()) {
    return t.params.front();
  }
  if (t.id == wire::type_id::list && form == "idx") {
    return wire::simple_type(wire::type_id::int_);
  }
  // A marker form the ODM does not write: refuse rather than send unchecked bytes.
  return wire::simple_type(wire::type_id::custom);
}

/// The user types in a type tree with their fields: "udt_product(attributes, sku)".
void append_user_types(std::string& out, const wire::data_type& t) {
  if (t.id == wire::type_id::udt) {
    out += (out.empty() ? "" : ", ") + t.name + '(';
    for (std::size_t i = 0; i < t.field_names.size(); ++i) {
      out += (i == 0 ? "" : ", ") + t.field_names[i];
    }
    out += ')';
  }
  for (const wire::data_type& p : t.params) {
    append_user_types(out, p);
  }
}

/// schema_error: the live type of column c (or of `what` in it: a field, an element, whose
/// model type is model_type) is not the model's.
[[noreturn]] void mismatch(const table_schema& table, const column_schema& c,
                           const wire::data_type& live, std::string_view what,
                           const wire::data_type* model_type = nullptr) {
  const wire::data_type& model = model_type != nullptr ? *model_type : c.type;
  const std::string where = "model " + table.model + ", table " + table.name + ", column " + c.name;
  if (same_type(live, model)) {  // same type names: user type fields differ
    std::string live_fields;
    std::string model_fields;
    append_user_types(live_fields, live);
    append_user_types(model_fields, model);
    throw schema_error(where + ": the live user types are " + live_fields +
                           " but the model's are " + model_fields +
                           "; values are written in the model's field order, so the live fields "
                           "must begin with the model's, in that order",
                       table.name, c.name);
  }
  throw schema_error(where + ": the live " + std::string(what) + " is " + wire::to_cql(live) +
                         " but the model says " +
                         (model_type != nullptr ? wire::to_cql(model) : c.cql_type) +
                         "; sync_table reports the difference",
                     table.name, c.name);
}

/// Checks the statement's bind markers and result columns against the model's columns, nested
/// types included: any difference means the live column is not the model's (schema_error), and
/// nothing is sent.
void check_types(const prepared_statement& ps, const table_schema& table) {
  for (const wire::column_spec& v : ps.variables()) {
    const column_schema* c = nullptr;
    std::optional<wire::data_type> want = expected_marker(v.name, table, c);
    // `m = m - ?` on a map binds the set of keys to remove.
    const bool map_keys = want && c->type.id == wire::type_id::map && v.name == c->name &&
                          c->type.params.size() == 2 &&
                          writes_as(v.type, wire::set_of(c->type.params.front()));
    if (want && !map_keys && !writes_as(v.type, *want)) {
      if (v.name == c->name) {
        mismatch(table, *c, v.type, "column");
      }
      mismatch(table, *c, v.type, "value of " + v.name, &*want);
    }
  }
  for (const wire::column_spec& r : ps.result_columns()) {
    const column_schema* c = table.find(r.name);
    // COUNT(*) answers a bigint named count; any other result named after a column is it.
    if (c != nullptr && !same_type(r.type, c->type) &&
        !(r.name == "count" && r.type.id == wire::type_id::bigint)) {
      mismatch(table, *c, r.type, "column");
    }
  }
}

}  // namespace

bool refused_for_size(const invalid_query_error& e) noexcept {
  std::string_view m = e.what();
  return m.find("Expected ") != std::string_view::npos &&
         m.find(" or 0 byte") != std::string_view::npos;
}

void explain_refusal(orm_core& c, const prepared_statement& sent, const table_schema& table) {
  c.forget(table.keyspace_or(c.default_keyspace()), table.name);
  prepared_statement fresh;
  try {
    fresh = c.db().prepare(sent.cql());
  } catch (const error&) {
    return;  // the table is gone or the node unreachable: the server's refusal stands
  }
  check_types(fresh, table);
}

boost::asio::awaitable<void> explain_refusal_awaiting(std::shared_ptr<orm_core> c,
                                                      prepared_statement sent,
                                                      const table_schema* table) {
  c->forget(table->keyspace_or(c->default_keyspace()), table->name);
  coodie::driver_session* db = co_await c->async_db(c);
  prepared_statement fresh;
  try {
    fresh = co_await db->async_prepare(sent.cql(), boost::asio::use_awaitable);
  } catch (const error&) {
    co_return;  // the table is gone or the node unreachable: the server's refusal stands
  }
  check_types(fresh, *table);
}

bool refused_for_size(const std::exception_ptr& e) noexcept {
  try {
    std::rethrow_exception(e);
  } catch (const invalid_query_error& refused) {
    return refused_for_size(refused);
  } catch (...) {
    return false;
  }
}

boost::asio::awaitable<void> explain_then_rethrow(std::shared_ptr<orm_core> c,
                                                  prepared_statement sent,
                                                  const table_schema* table,
                                                  std::exception_ptr refused) {
  co_await explain_refusal_awaiting(c, std::move(sent), table);
  std::rethrow_exception(refused);
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
    out += i.name + ' ' + i.column + ' ' + i.custom_class + ',';
  }
  out += "]{";
  for (const table_option& o : t.options) {
    out += o.name + '=' + o.cql_literal + ',';
  }
  out += '}';
  return out;
}

}  // namespace coodie::orm::detail
