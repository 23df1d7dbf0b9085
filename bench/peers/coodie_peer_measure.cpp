// The measurement helpers of coodie_peer that are not templates: resident set, failures,
// percentiles.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <iostream>

#include "coodie_peer_measure.hpp"

namespace coodie_peer {

namespace {

std::atomic<bool> failure_reported{false};
std::atomic<std::size_t> sink{0};

/// The nearest-rank percentile p (0 < p <= 1) of a sorted, non-empty list.
double nearest_rank(const std::vector<double>& sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

}  // namespace

long rss_now_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0;
  long resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

long rss_peak_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;  // KiB on Linux
}

void report_failure(const std::exception_ptr& e) {
  if (failure_reported.exchange(true)) {
    return;
  }
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    std::cerr << "coodie_peer: an operation failed (later failures are only counted): " << x.what()
              << '\n';
  } catch (...) {
    std::cerr << "coodie_peer: an operation failed with an unknown exception\n";
  }
}

outcome tally(records lanes) {
  outcome o;
  std::vector<double> all;
  for (lane_record& l : lanes) {
    o.ops += l.ops;
    o.errors += l.errors;
    all.insert(all.end(), l.latencies_us.begin(), l.latencies_us.end());
  }
  if (!all.empty()) {
    std::sort(all.begin(), all.end());
    o.p50_us = nearest_rank(all, 0.50);
    o.p99_us = nearest_rank(all, 0.99);
  }
  return o;
}

void consume(std::size_t v) {
  sink.fetch_add(v, std::memory_order_relaxed);
}

}  // namespace coodie_peer
