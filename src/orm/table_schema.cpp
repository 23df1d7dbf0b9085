#include "coodie/orm/table_schema.hpp"

#include <algorithm>

namespace coodie {

namespace {
std::vector<const column_schema*> key_columns(const table_schema& t, column_kind kind) {
  std::vector<const column_schema*> out;
  for (const column_schema& c : t.columns) {
    if (c.kind == kind) {
      out.push_back(&c);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const column_schema* a, const column_schema* b) {
    return a->position < b->position;
  });
  return out;
}
}  // namespace

std::vector<const column_schema*> table_schema::partition_key() const {
  return key_columns(*this, column_kind::partition_key);
}

std::vector<const column_schema*> table_schema::clustering_key() const {
  return key_columns(*this, column_kind::clustering);
}

std::vector<const column_schema*> table_schema::primary_key() const {
  std::vector<const column_schema*> out = partition_key();
  std::vector<const column_schema*> ck = clustering_key();
  out.insert(out.end(), ck.begin(), ck.end());
  return out;
}

const column_schema* table_schema::find(std::string_view column) const noexcept {
  for (const column_schema& c : columns) {
    if (c.name == column) {
      return &c;
    }
  }
  return nullptr;
}

bool table_schema::is_counter_table() const noexcept {
  return std::any_of(columns.begin(), columns.end(),
                     [](const column_schema& c) { return c.type.id == wire::type_id::counter; });
}

bool table_schema::has_unfrozen_list() const noexcept {
  return std::any_of(columns.begin(), columns.end(), [](const column_schema& c) {
    return c.type.id == wire::type_id::list && c.cql_type.rfind("frozen<", 0) != 0;
  });
}

}  // namespace coodie
