// The operations rows of orm_bench: a counter increment and an unlogged batch of ten rows of one
// partition, each through the ODM (s.increment, s.batch() + s.execute) and through the raw
// driver running the same prepared statements, one at a time and with cfg.inflight in flight.
#include "orm_bench_ops.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "coodie/orm/session.hpp"
#include "orm_measure.hpp"

namespace orm_bench_ops {
struct Hits {
  std::string page;
  std::int64_t views = 0;
};
struct Event {
  std::string stream;
  std::int32_t seq = 0;
  std::string payload;
};
}  // namespace orm_bench_ops

template <>
inline constexpr auto coodie::model<orm_bench_ops::Hits> =
    coodie::table("bench_hits")
        .partition_key<&orm_bench_ops::Hits::page>()
        .type<&orm_bench_ops::Hits::views>(coodie::cql::counter);
template <>
inline constexpr auto coodie::model<orm_bench_ops::Event> =
    coodie::table("bench_event")
        .partition_key<&orm_bench_ops::Event::stream>()
        .clustering_key<&orm_bench_ops::Event::seq>();

namespace coodie::bench {

namespace {

using orm_bench_ops::Event;
using orm_bench_ops::Hits;

constexpr const char* increment_text =
    "UPDATE coodie_bench.bench_hits SET views = views + ? WHERE page = ?";
constexpr const char* event_text =
    "INSERT INTO coodie_bench.bench_event (stream, seq, payload) VALUES (?, ?, ?)";
constexpr int batch_rows = 10;

/// The pages counted and the batches written, cycled through.
struct op_data {
  std::vector<Hits> pages;
  std::vector<std::vector<Event>> batches;
  op_data() {
    for (int p = 0; p < 16; ++p) {
      pages.push_back(Hits{"page-" + std::to_string(p), 0});
    }
    for (int b = 0; b < 64; ++b) {
      std::vector<Event> rows;
      for (int i = 0; i < batch_rows; ++i) {
        rows.push_back(Event{"s-" + std::to_string(b), i, "payload " + std::to_string(i)});
      }
      batches.push_back(std::move(rows));
    }
  }
  [[nodiscard]] const Hits& page(long n) const { return pages[static_cast<std::size_t>(n) % 16]; }
  [[nodiscard]] const std::vector<Event>& batch(long n) const {
    return batches[static_cast<std::size_t>(n) % 64];
  }
};

template <class Session>
coodie::write_batch odm_batch_of(Session& s, const std::vector<Event>& rows) {
  coodie::write_batch b = s.batch(coodie::batch_kind::unlogged);
  for (const Event& e : rows) {
    b.save(e);
  }
  return b;
}
coodie::batch raw_batch_of(const coodie::prepared_statement& insert,
                           const std::vector<Event>& rows) {
  coodie::batch b(coodie::wire::batch_type::unlogged);
  for (const Event& e : rows) {
    b.add(insert.bind(e.stream, e.seq, e.payload));
  }
  return b;
}

struct odm_increment_async {
  coodie::aio::session* s;
  const op_data* d;
  boost::asio::awaitable<void> operator()(long n) const {
    coodie::counter_change<Hits> by = coodie::by<&Hits::views>(1);  // named: GCC 12 coroutines
    co_await s->increment(d->page(n), std::move(by));
  }
};
struct raw_increment_async {
  coodie::driver_session* db;
  const coodie::prepared_statement* st;
  const op_data* d;
  boost::asio::awaitable<void> operator()(long n) const {
    coodie::bound_statement b = st->bind(std::int64_t{1}, d->page(n).page);
    co_await db->async_execute(b);
  }
};
struct odm_batch_async {
  coodie::aio::session* s;
  const op_data* d;
  boost::asio::awaitable<void> operator()(long n) const {
    coodie::write_batch b = odm_batch_of(*s, d->batch(n));
    co_await s->execute(std::move(b));
  }
};
struct raw_batch_async {
  coodie::driver_session* db;
  const coodie::prepared_statement* st;
  const op_data* d;
  boost::asio::awaitable<void> operator()(long n) const {
    coodie::batch b = raw_batch_of(*st, d->batch(n));
    co_await db->async_execute(b);
  }
};

}  // namespace

void operation_rows(coodie::sync::session& s, coodie::aio::session& as, const settings& cfg) {
  if (!cfg.wants("counter") && !cfg.wants("batch")) {
    return;
  }
  s.sync_table<Hits>();
  s.sync_table<Event>();
  const op_data d;
  coodie::driver_session& db = s.driver();
  coodie::driver_session* adb = &as.driver();
  const coodie::prepared_statement inc = db.prepare(increment_text);
  const coodie::prepared_statement ins = db.prepare(event_text);
  const coodie::prepared_statement ainc = adb->prepare(increment_text);
  const coodie::prepared_statement ains = adb->prepare(event_text);
  const boost::asio::any_io_executor ex = adb->get_executor();
  const int k = cfg.inflight;

  compare(
      "counter increment", 1, cfg,
      [&](double sec) {
        return measure_sync(sec,
                            [&](long n) { s.increment(d.page(n), coodie::by<&Hits::views>(1)); });
      },
      [&](double sec) {
        return measure_sync(sec,
                            [&](long n) { db.execute(inc.bind(std::int64_t{1}, d.page(n).page)); });
      });
  compare(
      "batch of 10 rows", 1, cfg,
      [&](double sec) {
        return measure_sync(sec, [&](long n) { s.execute(odm_batch_of(s, d.batch(n))); });
      },
      [&](double sec) {
        return measure_sync(sec, [&](long n) { db.execute(raw_batch_of(ins, d.batch(n))); });
      });
  compare(
      "counter increment", k, cfg,
      [&](double sec) {
        return measure_concurrent(ex, k, sec, odm_increment_async{&as, &d});
      },
      [&](double sec) {
        return measure_concurrent(ex, k, sec, raw_increment_async{adb, &ainc, &d});
      });
  compare(
      "batch of 10 rows", k, cfg,
      [&](double sec) {
        return measure_concurrent(ex, k, sec, odm_batch_async{&as, &d});
      },
      [&](double sec) {
        return measure_concurrent(ex, k, sec, raw_batch_async{adb, &ains, &d});
      });
}

}  // namespace coodie::bench
