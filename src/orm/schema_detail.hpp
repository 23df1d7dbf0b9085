// Helpers shared by the DDL builders, the schema diff and the sync operation (not installed).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "coodie/driver/session.hpp"
#include "coodie/orm/schema.hpp"
#include "coodie/orm/table_schema.hpp"
#include "coodie/wire/data_type.hpp"

namespace coodie::orm::detail {

/// invalid_model naming `user` (a model, a type) when one of the types is declared in another
/// keyspace than `keyspace`: CQL takes a table's or a type's user types from its own keyspace.
void check_type_keyspaces(const std::vector<wire::data_type>& types, std::string_view keyspace,
                          std::string_view user);

/// Syncs each type in turn (as collect_user_types orders them) in `keyspace`, after checking
/// their keyspaces (check_type_keyspaces, before any statement runs); one result for all, whose
/// `created` is the last type's.
boost::asio::awaitable<sync_result> async_sync_types(driver_session& s,
                                                     std::vector<wire::data_type> types,
                                                     std::string keyspace, std::string user,
                                                     sync_options o);

/// ks.t or t, names checked and quoted.
std::string qualified_table(const table_schema& t, std::string_view keyspace);

/// An index target: "c", "values(c)", "keys(\"Cap\")". function is empty for a plain column.
struct index_target {
  std::string function;  ///< keys, values, entries, full or empty
  std::string column;    ///< unquoted
};

/// Parses an index target as written in a model or stored in system_schema.indexes. Returns an
/// empty column when the text is not a column or fn(column).
index_target parse_index_target(std::string_view text);

/// The target in CQL: c, keys("Cap").
std::string render_index_target(const index_target& target);

/// The normal form of a target for comparison and display: values(c) is c; columns unquoted.
std::string normal_index_target(std::string_view text);

/// A CQL type for comparison: lower case and without blanks outside double quotes, varchar read
/// as text. "Map<text, VARCHAR>" -> "map<text,text>".
std::string normal_cql_type(std::string_view type);

/// Runs one DDL statement and waits for schema agreement (defined in schema_sync.cpp).
boost::asio::awaitable<void> execute_ddl(driver_session& s, std::string cql,
                                         std::chrono::milliseconds agreement_timeout);

/// "keyspace.table" for messages (no quoting).
std::string display_name(const table_schema& t, std::string_view keyspace);

}  // namespace coodie::orm::detail
