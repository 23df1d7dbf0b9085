// Settings of a demo program, from its command line and the environment: where to listen, which
// static folders to serve, and the database (coodie::session_options::from_env(): COODIE_URI or
// COODIE_HOSTS, COODIE_USERNAME, COODIE_PASSWORD, COODIE_KEYSPACE, ...).
//
// Example:
//   demo::settings cfg = demo::parse_settings(argc, argv, {.name = "catalog", .port = 8081,
//                                                          .keyspace = "coodie_demo_catalog"});
//   auto db = co_await coodie::aio::connect(cfg.db);  // cfg.db.keyspace is the demo's keyspace
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coodie/driver/options.hpp"

namespace demo {

/// What a demo program is, for its defaults and --help.
struct program_info {
  std::string name;
  std::uint16_t port = 8080;
  /// Used when neither --keyspace nor COODIE_KEYSPACE names one.
  std::string keyspace;
  /// The demo's static folder (its UI); the kit's shared folder is added after it.
  std::string static_dir;
  /// A seed program: takes --count N (default `count`) and --fresh.
  bool seed = false;
  std::size_t count = 0;
};

struct settings {
  std::string name;
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::vector<std::string> static_dirs;
  coodie::session_options db;
  /// Seed programs: how many items, and whether to drop the keyspace first.
  std::size_t count = 0;
  bool fresh = false;
  /// Seed programs: drop the demo's keyspace and stop (`make clean`).
  bool drop = false;
};

/// Parses --host, --port (or DEMO_PORT), --keyspace and, for seed programs, --count, --fresh and
/// --drop; reads the database settings from the environment. Prints help and exits on --help;
/// prints the error and exits with 2 on a bad argument. A password is never printed.
settings parse_settings(int argc, const char* const* argv, const program_info& info);

/// "host:port, keyspace k" for the start-up line (never the credentials).
std::string describe_db(const coodie::session_options& o);

}  // namespace demo
