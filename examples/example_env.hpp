// What every example shares: the connection settings from the environment (the same variables
// as `make run` and `make test` set) and a check that ends the example with a failure.
//
// Example:
//   coodie::sync::session s = coodie::sync::connect(examples::options_from_env());
//   examples::check(rows.size() == 3, "three rows in the partition");
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "coodie/driver/options.hpp"

namespace examples {

/// The value of an environment variable, or fallback when it is unset or empty.
inline std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : fallback;
}

/// COODIE_HOSTS (comma-separated host[:port]), COODIE_USERNAME and COODIE_PASSWORD; the defaults
/// fit the local node that scripts/cassandra runs.
inline coodie::session_options options_from_env() {
  coodie::session_options o;
  o.hosts.clear();
  const std::string hosts = env_or("COODIE_HOSTS", "127.0.0.1");
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = hosts.find(',', start);
    std::string host = hosts.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!host.empty()) {
      o.hosts.push_back(std::move(host));
    }
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  o.username = env_or("COODIE_USERNAME", "cassandra");
  o.password = env_or("COODIE_PASSWORD", "cassandra");
  return o;
}

/// Stops the example (main turns the exception into a failing exit code) when ok is false.
inline void check(bool ok, std::string_view what) {
  if (!ok) {
    throw std::runtime_error("check failed: " + std::string(what));
  }
}

}  // namespace examples
