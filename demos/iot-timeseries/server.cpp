// The iot-timeseries demo's server, on the coroutine front: the HTTP server and the aio session
// share one io_context and one thread. The latest reading of every sensor (PER PARTITION LIMIT 1
// over today's partitions), a range of readings streamed page by page over its day partitions
// and downsampled here, raw readings, and adding or deleting readings and whole days.
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "demo/app.hpp"
#include "demo/json.hpp"
#include "model.hpp"
#include "series.hpp"

namespace asio = boost::asio;
using coodie::col;
using demo::request;
using demo::response;
using iot::millis;
using iot::Reading;
using iot::Sensor;

namespace {

constexpr std::int64_t day_ms = 86'400'000;
constexpr std::int64_t max_range = 31 * day_ms;       // at most 32 partitions per range
constexpr std::int64_t max_time = 4'102'444'800'000;  // 2100-01-01
constexpr int latest_lookback = 31;                   // days searched for a sensor's newest
constexpr std::int32_t page_rows = 1000;              // rows per page of a streamed range

/// What a streamed range reads of each row.
struct Sample {
  coodie::date day;
  millis at;
  double value = 0;
};

millis now() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

/// The day partitions a range touches, oldest first.
std::vector<coodie::date> days_of(std::int64_t from, std::int64_t to) {
  std::vector<coodie::date> days;
  const coodie::date last = iot::day_of(millis(std::chrono::milliseconds(to)));
  for (coodie::date d = iot::day_of(millis(std::chrono::milliseconds(from))); d <= last;
       d = coodie::date::from_days(d.days_since_epoch() + 1)) {
    days.push_back(d);
  }
  return days;
}

/// A range of a request: its bounds in milliseconds since the epoch and as timestamps, and the
/// day partitions it touches.
struct time_range {
  std::int64_t from;
  std::int64_t to;
  millis lo;
  millis hi;
  std::vector<coodie::date> days;
};

/// ?from=&to= in milliseconds since the epoch: to defaults to now, from to a day before.
time_range range_of(const request& q) {
  const std::int64_t to = q.int_param("to", iot::ms(now()), day_ms, max_time);
  const std::int64_t from = q.int_param("from", to - day_ms, 0, max_time);
  if (to <= from) {
    throw demo::bad_request("to must be after from");
  }
  if (to - from > max_range) {
    throw demo::bad_request("a range spans at most 31 days");
  }
  return {from, to, millis(std::chrono::milliseconds(from)), millis(std::chrono::milliseconds(to)),
          days_of(from, to)};
}

asio::awaitable<std::vector<Sensor>> all_sensors(coodie::aio::session& db) {
  auto query = db.find<Sensor>();  // a small table: read whole
  std::vector<Sensor> all = co_await query.all();
  // Grouped by kind, in the order of iot::kinds, then by id.
  const auto rank = [](const Sensor& s) {
    std::size_t i = 0;
    while (i < iot::kinds.size() && iot::kinds[i].kind != s.kind) {
      ++i;
    }
    return std::pair(i, s.id);
  };
  std::sort(all.begin(), all.end(),
            [&rank](const Sensor& a, const Sensor& b) { return rank(a) < rank(b); });
  co_return all;
}

/// The sensor found, or a 404 naming it.
Sensor sensor_or_404(std::optional<Sensor> found, const std::string& id) {
  if (!found) {
    throw demo::bad_request("no sensor " + id, demo::http::status::not_found);
  }
  return std::move(*found);
}

asio::awaitable<response> list_sensors(coodie::aio::session& db, request&) {
  std::vector<Sensor> all = co_await all_sensors(db);
  boost::json::array out;
  for (const Sensor& s : all) {
    out.push_back(iot::to_json(s));
  }
  co_return demo::json_reply(out);
}

// GET /api/latest: each sensor's newest reading. One query reads today's partitions of every
// sensor, one row each; a sensor silent today is looked for in the days before.
asio::awaitable<response> latest(coodie::aio::session& db, request&) {
  std::vector<Sensor> sensors = co_await all_sensors(db);
  std::map<std::string, Reading> newest;
  std::vector<std::string> missing;
  for (const Sensor& s : sensors) {
    missing.push_back(s.id);
  }
  const coodie::date today = iot::day_of(now());
  coodie::date day = today;
  int queries = 0;
  for (; !missing.empty() && queries < latest_lookback; ++queries) {
    auto query = db.find<Reading>()
                     .where(col<&Reading::sensor>.in(missing), col<&Reading::day> == day)
                     .per_partition_limit(1);
    std::vector<Reading> rows = co_await query.all();
    for (Reading& r : rows) {
      std::erase(missing, r.sensor);
      newest.emplace(r.sensor, std::move(r));
    }
    day = coodie::date::from_days(day.days_since_epoch() - 1);
  }
  boost::json::array items;
  for (const Sensor& s : sensors) {
    auto it = newest.find(s.id);
    items.push_back(boost::json::object{
        {"sensor", iot::to_json(s)},
        {"reading", it == newest.end() ? boost::json::value(nullptr) : iot::to_json(it->second)}});
  }
  co_return demo::json_reply(
      {{"today", today.to_string()}, {"queries", queries}, {"items", items}});
}

// GET /api/sensors/{id}/series?from=&to=&points=: the range streamed page by page (one query
// over its day partitions) and downsampled into at most `points` buckets.
asio::awaitable<response> series(coodie::aio::session& db, request& q) {
  const time_range range = range_of(q);
  const auto points = static_cast<std::size_t>(q.int_param("points", 300, 10, 300));
  const std::string id = q.arg(0);
  std::optional<Sensor> found = co_await db.find_one<Sensor>(id);
  const Sensor sensor = sensor_or_404(std::move(found), id);
  const auto started = std::chrono::steady_clock::now();
  auto query = db.find<Reading>()
                   .where(col<&Reading::sensor> == id, col<&Reading::day>.in(range.days),
                          col<&Reading::at> >= range.lo, col<&Reading::at> <= range.hi)
                   .only<Sample>()
                   .fetch_size(page_rows);
  coodie::aio::stream<Reading, Sample> rows = co_await query.stream();
  iot::downsampler ds(range.from, range.to, points);
  while (const Sample* s = co_await rows.next()) {
    ds.add(iot::ms(s->at), s->value, s->day);
  }
  boost::json::object out = ds.json();
  out["sensor"] = iot::to_json(sensor);
  out["partitions"] = range.days.size();
  out["pages"] = rows.pages_read();
  out["page_rows"] = page_rows;
  out["took_ms"] =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  co_return demo::json_reply(out);
}

// GET /api/sensors/{id}/readings?from=&to=&limit=: the raw readings, newest first, read
// partition by partition from the newest day.
asio::awaitable<response> raw_readings(coodie::aio::session& db, request& q) {
  const time_range range = range_of(q);
  const auto limit = static_cast<std::int32_t>(q.int_param("limit", 20, 1, 5000));
  const std::string id = q.arg(0);
  std::optional<Sensor> found = co_await db.find_one<Sensor>(id);
  const Sensor sensor = sensor_or_404(std::move(found), id);
  boost::json::array items;
  for (auto d = range.days.rbegin(); d != range.days.rend() && std::ssize(items) < limit; ++d) {
    auto query = db.find<Reading>()
                     .where(col<&Reading::sensor> == id, col<&Reading::day> == *d,
                            col<&Reading::at> >= range.lo, col<&Reading::at> <= range.hi)
                     .limit(limit - static_cast<std::int32_t>(items.size()));
    std::vector<Reading> rows = co_await query.all();
    for (const Reading& r : rows) {
      items.push_back(iot::to_json(r));
    }
  }
  co_return demo::json_reply(
      {{"sensor", sensor.id}, {"from", range.from}, {"to", range.to}, {"items", items}});
}

// POST /api/readings {sensor, value}: a reading taken now.
asio::awaitable<response> add_reading(coodie::aio::session& db, request& q) {
  const boost::json::value body = q.json();
  const boost::json::object& in = demo::as_object(body);
  const std::string id = demo::text(in, "sensor", {.max = 40});
  const double value = demo::number(in, "value", -1e9, 1e9);
  std::optional<Sensor> found = co_await db.find_one<Sensor>(id);
  const Sensor sensor = sensor_or_404(std::move(found), id);
  if (const std::optional<iot::kind_info> k = iot::kind_of(sensor.kind);
      k && (value < k->lo || value > k->hi)) {
    throw demo::bad_request(fmt::format("a {} reading must be from {:g} to {:g} {}", sensor.kind,
                                        k->lo, k->hi, sensor.unit));
  }
  const millis at = now();
  Reading r{.sensor = id, .day = iot::day_of(at), .at = at, .value = value};
  co_await db.save(r);
  co_return demo::json_reply(iot::to_json(r), demo::http::status::created);
}

// DELETE /api/readings/{sensor}/{at}: one reading, by its key.
asio::awaitable<response> delete_reading(coodie::aio::session& db, request& q) {
  const std::string& text = q.arg(1);
  std::int64_t at = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), at);
  if (ec != std::errc{} || end != text.data() + text.size() || at < 0 || at > max_time) {
    throw demo::bad_request("not a reading time in milliseconds: " + text);
  }
  const std::string id = q.arg(0);
  const millis t{std::chrono::milliseconds(at)};
  const coodie::date day = iot::day_of(t);
  std::optional<Reading> r = co_await db.find_one<Reading>(id, day, t);
  if (!r) {
    throw demo::bad_request("no reading of " + id + " at " + text, demo::http::status::not_found);
  }
  co_await db.remove(*r);
  co_return demo::no_content();
}

