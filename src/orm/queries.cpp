#include "coodie/orm/detail/queries.hpp"

namespace coodie::orm::detail {

bool restricts_keys_only(const table_schema& t, const query_state& q, bool whole_rows) {
  if (q.limit || q.per_partition_limit) {
    return false;
  }
  auto restricted = [&](const column_schema* c) {
    for (const dml::where_term& w : q.spec.where) {
      if (!w.token && w.columns.size() == 1 && w.columns.front() == c->name &&
          (w.relation == dml::op::eq || w.relation == dml::op::in)) {
        return true;
      }
    }
    return false;
  };
  for (const dml::where_term& w : q.spec.where) {
    if (w.token || w.columns.size() != 1) {
      return false;
    }
    const column_schema* c = t.find(w.columns.front());
    if (c == nullptr ||
        (c->kind != column_kind::partition_key && c->kind != column_kind::clustering)) {
      return false;
    }
  }
  for (const column_schema* c : t.partition_key()) {
    if (!restricted(c)) {
      return false;
    }
  }
  if (whole_rows) {
    for (const column_schema* c : t.clustering_key()) {
      if (!restricted(c)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace coodie::orm::detail
