// Request metrics: a lock-free latency histogram that any thread may record into, the plain
// snapshot it yields, and the per-host and per-session counters session::metrics() reports.
//
// Example:
//   coodie::latency_histogram h;
//   auto t0 = std::chrono::steady_clock::now();
//   ... // the request
//   h.record(std::chrono::steady_clock::now() - t0);
//   coodie::latency_snapshot s = h.snapshot();
//   std::cout << s.count << " requests, p99 " << s.p99().count() << " us\n";
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace coodie {

/// A copy of a latency_histogram at one moment. All durations are in microseconds.
struct latency_snapshot {
  /// Values recorded.
  std::uint64_t count = 0;
  /// Exact smallest and largest values; 0 when count is 0.
  std::chrono::microseconds min{0};
  std::chrono::microseconds max{0};
  /// Exact arithmetic mean, rounded down; 0 when count is 0.
  std::chrono::microseconds mean{0};
  /// Values per bucket (latency_histogram::bucket_count entries, or none when count is 0).
  std::vector<std::uint64_t> buckets;

  /// The value below or at which p percent of the values lie, p in [0, 100] (clamped).
  /// Reported as the upper bound of the bucket that holds that value, clamped to max: exact
  /// below 64 us, otherwise at most ~3.1% above the true value. 0 when count is 0.
  [[nodiscard]] std::chrono::microseconds percentile(double p) const noexcept;
  [[nodiscard]] std::chrono::microseconds p50() const noexcept { return percentile(50.0); }
  [[nodiscard]] std::chrono::microseconds p99() const noexcept { return percentile(99.0); }
  [[nodiscard]] std::chrono::microseconds p999() const noexcept { return percentile(99.9); }
};

/// A log-linear histogram of latencies in microseconds (HdrHistogram-like): one bucket per value
/// below 64 us, then 32 buckets per power of two (relative error at most 1/32) up to 2^36 us
/// (about 19 hours); larger values share the last bucket, min and max stay exact.
///
/// record() may be called from any thread at any time; it takes no lock and never allocates
/// (relaxed atomic counters). snapshot() may run concurrently with record(): a record in progress
/// may show in some of its fields and not yet in others. reset() is not atomic either: records
/// racing with it may be partly kept.
class latency_histogram {
 public:
  static constexpr std::size_t exact_limit = 64;     ///< values below have their own bucket
  static constexpr std::size_t sub_buckets = 32;     ///< buckets per power of two above
  static constexpr std::size_t max_exponent = 36;    ///< values >= 2^36 us share the last bucket
  static constexpr std::size_t bucket_count = 1024;  ///< 64 + (36 - 6) * 32

  latency_histogram() noexcept { reset(); }
  latency_histogram(const latency_histogram&) = delete;
  latency_histogram& operator=(const latency_histogram&) = delete;

  /// Records one latency, rounded down to whole microseconds; negative durations count as 0.
  void record(std::chrono::nanoseconds latency) noexcept;
  /// A copy of the current counts.
  [[nodiscard]] latency_snapshot snapshot() const;
  /// Forgets every recorded value.
  void reset() noexcept;

 private:
  std::array<std::atomic<std::uint64_t>, bucket_count> buckets_;
  std::atomic<std::uint64_t> sum_;
  std::atomic<std::uint64_t> min_;
  std::atomic<std::uint64_t> max_;
};

/// Why a request, or one attempt of it, failed.
enum class error_kind : std::uint8_t {
  connection,      ///< connecting failed or the connection broke
  client_timeout,  ///< no answer within the client-side request timeout
  busy,            ///< back-pressure: no stream id and the queue was full
  unavailable,     ///< the coordinator saw too few live replicas
  read_timeout,    ///< replicas answered a read too slowly
  write_timeout,   ///< replicas answered a write too slowly
  overloaded,      ///< the coordinator shed load, or was bootstrapping
  server,          ///< any other server-side failure (server error, read/write failure, ...)
  request,         ///< the request itself was refused: syntax, invalid, unauthorized, ...
  other,           ///< anything else (a malformed answer, a value that does not fit)
};
inline constexpr std::size_t error_kind_count = 10;
/// "connection", "client_timeout", ...
std::string_view to_string(error_kind k) noexcept;
/// The kind of a failure the session reported.
error_kind classify_error(const std::exception_ptr& e) noexcept;

/// Counters of requests (for the session) or of attempts (for one host).
struct request_metrics {
  /// Session: requests completed. Host: attempts sent to it (retries included).
  std::uint64_t requests = 0;
  /// Session: retries made. Host: attempts that were retries.
  std::uint64_t retries = 0;
  /// Speculative executions started.
  std::uint64_t speculative = 0;
  /// Failures by kind (index with error_kind).
  std::array<std::uint64_t, error_kind_count> errors{};
  /// Latency of successful requests (session: from the call to the answer, retries included;
  /// host: of each successful attempt).
  latency_snapshot latency;

  [[nodiscard]] std::uint64_t error_count(error_kind k) const noexcept {
    return errors[static_cast<std::size_t>(k)];
  }
  [[nodiscard]] std::uint64_t errors_total() const noexcept;
};

struct host_metrics {
  std::string address;  ///< "127.0.0.2:9042"
  std::string dc;
  std::string rack;
  bool up = false;  ///< has at least one ready connection
  std::uint32_t connections = 0;
  /// Ready connections whose frames travel LZ4-compressed (session_options::compression was
  /// lz4 and the node offered it).
  std::uint32_t compressed_connections = 0;
  std::int64_t in_flight = 0;
  request_metrics counters;
};

/// Everything session::metrics() reports.
///
/// Example:
///   coodie::session_metrics m = s.metrics();
///   std::cout << m.to_text();
///   if (const auto* h = m.host("127.0.0.2")) { std::cout << h->counters.requests; }
struct session_metrics {
  request_metrics totals;
  /// Requests running now (admitted: sent, being retried or speculating).
  std::int64_t in_flight = 0;
  /// Requests waiting for one of the session_options::max_in_flight slots.
  std::int64_t waiting = 0;
  /// The most requests that ran at once since the session opened.
  std::int64_t peak_in_flight = 0;
  std::vector<host_metrics> hosts;

  /// The host with that address ("127.0.0.2", or with its port "127.0.0.2:9042"), or null.
  [[nodiscard]] const host_metrics* host(std::string_view address) const noexcept;
  /// A readable multi-line report: totals, then one line per host.
  [[nodiscard]] std::string to_text() const;
};

}  // namespace coodie
