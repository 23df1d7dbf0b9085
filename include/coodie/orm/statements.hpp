// The statement builder for reads and writes: pure functions from a table_schema to CQL text.
// Every value is a bind marker, LIMIT and IN lists included, so one text serves every value and
// is prepared once. Identifiers are quoted where CQL needs it.
//
// Example:
//   coodie::dml::insert(coodie::schema_of<Product>(), "shop", {.ttl = true});
//   // INSERT INTO shop.products (id, category, name) VALUES (?, ?, ?) USING TTL ?
//   coodie::dml::select_spec q;
//   q.where.push_back({{"brand"}, coodie::dml::op::eq});
//   q.limit = true;
//   coodie::dml::select(coodie::schema_of<Product>(), "shop", q);
//   // SELECT id, category, name FROM shop.products WHERE brand = ? LIMIT ?
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coodie/orm/table_schema.hpp"

namespace coodie::dml {

/// Which USING clauses a write binds (TTL first, then TIMESTAMP, before any other value).
struct write_using {
  bool ttl = false;
  bool timestamp = false;
};

/// A relation of a WHERE clause, or of an IF condition (ne: IF only).
enum class op { eq, lt, le, gt, ge, in, contains, contains_key, ne };

/// The relation spelled as in CQL: =, <, <=, >, >=, IN, CONTAINS, CONTAINS KEY, != (any case).
/// Throws usage_error naming the text otherwise.
op parse_op(std::string_view text);

/// One restriction: `column op ?`, or `TOKEN(columns...) op ?` when token is set. An IN binds
/// one list value (`column IN ?`).
struct where_term {
  std::vector<std::string> columns;
  op relation = op::eq;
  bool token = false;
  /// The values an IN binds (for the in_values guardrail); 1 otherwise.
  std::size_t value_count = 1;
};

/// The IF clause of a conditional UPDATE or DELETE: IF EXISTS, or the terms ANDed
/// (`IF a = ? AND b != ?`); neither: unconditional.
struct write_condition {
  bool if_exists = false;
  std::vector<where_term> terms;
};

/// How an UPDATE's SET changes a column.
enum class set_op : std::uint8_t {
  assign,    ///< `c = ?` (or `c.field = ?`)
  add,       ///< `c = c + ?`: a counter's increment, set add, list append, map put
  subtract,  ///< `c = c - ?`: a counter's decrement, set or list removal, map key removal
  prepend,   ///< `c = ? + c`: list prepend
  element,   ///< `c[?] = ?`: a list index or a map key (a null value deletes it)
};

/// One target of an UPDATE's SET: `column = ?`, `column.field = ?` (one field of a non-frozen
/// user type column), or a counter or collection change (set_op).
struct set_term {
  std::string column;
  std::string field;  ///< empty: the whole column
  set_op action = set_op::assign;
};

/// What a SELECT reads of a column: the column, its write time or TTL, an aggregate of it, or
/// the similarity of a vector column to a bound vector (`similarity_cosine(v, ?)`).
enum class selector : std::uint8_t {
  column,
  writetime,
  ttl,
  count,
  sum,
  avg,
  min,
  max,
  similarity_cosine,
  similarity_euclidean,
  similarity_dot_product,
};

/// True for the similarity functions, which bind the vector they compare with.
constexpr bool is_similarity(selector f) noexcept {
  return f == selector::similarity_cosine || f == selector::similarity_euclidean ||
         f == selector::similarity_dot_product;
}

/// One item of a SELECT list: `name`, or `WRITETIME(name)`, `SUM(name)`...
struct select_column {
  std::string name;
  selector fn = selector::column;
  select_column(std::string n, selector f = selector::column)  // NOLINT: a name converts
      : name(std::move(n)), fn(f) {}
  select_column(const char* n) : name(n) {}  // NOLINT: a name converts
  friend bool operator==(const select_column&, const select_column&) = default;
};

struct select_spec {
  std::vector<select_column> columns;  ///< empty: every column of the model
  bool distinct = false;
  bool count = false;  ///< SELECT COUNT(*)
  std::vector<where_term> where;
  std::vector<std::string> group_by;  ///< GROUP BY these primary key columns, in key order
  std::vector<std::pair<std::string, order>> order_by;
  /// `ORDER BY <ann_of> ANN OF ?` (nearest vectors first) instead of order_by, when not empty.
  std::string ann_of;
  bool per_partition_limit = false;  ///< PER PARTITION LIMIT ?
  bool limit = false;                ///< LIMIT ?
  bool allow_filtering = false;
};

/// "ks.table", quoted where needed; the table's own keyspace wins over the given one.
std::string qualified_name(const table_schema& t, std::string_view keyspace);

/// INSERT of every column: `INSERT INTO ks.t (a, b) VALUES (?, ?) [IF NOT EXISTS] [USING ...]`.
std::string insert(const table_schema& t, std::string_view keyspace, write_using u = {},
                   bool if_not_exists = false);

/// SELECT of every column (or `columns`) of the row with the full primary key bound.
std::string select_by_key(const table_schema& t, std::string_view keyspace,
                          const std::vector<std::string>& columns = {});

/// `UPDATE ks.t [USING ...] SET a = ?, b.f = ?, n = n + ?, m[?] = ? WHERE <key or terms>
/// [IF ...]`; with no terms
/// the full primary key is the WHERE clause.
std::string update(const table_schema& t, std::string_view keyspace,
                   const std::vector<set_term>& set, write_using u = {},
                   const std::vector<where_term>& where = {}, const write_condition& when = {});

/// `DELETE [a, b] FROM ks.t [USING TIMESTAMP ?] WHERE <key or terms> [IF ...]`.
std::string remove(const table_schema& t, std::string_view keyspace,
                   const std::vector<std::string>& columns = {}, bool timestamp = false,
                   const std::vector<where_term>& where = {}, const write_condition& when = {});

/// A SELECT from the spec.
std::string select(const table_schema& t, std::string_view keyspace, const select_spec& q);

/// The WHERE clause text of the terms, without the keyword: `a = ? AND TOKEN(a, b) > ?`.
std::string where_clause(const std::vector<where_term>& terms);

/// Why the restrictions need ALLOW FILTERING on this table (a sentence naming the column), or
/// an empty string when the server can answer them without filtering. An index with no custom
/// class counts as a native secondary index (equality only, one per query) unless
/// `live_indexes`, the table's indexes as the server describes them, says what it became (a
/// plain CREATE INDEX is SAI where default_secondary_index is sai).
std::string filtering_reason(const table_schema& t, const std::vector<where_term>& terms,
                             const std::vector<index_schema>* live_indexes = nullptr);

}  // namespace coodie::dml
