// How coodie_peer measures one cell (bench/peers/PROTOCOL.md): an unmeasured warm-up, then the
// measured window, whose CPU time (getrusage of the whole process), wall time, resident set and
// per-operation latencies make the outcome. Operations run one at a time (blocking calls), as
// coroutine lanes on an executor (the aio front), or as chains of completion callbacks (the
// driver front); each lane records its own latencies, merged once the window is over.
//
// Example:
//   coodie_peer::outcome o = coodie_peer::measure(
//       [&] { coodie_peer::run_blocking(cfg.warmup, op); },
//       [&] { return coodie_peer::run_blocking(cfg.seconds, op); });
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <future>
#include <memory>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

#include "../bench_util.hpp"

namespace coodie_peer {

using clock_type = std::chrono::steady_clock;

/// What one lane of operations did: operations completed, failures, and the latency of each
/// completed operation in microseconds.
struct lane_record {
  long ops = 0;
  long errors = 0;
  std::vector<double> latencies_us;

  void completed(clock_type::time_point t0, clock_type::time_point t1) {
    ++ops;
    latencies_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
};
using records = std::vector<lane_record>;

/// One cell's result, as the JSON line reports it.
struct outcome {
  long ops = 0;
  long errors = 0;
  double wall_s = 0;
  double cpu_s = 0;
  double p50_us = 0;
  double p99_us = 0;
  long rss_start_kib = 0;
  long rss_peak_kib = 0;
};

/// The resident set now (/proc/self/statm, second field, in KiB).
long rss_now_kib();
/// The peak resident set so far (ru_maxrss, in KiB).
long rss_peak_kib();
/// Writes the first failure of the process to stderr (later ones are only counted).
void report_failure(const std::exception_ptr& e);
/// The outcome of a measured window from the lanes' records (ops, errors, percentiles).
outcome tally(records lanes);

inline clock_type::time_point deadline_after(double seconds) {
  return clock_type::now() +
         std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
}
inline constexpr clock_type::time_point no_deadline = clock_type::time_point::max();

/// Runs warm() unmeasured, then timed() (returning the lanes' records) as the measured window.
template <class Warm, class Timed>
outcome measure(const Warm& warm, const Timed& timed) {
  warm();
  const long rss_start = rss_now_kib();
  const double cpu0 = coodie::bench::cpu_seconds();
  const auto t0 = clock_type::now();
  records lanes = timed();
  const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  const double cpu = coodie::bench::cpu_seconds() - cpu0;
  outcome o = tally(std::move(lanes));
  o.wall_s = wall;
  o.cpu_s = cpu;
  o.rss_start_kib = rss_start;
  o.rss_peak_kib = rss_peak_kib();
  return o;
}

/// Calls op(0), op(1), ... one at a time for `seconds`; op throws on failure.
template <class Op>
records run_blocking(double seconds, const Op& op) {
  const auto deadline = deadline_after(seconds);
  lane_record rec;
  long n = 0;
  auto t1 = clock_type::now();
  do {
    const auto t0 = t1;
    try {
      op(n++);
      t1 = clock_type::now();
      rec.completed(t0, t1);
    } catch (...) {
      t1 = clock_type::now();
      ++rec.errors;
      report_failure(std::current_exception());
    }
  } while (t1 < deadline);
  records out;
  out.push_back(std::move(rec));
  return out;
}

/// The shared state of the coroutine lanes of one window.
struct lane_flight {
  std::atomic<long> next{0};
  std::atomic<int> running{0};
  clock_type::time_point deadline;
  records lanes;
  std::promise<void> done;
};

/// One coroutine lane: awaits op(n) for the next n until the deadline.
template <class Op>
boost::asio::awaitable<void> lane(Op op, std::shared_ptr<lane_flight> f, std::size_t index) {
  lane_record& rec = f->lanes[index];
  for (;;) {
    const long n = f->next.fetch_add(1);
    const auto t0 = clock_type::now();
    bool ok = true;
    try {
      co_await op(n);
    } catch (...) {
      ok = false;
      report_failure(std::current_exception());
    }
    const auto t1 = clock_type::now();
    if (ok) {
      rec.completed(t0, t1);
    } else {
      ++rec.errors;
    }
    if (t1 >= f->deadline) {
      break;
    }
  }
}

/// Keeps `inflight` coroutine lanes of op (op(n) returns an awaitable) on the executor for
/// `seconds`: each completion starts the next operation of its lane.
template <class Op>
records run_lanes(const boost::asio::any_io_executor& ex, int inflight, double seconds,
                  const Op& op) {
  auto f = std::make_shared<lane_flight>();
  f->lanes.resize(static_cast<std::size_t>(inflight));
  f->running = inflight;
  std::future<void> finished = f->done.get_future();
  f->deadline = deadline_after(seconds);
  auto on_lane_done = [f](const std::exception_ptr& e) {
    if (e) {
      report_failure(e);
    }
    if (f->running.fetch_sub(1) == 1) {
      f->done.set_value();
    }
  };
  for (std::size_t i = 0; i < f->lanes.size(); ++i) {
    boost::asio::co_spawn(ex, lane(op, f, i), on_lane_done);
  }
  finished.get();
  return std::move(f->lanes);
}

/// Keeps `inflight` chains of completion callbacks going: op(n, done) starts operation n and
/// calls done(std::exception_ptr) once when it ends, which starts the lane's next operation
/// until the deadline.
template <class Op>
class callback_flight : public std::enable_shared_from_this<callback_flight<Op>> {
 public:
  callback_flight(Op op, int inflight, double seconds)
      : op_(std::move(op)),
        lanes_(static_cast<std::size_t>(inflight)),
        started_(lanes_.size()),
        running_(inflight),
        deadline_(deadline_after(seconds)) {}

