// date, time_of_day and duration: text forms, range checks and the out-of-line parts of their
// cql_traits.
#include "coodie/wire/values.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "coodie/wire/traits.hpp"
#include "digits.hpp"

namespace coodie {

namespace {

constexpr std::int64_t min_ymd_days =
    std::chrono::sys_days{std::chrono::year{-32767} / 1 / 1}.time_since_epoch().count();
constexpr std::int64_t max_ymd_days =
    std::chrono::sys_days{std::chrono::year{32767} / 12 / 31}.time_since_epoch().count();

std::chrono::sys_days checked_days(std::chrono::year_month_day ymd) {
  if (!ymd.ok()) {
    throw codec_error(fmt::format("invalid calendar date {}-{}-{}", static_cast<int>(ymd.year()),
                                  static_cast<unsigned>(ymd.month()),
                                  static_cast<unsigned>(ymd.day())));
  }
  return std::chrono::sys_days{ymd};
}

}  // namespace

date::date(std::chrono::sys_days day) {
  const auto n = day.time_since_epoch().count();
  if (n < std::numeric_limits<std::int32_t>::min() ||
      n > std::numeric_limits<std::int32_t>::max()) {
    throw codec_error(fmt::format("day {} is outside the range of a CQL date", n));
  }
  days_ = static_cast<std::int32_t>(n);
}

date::date(std::chrono::year_month_day ymd) : date(checked_days(ymd)) {}

date date::parse(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  std::int64_t y = 0;
  std::int64_t m = 0;
  std::int64_t d = 0;
  if (!wire::detail::parse_digits(text, i, 5, y) || i >= text.size() || text[i++] != '-' ||
      !wire::detail::parse_digits(text, i, 2, m) || i >= text.size() || text[i++] != '-' ||
      !wire::detail::parse_digits(text, i, 2, d) || i != text.size() || y > 32767) {
    throw codec_error(fmt::format("malformed date '{}' (expected YYYY-MM-DD)", text));
  }
  return date(std::chrono::year_month_day{std::chrono::year{static_cast<int>(negative ? -y : y)},
                                          std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}});
}

std::chrono::year_month_day date::to_year_month_day() const {
  if (days_ < min_ymd_days || days_ > max_ymd_days) {
    throw codec_error(
        fmt::format("date {} days from 1970-01-01 is beyond std::chrono::year's range", days_));
  }
  return std::chrono::year_month_day{to_sys_days()};
}

std::string date::to_string() const {
  if (days_ < min_ymd_days || days_ > max_ymd_days) {
    return std::to_string(days_);
  }
  const std::chrono::year_month_day ymd{to_sys_days()};
  const int y = static_cast<int>(ymd.year());
  return fmt::format("{}{:04}-{:02}-{:02}", y < 0 ? "-" : "", y < 0 ? -y : y,
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

time_of_day::time_of_day(std::chrono::nanoseconds since_midnight) : nanos_(since_midnight.count()) {
  if (nanos_ < 0 || nanos_ > max_nanoseconds) {
    throw codec_error(fmt::format(
        "time of day {} ns is outside 0..86399999999999 (00:00:00 to 23:59:59.999999999)", nanos_));
  }
}

time_of_day time_of_day::parse(std::string_view text) {
  std::size_t i = 0;
  std::int64_t h = 0;
  std::int64_t m = 0;
  std::int64_t s = 0;
  std::int64_t frac = 0;
  bool ok = wire::detail::parse_digits(text, i, 2, h) && i < text.size() && text[i++] == ':' &&
            wire::detail::parse_digits(text, i, 2, m) && i < text.size() && text[i++] == ':' &&
            wire::detail::parse_digits(text, i, 2, s) && h < 24 && m < 60 && s < 60;
  if (ok && i < text.size()) {
    std::size_t start = ++i;
    ok = text[start - 1] == '.' && wire::detail::parse_digits(text, i, 9, frac) && i == text.size();
    for (std::size_t digits = i - start; ok && digits < 9; ++digits) {
      frac *= 10;
    }
  }
  if (!ok) {
    throw codec_error(fmt::format("malformed time '{}' (expected HH:MM:SS[.fffffffff])", text));
  }
  return time_of_day(std::chrono::nanoseconds{((h * 60 + m) * 60 + s) * 1'000'000'000 + frac});
}

std::string time_of_day::to_string() const {
  const std::int64_t secs = nanos_ / 1'000'000'000;
  return fmt::format("{:02}:{:02}:{:02}.{:09}", secs / 3600, secs / 60 % 60, secs % 60,
                     nanos_ % 1'000'000'000);
}

duration::duration(std::int32_t months, std::int32_t days, std::int64_t nanoseconds)
    : months_(months), days_(days), nanos_(nanoseconds) {
  const bool all_non_negative = months >= 0 && days >= 0 && nanoseconds >= 0;
  const bool all_non_positive = months <= 0 && days <= 0 && nanoseconds <= 0;
  if (!all_non_negative && !all_non_positive) {
    throw codec_error(fmt::format(
        "duration ({} months, {} days, {} ns) mixes signs: all must be >= 0 or all <= 0", months,
        days, nanoseconds));
  }
}

// ---------------------------------------------------------------------------------------------
// cql_traits

void cql_traits<time_of_day>::decode(wire::bytes_view b, time_of_day& out) {
  out = time_of_day(std::chrono::nanoseconds{
      static_cast<std::int64_t>(wire::detail::load_fixed<std::uint64_t>(b, "time"))});
}

void cql_traits<duration>::encode(const duration& v, wire::writer& w) {
  wire::write_signed_vint(w, v.months());
  wire::write_signed_vint(w, v.days());
  wire::write_signed_vint(w, v.nanoseconds());
}

void cql_traits<duration>::decode(wire::bytes_view b, duration& out) {
  wire::reader r(b);
  const std::int64_t months = wire::read_signed_vint(r);
  const std::int64_t days = wire::read_signed_vint(r);
  const std::int64_t nanos = wire::read_signed_vint(r);
  wire::detail::check_trailing(r, "duration");
  auto fits = [](std::int64_t x) {
    return x >= std::numeric_limits<std::int32_t>::min() &&
           x <= std::numeric_limits<std::int32_t>::max();
  };
  if (!fits(months) || !fits(days)) {
    throw codec_error("duration months or days do not fit 32 bits");
  }
  out = duration(static_cast<std::int32_t>(months), static_cast<std::int32_t>(days), nanos);
}

}  // namespace coodie
