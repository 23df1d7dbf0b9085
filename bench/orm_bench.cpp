// ODM benchmark: the ODM (coodie::sync / coodie::aio sessions) against the raw driver running
// the same CQL text by hand, on the same connections, in the same run.
//
// What is measured, for a model of two short strings, an int and a double:
//   save   upsert of one row          INSERT INTO coodie_bench.bench_reading (...) VALUES (...)
//   get    one row by primary key     SELECT ... WHERE sensor = ? AND seq = ?
//   find   a 100-row partition read into a std::vector of models   SELECT ... WHERE sensor = ?
// each one at a time (sync fronts, blocking calls) and with --inflight requests in flight
// (coroutines on the session's executor: the aio front, against the raw async_execute). The
// raw path prepares the ODM's text itself, binds with prepared_statement::bind and decodes rows
// by hand with row.get<T>(i). Reported per workload: throughput, client CPU per operation
// (getrusage of this process, every thread), heap allocations per operation (a counting global
// operator new) and the ODM/raw CPU ratio, as the median (and min-max) over runs; each run
// interleaves 0.25 s slices of the ODM and the raw path, so both see the same background load.
//
// Then two micro benchmarks without the server in the loop: decoding one kept 100-row page into
// a std::vector<Reading> (the ODM's decode_page against the hand loop), with allocations per page
// into a fresh and into a reused vector (and a page of a model with a nested user type member,
// read by field name); and the pieces of work the ODM does per call that the
// raw path does once (statement text, prepared-cache lookup, encoding the values).
//
// Then the operations rows (orm_bench_ops.cpp): a counter increment and an unlogged batch of ten
// rows, against the raw driver's same prepared statements; and the vector search rows
// (orm_bench_ann.cpp): the ten nearest of 2,000 64-dimensional documents by ANN.
//
// Usage: orm_bench [--runs N] [--seconds S] [--inflight N]
//                  [--only save|get|find|counter|batch|ANN|decode|work]
// (defaults: 5 runs of 1 s per side and workload, 64 in flight; about 70 s in all). --only runs
// just the named rows or tables, e.g. under perf.
// `make bench` builds it in the release preset and runs it against the local node; otherwise
// COODIE_HOSTS, COODIE_USERNAME, COODIE_PASSWORD name the cluster (defaults: the local node).
// Writes to the keyspace coodie_bench (created with SimpleStrategy, RF 1 when missing).
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <future>
#include <iomanip>
#include <iostream>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

#include "bench_util.hpp"
#include "coodie/coodie.hpp"
#include "coodie/orm/detail/codec.hpp"
#include "coodie/orm/model.hpp"
#include "coodie/orm/session.hpp"
#include "coodie/orm/user_type.hpp"
#include "orm_bench_ops.hpp"
#include "orm_measure.hpp"

// --- allocation counter ---------------------------------------------------------------------
// Every operator new of the process (new[] and the nothrow forms call this one in libstdc++).
// Out of line, so that GCC does not pair an inlined free() with a new-expression.

namespace {
std::atomic<std::uint64_t> allocations{0};
}  // namespace

[[gnu::noinline]] void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) {
    return p;
  }
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

// --- the model ------------------------------------------------------------------------------

namespace orm_bench {
/// Both strings stay within 15 characters, so they live in the std::string itself (SSO).
struct Reading {
  std::string sensor;
  std::int32_t seq = 0;
  double value = 0;
  std::string note;
};
/// A model with a nested user type member, strings within 15 characters too.
struct Place {
  std::string city;
  std::int32_t floor = 0;
};
struct Visit {
  std::string sensor;
  std::int32_t seq = 0;
  Place place;
};
}  // namespace orm_bench

template <>
inline constexpr auto coodie::udt<orm_bench::Place> = coodie::user_type("bench_place");
template <>
inline constexpr auto coodie::model<orm_bench::Visit> =
    coodie::table("bench_visit")
        .partition_key<&orm_bench::Visit::sensor>()
        .clustering_key<&orm_bench::Visit::seq>();

template <>
inline constexpr auto coodie::model<orm_bench::Reading> =
    coodie::table("bench_reading")
        .partition_key<&orm_bench::Reading::sensor>()
        .clustering_key<&orm_bench::Reading::seq>();

