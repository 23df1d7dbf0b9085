// coodie_peer: coodie's program of the peer benchmarks (bench/peers/PROTOCOL.md, the contract).
//
//   coodie_peer setup [--iterate-rows N]
//   coodie_peer run --front sync|sync-caller|aio|driver|driver-caller --workload W
//                   --inflight N --seconds S [--warmup S]
//
// `setup` creates and seeds the keyspace coodie_peers that every peer program reads
// (coodie_peer_setup.cpp). `run` measures one cell and prints one JSON line on stdout: the sync
// front runs the ODM's blocking calls (coodie_peer_sync.cpp) on a session with its I/O thread,
// sync-caller the same on a session whose calling thread runs the I/O (io_threads = 0), the
// aio front the same calls as coroutines (coodie_peer_aio.cpp), the driver front prepared
// statements with rows decoded by hand (coodie_peer_driver.cpp), driver-caller the same blocking
// calls on a session whose calling thread runs the I/O. Exit status 0 with the line, 2 for a
// bad command line, 3 when the front does not offer the workload or the in-flight count, 1 on
// failure.
// Connection: COODIE_HOSTS (comma-separated, default 127.0.0.1), COODIE_USERNAME,
// COODIE_PASSWORD.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "../bench_util.hpp"
#include "coodie/coodie.hpp"
#include "coodie_peer.hpp"

namespace coodie_peer {

coodie::session_options connection_options() {
  // Only what every peer program reads: no other COODIE_ setting changes coodie's side alone.
  coodie::session_options o;
  o.hosts.clear();
  std::stringstream hosts(coodie::bench::env_or("COODIE_HOSTS", "127.0.0.1"));
  for (std::string h; std::getline(hosts, h, ',');) {
    o.hosts.push_back(h);
  }
  o.username = coodie::bench::env_or("COODIE_USERNAME", "");
  o.password = coodie::bench::env_or("COODIE_PASSWORD", "");
  o.default_serial_consistency = coodie::consistency::serial;  // the conditional insert's
  o.io_threads = 1;                                            // sync-caller sets 0
  return o;
}

}  // namespace coodie_peer

namespace {

constexpr const char* usage =
    "usage: coodie_peer setup [--iterate-rows N]\n"
    "       coodie_peer run --front sync|sync-caller|aio|driver|driver-caller --workload W "
    "--inflight N "
    "--seconds S [--warmup S]\n";

/// A command line that does not parse (exit status 2).
class bad_usage : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

double number(std::string_view flag, const char* text) {
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || v < 0) {
    throw bad_usage(std::string(flag) + " takes a non-negative number, not \"" + text + "\"");
  }
  return v;
}

std::int64_t whole_number(std::string_view flag, const char* text, std::int64_t min,
                          std::int64_t max) {
  char* end = nullptr;
  const long long v = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || v < min || v > max) {
    throw bad_usage(std::string(flag) + " takes a whole number from " + std::to_string(min) +
                    " to " + std::to_string(max) + ", not \"" + text + "\"");
  }
  return v;
}

coodie_peer::run_config parse_run(int argc, char** argv) {
  coodie_peer::run_config cfg;
  bool seconds = false;
  for (int i = 2; i < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) {
      throw bad_usage(std::string(flag) + " needs a value");
    }
    const char* value = argv[i + 1];
    if (flag == "--front") {
      cfg.front = value;
    } else if (flag == "--workload") {
      cfg.workload = value;
    } else if (flag == "--inflight") {
      cfg.inflight = static_cast<int>(whole_number(flag, value, 1, 100'000));
    } else if (flag == "--seconds") {
      cfg.seconds = number(flag, value);
      seconds = true;
    } else if (flag == "--warmup") {
      cfg.warmup = number(flag, value);
    } else {
      throw bad_usage("unknown option " + std::string(flag));
    }
  }
  if (cfg.front.empty() || cfg.workload.empty() || !seconds) {
    throw bad_usage("run needs --front, --workload, --inflight and --seconds");
  }
  return cfg;
}

/// A JSON number with `decimals` decimals, or 0 when it is not defined (no operation: the
/// protocol's zero).
std::string json_number(double v, bool defined, int decimals) {
  if (!defined) {
    v = 0;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void print_line(const coodie_peer::run_config& cfg, const coodie_peer::outcome& o) {
  const bool any = o.ops > 0;
  const double ops = static_cast<double>(o.ops);
  std::ostringstream line;
  line << R"({"program": "coodie", "library": "coodie )" << coodie::version() << R"(", "front": ")"
       << cfg.front << R"(", "workload": ")" << cfg.workload << R"(", "inflight": )" << cfg.inflight
       << R"(, "ops": )" << o.ops << R"(, "errors": )" << o.errors << R"(, "wall_s": )"
       << json_number(o.wall_s, true, 3) << R"(, "ops_per_s": )"
       << json_number(ops / o.wall_s, o.wall_s > 0, 1) << R"(, "p50_us": )"
       << json_number(o.p50_us, any, 1) << R"(, "p99_us": )" << json_number(o.p99_us, any, 1)
       << R"(, "cpu_us_per_op": )" << json_number(o.cpu_s * 1e6 / ops, any, 2)
       << R"(, "rss_start_kib": )" << o.rss_start_kib << R"(, "rss_peak_kib": )" << o.rss_peak_kib
       << "}\n";
  std::cout << line.str() << std::flush;
}

coodie_peer::outcome run(const coodie_peer::run_config& cfg) {
  if (cfg.workload == "iterate" && cfg.inflight != 1) {
    throw coodie_peer::unsupported("iterate runs one request at a time only (--inflight 1)");
  }
  coodie::session_options o = coodie_peer::connection_options();
  if (cfg.front == "sync") {
    return coodie_peer::run_sync(cfg, o);
  }
  if (cfg.front == "sync-caller") {
    o.io_threads = 0;
    return coodie_peer::run_sync(cfg, o);
  }
  if (cfg.front == "aio") {
    return coodie_peer::run_aio(cfg, o);
  }
  if (cfg.front == "driver") {
    return coodie_peer::run_driver(cfg, o);
  }
  if (cfg.front == "driver-caller") {
    if (cfg.inflight != 1) {
      throw coodie_peer::unsupported(
          "the driver-caller front is blocking: it runs --inflight 1 only");
    }
    o.io_threads = 0;
    return coodie_peer::run_driver(cfg, o);
  }
  throw bad_usage("unknown front " + cfg.front +
                  " (sync, sync-caller, aio, driver or driver-caller)");
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "setup") {
    std::int64_t rows = 1'000'000;
    if (argc == 4 && std::string_view(argv[2]) == "--iterate-rows") {
      rows = whole_number("--iterate-rows", argv[3], 0, 1'000'000'000);
    } else if (argc != 2) {
      throw bad_usage("setup takes only --iterate-rows N");
    }
    coodie_peer::setup(rows);
    return 0;
  }
  if (command == "run") {
    const coodie_peer::run_config cfg = parse_run(argc, argv);
    print_line(cfg, run(cfg));
    return 0;
  }
  throw bad_usage(command.empty() ? "no command" : "unknown command " + command);
} catch (const bad_usage& e) {
  std::cerr << "coodie_peer: " << e.what() << '\n' << usage;
  return 2;
} catch (const coodie_peer::unsupported& e) {
  std::cerr << "coodie_peer: not offered: " << e.what() << '\n';
  return 3;
} catch (const std::exception& e) {
  std::cerr << "coodie_peer: " << e.what() << '\n';
  return 1;
}
