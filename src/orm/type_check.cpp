#include <optional>
#include <string>
#include <string_view>

#include "coodie/orm/detail/core.hpp"
#include "coodie/orm/type_text.hpp"
#include "type_check.hpp"

namespace coodie::orm::detail {

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace coodie::orm::detail
