// Schema management: the DDL text for keyspaces, tables and indexes (coodie::ddl), the live table
// as system_schema describes it, the diff between a model's table_schema and that live table (a
// plan of statements plus the differences coodie will not apply), and the operations that read,
// plan and apply it.
//
// The builders, make_existing_table() and plan_table_sync() are pure: no session, unit-tested as
// strings. The async_* coroutines are the only code here that talks to the server; the blocking
// fronts drive them.
//
// Example:
//   coodie::table_schema t = ...;  // usually coodie::schema_of<Product>()
//   std::string cql = coodie::ddl::create_table(t, "shop");
//   // CREATE TABLE IF NOT EXISTS shop.products (id uuid, name text, PRIMARY KEY (id))
//
//   boost::asio::awaitable<void> migrate(coodie::driver_session& s, coodie::table_schema t) {
//     coodie::sync_result r = co_await coodie::async_sync_table(s, t, "shop", {.dry_run = true});
//     for (const std::string& st : r.statements) { std::cout << st << ";\n"; }
//     for (const coodie::schema_difference& d : r.differences) { std::cerr << d.message << '\n'; }
//   }
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "coodie/driver/session.hpp"
#include "coodie/orm/table_schema.hpp"

namespace coodie {

/// How CREATE KEYSPACE replicates the keyspace.
struct keyspace_options {
  std::string name = {};
  /// simple: SimpleStrategy with replication_factor; network_topology: one factor per datacenter.
  enum class strategy : std::uint8_t { simple, network_topology } strategy = strategy::simple;
  /// SimpleStrategy's replication factor (>= 1).
  int replication_factor = 1;
  /// NetworkTopologyStrategy's datacenters and their factors (>= 1 each, at least one dc).
  std::vector<std::pair<std::string, int>> datacenters = {};
  bool durable_writes = true;
};

// ---------------------------------------------------------------------------------------------
// DDL text. Every identifier is quoted with quote_identifier(); keyspace, table and index names
// are validated with check_name(). The keyspace argument is the session's: a model's declared
// keyspace wins over it (table_schema::keyspace_or, the one rule of DDL, DML and schema reads);
// when both are empty the table name is left unqualified (the connection's keyspace applies).
namespace ddl {

/// CREATE KEYSPACE IF NOT EXISTS shop WITH replication = {'class': 'SimpleStrategy',
/// 'replication_factor': 1} AND durable_writes = true. Throws usage_error on a bad name or factor.
std::string create_keyspace(const keyspace_options& k);

/// DROP KEYSPACE IF EXISTS shop
std::string drop_keyspace(std::string_view name);

/// The CREATE TABLE of a model, for example:
///   CREATE TABLE IF NOT EXISTS shop.t (a int, b text, c int, s text STATIC,
///   PRIMARY KEY ((a, b), c)) WITH CLUSTERING ORDER BY (c ASC) AND comment = 'x'
/// Throws usage_error naming the model when it has no partition key or has a STATIC column but
/// no clustering key.
std::string create_table(const table_schema& t, std::string_view keyspace);

/// The CREATE MATERIALIZED VIEW of a view's schema (table_schema::view_of names its base table,
/// in the view's keyspace); every primary key column IS NOT NULL, as the server requires:
///   CREATE MATERIALIZED VIEW IF NOT EXISTS shop.by_category AS SELECT category, id, name FROM
///   shop.products WHERE category IS NOT NULL AND id IS NOT NULL PRIMARY KEY (category, id)
///   WITH CLUSTERING ORDER BY (id ASC)
/// create_table() of a view's schema returns the same.
std::string create_view(const table_schema& v, std::string_view keyspace);

/// DROP TABLE IF EXISTS shop.t (DROP MATERIALIZED VIEW IF EXISTS for a view)
std::string drop_table(const table_schema& t, std::string_view keyspace);

/// TRUNCATE TABLE shop.t (usage_error for a view: truncate its base table)
std::string truncate(const table_schema& t, std::string_view keyspace);

/// CREATE INDEX IF NOT EXISTS t_c_idx ON shop.t (c), or with a custom_class
/// CREATE CUSTOM INDEX IF NOT EXISTS t_c_idx ON shop.t (c) USING 'StorageAttachedIndex'.
/// index.column is a column name or keys(m) / values(m) / entries(m) / full(m). Throws
/// usage_error for an empty index name or a column the table lacks.
std::string create_index(const table_schema& t, const index_schema& index,
                         std::string_view keyspace);

/// DROP INDEX IF EXISTS shop.t_c_idx
std::string drop_index(std::string_view keyspace, std::string_view name);

/// ALTER TABLE shop.t ADD c int (ADD s text STATIC for a static column).
std::string alter_add_column(const table_schema& t, const column_schema& column,
                             std::string_view keyspace);

/// ALTER TABLE shop.t DROP c: destructive (the column's values are gone), for migrations only.
std::string alter_drop_column(const table_schema& t, std::string_view column,
                              std::string_view keyspace);

/// ALTER TABLE shop.t WITH comment = 'x' AND gc_grace_seconds = 3600 (ALTER MATERIALIZED VIEW
/// for a view). Option names must be
/// [a-z_]+; values are CQL literals emitted as given. Throws usage_error when options is empty.
std::string alter_options(const table_schema& t, std::span<const table_option> options,
                          std::string_view keyspace);

}  // namespace ddl

// ---------------------------------------------------------------------------------------------
// Table options as values, so that the model's literals and system_schema's typed columns
// compare by meaning: 300 equals 300.0, 'LeveledCompactionStrategy' equals the stored
// 'org.apache.cassandra.db.compaction.LeveledCompactionStrategy'.

/// A table option's value: null (monostate), a boolean, a number, text, or a map<text, text>
/// (map values kept as text, the way system_schema.tables stores them).
using option_value =
    std::variant<std::monostate, bool, double, std::string, std::map<std::string, std::string>>;

/// Parses a CQL literal: 'text' (quotes doubled inside), $$text$$, a number, true/false, or a map
/// {'k': v, ...} of such constants. std::nullopt when the text is not one of those.
/// parse_option_literal("{'class': 'LeveledCompactionStrategy'}") holds a one-entry map.
std::optional<option_value> parse_option_literal(std::string_view literal);

/// The value as a CQL literal: 'it''s', 300, 0.01, true, {'class': 'x', 'max_threshold': '32'}.
std::string to_cql_literal(const option_value& v);

/// True when the live value satisfies what the model asks for option `name`: numbers compare as
/// numbers, map options compare only the keys the model gives ('class' by its last dotted part),
/// speculative_retry and additional_write_policy by Cassandra's normal form ('99PERCENTILE' is
/// '99p'), and a null live value equals the option's server default (cdc false, ...).
bool option_matches(std::string_view name, const option_value& desired, const option_value& live);

// ---------------------------------------------------------------------------------------------
// The live table.

/// A row of SELECT column_name, clustering_order, kind, position, type FROM system_schema.columns.
struct system_column_row {
  std::string column_name;
  std::string clustering_order;  ///< asc, desc or none
  std::string kind;              ///< partition_key, clustering, static or regular
  int position = -1;
  std::string type;  ///< frozen<list<int>>, map<text, int>, vector<float, 3>, ...
};

/// A row of SELECT index_name, kind, options FROM system_schema.indexes.
struct system_index_row {
  std::string index_name;
  std::string kind;                            ///< COMPOSITES, KEYS or CUSTOM
  std::map<std::string, std::string> options;  ///< target, and class_name for CUSTOM
};

/// A table as the server describes it.
struct existing_table {
  /// Columns (in system_schema's order, name order), indexes and options (rendered with
  /// to_cql_literal). Columns carry cql_type, kind, position and clustering_order; their wire
  /// type is not filled. An index column is the plain column name, or fn(column) for
  /// keys/entries/full targets (values(c) reads as c, the same index as one on c).
  table_schema schema;
  /// Every option column of system_schema.tables (default_time_to_live, compaction, ...), typed;
  /// null columns hold std::monostate.
  std::map<std::string, option_value> options;
};

/// Builds the live description from system_schema rows (pure). Throws schema_error on a column
/// kind or clustering order it does not know.
existing_table make_existing_table(std::string_view keyspace, std::string_view table,
                                   std::span<const system_column_row> columns,
                                   std::span<const system_index_row> indexes,
                                   std::map<std::string, option_value> options);

/// Reads the table, or the materialized view of that name, from system_schema (values bound,
/// never spliced); std::nullopt when neither exists. The session must outlive the operation.
boost::asio::awaitable<std::optional<existing_table>> async_read_table(driver_session& s,
                                                                       std::string keyspace,
                                                                       std::string table);

// ---------------------------------------------------------------------------------------------
// The diff.

enum class difference_kind : std::uint8_t {
  type_changed,         ///< a column's type differs from the model's
  key_changed,          ///< the primary key differs (columns, their order, clustering order)
  static_changed,       ///< a column is STATIC in one and not in the other
  column_not_in_model,  ///< the live table has a column the model lacks
  index_not_in_model,   ///< the live table has an index the model lacks
  index_changed,        ///< an index of the model's name has another target or class
  index_name_differs,   ///< the model's index exists under another name
  field_changed,        ///< a user type's field has another type than the struct's member
  field_not_in_model,   ///< the live user type has a field the struct lacks
  field_order_differs,  ///< the live user type's fields do not begin with the struct's, in order
  column_not_in_view,   ///< a view's model has a column the live view lacks (views cannot gain one)
};

/// "type_changed", "key_changed", ...
std::string_view to_string(difference_kind k) noexcept;

/// A difference between the model and the live table that sync reports and does not apply.
struct schema_difference {
  difference_kind kind = difference_kind::type_changed;
  std::string table;    ///< keyspace.table
  std::string column;   ///< the column or index concerned (empty when none)
  std::string message;  ///< a sentence naming table, column, the model's and the live value
  friend bool operator==(const schema_difference&, const schema_difference&) = default;
};

struct sync_options {
  /// Plan and report only; execute nothing.
  bool dry_run = false;
  /// Drop live indexes the model does not declare (else they are reported as
  /// index_not_in_model). This also resolves index_name_differs: the old index is dropped and
  /// the model's created.
  bool drop_removed_indexes = false;
  /// How long to wait for the nodes to agree on the schema after each DDL statement.
  std::chrono::milliseconds agreement_timeout{10000};
  /// After creating indexes, how long to wait until the server reports them built (a query
  /// on an index still building fails); 0 returns without waiting.
  std::chrono::milliseconds index_build_timeout{60000};
};

struct sync_plan {
  /// In order: CREATE TABLE and its CREATE INDEXes; or ALTER TABLE ADD for each missing column,
  /// DROP INDEX (drop_removed_indexes), CREATE INDEX for each missing index, one ALTER TABLE WITH.
  std::vector<std::string> statements;
  std::vector<schema_difference> differences;
  /// The table is missing: statements create it.
  bool creates_table = false;
};

/// The statements that bring the live table to the model, and what they will not change (pure).
/// Indexes match by name. A model index missing by name but present under another name on the
/// same target is index_name_differs, not a CREATE (Cassandra would refuse the duplicate, or
/// skip it silently with IF NOT EXISTS). Options the model does not set are ignored.
sync_plan plan_table_sync(const table_schema& desired, std::string_view keyspace,
                          const std::optional<existing_table>& existing,
                          const sync_options& options = {});

// ---------------------------------------------------------------------------------------------
// Operations. Each takes the session by reference (it must outlive the operation) and everything
// else by value. The keyspace argument is the session's: the model's declared keyspace wins over
// it, and an empty one means the driver session's keyspace (table_schema::keyspace_or).

/// Waits until every node the session is connected to reports the same schema version, each
/// asked for its own (session::async_wait_schema_agreement); schema_error naming each node's
/// version when they still differ after `timeout`. A node that cannot answer is left out of a
/// round, like a down one.
boost::asio::awaitable<void> async_wait_schema_agreement(driver_session& s,
                                                         std::chrono::milliseconds timeout);

struct sync_result {
  /// The statements planned (dry run) or executed, in order.
  std::vector<std::string> statements;
  /// What differs and was not applied.
  std::vector<schema_difference> differences;
  /// The table (for sync_type: the type) was missing, so the plan created it (or would have,
  /// in a dry run).
  bool created = false;
  /// Statements were executed (false for a dry run or when nothing needed to change).
  bool applied = false;

