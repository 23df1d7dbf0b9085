// Fills the iot-timeseries demo: up to 50 sensors of four kinds, then --count readings (default
// 1,000,000) shared evenly between them over the 14 days that end now, oldest first, one reading
// per sensor per interval (14 days / readings per sensor: about a minute at the default count).
// The values follow daily and multi-day cycles plus noise from a fixed seed, so two runs write
// the same series relative to their end time.
#include <algorithm>
#include <array>
#include <cmath>
#include <iostream>
#include <numbers>
#include <random>

#include <fmt/format.h>

#include "demo/app.hpp"
#include "demo/seed.hpp"
#include "model.hpp"

using iot::millis;
using iot::Reading;
using iot::Sensor;

namespace {

constexpr std::size_t max_sensors = 50;
constexpr std::chrono::milliseconds span = std::chrono::days(14);

constexpr std::array locations{
    "Greenhouse A", "Greenhouse B", "Server room", "Warehouse", "Office 2F", "Lab",   "Cold store",
    "Rooftop",      "Basement",     "Kitchen",     "Lobby",     "Workshop",  "Garage"};
constexpr std::array prefixes{"temp", "hum", "pres", "co2"};

constexpr std::size_t cold_store = 6;

std::size_t location_of(std::size_t s) {
  return (s * 5 + s / 4) % locations.size();
}

Sensor make_sensor(std::size_t s) {
  const iot::kind_info& k = iot::kinds[s % iot::kinds.size()];
  const char* where = locations[location_of(s)];
  return {.id = fmt::format("{}-{:02}", prefixes[s % prefixes.size()], s + 1),
          .name = fmt::format("{} {} {}", where, k.kind, s / 4 + 1),
          .kind = std::string(k.kind),
          .unit = std::string(k.unit),
          .location = where};
}

/// v rounded to 1/per: the double nearest the decimal, as k / per is correctly rounded.
double round_to(double v, double per) {
  return std::round(v * per) / per;
}

/// A sensor's value at time t: its kind's cycles, shifted per sensor, plus noise.
double value_at(std::size_t s, millis t, double noise) {
  using std::numbers::pi;
  const double hours = static_cast<double>(iot::ms(t)) / 3'600'000.0;
  const double hod = std::fmod(hours, 24.0);  // hour of the (UTC) day
  const double day_wave = std::sin(2 * pi * (hod - 9) / 24);
  const double sd = static_cast<double>(s);
  switch (s % iot::kinds.size()) {
    case 0: {  // temperature: warmest mid-afternoon, drifting over five days
      const double base =
          location_of(s) == cold_store ? 4.0 : 17.5 + static_cast<double>(s % 7) * 0.9;
      return round_to(
          base + 3.5 * day_wave + 1.5 * std::sin(2 * pi * hours / 127 + sd) + 0.25 * noise, 100);
    }
    case 1:  // humidity: lowest when it is warmest
      return round_to(std::clamp(52 + static_cast<double>(s % 5) * 3 - 8 * day_wave +
                                     4 * std::sin(2 * pi * hours / 89 + sd) + noise,
                                 5.0, 99.0),
                      100);
    case 2:  // pressure: slow weather fronts
      return round_to(1013 + static_cast<double>(s % 3) * 2 +
                          9 * std::sin(2 * pi * hours / 98 + sd) +
                          2 * std::sin(2 * pi * hours / 31) + 0.3 * noise,
                      100);
    default: {  // co2: people in the room on working hours of weekdays
      const auto day = std::chrono::floor<std::chrono::days>(t);
      const unsigned weekday = std::chrono::weekday(day).iso_encoding();
      const double busy = weekday <= 5 && hod > 8 && hod < 18 ? std::sin(pi * (hod - 8) / 10) : 0.0;
      return round_to(430 + busy * (350 + 60 * static_cast<double>(s % 4)) + 25 * noise, 1);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  return demo::seed_main(
      argc, argv, demo::seed_info("iot-timeseries-seed", "coodie_demo_iot_timeseries", 1'000'000),
      [](coodie::sync::session& db, const demo::settings& cfg) {
        db.sync_table<Sensor>();
        db.sync_table<Reading>();

        const std::size_t sensors = std::min(max_sensors, cfg.count);
        std::vector<std::string> ids;
        for (std::size_t s = 0; s < sensors; ++s) {
          Sensor sensor = make_sensor(s);
          db.save(sensor);
          ids.push_back(sensor.id);
        }
        // Reading i is round i / sensors of sensor i % sensors: rounds are `interval` apart and the
        // last one ends now, each sensor a little behind the one before it (never after now).
        const std::size_t per_sensor = (cfg.count + sensors - 1) / sensors;
        const std::int64_t interval = span.count() / static_cast<std::int64_t>(per_sensor);
        const millis end =
            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        std::cerr << fmt::format(
            "{} sensors, {} readings each, one every {:.1f} min over 14 days\n", sensors,
            per_sensor, static_cast<double>(interval) / 60'000.0);
        std::mt19937_64 rng(0x10753A5E);
        std::normal_distribution<double> noise(0, 1);
        std::uniform_int_distribution<std::int64_t> jitter(0,
                                                           std::max<std::int64_t>(interval / 5, 1));
        demo::seed_rows<Reading>(db, cfg.count, "readings", [&](std::size_t i) {
          const std::size_t s = i % sensors;
          const auto behind = static_cast<std::int64_t>(per_sensor - 1 - i / sensors);
          const std::int64_t lag =
              static_cast<std::int64_t>(s) * 1000 % std::max<std::int64_t>(interval / 2, 1);
          const millis at = end - std::chrono::milliseconds(behind * interval + lag + jitter(rng));
          Reading r;
          r.sensor = ids[s];
          r.day = iot::day_of(at);
          r.at = at;
          r.value = value_at(s, at, noise(rng));
          return r;
        });
      });
}
