// The latency histogram: exact small values, percentile accuracy, outliers, exact min/max/mean,
// concurrent recording and reset.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

#include "coodie/driver/metrics.hpp"

namespace coodie {
namespace {

using std::chrono::microseconds;
using namespace std::chrono_literals;

TEST(DriverHistogram, EmptyHistogram) {
  latency_histogram h;
  latency_snapshot s = h.snapshot();
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.min, 0us);
  EXPECT_EQ(s.max, 0us);
  EXPECT_EQ(s.mean, 0us);
  EXPECT_EQ(s.p50(), 0us);
  EXPECT_EQ(s.p99(), 0us);
  EXPECT_EQ(s.p999(), 0us);
  EXPECT_EQ(s.percentile(0), 0us);
  EXPECT_EQ(s.percentile(100), 0us);
  EXPECT_EQ(latency_snapshot{}.p50(), 0us);
}

TEST(DriverHistogram, SmallValuesAreExact) {
  latency_histogram h;
  for (int v = 0; v < 64; ++v) {
    h.record(microseconds(v));
  }
  latency_snapshot s = h.snapshot();
  ASSERT_EQ(s.count, 64u);
  EXPECT_EQ(s.min, 0us);
  EXPECT_EQ(s.max, 63us);
  // Rank k (1-based) is the value k-1; percentile p asks for rank round(p * 64 / 100).
  EXPECT_EQ(s.percentile(0), 0us);
  EXPECT_EQ(s.percentile(50), 31us);
  EXPECT_EQ(s.percentile(25), 15us);
  EXPECT_EQ(s.percentile(100), 63us);
  EXPECT_EQ(s.percentile(250), 63us);  // clamped to 100
  EXPECT_EQ(s.percentile(-3), 0us);    // clamped to 0

  latency_histogram one;
  one.record(17us);
  latency_snapshot o = one.snapshot();
  EXPECT_EQ(o.p50(), 17us);
  EXPECT_EQ(o.p999(), 17us);
  EXPECT_EQ(o.percentile(0), 17us);
}

TEST(DriverHistogram, RoundsDownToMicrosecondsAndNegativeIsZero) {
  latency_histogram h;
  h.record(std::chrono::nanoseconds(1999));
  h.record(std::chrono::nanoseconds(999));
  h.record(std::chrono::nanoseconds(-5000));
  h.record(-1ms);
  latency_snapshot s = h.snapshot();
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.min, 0us);
  EXPECT_EQ(s.max, 1us);
  EXPECT_EQ(s.percentile(100), 1us);
  EXPECT_EQ(s.percentile(50), 0us);
}

