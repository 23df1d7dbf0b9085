#include "coodie/migrate/data.hpp"

#include <algorithm>
#include <exception>
#include <limits>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "coodie/driver/identifiers.hpp"
#include "coodie/driver/session.hpp"
#include "coodie/error.hpp"
#include "state.hpp"

namespace coodie::migrate {
namespace {

/// (kind, name) of each key column, partition key first, each part in key order.
std::vector<std::pair<std::string, std::string>> key_columns(const context& ctx,
                                                             const std::string& table) {
  std::vector<std::tuple<int, std::int32_t, std::string, std::string>> keys;
  bool exists = false;
  for (const row& r : ctx.session().rows(
           statement("SELECT column_name, position, kind FROM system_schema.columns WHERE "
                     "keyspace_name = ? AND table_name = ?",
                     ctx.keyspace(), table))) {
    exists = true;
    const auto kind = r.get<std::string>(2);
    if (kind == "partition_key" || kind == "clustering") {
      keys.emplace_back(kind == "partition_key" ? 0 : 1, r.get<std::int32_t>(1), kind,
                        r.get<std::string>(0));
    }
  }
  if (!exists) {
    throw migration_error(
        migration_error::reason::refused,
        "data migration: table " + ctx.keyspace() + "." + table + " does not exist");
  }
  std::sort(keys.begin(), keys.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [part, pos, kind, name] : keys) {
    out.emplace_back(std::move(kind), std::move(name));
  }
  return out;
}

using clock = std::chrono::steady_clock;

std::string checkpoint_table(const context& ctx) {
  return quote_identifier(ctx.keyspace()) + ".coodie_data_checkpoints";
}

bool has_checkpoint_table(const context& ctx) {
  return detail::table_exists(ctx.session(), ctx.keyspace(), "coodie_data_checkpoints");
}

/// The partition key columns of the table, in key order, quoted.
std::vector<std::string> partition_key(const context& ctx, const std::string& table) {
  std::vector<std::string> out;
  for (const auto& [kind, name] : key_columns(ctx, table)) {
    if (kind == "partition_key") {
      out.push_back(quote_identifier(name));
    }
  }
  return out;
}

std::size_t node_count(const context& ctx) {
  return 1 + ctx.session().execute("SELECT peer FROM system.peers").size();
}

/// The ring (-2^63, 2^63 - 1] cut into n ranges (lo, hi]; the first also holds -2^63 itself.
std::vector<std::pair<std::int64_t, std::int64_t>> split_ring(std::size_t n) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  const auto min = static_cast<__int128>(std::numeric_limits<std::int64_t>::min());
  const auto span = static_cast<__int128>(std::numeric_limits<std::int64_t>::max()) - min;
  for (std::size_t i = 0; i < n; ++i) {
    const auto lo = static_cast<std::int64_t>(min + span * i / n);
    const auto hi = static_cast<std::int64_t>(min + span * (i + 1) / n);
    out.emplace_back(lo, hi);
  }
  return out;
}

/// Holds the pace of all the scan's threads to the limit.
class throttle {
 public:
  explicit throttle(double rate) : rate_(rate) {}
  /// Accounts for `rows` more rows, sleeping while ahead of the limit.
  void take(std::uint64_t rows) {
    if (rate_ <= 0) {
      return;
    }
    clock::time_point due;
    {
      std::lock_guard<std::mutex> g(mu_);
      taken_ += rows;
      due = start_ + std::chrono::duration_cast<clock::duration>(
                         std::chrono::duration<double>(static_cast<double>(taken_) / rate_));
    }
    std::this_thread::sleep_until(due);
  }

 private:
  double rate_;
  std::mutex mu_;
  clock::time_point start_ = clock::now();
  std::uint64_t taken_ = 0;
};

class scan {
 public:
  scan(const context& ctx, const scan_options& o, const std::function<void(const row&)>& f)
      : ctx_(ctx), o_(o), f_(f), limit_(o.rows_per_second) {}

  scan_progress run() {
    const std::vector<std::string> keys = partition_key(ctx_, o_.table);
    std::string token = "token(";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      token += (i == 0 ? "" : ", ") + keys[i];
    }
    token += ')';
    std::string select = "SELECT ";
    if (o_.columns.empty()) {
      select += '*';
    }
    for (std::size_t i = 0; i < o_.columns.size(); ++i) {
      select += (i == 0 ? "" : ", ") + quote_identifier(o_.columns[i]);
    }
    for (const std::string& c : o_.write_times) {
      select += ", WRITETIME(" + quote_identifier(c) + ')';
    }
    select += " FROM " + quote_identifier(ctx_.keyspace()) + '.' + quote_identifier(o_.table) +
              " WHERE " + token;
    first_ = select + " >= ? AND " + token + " <= ?";
    rest_ = select + " > ? AND " + token + " <= ?";

    ranges_ = split_ring(std::max<std::size_t>(1, o_.ranges_per_node) * node_count(ctx_));
    progress_.ranges_total = ranges_.size();
    std::set<std::int32_t> done = finished();
    for (std::size_t i = 0; i < ranges_.size(); ++i) {
      if (done.contains(static_cast<std::int32_t>(i))) {
        ++progress_.ranges_resumed;
        ++progress_.ranges_done;
      } else {
        todo_.push_back(i);
      }
    }
    std::vector<std::jthread> workers;  // joined however this scope ends
    const std::size_t n = std::clamp<std::size_t>(o_.parallelism, 1, 64);
    for (std::size_t i = 1; i < n; ++i) {
      workers.emplace_back([this] { work(); });
    }
    work();
    workers.clear();
    if (failure_) {
      std::rethrow_exception(failure_);
    }
    report();
    return progress_;
  }