namespace coodie::bench {
std::uint64_t allocation_count() {
  return allocations.load(std::memory_order_relaxed);
}
}  // namespace coodie::bench

namespace {
using coodie::bench::allocation_count;
using coodie::bench::clock_type;
using coodie::bench::compare;
using coodie::bench::measure_concurrent;
using coodie::bench::measure_sync;
using coodie::bench::median;
using coodie::bench::settings;
using orm_bench::Reading;

constexpr const char* keyspace = "coodie_bench";
// The texts the ODM generates for Reading (checked at start against dml:: and query::cql()).
constexpr const char* insert_text =
    "INSERT INTO coodie_bench.bench_reading (sensor, seq, value, note) VALUES (?, ?, ?, ?)";
constexpr const char* select_key_text =
    "SELECT sensor, seq, value, note FROM coodie_bench.bench_reading WHERE sensor = ? AND seq = ?";
constexpr const char* select_partition_text =
    "SELECT sensor, seq, value, note FROM coodie_bench.bench_reading WHERE sensor = ?";
constexpr int partitions = 10;  // read by get and find, 100 rows each
constexpr int rows_per_partition = 100;
constexpr int write_rows = 1000;  // cycled through by save

using coodie::bench::cpu_seconds;
using coodie::bench::env_or;

/// prefix followed by n ("note-" + std::to_string(n) trips GCC 12's -Wrestrict at -O3).
std::string labelled(std::string_view prefix, std::size_t n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

/// Keeps results observable so the decoding is not optimised away.
std::atomic<std::uint64_t> checksum{0};
void consume(const Reading& r) {
  checksum.fetch_add(static_cast<std::uint64_t>(r.seq) + r.note.size(), std::memory_order_relaxed);
}
void consume(const std::vector<Reading>& rows) {
  checksum.fetch_add(rows.size() + (rows.empty() ? 0 : rows.back().note.size()),
                     std::memory_order_relaxed);
}
void consume(const std::vector<orm_bench::Visit>& rows) {
  checksum.fetch_add(rows.size() + (rows.empty() ? 0 : rows.back().place.city.size()),
                     std::memory_order_relaxed);
}

/// The data the workloads use: rows to write, and the keys of the rows to read.
struct fixture {
  std::vector<Reading> writes;
  std::vector<std::string> partition_keys;

  fixture() {
    for (int i = 0; i < write_rows; ++i) {
      writes.push_back(Reading{labelled("w", i / 100), i % 100, i * 0.5, labelled("note-", i)});
    }
    for (int p = 0; p < partitions; ++p) {
      partition_keys.push_back(labelled("p", p));
    }
  }
  [[nodiscard]] const Reading& write(long n) const {
    return writes[static_cast<std::size_t>(n % write_rows)];
  }
  [[nodiscard]] const std::string& partition(long n) const {
    return partition_keys[static_cast<std::size_t>(n % partitions)];
  }
  [[nodiscard]] static std::int32_t seq(long n) {
    return static_cast<std::int32_t>((n * 7) % rows_per_partition);
  }
};

/// The raw path's prepared statements.
struct raw_statements {
  coodie::prepared_statement insert;
  coodie::prepared_statement select_key;
  coodie::prepared_statement select_partition;

  explicit raw_statements(coodie::driver_session& db)
      : insert(db.prepare(insert_text)),
        select_key(db.prepare(select_key_text)),
        select_partition(db.prepare(select_partition_text)) {}
};

/// The hand-written decoding of the raw path.
void decode_by_hand(const coodie::result& page, std::vector<Reading>& out) {
  out.reserve(out.size() + page.size());
  for (coodie::row rw : page) {
    out.push_back(Reading{rw.get<std::string>(0), rw.get<std::int32_t>(1), rw.get<double>(2),
                          rw.get<std::string>(3)});
  }
}
Reading single_by_hand(const coodie::result& r) {
  if (r.size() != 1) {
    throw std::runtime_error(labelled("orm_bench: expected one row, got ", r.size()));
  }
  coodie::row rw = r.front();
  return Reading{rw.get<std::string>(0), rw.get<std::int32_t>(1), rw.get<double>(2),
                 rw.get<std::string>(3)};
}

// The concurrent operations: member coroutines of small structs, so each lane holds its own
// copy (no capturing lambda is ever awaited).
struct odm_save_async {
  coodie::aio::session* s;
  const fixture* fx;
  boost::asio::awaitable<void> operator()(long n) const { co_await s->save(fx->write(n)); }
};
struct raw_save_async {
  coodie::driver_session* db;
  const raw_statements* st;
  const fixture* fx;
  boost::asio::awaitable<void> operator()(long n) const {
    const Reading& r = fx->write(n);
    coodie::bound_statement b = st->insert.bind(r.sensor, r.seq, r.value, r.note);
    co_await db->async_execute(b);
  }
};
struct odm_get_async {
  coodie::aio::session* s;
  const fixture* fx;
  boost::asio::awaitable<void> operator()(long n) const {
    Reading r = co_await s->get<Reading>(fx->partition(n), fixture::seq(n));
    consume(r);
  }
};
struct raw_get_async {
  coodie::driver_session* db;
  const raw_statements* st;
  const fixture* fx;
  boost::asio::awaitable<void> operator()(long n) const {
    coodie::bound_statement b =
        st->select_key.bind(fx->partition(n), fixture::seq(n)).set_page_size(0);
    coodie::result res = co_await db->async_execute(b);
    consume(single_by_hand(res));
  }
};
struct odm_find_async {
  coodie::aio::session* s;
  const fixture* fx;
  boost::asio::awaitable<void> operator()(long n) const {
    coodie::aio::query<Reading> q =
        s->find<Reading>().where(coodie::col<&Reading::sensor> == fx->partition(n));
    std::vector<Reading> rows = co_await q.all();
    consume(rows);
  }
};
struct raw_find_async {
  coodie::driver_session* db;
  const raw_statements* st;
  const fixture* fx;
  boost::asio::awaitable<void> operator()(long n) const {
    coodie::bound_statement b = st->select_partition.bind(fx->partition(n));
    coodie::result res = co_await db->async_execute(b);
    std::vector<Reading> rows;
    decode_by_hand(res, rows);
    consume(rows);
  }
};

// --- micro benchmarks -----------------------------------------------------------------------

/// Nanoseconds and allocations per call of f over `iters` calls.
template <class F>
std::pair<double, double> per_call(long iters, const F& f) {
  f();
  const std::uint64_t a0 = allocation_count();
  const auto t0 = clock_type::now();
  for (long i = 0; i < iters; ++i) {
    f();
  }
  const double ns = std::chrono::duration<double, std::nano>(clock_type::now() - t0).count();
  const std::uint64_t a1 = allocation_count();
  return {ns / static_cast<double>(iters),
          static_cast<double>(a1 - a0) / static_cast<double>(iters)};
}

/// Decodes one kept page into a reused vector many times; prints ns per row and the allocations
/// of one decode into a fresh vector and into a reused one.
template <class Row = Reading, class Decode>
void decode_row(const char* name, const coodie::result& page, const settings& cfg,
                const Decode& decode) {
  constexpr long pages = 5000;
  std::vector<Row> v;
  decode(page, v);  // warm-up (and the raw path's one-time row index)
  std::vector<double> ns_per_row;
  for (int run = 0; run < cfg.runs; ++run) {
    const auto t0 = clock_type::now();
    for (long i = 0; i < pages; ++i) {
      v.clear();
      decode(page, v);
      consume(v);
    }
    const double ns = std::chrono::duration<double, std::nano>(clock_type::now() - t0).count();
    ns_per_row.push_back(ns / static_cast<double>(pages * static_cast<long>(page.size())));
  }
  std::uint64_t fresh = 0;
  {
    std::vector<Row> w;
    const std::uint64_t a0 = allocation_count();
    decode(page, w);
    fresh = allocation_count() - a0;
    consume(w);
  }
  v.clear();
  const std::uint64_t a0 = allocation_count();
  decode(page, v);
  const std::uint64_t reused = allocation_count() - a0;
  std::cout << "| " << name << " | " << page.size() << std::fixed << std::setprecision(1) << " | "
            << median(ns_per_row) << " | " << fresh << " | " << reused << " |\n";
}

void decode_tables(coodie::sync::session& s, const raw_statements& st, const settings& cfg) {
  const coodie::result short_page = s.driver().execute(st.select_partition.bind(std::string("p0")));
  const coodie::result long_page =
      s.driver().execute(st.select_partition.bind(std::string("long-notes")));
  auto odm = [](const coodie::result& page, std::vector<Reading>& out) {
    coodie::orm::detail::decode_page<Reading, Reading>(page, out);
  };
  std::cout << "\nDecoding one kept page (no server in the loop); allocations per decode of the "
               "whole page\n\n";
  std::cout << "| decoder | rows | ns/row | allocs, fresh vector | allocs, reused vector |\n";
  std::cout << "|---|---:|---:|---:|---:|\n";
  decode_row("ODM decode_page, notes ≤ 15 chars", short_page, cfg, odm);
  decode_row("raw row.get loop, notes ≤ 15 chars", short_page, cfg, decode_by_hand);
  decode_row("ODM decode_page, 24-char notes", long_page, cfg, odm);
  decode_row("raw row.get loop, 24-char notes", long_page, cfg, decode_by_hand);

  // A nested user type member (bench_place, read by field name): 100 rows of short strings.
  s.sync_table<orm_bench::Visit>();
  for (std::int32_t i = 0; i < 100; ++i) {
    s.save(orm_bench::Visit{
        .sensor = "p0", .seq = i, .place = {.city = "city-" + std::to_string(i % 7), .floor = i}});
  }
  const coodie::result visits =
      s.driver().execute(coodie::statement(std::string("SELECT sensor, seq, place FROM ") +
                                           keyspace + ".bench_visit WHERE sensor = 'p0'"));
  decode_row<orm_bench::Visit>(
      "ODM decode_page, nested user type", visits, cfg,
      [](const coodie::result& page, std::vector<orm_bench::Visit>& out) {
        coodie::orm::detail::decode_page<orm_bench::Visit, orm_bench::Visit>(page, out);
      });
  // The reference: the driver's positional reading of the user type as a std::tuple.
  decode_row<orm_bench::Visit>(
      "raw row.get loop, user type as tuple", visits, cfg,
      [](const coodie::result& page, std::vector<orm_bench::Visit>& out) {
        out.reserve(out.size() + page.size());
        for (coodie::row rw : page) {
          auto [city, floor] = rw.get<std::tuple<std::string, std::int32_t>>(2);
          out.push_back(orm_bench::Visit{
              rw.get<std::string>(0), rw.get<std::int32_t>(1), {std::move(city), floor}});
        }
      });
}

void per_call_table(coodie::sync::session& s, const raw_statements& st,
                    const coodie::session_options& o) {
  constexpr long iters = 200000;
  const coodie::table_schema& t = coodie::schema_of<Reading>();
  const Reading r{"p1", 42, 1.5, "note-42"};
  const std::string sensor = "p1";
  // The ODM's lookups into the driver session's prepared cache.
  coodie::orm::detail::orm_core cache{coodie::driver_session::connect(o)};
  cache.check(cache.db().prepare(insert_text), &t);
  const std::string text = insert_text;

  auto row = [](const char* name, std::pair<double, double> m) {
    std::cout << "| " << name << std::fixed << std::setprecision(0) << " | " << m.first << " | "
              << std::setprecision(1) << m.second << " |\n";
  };
  std::cout << "\nPer-call work (ns and allocations per call, " << iters << " calls each)\n\n";
  std::cout << "| work | ns/call | allocs/call |\n|---|---:|---:|\n";
  // save/get/remove find their statement by shape and build its text once per session; a
  // query builds its SELECT text (and looks it up by text) on every call.
  row("ODM, once per session: dml::insert text",
      per_call(iters, [&] { return coodie::dml::insert(t, keyspace); }));
  row("ODM, once per session: dml::select_by_key text",
      per_call(iters, [&] { return coodie::dml::select_by_key(t, keyspace); }));
  const coodie::orm::detail::stmt_key shape{&t, coodie::orm::detail::stmt_kind::insert, 0};
  cache.store(shape, st.insert);
  row("ODM, per save/get: prepared lookup by shape",
      per_call(iters, [&] { return cache.cached(shape); }));
  row("ODM, per query: find().where(sensor == ?) and its SELECT text", per_call(iters, [&] {
        return s.find<Reading>().where(coodie::col<&Reading::sensor> == sensor).cql();
      }));
  row("ODM, per query: prepared lookup by text",
      per_call(iters, [&] { return cache.cached(text, &t); }));
  row("ODM: encode_all + bound_statement", per_call(iters, [&] {
        coodie::value_list v;
        coodie::orm::detail::encode_all(v, r);
        return coodie::bound_statement(st.insert, std::move(v));
      }));
  row("raw: insert.bind(4 values)",
      per_call(iters, [&] { return st.insert.bind(r.sensor, r.seq, r.value, r.note); }));
  row("ODM: encode_key_values + bound_statement", per_call(iters, [&] {
        coodie::value_list v;
        coodie::orm::detail::encode_key_values<Reading>(v, sensor, r.seq);
        return coodie::bound_statement(st.select_key, std::move(v));
      }));
  row("raw: select_key.bind(2 values)",
      per_call(iters, [&] { return st.select_key.bind(sensor, r.seq); }));
}

// --- the workloads --------------------------------------------------------------------------

/// The rows of one request at a time: blocking calls of the sync fronts.
void sync_rows(coodie::sync::session& s, const raw_statements& sync_st, const fixture& fx,
               const settings& cfg) {
  coodie::driver_session& db = s.driver();
  compare(
      "save", 1, cfg,
      [&](double sec) { return measure_sync(sec, [&](long n) { s.save(fx.write(n)); }); },
      [&](double sec) {
        return measure_sync(sec, [&](long n) {
          const Reading& r = fx.write(n);
          db.execute(sync_st.insert.bind(r.sensor, r.seq, r.value, r.note));
        });
      });
  compare(
      "get", 1, cfg,
      [&](double sec) {
        return measure_sync(
            sec, [&](long n) { consume(s.get<Reading>(fx.partition(n), fixture::seq(n))); });
      },
      [&](double sec) {
        return measure_sync(sec, [&](long n) {
          consume(single_by_hand(db.execute(
              sync_st.select_key.bind(fx.partition(n), fixture::seq(n)).set_page_size(0))));
        });
      });
  compare(
      "find 100-row partition", 1, cfg,
      [&](double sec) {
        return measure_sync(sec, [&](long n) {
          consume(s.find<Reading>().where(coodie::col<&Reading::sensor> == fx.partition(n)).all());
        });
      },
      [&](double sec) {
        return measure_sync(sec, [&](long n) {
          std::vector<Reading> rows;
          decode_by_hand(db.execute(sync_st.select_partition.bind(fx.partition(n))), rows);
          consume(rows);
        });
      });
}

/// The rows of cfg.inflight requests in flight: coroutines on the session's executor.
void concurrent_rows(coodie::aio::session& as, const raw_statements& aio_st, const fixture& fx,
                     const settings& cfg) {
  const boost::asio::any_io_executor ex = as.driver().get_executor();
  coodie::driver_session* adb = &as.driver();
  const int k = cfg.inflight;
  compare(
      "save", k, cfg,
      [&](double sec) {
        return measure_concurrent(ex, k, sec, odm_save_async{&as, &fx});
      },
      [&](double sec) {
        return measure_concurrent(ex, k, sec, raw_save_async{adb, &aio_st, &fx});
      });
  compare(
      "get", k, cfg,
      [&](double sec) {
        return measure_concurrent(ex, k, sec, odm_get_async{&as, &fx});
      },
      [&](double sec) {
        return measure_concurrent(ex, k, sec, raw_get_async{adb, &aio_st, &fx});
      });
  compare(
      "find 100-row partition", k, cfg,
      [&](double sec) {
        return measure_concurrent(ex, k, sec, odm_find_async{&as, &fx});
      },
      [&](double sec) {
        return measure_concurrent(ex, k, sec, raw_find_async{adb, &aio_st, &fx});
      });
}

// --- setup ----------------------------------------------------------------------------------

/// Fails unless the ODM sends exactly the texts the raw path prepares.
void check_same_text(coodie::sync::session& s, const fixture& fx) {
  const coodie::table_schema& t = coodie::schema_of<Reading>();
  const std::string odm_texts[] = {
      coodie::dml::insert(t, keyspace), coodie::dml::select_by_key(t, keyspace),
      s.find<Reading>().where(coodie::col<&Reading::sensor> == fx.partition(0)).cql()};
  const char* raw_texts[] = {insert_text, select_key_text, select_partition_text};
  for (std::size_t i = 0; i < 3; ++i) {
    if (odm_texts[i] != raw_texts[i]) {
      throw std::runtime_error("orm_bench: the ODM sends \"" + odm_texts[i] +
                               "\" but the raw path prepares \"" + raw_texts[i] + "\"");
    }
  }
}

/// Writes the partitions get and find read, and checks both paths read the same rows.
void load_and_check(coodie::sync::session& s, const raw_statements& st, const fixture& fx) {
  coodie::driver_session& db = s.driver();
  for (int p = 0; p < partitions; ++p) {
    for (int i = 0; i < rows_per_partition; ++i) {
      db.execute(st.insert.bind(fx.partition(p), i, p * 1000.0 + i, labelled("note-", i)));
    }
  }
  for (int i = 0; i < rows_per_partition; ++i) {  // notes too long for the string's own buffer
    db.execute(st.insert.bind(std::string("long-notes"), i, i * 1.0,
                              labelled("a-note-of-24-chars-", 10000 + i)));
  }
  const Reading a = s.get<Reading>(fx.partition(3), fixture::seq(3));
  const Reading b =
      single_by_hand(db.execute(st.select_key.bind(fx.partition(3), fixture::seq(3))));
  std::vector<Reading> by_hand;
  decode_by_hand(db.execute(st.select_partition.bind(fx.partition(5))), by_hand);
  const std::vector<Reading> by_odm =
      s.find<Reading>().where(coodie::col<&Reading::sensor> == fx.partition(5)).all();
  if (a.note != b.note || a.value != b.value || by_hand.size() != rows_per_partition ||
      by_odm.size() != rows_per_partition || by_odm.back().note != by_hand.back().note) {
    throw std::runtime_error("orm_bench: the ODM and the raw path read different rows");
  }
}

settings parse(int argc, char** argv) {
  settings cfg;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      cfg.runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--seconds" && i + 1 < argc) {
      cfg.seconds = std::atof(argv[++i]);
    } else if (a == "--inflight" && i + 1 < argc) {
      cfg.inflight = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--only" && i + 1 < argc) {
      cfg.only = argv[++i];
    } else {
      throw std::invalid_argument(
          "usage: orm_bench [--runs N] [--seconds S] [--inflight N] "
          "[--only save|get|find|counter|batch|ANN|decode|work]");
    }
  }
  return cfg;
}

}  // namespace

