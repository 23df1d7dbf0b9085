// CQL type text as Cassandra's system_schema.columns.type spells it, which is what DDL writes
// and what the schema diff compares: collections nested in collections, tuples and UDTs are
// frozen; a column's own collection is frozen only when asked.
//
// Example:
//   wire::data_type t = wire::list_of(wire::list_of(wire::simple_type(wire::type_id::int_)));
//   coodie::cql_type_text(t, false);  // "list<frozen<list<int>>>"
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "coodie/wire/data_type.hpp"

namespace coodie {

/// The type as system_schema spells it; frozen freezes the outermost collection.
std::string cql_type_text(const wire::data_type& t, bool frozen);

/// Finds a user type by its name as written in type text (unquoted); nullptr when unknown.
using user_type_lookup = std::function<const wire::data_type*(std::string_view name)>;

/// Parses type text as system_schema spells it, the inverse of cql_type_text without the
/// freezing (a data_type has none): "frozen<map<text, frozen<address>>>", "vector<float, 3>",
/// "\"Quoted\"". A user type comes from `user_type`. Throws invalid_model naming the text for
/// a malformed type or an unknown user type.
///   parse_cql_type("list<frozen<tuple<int, text>>>", nullptr);  // list of tuple<int, text>
wire::data_type parse_cql_type(std::string_view text, const user_type_lookup& user_type);

namespace orm::detail {
/// snake_case of a C++ type name: OrderItem → order_item, HTTPAddress → http_address.
std::string snake_case(std::string_view name);
}  // namespace orm::detail

}  // namespace coodie
