// CQL identifier quoting for the few statements the driver writes itself (USE).
#pragma once

#include <string>
#include <string_view>

namespace coodie::detail {

/// The identifier as CQL text: unquoted when it is a plain lower-case name, otherwise in double
/// quotes with embedded quotes doubled. Throws usage_error for an empty name or one with NUL.
std::string quote_identifier(std::string_view name);

}  // namespace coodie::detail