int main(int argc, char** argv) try {
  const settings cfg = parse(argc, argv);
  coodie::session_options o;
  o.hosts = {env_or("COODIE_HOSTS", "127.0.0.1")};
  o.username = env_or("COODIE_USERNAME", "cassandra");
  o.password = env_or("COODIE_PASSWORD", "cassandra");
  coodie::keyspace_options ks;
  ks.name = keyspace;
  coodie::sync::connect(o).create_keyspace(ks);
  o.keyspace = keyspace;

  coodie::sync::session s = coodie::sync::connect(o);
  coodie::aio::session as(coodie::driver_session::connect(o));
  s.sync_table<Reading>();
  const fixture fx;
  check_same_text(s, fx);
  const raw_statements sync_st(s.driver());
  const raw_statements aio_st(as.driver());
  load_and_check(s, sync_st, fx);

  std::cout << "coodie " << coodie::version() << " ODM benchmark: ODM vs the raw driver, "
            << cfg.runs << " runs of " << cfg.seconds
            << " s per side (interleaved slices), median; the CPU ratio's range over runs\n\n";
  std::cout << "| operation | in flight | ODM ops/s | raw ops/s | ODM CPU µs/op | raw CPU µs/op | "
               "CPU ODM/raw | ratio range | ODM allocs/op | raw allocs/op |\n";
  std::cout << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

  sync_rows(s, sync_st, fx, cfg);
  concurrent_rows(as, aio_st, fx, cfg);
  coodie::bench::operation_rows(s, as, cfg);
  coodie::bench::ann_rows(s, as, cfg);
  if (cfg.wants("decode")) {
    decode_tables(s, sync_st, cfg);
  }
  if (cfg.wants("work")) {
    per_call_table(s, sync_st, o);
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "orm_bench: " << e.what() << '\n';
  return 1;
}
