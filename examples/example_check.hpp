// What the examples share: a check that ends the example with a failure, a test that a call
// throws, and the printing of a schema plan.
//
// Example:
//   examples::check(rows.size() == 3, "three rows in the partition");
//   examples::check(examples::throws<coodie::usage_error>([&] { (void)q.all(); }), "refused");
//   examples::print_statements(s.sync_table<Product>({.dry_run = true}));
#pragma once

#include <concepts>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "coodie/orm/schema.hpp"

namespace examples {

/// Stops the example (main turns the exception into a failing exit code) when ok is false.
inline void check(bool ok, std::string_view what) {
  if (!ok) {
    throw std::runtime_error("check failed: " + std::string(what));
  }
}

/// True when call() throws E.
template <class E, std::invocable F>
bool throws(F call) {
  try {
    call();
  } catch (const E&) {
    return true;
  }
  return false;
}

/// Prints a plan's statements, one a line, and flushes them.
inline void print_statements(const coodie::sync_result& r) {
  for (const std::string& st : r.statements) {
    std::cout << "  " << st << ";\n";
  }
  std::cout << std::flush;
}

}  // namespace examples
