// What every example shares: a check that ends the example with a failure.
//
// Example:
//   examples::check(rows.size() == 3, "three rows in the partition");
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace examples {

/// Stops the example (main turns the exception into a failing exit code) when ok is false.
inline void check(bool ok, std::string_view what) {
  if (!ok) {
    throw std::runtime_error("check failed: " + std::string(what));
  }
}

}  // namespace examples
