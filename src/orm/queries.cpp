#include "coodie/orm/detail/queries.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace coodie::orm::detail {

namespace {

using reads_fn = std::vector<dml::select_column> (*)();

std::size_t mix(std::size_t h, std::size_t v) {
  return h ^ (v + 0x9e3779b97f4a7c15U + (h << 6U) + (h >> 2U));
}
std::size_t mix(std::size_t h, std::string_view s) {
  return mix(h, std::hash<std::string_view>{}(s));
}

/// The same restrictions, whatever the length of their IN lists (`IN ?` binds one list; the
/// in_values guardrail reads the length from the query, not from the cache).
bool same_where(const std::vector<dml::where_term>& a, const std::vector<dml::where_term>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const dml::where_term& x, const dml::where_term& y) {
                      return x.columns == y.columns && x.relation == y.relation &&
                             x.token == y.token;
                    });
}

bool same_shape(const dml::select_spec& a, const dml::select_spec& b) {
  return a.columns == b.columns && a.distinct == b.distinct && a.count == b.count &&
         same_where(a.where, b.where) && a.group_by == b.group_by && a.order_by == b.order_by &&
         a.ann_of == b.ann_of && a.per_partition_limit == b.per_partition_limit &&
         a.limit == b.limit && a.allow_filtering == b.allow_filtering;
}

std::size_t hash_of(const table_schema& t, std::string_view keyspace, const query_state& q,
                    reads_fn reads) {
  std::size_t h = std::hash<const void*>{}(&t);
  h = mix(h, keyspace);
  h = mix(h, std::hash<const void*>{}(reinterpret_cast<const void*>(reads)));
  const dml::select_spec& s = q.spec;
  for (const dml::select_column& c : s.columns) {
    h = mix(mix(h, c.name), static_cast<std::size_t>(c.fn));
  }
  for (const dml::where_term& w : s.where) {
    for (const std::string& c : w.columns) {
      h = mix(h, c);
    }
    h = mix(h, static_cast<std::size_t>(w.relation) * 2U + (w.token ? 1U : 0U));
  }
  for (const std::string& g : s.group_by) {
    h = mix(h, g);
  }
  for (const auto& [c, o] : s.order_by) {
    h = mix(mix(h, c), static_cast<std::size_t>(o));
  }
  h = mix(h, s.ann_of);
  return mix(h, (s.distinct ? 1U : 0U) | (s.count ? 2U : 0U) | (s.allow_filtering ? 4U : 0U) |
                    (q.limit ? 8U : 0U) | (q.per_partition_limit ? 16U : 0U));
}

/// One cached shape: what it was built from (the spec as the query holds it) and the shape.
struct shape_entry {
  const table_schema* table;
  std::string keyspace;
  dml::select_spec spec;
  bool limit;
  bool per_partition_limit;
  reads_fn reads;
  select_shape shape;

  [[nodiscard]] bool matches(const table_schema& t, std::string_view ks, const query_state& q,
                             reads_fn r) const {
    return table == &t && reads == r && limit == q.limit.has_value() &&
           per_partition_limit == q.per_partition_limit.has_value() && keyspace == ks &&
           same_shape(spec, q.spec);
  }
};

/// Shapes a program runs are few (one per query written in its code, and IN list length); the
/// bound keeps a program that builds queries from data from growing the cache without end.
constexpr std::size_t max_cached_shapes = 1024;

}  // namespace

const select_shape& shape_of_select(const table_schema& t, std::string_view keyspace,
                                    const query_state& q, reads_fn reads) {
  thread_local std::unordered_multimap<std::size_t, shape_entry> cache;
  const std::size_t h = hash_of(t, keyspace, q, reads);
  auto [first, last] = cache.equal_range(h);
  for (auto it = first; it != last; ++it) {
    if (it->second.matches(t, keyspace, q, reads)) {
      return it->second.shape;
    }
  }
  dml::select_spec s = q.spec;
  s.limit = q.limit.has_value();
  s.per_partition_limit = q.per_partition_limit.has_value();
  if (s.columns.empty() && !s.count) {
    s.columns = reads();
  }
  select_shape shape{dml::select(t, keyspace, s), std::move(s.columns)};
  if (cache.size() >= max_cached_shapes) {
    cache.clear();
  }
  auto it =
      cache.emplace(h, shape_entry{&t, std::string(keyspace), q.spec, q.limit.has_value(),
                                   q.per_partition_limit.has_value(), reads, std::move(shape)});
  return it->second.shape;
}

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
