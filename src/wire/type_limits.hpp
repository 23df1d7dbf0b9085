// Internal to coodie::wire: limits and names shared by the [option] reader and the marshal class
// parser.
#pragma once

#include <string_view>

namespace coodie::wire::detail {

// Deeper type trees than this are rejected: no real schema comes close, and recursion on hostile
// input must stay bounded.
inline constexpr int max_type_depth = 64;

inline constexpr std::string_view marshal_package = "org.apache.cassandra.db.marshal.";

inline std::string_view without_marshal_package(std::string_view name) noexcept {
  if (name.starts_with(marshal_package)) {
    name.remove_prefix(marshal_package.size());
  }
  return name;
}

}  // namespace coodie::wire::detail
