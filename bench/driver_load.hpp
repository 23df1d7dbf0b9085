// The driver benchmarks' load: N requests kept in flight on a driver session for some seconds
// (each completion issues the next), with the latency of each and the client CPU of the process.
// driver_bench and feature_bench share it.
//
// Example:
//   coodie::bench::load_result r = coodie::bench::keep_in_flight(
//       s, 64, 3.0, [&](long n) { return select.bind(static_cast<int>(n % keys)); });
//   std::cout << r.ops_per_s << " ops/s, p99 " << r.p99_us << " us\n";
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <vector>

#include "bench_util.hpp"
#include "coodie/coodie.hpp"

namespace coodie::bench {

/// What one measured window did.
struct load_result {
  double ops_per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  double max_us = 0;
  double cpu_us_per_op = 0;
  long errors = 0;
  long ops = 0;  ///< requests completed, failed ones included
};

/// Keeps `inflight` requests going for `seconds`, each completion starting the next one;
/// make(n) gives the n-th statement.
template <class MakeStatement>
load_result keep_in_flight(coodie::driver_session& s, int inflight, double seconds,
                           MakeStatement make) {
  using clock_type = std::chrono::steady_clock;
  struct state {
    std::mutex m;
    std::vector<double> latencies;
    std::atomic<long> issued{0};
    std::atomic<int> running{0};
    std::atomic<long> errors{0};
    clock_type::time_point deadline;
    std::promise<void> done;
  };
  state st;
  st.latencies.reserve(1 << 20);
  st.deadline = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                        std::chrono::duration<double>(seconds));
  // --8<-- [start:async]
  std::function<void()> issue = [&] {
    long n = st.issued.fetch_add(1);
    auto t0 = clock_type::now();
    s.async_execute(make(n), [&, t0](std::exception_ptr e, coodie::result) {
      auto t1 = clock_type::now();
      if (e) {
        st.errors++;
      }
      {
        std::lock_guard lock(st.m);
        st.latencies.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
      if (t1 < st.deadline) {
        issue();
      } else if (st.running.fetch_sub(1) == 1) {
        st.done.set_value();
      }
    });
  };
  // --8<-- [end:async]
  const double cpu0 = cpu_seconds();
  const auto t0 = clock_type::now();
  st.running = inflight;
  for (int i = 0; i < inflight; ++i) {
    issue();
  }
  st.done.get_future().get();
  const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  const double cpu = cpu_seconds() - cpu0;
  std::sort(st.latencies.begin(), st.latencies.end());
  auto pct = [&](double p) {
    return st.latencies[static_cast<std::size_t>(p * static_cast<double>(st.latencies.size() - 1))];
  };
  load_result r;
  const double ops = static_cast<double>(st.latencies.size());
  r.ops_per_s = ops / wall;
  r.p50_us = pct(0.50);
  r.p99_us = pct(0.99);
  r.p999_us = pct(0.999);
  r.max_us = st.latencies.back();
  r.cpu_us_per_op = cpu * 1e6 / ops;
  r.errors = st.errors;
  r.ops = static_cast<long>(st.latencies.size());
  return r;
}

/// Each field's median over the runs (errors and ops: their sums).
inline load_result median(const std::vector<load_result>& runs) {
  auto med = [&](double load_result::*field) {
    std::vector<double> v;
    for (const auto& r : runs) {
      v.push_back(r.*field);
    }
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  load_result out{med(&load_result::ops_per_s), med(&load_result::p50_us),
                  med(&load_result::p99_us),    med(&load_result::p999_us),
                  med(&load_result::max_us),    med(&load_result::cpu_us_per_op)};
  for (const auto& r : runs) {
    out.errors += r.errors;
    out.ops += r.ops;
  }
  return out;
}

}  // namespace coodie::bench