 private:
  /// Ranges an earlier run of this checkpoint finished.
  std::set<std::int32_t> finished() {
    std::set<std::int32_t> out;
    if (o_.checkpoint.empty()) {
      return out;
    }
    if (ctx_.dry_run()) {  // changes nothing: reads the checkpoints only when they exist
      if (!has_checkpoint_table(ctx_)) {
        return out;
      }
    } else {
      ctx_.session().execute("CREATE TABLE IF NOT EXISTS " + checkpoint_table(ctx_) +
                             " (scan text, range int, ranges int, rows bigint, finished_at "
                             "timestamp, PRIMARY KEY (scan, range))");
    }
    statement st("SELECT range, ranges FROM " + checkpoint_table(ctx_) + " WHERE scan = ?",
                 o_.checkpoint);
    for (const row& r : ctx_.session().rows(st.set_consistency(consistency::quorum))) {
      // A checkpoint of another split (another node count) says nothing about these ranges.
      if (r.get<std::int32_t>(1) == static_cast<std::int32_t>(ranges_.size())) {
        out.insert(r.get<std::int32_t>(0));
      }
    }
    return out;
  }

  /// Takes ranges until none is left or a thread failed.
  void work() {
    for (;;) {
      std::size_t i = 0;
      {
        std::lock_guard<std::mutex> g(mu_);
        if (todo_.empty() || failure_) {
          return;
        }
        i = todo_.front();
        todo_.erase(todo_.begin());
      }
      try {
        read_range(i);
      } catch (...) {
        std::lock_guard<std::mutex> g(mu_);
        if (!failure_) {
          failure_ = std::current_exception();
        }
        return;
      }
    }
  }

  void read_range(std::size_t i) {
    const auto [lo, hi] = ranges_[i];
    statement st(i == 0 ? first_ : rest_, lo, hi);
    st.set_page_size(o_.page_size);
    pager pages = ctx_.session().pages(std::move(st));
    std::uint64_t rows = 0;
    while (std::optional<result> page = pages.next()) {
      ctx_.check_lock();
      for (const row& r : *page) {
        f_(r);
      }
      rows += page->size();
      limit_.take(page->size());
      add(page->size(), 0);
      if (failed()) {
        return;
      }
    }
    if (!o_.checkpoint.empty() && !ctx_.dry_run()) {
      statement done("INSERT INTO " + checkpoint_table(ctx_) +
                         " (scan, range, ranges, rows, finished_at) VALUES (?, ?, ?, ?, "
                         "toTimestamp(now()))",
                     o_.checkpoint, static_cast<std::int32_t>(i),
                     static_cast<std::int32_t>(ranges_.size()), static_cast<std::int64_t>(rows));
      ctx_.session().execute(done.set_consistency(consistency::quorum));
    }
    add(0, 1);
  }

  bool failed() {
    std::lock_guard<std::mutex> g(mu_);
    return failure_ != nullptr;
  }

  void add(std::uint64_t rows, std::size_t ranges) {
    std::lock_guard<std::mutex> g(mu_);
    progress_.rows += rows;
    progress_.ranges_done += ranges;
    report_locked();
  }

  void report() {
    std::lock_guard<std::mutex> g(mu_);
    report_locked();
  }

  void report_locked() {
    const double secs = std::chrono::duration<double>(clock::now() - start_).count();
    progress_.rows_per_second = secs > 0 ? static_cast<double>(progress_.rows) / secs : 0;
    const std::size_t done_here = progress_.ranges_done - progress_.ranges_resumed;
    const std::size_t left = progress_.ranges_total - progress_.ranges_done;
    progress_.eta = done_here > 0
                        ? std::chrono::seconds(static_cast<std::int64_t>(
                              secs / static_cast<double>(done_here) * static_cast<double>(left)))
                        : std::chrono::seconds(0);
    if (o_.on_progress) {
      o_.on_progress(progress_);
    }
    ctx_.progress(std::to_string(progress_.rows) + " rows, " +
                  std::to_string(progress_.ranges_done) + "/" +
                  std::to_string(progress_.ranges_total) + " ranges");
  }

  const context& ctx_;
  const scan_options& o_;
  const std::function<void(const row&)>& f_;
  throttle limit_;
  std::string first_;
  std::string rest_;
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges_;
  std::vector<std::size_t> todo_;
  std::mutex mu_;
  std::exception_ptr failure_;
  scan_progress progress_;
  clock::time_point start_ = clock::now();
};

}  // namespace

scan_progress scan_table(const context& ctx, const scan_options& o,
                         const std::function<void(const row&)>& f) {
  return scan(ctx, o, f).run();
}

std::vector<std::string> primary_key_columns(const context& ctx, const std::string& table) {
  std::vector<std::string> out;
  for (auto& [kind, name] : key_columns(ctx, table)) {
    out.push_back(std::move(name));
  }
  return out;
}

void forget_checkpoints(const context& ctx, const std::string& checkpoint) {
  if (ctx.dry_run() || !has_checkpoint_table(ctx)) {
    return;
  }
  statement st("DELETE FROM " + checkpoint_table(ctx) + " WHERE scan = ?", checkpoint);
  ctx.session().execute(st.set_consistency(consistency::quorum));
}

}  // namespace coodie::migrate
