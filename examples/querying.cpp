// Queries, with the coroutine front (coodie::aio): typed restrictions, token ranges, a column named
// at run time, limits, ordering, ALLOW FILTERING, projections, DISTINCT, COUNT, and updates and
// deletes of every row a query matches.
//
// The aio calls are the sync calls, awaited. GCC 12 rule followed throughout: a co_await
// expression holds no temporary that has a destructor (a query, a std::string, a vector), so
// every query and argument is named first.
#include <cstdint>
#include <exception>
#include <future>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "coodie/coodie.hpp"
#include "example_check.hpp"

// --8<-- [start:model]
namespace sensors {

struct Reading {
  std::string sensor;    // partition key
  std::int32_t seq = 0;  // clustering key, newest first
  double value = 0;
  std::set<std::string> tags;  // "spike" on some readings
  std::string site;            // static: one value per sensor
};

// Projections: structs whose members are named like columns of Reading.
struct Sample {
  std::int32_t seq = 0;
  double value = 0;
};
struct SensorSite {
  std::string sensor;
  std::string site;
};

}  // namespace sensors

template <>
inline constexpr auto coodie::model<sensors::Reading> =
    coodie::table("readings")
        .keyspace("coodie_example_querying")
        .partition_key<&sensors::Reading::sensor>()
        .clustering_key<&sensors::Reading::seq>(coodie::desc)
        .static_column<&sensors::Reading::site>();
// --8<-- [end:model]

