// What the ODM benchmarks share: the measurement of one side (one call at a time, or N lanes of
// coroutines in flight) in CPU, wall time and heap allocations, and the interleaved comparison
// of the ODM with the raw driver that prints one table row.
//
// Example:
//   coodie::bench::compare("save", 1, cfg,
//       [&](double s) { return coodie::bench::measure_sync(s, [&](long n) { odm(n); }); },
//       [&](double s) { return coodie::bench::measure_sync(s, [&](long n) { raw(n); }); });
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <future>
#include <iomanip>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

#include "bench_util.hpp"

namespace coodie::bench {

using clock_type = std::chrono::steady_clock;

/// Heap allocations of the process so far (orm_bench.cpp counts them in operator new).
std::uint64_t allocation_count();

/// What one side did during a measurement; slices of a run add up.
struct sample {
  long ops = 0;
  double wall_s = 0;
  double cpu_s = 0;
  std::uint64_t allocs = 0;

  sample& operator+=(const sample& o) {
    ops += o.ops;
    wall_s += o.wall_s;
    cpu_s += o.cpu_s;
    allocs += o.allocs;
    return *this;
  }
  [[nodiscard]] double ops_per_s() const { return static_cast<double>(ops) / wall_s; }
  [[nodiscard]] double cpu_us_per_op() const { return cpu_s * 1e6 / static_cast<double>(ops); }
  [[nodiscard]] double allocs_per_op() const {
    return static_cast<double>(allocs) / static_cast<double>(ops);
  }
};

/// Calls op(0), op(1), ... one at a time for `seconds`.
template <class Op>
sample measure_sync(double seconds, const Op& op) {
  const auto t0 = clock_type::now();
  const auto deadline =
      t0 + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
  const double cpu0 = cpu_seconds();
  const std::uint64_t a0 = allocation_count();
  long n = 0;
  do {
    op(n++);
  } while (clock_type::now() < deadline);
  const std::uint64_t a1 = allocation_count();
  const double cpu = cpu_seconds() - cpu0;
  return {n, std::chrono::duration<double>(clock_type::now() - t0).count(), cpu, a1 - a0};
}

/// The shared state of the coroutines of one concurrent run.
struct flight {
  std::atomic<long> next{0};
  std::atomic<long> completed{0};
  std::atomic<int> running{0};
  clock_type::time_point deadline;
  std::mutex mutex;
  std::exception_ptr error;
  std::promise<void> done;
};

/// One of the in-flight lanes: awaits op(n) for the next n until the deadline.
template <class Op>
boost::asio::awaitable<void> lane(Op op, std::shared_ptr<flight> f) {
  while (clock_type::now() < f->deadline) {
    const long n = f->next.fetch_add(1);
    co_await op(n);
    f->completed.fetch_add(1);
  }
}

/// Runs `inflight` lanes of op on the executor for `seconds`.
template <class Op>
sample measure_concurrent(const boost::asio::any_io_executor& ex, int inflight, double seconds,
                          const Op& op) {
  auto f = std::make_shared<flight>();
  f->running = inflight;
  std::future<void> finished = f->done.get_future();
  const auto t0 = clock_type::now();
  f->deadline =
      t0 + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
  const double cpu0 = cpu_seconds();
  const std::uint64_t a0 = allocation_count();
  auto on_lane_done = [f](std::exception_ptr e) {
    if (e) {
      std::lock_guard lock(f->mutex);
      f->error = f->error ? f->error : e;
    }
    if (f->running.fetch_sub(1) == 1) {
      f->done.set_value();
    }
  };
  for (int i = 0; i < inflight; ++i) {
    boost::asio::co_spawn(ex, lane(op, f), on_lane_done);
  }
  finished.get();
  const std::uint64_t a1 = allocation_count();
  const double cpu = cpu_seconds() - cpu0;
  if (f->error) {
    std::rethrow_exception(f->error);
  }
  return {f->completed.load(), std::chrono::duration<double>(clock_type::now() - t0).count(), cpu,
          a1 - a0};
}

// --- reporting ------------------------------------------------------------------------------

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
template <class F>
std::vector<double> each(const std::vector<sample>& s, F field) {
  std::vector<double> out;
  for (const sample& x : s) {
    out.push_back((x.*field)());
  }
  return out;
}

struct settings {
  int runs = 5;
  double seconds = 1.0;
  int inflight = 64;
  std::string only;  ///< run only the tables or rows whose name starts with this (profiling)

  [[nodiscard]] bool wants(std::string_view name) const { return name.starts_with(only); }
};

/// Runs the ODM and the raw measurement after a short warm-up of each, and prints one table row.
/// Each run interleaves slices of the two sides, alternating which goes first, so that both see
/// the same background load (the other processes of the machine, the server's compactions).
template <class OdmRun, class RawRun>
void compare(const char* name, int inflight, const settings& cfg, const OdmRun& odm,
             const RawRun& raw) {
  if (!cfg.wants(name)) {
    return;
  }
  constexpr double slice = 0.25;
  const int slices = std::max(1, static_cast<int>(cfg.seconds / slice + 0.5));
  odm(slice);
  raw(slice);
  std::vector<sample> o;
  std::vector<sample> r;
  std::vector<double> ratio;
  for (int i = 0; i < cfg.runs; ++i) {
    sample os;
    sample rs;
    for (int j = 0; j < slices; ++j) {
      if ((i + j) % 2 == 0) {
        os += odm(slice);
        rs += raw(slice);
      } else {
        rs += raw(slice);
        os += odm(slice);
      }
    }
    o.push_back(os);
    r.push_back(rs);
    ratio.push_back(os.cpu_us_per_op() / rs.cpu_us_per_op());
  }
  const auto [lo, hi] = std::minmax_element(ratio.begin(), ratio.end());
  std::cout << "| " << name << " | " << inflight << std::fixed << std::setprecision(0) << " | "
            << median(each(o, &sample::ops_per_s)) << " | " << median(each(r, &sample::ops_per_s))
            << std::setprecision(1) << " | " << median(each(o, &sample::cpu_us_per_op)) << " | "
            << median(each(r, &sample::cpu_us_per_op)) << std::setprecision(2) << " | "
            << median(ratio) << " | " << *lo << "–" << *hi << std::setprecision(1) << " | "
            << median(each(o, &sample::allocs_per_op)) << " | "
            << median(each(r, &sample::allocs_per_op)) << " |\n"
            << std::flush;
}

}  // namespace coodie::bench
