// What the parts of coodie_peer share: the command line of `run`, the session options every
// front connects with, the refusal of a workload a front does not offer (exit status 3), and
// the entry points of setup and of each front.
//
// Example:
//   coodie_peer::run_config cfg{.front = "aio", .workload = "get", .inflight = 64};
//   coodie_peer::outcome o = coodie_peer::run_aio(cfg, coodie_peer::connection_options());
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "coodie/driver/options.hpp"
#include "coodie_peer_measure.hpp"

namespace coodie_peer {

/// The arguments of `run`.
struct run_config {
  std::string front;
  std::string workload;
  int inflight = 1;
  double seconds = 1.0;
  double warmup = 0.5;
};

/// This program or front does not offer the workload or the in-flight count (exit status 3).
class unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// COODIE_HOSTS (comma-separated, default 127.0.0.1), port 9042, COODIE_USERNAME and
/// COODIE_PASSWORD; the driver's other defaults (LOCAL_ONE), with serial consistency SERIAL.
coodie::session_options connection_options();

/// Creates keyspace coodie_peers and its tables when missing and seeds them; iterate_rows is
/// reloaded only when it does not hold `iterate_rows` rows already.
void setup(std::int64_t iterate_rows);

/// One cell on each front; unsupported when the front does not offer it.
outcome run_sync(const run_config& cfg, const coodie::session_options& o);
outcome run_aio(const run_config& cfg, const coodie::session_options& o);
outcome run_driver(const run_config& cfg, const coodie::session_options& o);

}  // namespace coodie_peer
