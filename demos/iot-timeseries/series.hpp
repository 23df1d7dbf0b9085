// Server-side downsampling of a time range: the range is cut into `points` buckets of equal
// width, and each reading lands in bucket (t - from) * points / (to - from) (the last bucket also
// takes t == to). A bucket keeps min, max, sum and count, so the chart gets at most `points`
// min/avg/max triples however many readings the range holds, and memory never depends on it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "model.hpp"

namespace iot {

class downsampler {
 public:
  downsampler(std::int64_t from, std::int64_t to, std::size_t points)
      : from_(from), to_(to), buckets_(points) {}

  void add(std::int64_t t, double v, coodie::date day) {
    const auto n = static_cast<std::int64_t>(buckets_.size());
    const std::int64_t i = std::min(n - 1, (t - from_) * n / (to_ - from_));
    buckets_[static_cast<std::size_t>(i)].add(v);
    all_.add(v);
    ++per_day_[day.days_since_epoch()];
  }

  [[nodiscard]] std::int64_t count() const { return all_.n; }

  /// The non-empty buckets (t: the bucket's middle) and the whole range's figures.
  [[nodiscard]] boost::json::object json() const {
    const auto n = static_cast<std::int64_t>(buckets_.size());
    boost::json::array series;
    for (std::int64_t i = 0; i < n; ++i) {
      const bucket& b = buckets_[static_cast<std::size_t>(i)];
      if (b.n > 0) {
        series.push_back(boost::json::object{{"t", from_ + (2 * i + 1) * (to_ - from_) / (2 * n)},
                                             {"min", b.min},
                                             {"avg", b.sum / static_cast<double>(b.n)},
                                             {"max", b.max},
                                             {"n", b.n}});
      }
    }
    boost::json::array days;
    for (const auto& [d, count] : per_day_) {
      days.push_back(
          boost::json::object{{"day", coodie::date::from_days(d).to_string()}, {"n", count}});
    }
    const bool any = all_.n > 0;
    return {{"from", from_},
            {"to", to_},
            {"buckets", n},
            {"bucket_ms", (to_ - from_) / n},
            {"count", all_.n},
            {"min", any ? boost::json::value(all_.min) : nullptr},
            {"max", any ? boost::json::value(all_.max) : nullptr},
            {"avg", any ? boost::json::value(all_.sum / static_cast<double>(all_.n)) : nullptr},
            {"days", std::move(days)},
            {"series", std::move(series)}};
  }

 private:
  struct bucket {
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    double sum = 0;
    std::int64_t n = 0;
    void add(double v) {
      min = std::min(min, v);
      max = std::max(max, v);
      sum += v;
      ++n;
    }
  };

  std::int64_t from_;
  std::int64_t to_;
  std::vector<bucket> buckets_;
  bucket all_;
  std::map<std::int32_t, std::int64_t> per_day_;  // readings per partition (day) in the range
};

}  // namespace iot