TEST(DriverHistogram, UniformPercentilesWithinBucketError) {
  latency_histogram h;
  for (int v = 1; v <= 10000; ++v) {
    h.record(microseconds(v));
  }
  latency_snapshot s = h.snapshot();
  ASSERT_EQ(s.count, 10000u);
  for (double p : {1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
    const double truth = p * 100.0;  // the value of rank p% among 1..10000
    const auto got = static_cast<double>(s.percentile(p).count());
    EXPECT_GE(got, truth) << "p" << p;  // an upper bound never reports below the true value
    EXPECT_LE(got, truth * 1.035) << "p" << p;
  }
  EXPECT_EQ(s.percentile(100), 10000us);  // clamped to max
}

TEST(DriverHistogram, LargeValuesKeepRelativeError) {
  latency_histogram h;
  for (std::uint64_t v : {100'000ull, 1'234'567ull, 3'600'000'000ull, (1ull << 36) - 1}) {
    h.reset();
    h.record(microseconds(v));
    h.record(microseconds(v + v / 64));  // a larger value so the first is not clamped to max
    const auto got = static_cast<std::uint64_t>(h.snapshot().percentile(50).count());
    EXPECT_GE(got, v);
    EXPECT_LE(static_cast<double>(got), static_cast<double>(v) * 1.032) << v;
  }
}

TEST(DriverHistogram, HugeValuesLandInTheLastBucketAndMaxStaysExact) {
  latency_histogram h;
  h.record(std::chrono::hours(24 * 30));  // beyond 2^36 us
  h.record(5us);
  latency_snapshot s = h.snapshot();
  EXPECT_EQ(s.max, std::chrono::hours(24 * 30));
  EXPECT_EQ(s.percentile(100), std::chrono::hours(24 * 30));
  EXPECT_EQ(s.min, 5us);
  ASSERT_EQ(s.buckets.size(), latency_histogram::bucket_count);
  EXPECT_EQ(s.buckets.back(), 1u);
}

TEST(DriverHistogram, P999SeesOutliers) {
  latency_histogram h;
  for (int i = 0; i < 9985; ++i) {
    h.record(100us);
  }
  for (int i = 0; i < 15; ++i) {
    h.record(1s);
  }
  latency_snapshot s = h.snapshot();
  EXPECT_EQ(s.count, 10000u);
  EXPECT_LE(s.p50(), 102us);
  EXPECT_GE(s.p50(), 100us);
  EXPECT_LE(s.p99(), 102us);
  EXPECT_EQ(s.p999(), 1s);  // rank 9990 is an outlier; its bucket bound is clamped to max
  EXPECT_EQ(s.max, 1s);
}

TEST(DriverHistogram, MinMaxMeanAreExact) {
  latency_histogram h;
  for (std::int64_t v : {700, 12345, 99, 100001, 5555}) {  // sum 118700, mean 23740
    h.record(microseconds(v));
  }
  latency_snapshot s = h.snapshot();
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.min, 99us);
  EXPECT_EQ(s.max, 100001us);
  EXPECT_EQ(s.mean, 23740us);

  h.record(1us);  // sum 118701 over 6: mean 19783.5, rounded down
  EXPECT_EQ(h.snapshot().mean, 19783us);
}

TEST(DriverHistogram, SnapshotIsAnIndependentCopy) {
  latency_histogram h;
  h.record(10us);
  latency_snapshot before = h.snapshot();
  h.record(20us);
  latency_snapshot copy = before;
  EXPECT_EQ(copy.count, 1u);
  EXPECT_EQ(copy.p50(), 10us);
  EXPECT_EQ(h.snapshot().count, 2u);
}

TEST(DriverHistogram, ConcurrentRecordingCountsEveryValue) {
  constexpr int threads = 4;
  constexpr int per_thread = 100'000;
  latency_histogram h;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&h, t] {
      for (int i = 0; i < per_thread; ++i) {
        h.record(microseconds(1 + (i * 7 + t) % 20000));
      }
    });
  }
  // Snapshots taken while recording must not crash and stay plausible.
  for (int i = 0; i < 20; ++i) {
    latency_snapshot s = h.snapshot();
    if (s.count > 0) {
      EXPECT_LE(s.min, s.max);
      EXPECT_LE(s.p50(), s.max);
    }
  }
  for (std::thread& th : pool) {
    th.join();
  }
  latency_snapshot s = h.snapshot();
  EXPECT_EQ(s.count, static_cast<std::uint64_t>(threads) * per_thread);
  EXPECT_EQ(s.min, 1us);
  EXPECT_EQ(s.max, 20000us);
  std::uint64_t total = 0;
  for (std::uint64_t b : s.buckets) {
    total += b;
  }
  EXPECT_EQ(total, s.count);
}

TEST(DriverHistogram, Reset) {
  latency_histogram h;
  h.record(5ms);
  h.record(7us);
  h.reset();
  latency_snapshot s = h.snapshot();
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.max, 0us);
  EXPECT_EQ(s.p99(), 0us);
  h.record(42us);
  s = h.snapshot();
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.min, 42us);
  EXPECT_EQ(s.max, 42us);
  EXPECT_EQ(s.mean, 42us);
  EXPECT_EQ(s.p50(), 42us);
}

}  // namespace
}  // namespace coodie
