// CQL type text as Cassandra's system_schema.columns.type spells it, which is what DDL writes
// and what the schema diff compares: collections nested in collections, tuples and UDTs are
// frozen; a column's own collection is frozen only when asked.
//
// Example:
//   wire::data_type t = wire::list_of(wire::list_of(wire::simple_type(wire::type_id::int_)));
//   coodie::cql_type_text(t, false);  // "list<frozen<list<int>>>"
#pragma once

#include <string>

#include "coodie/wire/data_type.hpp"

namespace coodie {

/// The type as system_schema spells it; frozen freezes the outermost collection.
std::string cql_type_text(const wire::data_type& t, bool frozen);

namespace orm::detail {
/// snake_case of a C++ type name: OrderItem → order_item, HTTPAddress → http_address.
std::string snake_case(std::string_view name);
}  // namespace orm::detail

}  // namespace coodie
