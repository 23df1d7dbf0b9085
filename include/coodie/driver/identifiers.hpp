// CQL identifiers: quoting for generated CQL text and validation of schema object names.
//
// Example:
//   coodie::quote_identifier("price");      // price
//   coodie::quote_identifier("userName");   // "userName" (unquoted CQL folds to lower case)
//   coodie::quote_identifier("order");      // "order" (a reserved keyword)
//   coodie::check_name("table", "products");  // ok; "my-table" throws usage_error
#pragma once

#include <string>
#include <string_view>

namespace coodie {

/// The identifier as CQL text: unquoted when it is a plain lower-case name that is not a
/// reserved keyword, otherwise in double quotes with embedded quotes doubled. Throws usage_error
/// for an empty name or one containing NUL.
std::string quote_identifier(std::string_view name);

/// True when name is a CQL reserved keyword (compared case-insensitively), which must be quoted.
bool is_reserved_keyword(std::string_view name) noexcept;

/// Validates the name of a keyspace, table, index or type: 1 to 48 letters, digits or '_' (what
/// Cassandra accepts there). Throws usage_error naming what (e.g. "keyspace") and the name.
void check_name(std::string_view what, std::string_view name);

}  // namespace coodie