  /// Appends another result's statements and differences, after this one's; applied if either
  /// was (created stays this result's own).
  void append(const sync_result& other) {
    statements.insert(statements.end(), other.statements.begin(), other.statements.end());
    differences.insert(differences.end(), other.differences.begin(), other.differences.end());
    applied = applied || other.applied;
  }
};

/// Reads the live table, plans, and (unless dry_run) executes the plan, waiting for schema
/// agreement after each statement. When a concurrent sync raced it (a duplicate column or index)
/// or it created the table, it re-reads and applies what is still missing (at most 3 rounds).
/// Differences are returned, never applied and never thrown.
///   sync_result r = co_await async_sync_table(s, schema_of<Product>(), "shop", {});
boost::asio::awaitable<sync_result> async_sync_table(driver_session& s, table_schema t,
                                                     std::string keyspace, sync_options o);

/// Waits until the contacted node lists every index of the table as built (system."IndexInfo"),
/// polling; schema_error naming the indexes still building after `timeout`.
boost::asio::awaitable<void> async_wait_indexes_built(driver_session& s, std::string keyspace,
                                                      std::string table,
                                                      std::chrono::milliseconds timeout);

/// Runs DROP TABLE IF EXISTS and waits for schema agreement.
boost::asio::awaitable<void> async_drop_table(
    driver_session& s, table_schema t, std::string keyspace,
    std::chrono::milliseconds agreement_timeout = std::chrono::milliseconds(10000));

/// Runs TRUNCATE TABLE (removes every row, keeps the table).
boost::asio::awaitable<void> async_truncate(driver_session& s, table_schema t,
                                            std::string keyspace);

/// Runs CREATE KEYSPACE IF NOT EXISTS and waits for schema agreement.
boost::asio::awaitable<void> async_create_keyspace(
    driver_session& s, keyspace_options k,
    std::chrono::milliseconds agreement_timeout = std::chrono::milliseconds(10000));

/// Runs DROP KEYSPACE IF EXISTS and waits for schema agreement.
boost::asio::awaitable<void> async_drop_keyspace(
    driver_session& s, std::string name,
    std::chrono::milliseconds agreement_timeout = std::chrono::milliseconds(10000));

}  // namespace coodie
