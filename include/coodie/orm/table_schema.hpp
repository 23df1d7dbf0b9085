// The run-time description of a table that a model declares: what the statement builder, the
// schema diff and the row decoder work from. A model's is built once, from coodie::model<T>
// (see coodie/orm/model.hpp); the diff also builds one from system_schema rows.
//
// Example:
//   const coodie::table_schema& t = coodie::schema_of<Product>();
//   t.name;                      // "products"
//   t.columns[0].cql_type;       // "uuid"
//   t.partition_key();           // the partition-key columns, in key order
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coodie/wire/data_type.hpp"

namespace coodie {

/// The order of a clustering column.
enum class order : std::uint8_t { asc, desc };
inline constexpr order asc = order::asc;
inline constexpr order desc = order::desc;

/// What a column is in its table.
enum class column_kind : std::uint8_t { partition_key, clustering, static_column, regular };

struct column_schema {
  std::string name;      ///< the column name (unquoted)
  wire::data_type type;  ///< the CQL type, as bound and read
  std::string cql_type;  ///< as system_schema.columns.type spells it: "frozen<list<int>>"
  column_kind kind = column_kind::regular;
  int position = -1;  ///< in the partition key or clustering key; -1 otherwise
  order clustering_order = order::asc;
  std::string_view member;  ///< the C++ member it maps to (empty when read from the server)

  friend bool operator==(const column_schema& a, const column_schema& b) {
    return a.name == b.name && a.cql_type == b.cql_type && a.kind == b.kind &&
           a.position == b.position && a.clustering_order == b.clustering_order;
  }
};

/// A secondary index on one column.
struct index_schema {
  std::string name;          ///< index name
  std::string column;        ///< target column
  std::string custom_class;  ///< empty: a native secondary index; else e.g. "StorageAttachedIndex"
  /// A custom index's WITH OPTIONS, such as {"similarity_function", "COSINE"} of a vector index.
  std::map<std::string, std::string> options = {};
  friend bool operator==(const index_schema&, const index_schema&) = default;
};

/// A table option with its value rendered as a CQL literal: {"default_time_to_live", "300"},
/// {"comment", "'x'"}, {"compaction", "{'class': 'LeveledCompactionStrategy'}"}.
struct table_option {
  std::string name;
  std::string cql_literal;
  friend bool operator==(const table_option&, const table_option&) = default;
};

struct table_schema {
  std::string model;     ///< the C++ type's name, for messages
  std::string keyspace;  ///< empty: the session's keyspace (see keyspace_or)
  std::string name;
  std::vector<column_schema> columns;  ///< in the model's member order
  std::vector<index_schema> indexes;
  std::vector<table_option> options;
  /// A materialized view's base table (its name); empty for a table. The view's own columns,
  /// keys and options are those above (coodie/orm/view.hpp).
  std::string view_of = {};

  /// Partition-key columns in key order.
  [[nodiscard]] std::vector<const column_schema*> partition_key() const;
  /// Clustering columns in key order.
  [[nodiscard]] std::vector<const column_schema*> clustering_key() const;
  /// Partition key then clustering columns: what identifies one row.
  [[nodiscard]] std::vector<const column_schema*> primary_key() const;
  /// The column of that name, or nullptr.
  [[nodiscard]] const column_schema* find(std::string_view column) const noexcept;
  /// The keyspace of every statement on this table, DDL, DML and schema reads alike: the
  /// model's declared keyspace wins, else the session's (may be empty: the connection's).
  ///   t.keyspace_or("shop")  // t.keyspace when declared, else "shop"
  [[nodiscard]] std::string_view keyspace_or(std::string_view session_keyspace) const noexcept {
    return keyspace.empty() ? session_keyspace : std::string_view(keyspace);
  }
  /// True when the table holds counters (every non-key column is a counter).
  [[nodiscard]] bool is_counter_table() const noexcept;
  /// True when a column is a non-frozen list: writing it appends elements under fresh server
  /// keys, so a resent write duplicates them even with the same timestamp.
  [[nodiscard]] bool has_unfrozen_list() const noexcept;
};

}  // namespace coodie
