#include "coodie/orm/detail/core.hpp"

#include "coodie/orm/type_text.hpp"

namespace coodie::detail {

prepared_statement orm_core::cached(const std::string& text) const {
  std::lock_guard lock(mutex_);
  auto it = prepared_.find(text);
  return it == prepared_.end() ? prepared_statement() : it->second;
}

void orm_core::store(const std::string& text, const prepared_statement& ps,
                     const table_schema* table) {
  if (table != nullptr) {
    // A marker named after a column binds that column's type, or a list of it (IN), or an
    // element of it (CONTAINS); anything else means the live column is not the model's.
    for (const wire::column_spec& v : ps.variables()) {
      const column_schema* c = table->find(v.name);
      if (c != nullptr && cql_type_text(v.type, false) != cql_type_text(c->type, false) &&
          !(c->type.id == wire::type_id::counter && v.type.id == wire::type_id::counter)) {
        bool collection_element = !c->type.params.empty();
        bool in_list = v.type.id == wire::type_id::list && !v.type.params.empty() &&
                       v.type.params.front() == c->type;
        if (!collection_element && !in_list) {
          throw schema_error("model " + table->model + ", table " + table->name + ", column " +
                                 c->name + ": the live column is " + wire::to_cql(v.type) +
                                 " but the model says " + c->cql_type +
                                 "; sync_table reports the difference",
                             table->name, c->name);
        }
      }
    }
  }
  std::lock_guard lock(mutex_);
  prepared_.emplace(text, ps);
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
