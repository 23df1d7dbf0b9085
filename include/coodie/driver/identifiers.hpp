// CQL identifiers: quoting for generated CQL text and validation of schema object names.
//
// Example:
//   coodie::quote_identifier("price");      // price
//   coodie::quote_identifier("userName");   // "userName" (unquoted CQL folds to lower case)
//   coodie::quote_identifier("order");      // "order" (a reserved keyword)
//   coodie::check_name("table", "products");  // ok; "my-table" throws usage_error
//   coodie::quote_literal("it's");          // 'it''s'

#pragma once

#include <string>
#include <string_view>

namespace coodie {

/// The identifier as CQL text: unquoted when it is a plain lower-case name that is not a
/// reserved keyword, otherwise in double quotes with embedded quotes doubled. Throws usage_error
/// for an empty name or one containing NUL.
std::string quote_identifier(std::string_view name);

/// A CQL string literal: the text in single quotes, each embedded quote doubled. For generated
/// schema text only (table options, replication, index classes): values are always bound.
std::string quote_literal(std::string_view text);

/// True when name is a CQL reserved keyword (compared case-insensitively), which must be quoted.
bool is_reserved_keyword(std::string_view name) noexcept;

/// Validates the name of a keyspace, table, index or type: 1 to 48 letters, digits or '_' (what
/// Cassandra accepts there). Throws usage_error naming what (e.g. "keyspace") and the name.
void check_name(std::string_view what, std::string_view name);

}  // namespace coodie