namespace {
using coodie::col;
using sensors::Reading;
using sensors::Sample;
using sensors::SensorSite;

// The options come by pointer: GCC 12 warns falsely (-Wmismatched-new-delete) when a coroutine
// frame holds a session_options.
// --8<-- [start:connect]
// [readme:querying-connect]
boost::asio::awaitable<void> run(std::shared_ptr<coodie::session_options> options) {
  coodie::aio::session s = co_await coodie::aio::connect(*options);
  coodie::keyspace_options keyspace{.name = "coodie_example_querying", .replication_factor = 1};
  co_await s.create_keyspace(keyspace);  // named first: no temporary in a co_await expression
  co_await s.drop_table<Reading>();      // start every run from an empty table
  co_await s.sync_table<Reading>();
  // [readme:querying-connect end]
  // --8<-- [end:connect]

  // Three sensors of ten readings each; every fourth reading is tagged "spike".
  const std::vector<std::string> names{"s1", "s2", "s3"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (std::int32_t seq = 0; seq < 10; ++seq) {
      Reading r{names[i], seq, static_cast<double>(100 * i) + seq, {}, "site-" + names[i]};
      if (seq % 4 == 0) {
        r.tags.insert("spike");
      }
      co_await s.save(r);
    }
  }

  // --- typed restrictions ---------------------------------------------------------------------
  // --8<-- [start:find]
  // [readme:querying-find]
  // A partition, in clustering order (seq descending, as declared).
  auto s1 = s.find<Reading>().where(col<&Reading::sensor> == "s1");
  std::vector<Reading> rows = co_await s1.all();
  examples::check(rows.size() == 10 && rows.front().seq == 9, "s1 newest first");

  // A slice of the partition: seq < 3.
  auto early = s1.where(col<&Reading::seq> < 3);
  rows = co_await early.all();
  // [readme:querying-find end]
  // --8<-- [end:find]
  examples::check(rows.size() == 3 && rows.back().seq == 0, "s1 seq 2, 1, 0");

  // --8<-- [start:in]
  // IN binds one list value, whatever its length.
  const std::vector<std::string> pair{"s1", "s3"};
  auto two = s.find<Reading>().where(col<&Reading::sensor>.in(pair));
  rows = co_await two.all();
  examples::check(rows.size() == 20, "IN reads two partitions");
  // --8<-- [end:in]

  // --8<-- [start:named]
  // A column named at run time (from a request parameter, say): checked against the model, so a
  // wrong name throws coodie::invalid_model and a wrong value type coodie::codec_error.
  const std::string column = "sensor";
  const std::string wanted = "s2";
  auto named = s.find<Reading>().where(column, "=", wanted);
  rows = co_await named.all();
  examples::check(rows.size() == 10 && rows.front().sensor == "s2", "the named column");
  // --8<-- [end:named]

  // --8<-- [start:token]
  // Token ranges split the table by partition, the way a full scan is shared between workers:
  // four quarters of the Murmur3 ring hold every row exactly once.
  constexpr std::int64_t quarter = std::int64_t{1} << 62;
  auto q1 = s.find<Reading>().where(coodie::token<Reading>() < -quarter);
  auto q2 = s.find<Reading>().where(coodie::token<Reading>() >= -quarter,
                                    coodie::token<Reading>() < std::int64_t{0});
  auto q3 = s.find<Reading>().where(coodie::token<Reading>() >= std::int64_t{0},
                                    coodie::token<Reading>() < quarter);
  auto q4 = s.find<Reading>().where(coodie::token<Reading>() >= quarter);
  const std::int64_t n1 = co_await q1.count();
  const std::int64_t n2 = co_await q2.count();
  const std::int64_t n3 = co_await q3.count();
  const std::int64_t n4 = co_await q4.count();
  std::cout << "rows per token quarter: " << n1 << ' ' << n2 << ' ' << n3 << ' ' << n4 << '\n';
  examples::check(n1 + n2 + n3 + n4 == 30, "the token ranges hold every row once");
  // --8<-- [end:token]

  // --- limits and order -----------------------------------------------------------------------
  // --8<-- [start:limits]
  auto latest = s1.limit(3);
  rows = co_await latest.all();
  examples::check(rows.size() == 3 && rows[0].seq == 9 && rows[2].seq == 7, "LIMIT 3");

  auto two_each = s.find<Reading>().per_partition_limit(2);
  rows = co_await two_each.all();
  examples::check(rows.size() == 6, "PER PARTITION LIMIT 2 over three sensors");

  // ORDER BY a clustering column (here against the declared order).
  auto oldest = s1.order_by<&Reading::seq>(coodie::asc);
  std::optional<Reading> first = co_await oldest.first();
  examples::check(first && first->seq == 0, "ORDER BY seq ASC starts at 0");

  // first(): the first row, or std::nullopt.
  auto unknown = s.find<Reading>().where(col<&Reading::sensor> == "s9");
  std::optional<Reading> none = co_await unknown.first();
  examples::check(!none, "no row for an unknown sensor");
  // --8<-- [end:limits]

  // --- ALLOW FILTERING ------------------------------------------------------------------------
  // --8<-- [start:allow-filtering]
  // Filtering on a regular column scans the table. coodie refuses such a query before sending
  // it, naming the column, unless allow_filtering() says the scan is intended.
  auto spikes = s.find<Reading>().where(col<&Reading::tags>.contains("spike"));
  bool refused = false;
  try {
    rows = co_await spikes.all();
  } catch (const coodie::usage_error& e) {
    refused = true;
    std::cout << "refused: " << e.what() << '\n';
  }
  examples::check(refused, "a filtering query without allow_filtering() throws usage_error");
  auto spikes_scan = spikes.allow_filtering();
  rows = co_await spikes_scan.all();
  examples::check(rows.size() == 9, "seq 0, 4, 8 of three sensors are spikes");
  // --8<-- [end:allow-filtering]

  // --- projections, DISTINCT, COUNT -----------------------------------------------------------
  // --8<-- [start:projections]
  // only<P>() selects P's columns only and reads rows into P.
  auto samples = s1.only<Sample>();
  std::vector<Sample> values = co_await samples.all();
  examples::check(values.size() == 10 && values[0].value == 9.0, "projection of s1");

  // DISTINCT reads partition key and static columns only, one row per partition.
  auto sites = s.find<Reading>().only<SensorSite>().distinct();
  std::vector<SensorSite> per_sensor = co_await sites.all();
  examples::check(per_sensor.size() == 3, "three sensors");
  for (const SensorSite& x : per_sensor) {
    std::cout << x.sensor << " is at " << x.site << '\n';
    examples::check(x.site == "site-" + x.sensor, "the static column");
  }

  auto everything = s.find<Reading>();
  const std::int64_t total = co_await everything.count();
  examples::check(total == 30, "COUNT(*) of the table");
  // --8<-- [end:projections]

  // --- bulk update and delete -----------------------------------------------------------------
  // --8<-- [start:bulk]
  // Every row the query matches. A query naming whole rows by key runs as one statement; any
  // other one (here a slice) reads the matching keys page by page and writes row by row.
  auto s3_early = s.find<Reading>().where(col<&Reading::sensor> == "s3", col<&Reading::seq> < 5);
  std::vector<coodie::assignment<Reading>> reset{coodie::assign<&Reading::value>(0.0)};
  co_await s3_early.update(reset);
  auto zeros = s.find<Reading>()
                   .where(col<&Reading::sensor> == "s3", col<&Reading::value> == 0.0)
                   .allow_filtering();
  const std::int64_t reset_rows = co_await zeros.count();
  examples::check(reset_rows == 5, "five readings of s3 were reset");

  auto s2 = s.find<Reading>().where(col<&Reading::sensor> == "s2");
  co_await s2.remove();  // one DELETE of the partition
  const std::int64_t s2_left = co_await s2.count();
  const std::int64_t left = co_await everything.count();
  examples::check(s2_left == 0 && left == 20, "s2 is gone, s1 and s3 remain");
  // --8<-- [end:bulk]

  std::cout << "querying: ok\n";
}

}  // namespace

// --8<-- [start:main]
int main() {
  // The coroutine front runs on the caller's io_context: connect inside a coroutine, then run
  // the context until the coroutine ends (the session it owns closes with it).
  boost::asio::io_context io;
  std::future<void> done = boost::asio::co_spawn(
      io, run(std::make_shared<coodie::session_options>(coodie::session_options::from_env())),
      boost::asio::use_future);
  io.run();
  try {
    done.get();
  } catch (const std::exception& e) {
    std::cerr << "querying failed: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
// --8<-- [end:main]
