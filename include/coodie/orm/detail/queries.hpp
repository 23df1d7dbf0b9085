// The plans of a query: its SELECT (refused when the server would have to filter and the query
// did not allow it), the first row, the count, one page, and the writes of a bulk update or
// delete (one statement when the restrictions name whole partitions or rows, else a SELECT of
// the keys and a write per row). Pure functions of the query's state, the default keyspace and
// the live indexes, so each is unit-tested without a server. Internal to the ODM; the query
// (coodie/orm/query.hpp) runs them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coodie/error.hpp"
#include "coodie/orm/detail/codec.hpp"
#include "coodie/orm/detail/core.hpp"
#include "coodie/orm/detail/encode.hpp"
#include "coodie/orm/detail/guards.hpp"
#include "coodie/orm/detail/plan.hpp"
#include "coodie/orm/filter.hpp"
#include "coodie/orm/options.hpp"
#include "coodie/orm/statements.hpp"
#include "coodie/orm/updates.hpp"

namespace coodie::orm::detail {

/// What a query says: its restrictions and their values, limits, fetch size and options.
struct query_state {
  dml::select_spec spec;
  value_list where_values;
  std::optional<std::int32_t> limit;
  std::optional<std::int32_t> per_partition_limit;
  std::optional<std::int32_t> fetch_size;
  read_options read;
  /// The order_by_ann query vector (spec.ann_of names its column), bound for `ANN OF ?` and for
  /// each similarity the projection reads.
  value_list ann_vector;
};

/// Why the server would refuse the query's order_by_ann (a sentence), or an empty string: a
/// limit from 1 to 1000, no other ordering, a vector index on the column, and restrictions on
/// partition key or indexed columns only.
std::string ann_refusal(const table_schema& t, const query_state& q,
                        const std::vector<index_schema>* live_indexes);

/// Where a query runs: the keyspace of models without their own, and the model's indexes as the
/// server described them at sync (nullptr: as the model declares them).
struct query_site {
  std::string_view keyspace;
  std::shared_ptr<const std::vector<index_schema>> live_indexes;
  /// The session's options, for the guardrails (none checked when nullptr).
  const session_options* options = nullptr;
};

/// usage_error when the server would have to filter the query's rows and it did not allow it.
template <class T>
void check_filtering(const query_state& q, const query_site& at) {
  const table_schema& t = table_of<T>();
  if (at.options != nullptr) {
    for (const dml::where_term& w : q.spec.where) {
      if (w.relation == dml::op::in && w.value_count > at.options->guardrails.max_in_values) {
        apply_guard(*at.options, at.options->guardrails.in_values,
                    "model " + t.model + ", column " + w.columns.at(0) + ": IN with " +
                        std::to_string(w.value_count) + " values, more than max_in_values (" +
                        std::to_string(at.options->guardrails.max_in_values) + ")");
      }
    }
  }
  if (q.spec.allow_filtering) {
    if (at.options != nullptr && at.options->guardrails.filtering != guard::allow) {
      std::string why = dml::filtering_reason(t, q.spec.where, at.live_indexes.get());
      if (!why.empty()) {
        apply_guard(
            *at.options, at.options->guardrails.filtering,
            "query on model " + t.model + " (table " + t.name + ") filters on the server: " + why);
      }
    }
    return;
  }
  std::string why = dml::filtering_reason(t, q.spec.where, at.live_indexes.get());
  if (!why.empty()) {
    throw usage_error("query on model " + t.model + " (table " + t.name +
                      ") needs ALLOW FILTERING: " + why +
                      "; add .allow_filtering() if a scan is intended");
  }
}

/// usage_error when the query's order_by_ann breaks a rule of the server (ann_refusal).
template <class T>
void check_ann(const query_state& q, const query_site& at) {
  if (!q.spec.ann_of.empty()) {
    const table_schema& t = table_of<T>();
    std::string why = ann_refusal(t, q, at.live_indexes.get());
    if (!why.empty()) {
      throw usage_error("query on model " + t.model + " (table " + t.name + "): " + why);
    }
  }
}

/// What a query's shape fixes: its SELECT text and the columns it reads.
struct select_shape {
  std::string text;
  std::vector<dml::select_column> columns;
};

/// The select_shape of a query on table t, its columns defaulting to `reads()` (the row
/// target's), built once per thread and shape (keyspace, restrictions, ordering, limits, what it
/// reads): running a query again costs a hash and a comparison, not its text. The reference is
/// good until this thread's next call (the cache is bounded, and emptied when full).
const select_shape& shape_of_select(const table_schema& t, std::string_view keyspace,
                                    const query_state& q,
                                    std::vector<dml::select_column> (*reads)());

/// The SELECT of a query on T read into R; usage_error when the server would have to filter
/// and the query did not allow it.
template <class T, class R>
orm_request select_request(const query_state& q, const query_site& at) {
  const table_schema& t = table_of<T>();
  check_ann<T>(q, at);
  check_filtering<T>(q, at);
  const select_shape& shape = shape_of_select(t, at.keyspace, q, &row_target<T, R>::columns);
  orm_request rq = texted(t, shape.text);
  for (const dml::select_column& c : shape.columns) {  // each similarity compares with the vector
    if (dml::is_similarity(c.fn)) {
      if (q.spec.ann_of.empty()) {
        throw usage_error("query on model " + t.model + ": a similarity of column " + c.name +
                          " compares with the order_by_ann vector, and the query has none");
      }
      rq.values.append(q.ann_vector);
    }
  }
  rq.values.append(q.where_values);
  if (!q.spec.ann_of.empty()) {
    rq.values.append(q.ann_vector);
  }
  if (q.per_partition_limit) {
    rq.values.add_as(*q.per_partition_limit, wire::simple_type(wire::type_id::int_));
  }
  if (q.limit) {
    rq.values.add_as(*q.limit, wire::simple_type(wire::type_id::int_));
  }
  apply(rq, q.read);
  return rq;
}

/// GROUP BY serves reads of rows (all, first, page, stream) into a projection; what returns one
/// value, or writes, would see only the first group.
template <class T>
void refuse_group_by(const query_state& q, const char* what) {
  if (!q.spec.group_by.empty()) {
    throw usage_error("query on model " + table_of<T>().model + ": " + what +
                      " does not take group_by; read the groups with only<P>().all()");
  }
}

/// Limits up to this many rows read unpaged: few enough that no answer grows past the size a
/// server cuts its pages at (ScyllaDB warns of, then refuses, large unpaged answers).
inline constexpr std::int32_t max_unpaged_limit = 100;

/// The page size of a read of every matching row: 0 (one unpaged answer, which spares the server
/// its paging path) when the query's limit is small (max_unpaged_limit) and fits in one page of
/// the fetch size (default 5000).
inline std::int32_t all_rows_page_size(const query_state& q) {
  const std::int32_t fetch = q.fetch_size.value_or(5000);
  return q.limit && *q.limit <= fetch && *q.limit <= max_unpaged_limit ? 0 : fetch;
}

/// A read whose answer is one page whatever the table holds (a limit of 1, a count, an
/// aggregate): sent unpaged.
template <class T, class R>
orm_request single_page_request(const query_state& q, const query_site& at) {
  orm_request rq = select_request<T, R>(q, at);
  rq.options.page_size = 0;
  return rq;
}

/// The first matching row, or std::nullopt.
template <class T, class R>
auto first_plan(query_state q, const query_site& at) {
  q.limit = 1;
  return plan{single_page_request<T, R>(q, at), [](const result& r) {
                std::vector<R> rows;
                decode_page<T, R>(r, rows);
                return rows.empty() ? std::nullopt : std::optional<R>(std::move(rows.front()));
              }};
}

/// A projection of one selected value.
template <class S>
struct one_selected {
  S value;
};

/// One aggregate over the matching rows (the spec's columns already name it): its value, the
/// type's zero (or std::nullopt for min and max) when the server returns no row.
template <class T, class S>
auto aggregate_plan(query_state q, const query_site& at) {
  refuse_group_by<T>(q, "a single aggregate (sum, avg, min, max)");
  q.limit.reset();
  return plan{single_page_request<T, one_selected<S>>(q, at), [](const result& r) {
                std::vector<one_selected<S>> rows;
                decode_page<T, one_selected<S>>(r, rows);
                return rows.empty() ? typename S::value_type{}
                                    : std::move(rows.front().value.value);
              }};
}

/// SELECT COUNT(*) of the matching rows.
template <class T>
auto count_plan(query_state q, const query_site& at) {
  refuse_group_by<T>(q, "count()");
  q.spec.count = true;
  q.limit.reset();
  return plan{single_page_request<T, T>(q, at),
              [](const result& r) { return r.empty() ? 0 : r.front().get<std::int64_t>(0); }};
}

/// One page of rows (the fetch size, default 100) from the page token's position, and the
/// token of the next; the token is bound to the query's text and values.
template <class T, class R>
auto page_plan(const query_state& q, const query_site& at,
               const std::optional<std::string>& token) {
  orm_request rq = select_request<T, R>(q, at);
  rq.options.page_size = q.fetch_size.value_or(100);
  if (token) {
    rq.options.paging_state = read_page_token(rq, *token);
  }
  orm_request bound;  // what the next token is bound to (rq itself moves into the run)
  bound.text = rq.text;
  bound.values = rq.values;
  return plan{std::move(rq), [bound = std::move(bound)](const result& r) {
                page_of<R> p;
                decode_page<T, R>(r, p.items);
                if (auto st = r.paging_state()) {
                  p.next = page_token(bound, *st);
                }
                return p;
              }};
}

/// True when the restrictions are on key columns only, every partition key column by = or IN,
/// with no limit: a single DELETE (or, with whole_rows, an UPDATE needing every clustering
/// column by = or IN) can name the rows.
bool restricts_keys_only(const table_schema& t, const query_state& q, bool whole_rows);

/// A bulk write: `write` runs once with the query's values appended when `direct`; otherwise
/// `keys` selects the matching rows' primary keys and `write` runs once per row with that row's
/// key cells appended.
struct bulk_plan {
  orm_request write;
  bool direct = false;
  orm_request keys;  ///< when not direct
};

/// Completes a bulk write's plan from its write statement's request.
template <class T>
bulk_plan bulk_of(const query_state& q, const query_site& at, orm_request write, bool direct) {
  refuse_group_by<T>(q, "a bulk write");
  bulk_plan b{std::move(write), direct, {}};
  if (direct) {
    b.write.values.append(q.where_values);
    return b;
  }
  query_state keys = q;
  keys.spec.columns.clear();
  for (const column_schema* c : table_of<T>().primary_key()) {
    keys.spec.columns.push_back(c->name);
  }
  query_site checked = at;
  checked.options = nullptr;  // the bulk plan checked the guardrails already
  b.keys = select_request<T, T>(keys, checked);
  b.keys.options.page_size = q.fetch_size.value_or(5000);
  return b;
}

/// The write request of a bulk operation: w's consistency and timeout, else the query's.
template <class T>
orm_request bulk_write_base(const query_state& q, const write_options& w) {
  check_writable<T>();
  orm_request rq;
  rq.table = &table_of<T>();
  apply(rq, w);
  if (!w.cl && !w.timeout) {
    rq.options.cl = q.read.cl;
    rq.options.timeout = q.read.timeout;
  }
  return rq;
}

/// Deletes every row the query matches.
template <class T>
bulk_plan bulk_remove_plan(const query_state& q, const query_site& at, const write_options& w) {
  const table_schema& t = table_of<T>();
  if (q.spec.where.empty()) {
    throw usage_error("a bulk delete of model " + t.model +
                      " needs restrictions; use truncate() to remove every row");
  }
  check_no_ttl(w, t, "a bulk delete");
  check_ann<T>(q, at);  // with its limit, the nearest rows' keys are read first
  check_filtering<T>(q, at);
  const bool direct = restricts_keys_only(t, q, false);
  orm_request write = bulk_write_base<T>(q, w);
  write.text = dml::remove(t, at.keyspace, {}, w.timestamp.has_value(),
                           direct ? q.spec.where : std::vector<dml::where_term>{});
  bind_timestamp(write.values, w);
  return bulk_of<T>(q, at, std::move(write), direct);
}

/// Writes the assignments into every row the query matches.
template <class T>
bulk_plan bulk_update_plan(const query_state& q, const query_site& at,
                           const std::vector<assignment<T>>& set, const write_options& w) {
  const table_schema& t = table_of<T>();
  if (q.spec.where.empty()) {
    throw usage_error("a bulk update of model " + t.model + " needs restrictions");
  }
  if (set.empty()) {
    throw usage_error("a bulk update of model " + t.model + " assigns no column");
  }
  check_ann<T>(q, at);  // with its limit, the nearest rows' keys are read first
  check_filtering<T>(q, at);
  std::vector<dml::set_term> names;
  for (const assignment<T>& a : set) {
    names.push_back({a.column, a.field, a.action});
  }
  const bool direct = restricts_keys_only(t, q, true);
  orm_request write = bulk_write_base<T>(q, w);
  write.text = dml::update(t, at.keyspace, names, using_of(w),
                           direct ? q.spec.where : std::vector<dml::where_term>{});
  bind_using(write.values, w);
  for (const assignment<T>& a : set) {
    write.values.append(a.value);
  }
  return bulk_of<T>(q, at, std::move(write), direct);
}

}  // namespace coodie::orm::detail