  /// Starts every lane and waits until the last one ends.
  records run() {
    std::future<void> finished = done_.get_future();
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      issue(i);
    }
    finished.get();
    return std::move(lanes_);
  }

 private:
  void issue(std::size_t lane) {
    const long n = next_.fetch_add(1);
    started_[lane] = clock_type::now();
    op_(n, [this, lane](const std::exception_ptr& e) { finish(lane, e); });
  }
  void finish(std::size_t lane, const std::exception_ptr& e) {
    const auto t1 = clock_type::now();
    if (e) {
      ++lanes_[lane].errors;
      report_failure(e);
    } else {
      lanes_[lane].completed(started_[lane], t1);
    }
    if (t1 < deadline_) {
      issue(lane);
    } else if (running_.fetch_sub(1) == 1) {
      auto keep = this->shared_from_this();  // run() may return, and its owner let go, meanwhile
      done_.set_value();
    }
  }

  Op op_;
  records lanes_;
  std::vector<clock_type::time_point> started_;
  std::atomic<long> next_{0};
  std::atomic<int> running_;
  clock_type::time_point deadline_;
  std::promise<void> done_;
};

template <class Op>
records run_callbacks(int inflight, double seconds, Op op) {
  return std::make_shared<callback_flight<Op>>(std::move(op), inflight, seconds)->run();
}

/// Keeps a value observable, so that decoding it is not optimised away.
void consume(std::size_t v);

/// The record of a scan (iterate): its operations are rows, and each latency is a page's, from
/// the end of the previous page (or the start) to the decoding of its last row.
class scan_record {
 public:
  explicit scan_record(clock_type::time_point deadline) : deadline_(deadline) {}
  /// Counts a row read (what the scan keeps of it: c and v's length) of a page of `page_rows`
  /// rows; at the page's last row, counts the page. False once a page ended past the deadline.
  bool row_read(std::int32_t c, std::size_t v_length, std::size_t page_rows) {
    sum_ += c + static_cast<std::int64_t>(v_length);
    if (++in_page_ < page_rows) {
      return true;
    }
    const long rows = static_cast<long>(in_page_);
    in_page_ = 0;
    return page_read(rows);
  }
  void failed(const std::exception_ptr& e) {
    ++rec_.errors;
    report_failure(e);
  }
  records take() {
    consume(static_cast<std::size_t>(sum_));
    records out;
    out.push_back(std::move(rec_));
    return out;
  }

 private:
  bool page_read(long rows) {
    const auto t = clock_type::now();
    rec_.ops += rows;
    rec_.latencies_us.push_back(std::chrono::duration<double, std::micro>(t - mark_).count());
    mark_ = t;
    return t < deadline_;
  }

  clock_type::time_point deadline_;
  clock_type::time_point mark_ = clock_type::now();
  lane_record rec_;
  std::int64_t sum_ = 0;  ///< a running sum of c and of v's length: the rows' decoding is kept
  std::size_t in_page_ = 0;
};

}  // namespace coodie_peer
