#include "coodie/orm/detail/queries.hpp"

namespace coodie::orm::detail {

std::string ann_refusal(const table_schema& t, const query_state& q,
                        const std::vector<index_schema>* live_indexes) {
  if (!q.spec.group_by.empty() || q.spec.count) {
    return "order_by_ann reads rows, not groups or a count";
  }
  if (!q.limit) {
    return "order_by_ann needs a limit of at most 1000 rows";
  }
  if (*q.limit < 1 || *q.limit > 1000) {
    return "order_by_ann takes a limit from 1 to 1000, not " + std::to_string(*q.limit);
  }
  if (!q.spec.order_by.empty()) {
    return "order_by_ann takes no other ordering";
  }
  // The server serves ANN with restrictions on indexed columns only (ALLOW FILTERING does not
  // help). Only an index the server described as native is known not to serve: a declared plain
  // index may be SAI (default_secondary_index).
  const std::vector<index_schema>& indexes = live_indexes != nullptr ? *live_indexes : t.indexes;
  auto indexed = [&](const std::string& column) {
    for (const index_schema& i : indexes) {
      if (i.column == column && (live_indexes == nullptr || !i.custom_class.empty())) {
        return true;
      }
    }
    return false;
  };
  if (!indexed(q.spec.ann_of)) {
    return "column " + q.spec.ann_of +
           " has no vector index; declare one with .vector_index<&T::member>()";
  }
  for (const dml::where_term& w : q.spec.where) {
    for (const std::string& c : w.columns) {
      const column_schema* col = t.find(c);
      bool key = col != nullptr && col->kind == column_kind::partition_key;
      if (key && w.relation == dml::op::in) {
        return "with order_by_ann the server takes no IN on the partition key (column " + c +
               "); restrict it by =";
      }
      if (w.token || (!key && !indexed(c))) {
        return "with order_by_ann every restricted column is a partition key column or has a "
               "storage-attached index, and column " +
               c + " is neither";
      }
    }
  }
  return {};
}

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
