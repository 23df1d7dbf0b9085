// Checks of a prepared statement's types against the model (not installed).
#pragma once

#include <string>

#include "coodie/orm/detail/core.hpp"
#include "coodie/wire/data_type.hpp"

namespace coodie::orm::detail {

/// The user types in a type tree with their fields: "udt_product(attributes, sku)".
void append_user_types(std::string& out, const wire::data_type& t);

/// Checks the statement's bind markers and result columns against the model's columns, nested
/// types included: any difference means the live column is not the model's (schema_error), and
/// nothing is sent.
void check_types(const prepared_statement& ps, const table_schema& table);

}  // namespace coodie::orm::detail
