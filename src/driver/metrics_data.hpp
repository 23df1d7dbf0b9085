// The counters behind session::metrics(): written on the session's strand, read from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "coodie/driver/metrics.hpp"

namespace coodie::driver::detail {

/// Relaxed atomic counters of one host (or of the whole session).
struct request_counters {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> retries{0};
  std::atomic<std::uint64_t> speculative{0};
  std::array<std::atomic<std::uint64_t>, error_kind_count> errors{};
  latency_histogram latency;

  void count_error(error_kind k) noexcept {
    errors[static_cast<std::size_t>(k)].fetch_add(1, std::memory_order_relaxed);
  }
  void fill(request_metrics& out) const;
};

struct host_metrics_data {
  std::string address;
  std::string dc;
  std::string rack;
  std::atomic<bool> up{false};
  std::atomic<std::uint32_t> connections{0};
  std::atomic<std::uint32_t> compressed_connections{0};
  std::atomic<std::int64_t> in_flight{0};
  request_counters counters;
};

struct session_metrics_data {
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<std::int64_t> waiting{0};
  std::atomic<std::int64_t> peak_in_flight{0};
  request_counters counters;
};

}  // namespace coodie::driver::detail
