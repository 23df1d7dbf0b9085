#include "demo/settings.hpp"

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

namespace demo {

settings parse_settings(int argc, const char* const* argv, const program_info& info) {
  settings s;
  s.name = info.name;
  s.port = info.port;
  if (const char* p = std::getenv("DEMO_PORT"); p != nullptr && *p != '\0') {
    try {
      const int v = std::stoi(p);
      if (v < 0 || v > 65535) {
        throw std::out_of_range("port");
      }
      s.port = static_cast<std::uint16_t>(v);
    } catch (const std::exception&) {
      std::cerr << info.name << ": DEMO_PORT is not a port number: " << p << '\n';
      std::exit(2);
    }
  }
  std::string keyspace;
  CLI::App app{info.seed ? "Fills the " + info.name + " demo's keyspace with generated data."
                         : "Serves the " + info.name + " demo on http://HOST:PORT/.",
               info.name};
  app.option_defaults()->always_capture_default();
  app.add_option("--keyspace", keyspace,
                 "the demo's keyspace (default: COODIE_KEYSPACE, else " + info.keyspace + ")");
  if (info.seed) {
    s.count = info.count;
    app.add_option("--count", s.count, "how many items to generate")
        ->check(CLI::Range(1, 100'000'000));
    app.add_flag("--fresh", s.fresh, "drop the keyspace first");
    app.add_flag("--drop", s.drop, "drop the keyspace and stop");
  } else {
    app.add_option("--host", s.host, "the address to listen on");
    app.add_option("--port", s.port, "the port to listen on (or DEMO_PORT; 0: any free port)");
  }
  app.footer(
      "The database: COODIE_URI (cassandra://user:password@host:port/keyspace) or COODIE_HOSTS,\n"
      "COODIE_USERNAME, COODIE_PASSWORD, COODIE_KEYSPACE and the other COODIE_ settings.");
  try {
    app.parse(argc, argv);
    s.db = coodie::session_options::from_env();
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e) == 0 ? 0 : 2);  // --help, or a bad argument
  } catch (const std::exception& e) {
    std::cerr << info.name << ": " << e.what() << '\n';
    std::exit(2);
  }
  if (!keyspace.empty()) {
    s.db.keyspace = keyspace;
  } else if (s.db.keyspace.empty()) {
    s.db.keyspace = info.keyspace;
  }
  if (!info.static_dir.empty()) {
    s.static_dirs.push_back(info.static_dir);
  }
  s.static_dirs.emplace_back(DEMO_COMMON_STATIC_DIR);
  return s;
}

std::string describe_db(const coodie::session_options& o) {
  std::string hosts;
  for (const std::string& h : o.hosts) {
    hosts += (hosts.empty() ? "" : ",") + h;
  }
  return hosts + " (port " + std::to_string(o.port) + "), keyspace " + o.keyspace;
}

}  // namespace demo
