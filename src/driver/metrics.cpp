// The latency histogram: log-linear buckets over relaxed atomic counters.
#include "coodie/driver/metrics.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace coodie {

namespace {

using histogram = latency_histogram;

constexpr std::uint64_t no_min = std::numeric_limits<std::uint64_t>::max();
// log2 of exact_limit and of sub_buckets.
constexpr int exact_bits = std::countr_zero(histogram::exact_limit);
constexpr int sub_bits = std::countr_zero(histogram::sub_buckets);

static_assert(std::has_single_bit(histogram::exact_limit));
static_assert(std::has_single_bit(histogram::sub_buckets));
static_assert(histogram::sub_buckets <= histogram::exact_limit);
static_assert(histogram::bucket_count ==
              histogram::exact_limit +
                  (histogram::max_exponent - exact_bits) * histogram::sub_buckets);

// The bucket of a value: itself below exact_limit; above, its power of two e (2^e <= v) and the
// top sub_bits bits below its leading one.
constexpr std::size_t bucket_of(std::uint64_t v) noexcept {
  if (v < histogram::exact_limit) {
    return static_cast<std::size_t>(v);
  }
  const int e = std::bit_width(v) - 1;
  if (e >= static_cast<int>(histogram::max_exponent)) {
    return histogram::bucket_count - 1;
  }
  const std::size_t sub = static_cast<std::size_t>(v >> (e - sub_bits)) - histogram::sub_buckets;
  return histogram::exact_limit +
         static_cast<std::size_t>(e - exact_bits) * histogram::sub_buckets + sub;
}

// The smallest and the largest value a bucket holds (the last also holds everything above).
constexpr std::uint64_t lower_of(std::size_t i) noexcept {
  if (i < histogram::exact_limit) {
    return i;
  }
  const std::size_t k = i - histogram::exact_limit;
  const int e = exact_bits + static_cast<int>(k / histogram::sub_buckets);
  const std::uint64_t sub = k % histogram::sub_buckets;
  return (histogram::sub_buckets + sub) << (e - sub_bits);
}
constexpr std::uint64_t upper_of(std::size_t i) noexcept {
  if (i + 1 >= histogram::bucket_count) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return lower_of(i + 1) - 1;
}

static_assert(bucket_of(63) == 63 && bucket_of(64) == 64 && bucket_of(65) == 64);
static_assert(bucket_of(66) == 65 && bucket_of(127) == 95 && bucket_of(128) == 96);
static_assert(bucket_of((std::uint64_t{1} << 36) - 1) == histogram::bucket_count - 1);
static_assert(bucket_of(std::uint64_t{1} << 36) == histogram::bucket_count - 1);
static_assert(bucket_of(std::numeric_limits<std::uint64_t>::max()) == histogram::bucket_count - 1);
static_assert(lower_of(64) == 64 && upper_of(64) == 65 && upper_of(95) == 127);
static_assert(lower_of(bucket_of(5000)) <= 5000 && upper_of(bucket_of(5000)) >= 5000);

}  // namespace

void latency_histogram::record(std::chrono::nanoseconds latency) noexcept {
  const std::int64_t ns = latency.count();
  const std::uint64_t us = ns > 0 ? static_cast<std::uint64_t>(ns) / 1000 : 0;

  std::uint64_t seen = min_.load(std::memory_order_relaxed);
  while (us < seen && !min_.compare_exchange_weak(seen, us, std::memory_order_relaxed)) {
  }
  seen = max_.load(std::memory_order_relaxed);
  while (us > seen && !max_.compare_exchange_weak(seen, us, std::memory_order_relaxed)) {
  }
  sum_.fetch_add(us, std::memory_order_relaxed);
  buckets_[bucket_of(us)].fetch_add(1, std::memory_order_relaxed);
}

latency_snapshot latency_histogram::snapshot() const {
  latency_snapshot s;
  s.buckets.resize(bucket_count);
  std::size_t lowest = bucket_count;
  std::size_t highest = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    const std::uint64_t n = buckets_[i].load(std::memory_order_relaxed);
    s.buckets[i] = n;
    s.count += n;
    if (n > 0) {
      lowest = std::min(lowest, i);
      highest = i;
    }
  }
  if (s.count == 0) {
    s.buckets.clear();
    return s;
  }
  // Racing records may have reached their bucket before min and max: fall back to bucket bounds.
  std::uint64_t lo = min_.load(std::memory_order_relaxed);
  if (lo == no_min) {
    lo = lower_of(lowest);
  }
  const std::uint64_t hi = std::max(max_.load(std::memory_order_relaxed), lower_of(highest));
  const std::uint64_t mean = std::clamp(sum_.load(std::memory_order_relaxed) / s.count, lo, hi);
  using us = std::chrono::microseconds;
  s.min = us(static_cast<us::rep>(lo));
  s.max = us(static_cast<us::rep>(hi));
  s.mean = us(static_cast<us::rep>(mean));
  return s;
}

void latency_histogram::reset() noexcept {
  for (std::atomic<std::uint64_t>& b : buckets_) {
    b.store(0, std::memory_order_relaxed);
  }
  sum_.store(0, std::memory_order_relaxed);
  min_.store(no_min, std::memory_order_relaxed);
  max_.store(0, std::memory_order_relaxed);
}

std::chrono::microseconds latency_snapshot::percentile(double p) const noexcept {
  if (count == 0) {
    return std::chrono::microseconds(0);
  }
  if (!(p > 0.0)) {  // also NaN
    p = 0.0;
  }
  p = std::min(p, 100.0);
  // The rank of the value, 1-based, rounded to nearest as HdrHistogram does.
  const auto wanted =
      static_cast<std::uint64_t>(std::llround(p / 100.0 * static_cast<double>(count)));
  const std::uint64_t rank = std::clamp<std::uint64_t>(wanted, 1, count);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    seen += buckets[i];
    if (seen >= rank) {
      const auto max_us = static_cast<std::uint64_t>(max.count());
      return std::chrono::microseconds(
          static_cast<std::chrono::microseconds::rep>(std::min(upper_of(i), max_us)));
    }
  }
  return max;
}

}  // namespace coodie
