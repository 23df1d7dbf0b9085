// User types in the schema: their DDL, the live type as system_schema.types describes it, the
// plan that brings it to the struct's declaration (fields added; a changed, removed or
// reordered field reported, never applied), and the operations that read, plan and apply it.
// sync_table runs the same for every user type a model uses, nested types first.
//
// Example:
//   coodie::ddl::create_type(coodie::cql_traits<Address>::cql_type(), "shop");
//   // CREATE TYPE IF NOT EXISTS shop.address (street text, city text, zip_code text)
//   s.sync_type<Address>();   // the ODM fronts: creates, or adds the missing fields
//   s.drop_type<Address>();
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "coodie/driver/session.hpp"
#include "coodie/orm/schema.hpp"
#include "coodie/orm/table_schema.hpp"
#include "coodie/wire/data_type.hpp"

namespace coodie {

namespace ddl {
/// CREATE TYPE IF NOT EXISTS ks.address (street text, city text); nested types and collections
/// frozen. The type's own keyspace wins over `keyspace`; with neither, the name is left
/// unqualified (the connection's keyspace applies), as for tables.
std::string create_type(const wire::data_type& t, std::string_view keyspace);
/// ALTER TYPE ks.address ADD zip_code text: field `field` of t.
std::string alter_type_add(const wire::data_type& t, std::size_t field, std::string_view keyspace);
/// DROP TYPE IF EXISTS ks.address
std::string drop_type(const wire::data_type& t, std::string_view keyspace);
}  // namespace ddl

/// The user types in a type tree, each once by name, appended to out with the types a type
/// uses before it (the order CREATE TYPE needs).
void collect_user_types(const wire::data_type& t, std::vector<wire::data_type>& out);
/// The user types of a table's columns, in that order.
std::vector<wire::data_type> user_types_of(const table_schema& t);

/// A type as SELECT field_names, field_types FROM system_schema.types gives it.
struct existing_type {
  std::vector<std::string> field_names;
  std::vector<std::string> field_types;  ///< as stored: text, frozen<map<text, text>>, ...
};

/// The statements that bring the live type to `desired` (CREATE TYPE when it is missing, else
/// one ALTER TYPE ADD per missing field) and what they will not change: a field of another
/// type (field_changed), a live field the struct lacks (field_not_in_model), and live fields
/// that do not begin with the struct's in its order (field_order_differs: writes are refused
/// until the type is fixed). Pure.
sync_plan plan_type_sync(const wire::data_type& desired, std::string_view keyspace,
                         const std::optional<existing_type>& live);

/// Reads the type from system_schema.types; std::nullopt when it does not exist.
boost::asio::awaitable<std::optional<existing_type>> async_read_type(driver_session& s,
                                                                     std::string keyspace,
                                                                     std::string name);
/// Syncs the types t uses, nested ones first, then t: reads, plans and (unless dry_run)
/// applies, waiting for schema agreement after each statement, all in one keyspace: t's own,
/// else `keyspace`, else the session's (a type that t uses declared in another keyspace is an
/// invalid_model, before any statement runs). `created` says whether t itself was missing.
///   sync_result r = co_await async_sync_type(s, cql_traits<LineItem>::cql_type(), "shop", {});
boost::asio::awaitable<sync_result> async_sync_type(driver_session& s, wire::data_type t,
                                                    std::string keyspace, sync_options o);
/// Runs DROP TYPE IF EXISTS and waits for schema agreement.
boost::asio::awaitable<void> async_drop_type(
    driver_session& s, wire::data_type t, std::string keyspace,
    std::chrono::milliseconds agreement_timeout = std::chrono::milliseconds(10000));

}  // namespace coodie
