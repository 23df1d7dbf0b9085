// Feature benchmark: three of the driver's performance features, each measured with and without
// in the same run, interleaved (without, with, without, with, ...), median of the runs:
//
//   lz4          reading one 1 MiB row (compressible text; random bytes), compression none / lz4:
//                reads/s, p50/p99, client CPU per read and the bytes the loopback carried
//   warming      the first get after connecting, with sync_table's prepared-statement warming
//                and without (a session that never synced), after three requests on each new
//                session's connection: latency of the first and second get
//   speculative  reads while one node of a cluster stalls (SIGSTOP for --pause-ms every
//                --period-ms, like a long GC pause), speculative execution off / on:
//                p50/p99/p99.9/max and the extra attempts it sent
//
// Usage: feature_bench [--runs N] [--seconds S] [--only lz4|warming|speculative]
//                      [--pause-pid PID] [--pause-ms MS] [--period-ms MS] [--delay-ms MS]
//                      [--inflight N]
// lz4 and warming run on one node or more; speculative needs two nodes or more and the pid of
// one of them (`scripts/cassandra pid 2`); without --pause-pid it is left out, and says so.
// Connection settings come from COODIE_HOSTS (comma-separated), COODIE_USERNAME,
// COODIE_PASSWORD.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "coodie/coodie.hpp"
#include "driver_load.hpp"

namespace feature_bench {
/// The model of the warming measurement.
struct WarmRow {
  std::int32_t id = 0;
  std::string name;
};
}  // namespace feature_bench

template <>
inline constexpr auto coodie::model<feature_bench::WarmRow> =
    coodie::table("feature_warm").partition_key<&feature_bench::WarmRow::id>();