// DELETE /api/sensors/{id}/days/{YYYY-MM-DD}: a whole partition, in one DELETE.
asio::awaitable<response> delete_day(coodie::aio::session& db, request& q) {
  const std::string id = q.arg(0);
  const coodie::date day = coodie::date::parse(q.arg(1));  // codec_error: 400
  std::optional<Sensor> found = co_await db.find_one<Sensor>(id);
  const Sensor sensor = sensor_or_404(std::move(found), id);
  auto partition = db.find<Reading>().where(col<&Reading::sensor> == id, col<&Reading::day> == day);
  const std::int64_t n = co_await partition.count();
  co_await partition.remove();
  co_return demo::json_reply({{"sensor", sensor.id}, {"day", day.to_string()}, {"deleted", n}});
}

asio::awaitable<void> prepare(coodie::aio::session& db) {
  co_await db.sync_table<Sensor>();
  co_await db.sync_table<Reading>();
}

}  // namespace

int main(int argc, char** argv) {
  using demo::verb;
  const demo::settings cfg =
      demo::parse_settings(argc, argv,
                           demo::server_info("iot-timeseries", 8084, "coodie_demo_iot_timeseries",
                                             IOT_TIMESERIES_STATIC_DIR));
  return demo::serve_aio(cfg, prepare,
                         {{verb::get, "/api/sensors", list_sensors},
                          {verb::get, "/api/latest", latest},
                          {verb::get, "/api/sensors/{id}/series", series},
                          {verb::get, "/api/sensors/{id}/readings", raw_readings},
                          {verb::post, "/api/readings", add_reading},
                          {verb::delete_, "/api/readings/{sensor}/{at}", delete_reading},
                          {verb::delete_, "/api/sensors/{id}/days/{day}", delete_day}});
}
