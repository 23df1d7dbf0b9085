// The iot-timeseries model: a small table of sensors and their readings in day-bucketed
// partitions (sensor, day), newest reading first within a day, so a partition never grows past
// one day of one sensor and a time range reads a handful of partitions.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "coodie/coodie.hpp"

namespace iot {

using millis = std::chrono::sys_time<std::chrono::milliseconds>;

struct Sensor {
  std::string id;
  std::string name;
  std::string kind;  // temperature, humidity, pressure or co2
  std::string unit;
  std::string location;
};

struct Reading {
  std::string sensor;
  coodie::date day;  // the UTC day of `at`: the partition's bucket
  millis at;
  double value = 0;
};

/// What a kind of sensor measures, and the values it accepts (a form's value outside is a 400).
struct kind_info {
  std::string_view kind;
  std::string_view unit;
  double lo;
  double hi;
};
inline constexpr std::array<kind_info, 4> kinds{
    kind_info{"temperature", "°C", -60, 80},
    kind_info{"humidity", "%", 0, 100},
    kind_info{"pressure", "hPa", 800, 1200},
    kind_info{"co2", "ppm", 250, 10000},
};

inline std::optional<kind_info> kind_of(std::string_view kind) {
  for (const kind_info& k : kinds) {
    if (k.kind == kind) {
      return k;
    }
  }
  return std::nullopt;
}

/// The UTC day a time falls in.
inline coodie::date day_of(millis t) {
  return coodie::date(std::chrono::floor<std::chrono::days>(t));
}

inline std::int64_t ms(millis t) {
  return t.time_since_epoch().count();
}

inline boost::json::object to_json(const Sensor& s) {
  const std::optional<kind_info> k = kind_of(s.kind);
  return {{"id", s.id},
          {"name", s.name},
          {"kind", s.kind},
          {"unit", s.unit},
          {"location", s.location},
          {"range", k ? boost::json::value(boost::json::array{k->lo, k->hi}) : nullptr}};
}

inline boost::json::object to_json(const Reading& r) {
  return {{"sensor", r.sensor}, {"day", r.day.to_string()}, {"at", ms(r.at)}, {"value", r.value}};
}

}  // namespace iot

template <>
inline constexpr auto coodie::model<iot::Sensor> =
    coodie::table("sensors").partition_key<&iot::Sensor::id>();

// Time-window compaction: a day's partitions are written together and then left alone.
template <>
inline constexpr auto coodie::model<iot::Reading> =
    coodie::table("readings")
        .partition_key<&iot::Reading::sensor, &iot::Reading::day>()
        .clustering_key<&iot::Reading::at>(coodie::desc)
        .compaction({{"class", "TimeWindowCompactionStrategy"},
                     {"compaction_window_unit", "DAYS"},
                     {"compaction_window_size", "1"}});