namespace {

using coodie::bench::env_or;
using coodie::bench::keep_in_flight;
using coodie::bench::load_result;
using coodie::bench::median;
using clock_type = std::chrono::steady_clock;
using feature_bench::WarmRow;

constexpr const char* keyspace = "coodie_bench_rf1";

struct settings {
  int runs = 3;
  double seconds = 2.0;
  std::string only;
  pid_t pause_pid = 0;
  int pause_ms = 50;
  int period_ms = 250;
  int delay_ms = 5;
  int inflight = 1;
  [[nodiscard]] bool wants(const std::string& part) const { return only.empty() || only == part; }
};

coodie::session_options options_from_env() {
  coodie::session_options o;
  o.hosts.clear();
  std::stringstream hosts(env_or("COODIE_HOSTS", "127.0.0.1"));
  for (std::string h; std::getline(hosts, h, ',');) {
    o.hosts.push_back(h);
  }
  o.username = env_or("COODIE_USERNAME", "cassandra");
  o.password = env_or("COODIE_PASSWORD", "cassandra");
  return o;
}

/// Bytes the loopback interface received so far (each byte sent over it is received once), or
/// -1 when /proc/net/dev has no "lo".
double loopback_bytes() {
  std::ifstream dev("/proc/net/dev");
  for (std::string line; std::getline(dev, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    std::string name = line.substr(0, colon);
    name.erase(0, name.find_first_not_of(' '));
    if (name == "lo") {
      std::istringstream fields(line.substr(colon + 1));
      double rx = -1;
      fields >> rx;
      return rx;
    }
  }
  return -1;
}

std::string fixed(double v, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << v;
  return out.str();
}

// --- LZ4 on a 1 MiB row ----------------------------------------------------------------------

/// 1 MiB of JSON lines, as an application stores them: compressible, but not trivially.
coodie::blob text_mib() {
  std::string s;
  std::mt19937 rng(7);
  for (int i = 0; s.size() < (1u << 20); ++i) {
    s += "{\"id\":" + std::to_string(i) + ",\"user\":\"user-" + std::to_string(rng() % 100000) +
         "\",\"email\":\"u" + std::to_string(rng() % 100000) +
         "@example.com\",\"score\":" + std::to_string(rng() % 1000) +
         ",\"tags\":[\"alpha\",\"beta\"]}\n";
  }
  s.resize(1u << 20);
  coodie::blob b(s.size());
  std::transform(s.begin(), s.end(), b.begin(), [](char c) { return static_cast<std::byte>(c); });
  return b;
}

/// 1 MiB of random bytes: what LZ4 cannot shrink.
coodie::blob random_mib() {
  coodie::blob b(1u << 20);
  std::mt19937 rng(11);
  std::generate(b.begin(), b.end(), [&] { return static_cast<std::byte>(rng() & 0xff); });
  return b;
}

void lz4_table(const settings& cfg) {
  coodie::session_options o = options_from_env();
  coodie::driver_session plain = coodie::driver_session::connect(o);
  o.compression = coodie::compression::lz4;
  coodie::driver_session lz4 = coodie::driver_session::connect(o);
  if (lz4.metrics().hosts.front().compressed_connections == 0) {
    throw std::runtime_error("the node did not accept LZ4 compression");
  }
  plain.execute(std::string("CREATE TABLE IF NOT EXISTS ") + keyspace +
                ".feature_big (k int PRIMARY KEY, v blob)");
  auto insert =
      plain.prepare(std::string("INSERT INTO ") + keyspace + ".feature_big (k, v) VALUES (?, ?)");
  plain.execute(insert.bind(1, text_mib()));
  plain.execute(insert.bind(2, random_mib()));
  const std::string select = std::string("SELECT v FROM ") + keyspace + ".feature_big WHERE k = ?";
  auto select_plain = plain.prepare(select);
  auto select_lz4 = lz4.prepare(select);
  for (auto* st : {&select_plain, &select_lz4}) {
    for (int k : {1, 2}) {
      const coodie::result r = (st == &select_plain ? plain : lz4).execute(st->bind(k));
      if (r.size() != 1 || r.front().cell(0).bytes().size() != (1u << 20)) {
        throw std::runtime_error("feature_big row " + std::to_string(k) + " is not 1 MiB");
      }
    }
  }

  std::cout << "## LZ4 on a 1 MiB row read\n\n"
            << "| row | in flight | compression | reads/s | p50 µs | p99 µs | client CPU µs/read "
               "| loopback KiB/read |\n|---|---:|---|---:|---:|---:|---:|---:|\n";
  for (int k : {1, 2}) {
    for (int inflight : {1, 8}) {
      std::vector<load_result> runs[2];
      std::vector<double> kib[2];
      for (int run = 0; run < cfg.runs; ++run) {
        for (int turn = 0; turn < 2; ++turn) {
          const int side = (run + turn) % 2;  // each side goes first every other run
          coodie::driver_session& s = side == 0 ? plain : lz4;
          const coodie::prepared_statement& st = side == 0 ? select_plain : select_lz4;
          const double b0 = loopback_bytes();
          const load_result r = keep_in_flight(s, inflight, cfg.seconds,
                                               [&](long) { return st.bind(k).set_page_size(0); });
          const double b1 = loopback_bytes();
          runs[side].push_back(r);
          kib[side].push_back(b0 < 0 ? -1 : (b1 - b0) / static_cast<double>(r.ops) / 1024);
        }
      }
      for (int side = 0; side < 2; ++side) {
        const load_result m = median(runs[side]);
        std::sort(kib[side].begin(), kib[side].end());
        const double k_med = kib[side][kib[side].size() / 2];
        std::cout << "| " << (k == 1 ? "JSON text" : "random bytes") << " | " << inflight << " | "
                  << (side == 0 ? "none" : "lz4") << " | " << fixed(m.ops_per_s, 0) << " | "
                  << fixed(m.p50_us, 0) << " | " << fixed(m.p99_us, 0) << " | "
                  << fixed(m.cpu_us_per_op, 0) << " | "
                  << (k_med < 0 ? std::string("n/a") : fixed(k_med, 0)) << " |\n"
                  << std::flush;
        if (m.errors > 0) {
          throw std::runtime_error(std::to_string(m.errors) + " reads failed");
        }
      }
    }
  }
  std::cout << '\n';
}

// --- prepared-statement warming --------------------------------------------------------------

double micros_of(const auto& f) {
  const auto t0 = clock_type::now();
  f();
  return std::chrono::duration<double, std::micro>(clock_type::now() - t0).count();
}

void warming_table(const settings& cfg) {
  coodie::session_options o = options_from_env();
  o.keyspace = keyspace;
  {
    coodie::sync::session s = coodie::sync::connect(o);
    s.sync_table<WarmRow>();
    s.save(WarmRow{1, "warm"});
  }
  const int trials = cfg.runs * 10;
  std::vector<double> first[2];
  std::vector<double> second[2];
  std::vector<double> sync_cost;
  for (int t = 0; t < trials; ++t) {
    for (int turn = 0; turn < 2; ++turn) {
      const int side = (t + turn) % 2;  // each side goes first every other trial
      coodie::sync::session s = coodie::sync::connect(o);
      // Both sides' connections carry a few requests first, so that only the statements differ.
      for (int i = 0; i < 3; ++i) {
        s.driver().execute("SELECT release_version FROM system.local");
      }
      if (side == 1) {
        sync_cost.push_back(micros_of([&] { s.sync_table<WarmRow>(); }));
      }
      for (auto* out : {&first[side], &second[side]}) {
        out->push_back(micros_of([&] {
          if (s.get<WarmRow>(1).name != "warm") {
            throw std::runtime_error("feature_warm row 1 has another name");
          }
        }));
      }
    }
  }
  auto pct = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
  };
  std::cout << "## Prepared-statement warming: the first get after connecting (" << trials
            << " sessions each)\n\n"
            << "| warming | first get p50 µs | first get max µs | second get p50 µs | "
               "sync_table p50 µs |\n|---|---:|---:|---:|---:|\n";
  for (int side = 0; side < 2; ++side) {
    std::cout << "| " << (side == 0 ? "none (never synced)" : "sync_table") << " | "
              << fixed(pct(first[side], 0.5), 0) << " | " << fixed(pct(first[side], 1.0), 0)
              << " | " << fixed(pct(second[side], 0.5), 0) << " | "
              << (side == 0 ? std::string("-") : fixed(pct(sync_cost, 0.5), 0)) << " |\n";
  }
  std::cout << '\n';
}

// --- speculative execution on a stalling node ------------------------------------------------

/// Stops the process for pause_ms out of every period_ms until destroyed; leaves it running.
class node_staller {
 public:
  node_staller(pid_t pid, int pause_ms, int period_ms)
      : pid_(pid), thread_([this, pause_ms, period_ms] { loop(pause_ms, period_ms); }) {}
  node_staller(const node_staller&) = delete;
  node_staller& operator=(const node_staller&) = delete;
  ~node_staller() {
    {
      std::lock_guard lock(m_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    ::kill(pid_, SIGCONT);
  }

 private:
  void loop(int pause_ms, int period_ms) {
    std::unique_lock lock(m_);
    while (!stop_) {
      if (::kill(pid_, SIGSTOP) != 0) {
        std::cerr << "feature_bench: cannot stop pid " << pid_ << '\n';
        std::abort();
      }
      cv_.wait_for(lock, std::chrono::milliseconds(pause_ms), [&] { return stop_; });
      ::kill(pid_, SIGCONT);
      cv_.wait_for(lock, std::chrono::milliseconds(period_ms - pause_ms), [&] { return stop_; });
    }
  }

  pid_t pid_;
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

void speculative_table(const settings& cfg) {
  coodie::session_options o = options_from_env();
  coodie::driver_session off = coodie::driver_session::connect(o);
  const std::size_t nodes = off.metrics().hosts.size();
  if (nodes < 2) {
    throw std::runtime_error("speculative needs a cluster of 2 nodes or more, COODIE_HOSTS has " +
                             std::to_string(nodes));
  }
  o.speculative_delay = std::chrono::milliseconds(cfg.delay_ms);
  o.max_speculative_executions = 1;
  coodie::driver_session on = coodie::driver_session::connect(o);
  const std::string rf = std::to_string(std::min<std::size_t>(nodes, 3));
  const std::string ks = "coodie_bench_rf" + rf;
  off.execute("CREATE KEYSPACE IF NOT EXISTS " + ks +
              " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + rf + "}");
  off.execute("CREATE TABLE IF NOT EXISTS " + ks + ".kv (k int PRIMARY KEY, v text)");
  constexpr int keys = 1000;
  auto insert = off.prepare("INSERT INTO " + ks + ".kv (k, v) VALUES (?, ?)");
  const std::string value(100, 'v');
  for (int k = 0; k < keys; ++k) {  // on every replica before any node stalls
    off.execute(insert.bind(k, value).set_consistency(coodie::consistency::all));
  }
  const std::string select = "SELECT k, v FROM " + ks + ".kv WHERE k = ?";
  auto select_off = off.prepare(select);
  auto select_on = on.prepare(select);

  const int inflight = cfg.inflight;
  std::vector<load_result> runs[2];
  std::uint64_t extra = 0;
  {
    const node_staller staller(cfg.pause_pid, cfg.pause_ms, cfg.period_ms);
    for (int run = -1; run < cfg.runs; ++run) {  // run -1 warms both sides up, unmeasured
      for (int turn = 0; turn < 2; ++turn) {
        const int side = (run + 1 + turn) % 2;  // each side goes first every other run
        coodie::driver_session& s = side == 0 ? off : on;
        const coodie::prepared_statement& st = side == 0 ? select_off : select_on;
        const std::uint64_t spec0 = s.metrics().totals.speculative;
        const load_result r = keep_in_flight(s, inflight, cfg.seconds, [&](long n) {
          return st.bind(static_cast<int>((n * 7919) % keys)).set_idempotent().set_page_size(0);
        });
        if (run >= 0) {
          runs[side].push_back(r);
          extra += side == 1 ? s.metrics().totals.speculative - spec0 : 0;
        }
      }
    }
  }
  double reads_on = 0;
  for (const auto& r : runs[1]) {
    reads_on += static_cast<double>(r.ops);
  }
  std::cout << "## Speculative execution: reads while one of " << nodes << " nodes stalls "
            << cfg.pause_ms << " ms out of every " << cfg.period_ms << " ms (RF " << rf
            << ", CL ONE, " << inflight << " in flight)\n\n"
            << "| speculative execution | reads/s | p50 µs | p99 µs | p99.9 µs | max µs | "
               "client CPU µs/read | extra attempts per 100 reads |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (int side = 0; side < 2; ++side) {
    const load_result m = median(runs[side]);
    if (m.errors > 0) {
      throw std::runtime_error(std::to_string(m.errors) + " reads failed");
    }
    std::cout << "| " << (side == 0 ? "off" : "on, after " + std::to_string(cfg.delay_ms) + " ms")
              << " | " << fixed(m.ops_per_s, 0) << " | " << fixed(m.p50_us, 0) << " | "
              << fixed(m.p99_us, 0) << " | " << fixed(m.p999_us, 0) << " | " << fixed(m.max_us, 0)
              << " | " << fixed(m.cpu_us_per_op, 1) << " | "
              << (side == 0 ? std::string("0") : fixed(100.0 * extra / reads_on, 1)) << " |\n";
  }
  std::cout << '\n';
}

settings parse(int argc, char** argv) {
  settings cfg;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--runs" && has_value) {
      cfg.runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--seconds" && has_value) {
      cfg.seconds = std::atof(argv[++i]);
    } else if (a == "--only" && has_value) {
      cfg.only = argv[++i];
    } else if (a == "--pause-pid" && has_value) {
      cfg.pause_pid = static_cast<pid_t>(std::atoi(argv[++i]));
    } else if (a == "--pause-ms" && has_value) {
      cfg.pause_ms = std::atoi(argv[++i]);
    } else if (a == "--period-ms" && has_value) {
      cfg.period_ms = std::atoi(argv[++i]);
    } else if (a == "--inflight" && has_value) {
      cfg.inflight = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--delay-ms" && has_value) {
      cfg.delay_ms = std::atoi(argv[++i]);
    } else {
      throw std::invalid_argument(
          "usage: feature_bench [--runs N] [--seconds S] [--only lz4|warming|speculative] "
          "[--pause-pid PID] [--pause-ms MS] [--period-ms MS] [--delay-ms MS] [--inflight N]");
    }
  }
  if (!cfg.only.empty() && cfg.only != "lz4" && cfg.only != "warming" &&
      cfg.only != "speculative") {
    throw std::invalid_argument("--only takes lz4, warming or speculative, not " + cfg.only);
  }
  if (cfg.only == "speculative" && cfg.pause_pid <= 0) {
    throw std::invalid_argument("--only speculative needs --pause-pid PID (a node of a cluster)");
  }
  if (cfg.pause_ms <= 0 || cfg.period_ms <= cfg.pause_ms || cfg.delay_ms <= 0) {
    throw std::invalid_argument("need 0 < --pause-ms < --period-ms and --delay-ms > 0");
  }
  return cfg;
}

}  // namespace

int main(int argc, char** argv) try {
  const settings cfg = parse(argc, argv);
  {
    coodie::session_options o = options_from_env();
    coodie::driver_session s = coodie::driver_session::connect(o);
    s.execute(std::string("CREATE KEYSPACE IF NOT EXISTS ") + keyspace +
              " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  }
  std::cout << "coodie " << coodie::version() << " feature benchmark: each feature without and "
            << "with, interleaved, " << cfg.runs << " runs of " << cfg.seconds
            << " s per side, median\n\n";
  if (cfg.wants("lz4")) {
    lz4_table(cfg);
  }
  if (cfg.wants("warming")) {
    warming_table(cfg);
  }
  if (cfg.wants("speculative")) {
    if (cfg.pause_pid > 0) {
      speculative_table(cfg);
    } else {
      std::cout << "## Speculative execution: not measured here (it needs a cluster and "
                   "--pause-pid; make bench runs it on three local nodes)\n";
    }
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "feature_bench: " << e.what() << '\n';
  return 1;
}
