// Driver benchmark: prepared single-row INSERT and SELECT by key, one at a time and with 64, 256
// and 1,024 requests in flight. Reports throughput, p50/p99 latency and client CPU per operation
// (getrusage of this process: what a client library can change), median of several runs, then
// the session's per-host metrics (how token-aware routing spread the requests).
//
// Usage: driver_bench [--runs N] [--seconds S] [--inflight 1,64,256,1024] [--lz4] [--rf N]
//                     [--tls-ca FILE] [--tls-cert CERT KEY] [--connections PER_HOST]
// Connection settings come from COODIE_HOSTS (comma-separated contact points; the other nodes
// are discovered), COODIE_USERNAME, COODIE_PASSWORD. --rf sets the replication factor of the
// benchmark keyspace (coodie_bench_rf<N>).
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <future>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "coodie/coodie.hpp"
#include "driver_load.hpp"

namespace {

using coodie::bench::env_or;
using coodie::bench::keep_in_flight;
using coodie::bench::load_result;
using coodie::bench::median;

}  // namespace

int main(int argc, char** argv) try {
  int runs = 3;
  double seconds = 3.0;
  std::vector<int> inflights = {1, 64, 256, 1024};
  bool lz4 = false;
  int rf = 1;
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
  int connections = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (a == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (a == "--inflight" && i + 1 < argc) {
      inflights.clear();
      std::stringstream ss(argv[++i]);
      std::string item;
      while (std::getline(ss, item, ',')) {
        inflights.push_back(std::stoi(item));
      }
    } else if (a == "--lz4") {
      lz4 = true;
    } else if (a == "--rf" && i + 1 < argc) {
      rf = std::atoi(argv[++i]);
    } else if (a == "--tls-ca" && i + 1 < argc) {
      tls_ca = argv[++i];
    } else if (a == "--tls-cert" && i + 2 < argc) {
      tls_cert = argv[++i];
      tls_key = argv[++i];
    } else if (a == "--connections" && i + 1 < argc) {
      connections = std::atoi(argv[++i]);
    } else {
      std::cerr << "usage: driver_bench [--runs N] [--seconds S] [--inflight 1,64,256,1024] "
                   "[--lz4] [--rf N] [--tls-ca FILE] [--tls-cert CERT KEY] "
                   "[--connections PER_HOST]\n";
      return 2;
    }
  }

  // --8<-- [start:connect]
  coodie::session_options o;
  o.hosts.clear();
  std::stringstream hosts(env_or("COODIE_HOSTS", "127.0.0.1"));
  for (std::string h; std::getline(hosts, h, ',');) {
    o.hosts.push_back(h);
  }
  if (!tls_ca.empty()) {
    o.tls.enabled = true;
    o.tls.ca_file = tls_ca;
    o.tls.cert_file = tls_cert;
    o.tls.key_file = tls_key;
  }
  if (connections > 0) {
    o.connections_per_host = static_cast<std::size_t>(connections);
  }
  o.username = env_or("COODIE_USERNAME", "cassandra");
  o.password = env_or("COODIE_PASSWORD", "cassandra");
  o.client_timestamps = true;
  if (lz4) {
    o.compression = coodie::compression::lz4;
  }
  coodie::driver_session s = coodie::driver_session::connect(o);
  const std::string ks = "coodie_bench_rf" + std::to_string(rf);
  s.execute("CREATE KEYSPACE IF NOT EXISTS " + ks +
            " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " +
            std::to_string(rf) + "}");
  s.execute("CREATE TABLE IF NOT EXISTS " + ks + ".kv (k int PRIMARY KEY, v text)");
  auto insert = s.prepare("INSERT INTO " + ks + ".kv (k, v) VALUES (?, ?)");
  auto select = s.prepare("SELECT k, v FROM " + ks + ".kv WHERE k = ?");
  // --8<-- [end:connect]
  const std::string value(100, 'v');
  constexpr int keys = 100000;

  std::cout << "coodie " << coodie::version() << " driver benchmark: " << runs << " runs of "
            << seconds << " s each, median reported" << (lz4 ? ", LZ4" : "")
            << (tls_ca.empty() ? "" : ", TLS") << "; " << s.metrics().hosts.size()
            << " node(s), RF " << rf << "\n\n";
  std::cout << "| workload | in flight | ops/s | p50 µs | p99 µs | client CPU µs/op |\n";
  std::cout << "|---|---:|---:|---:|---:|---:|\n";
  auto report = [&](const char* name, int inflight, const load_result& r) {
    std::cout << "| " << name << " | " << inflight << " | " << std::fixed << std::setprecision(0)
              << r.ops_per_s << " | " << std::setprecision(0) << r.p50_us << " | " << r.p99_us
              << " | " << std::setprecision(1) << r.cpu_us_per_op << " |\n"
              << std::flush;
    if (r.errors > 0) {
      std::cerr << "warning: " << r.errors << " requests failed (" << name << ", " << inflight
                << " in flight)\n";
    }
  };
  for (int inflight : inflights) {
    std::vector<load_result> w;
    for (int i = 0; i < runs; ++i) {
      w.push_back(keep_in_flight(s, inflight, seconds, [&](long n) {
        return insert.bind(static_cast<int>(n % keys), value);
      }));
    }
    report("prepared INSERT", inflight, median(w));
  }
  for (int inflight : inflights) {
    std::vector<load_result> r;
    for (int i = 0; i < runs; ++i) {
      r.push_back(keep_in_flight(s, inflight, seconds, [&](long n) {
        return select.bind(static_cast<int>((n * 7919) % keys));
      }));
    }
    report("prepared SELECT by key", inflight, median(r));
  }
  // --8<-- [start:metrics]
  std::cout << "\n" << s.metrics().to_text();
  // --8<-- [end:metrics]
  return 0;
} catch (const coodie::error& e) {
  std::cerr << "driver_bench: " << e.what() << '\n';
  return 1;
}
