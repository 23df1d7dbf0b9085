// Built-in cql_traits of the date and time types: system_clock time points (timestamp),
// coodie::date and std::chrono::year_month_day (date), time_of_day (time) and duration.
// Part of coodie/wire/traits.hpp, which includes it: include that header, not this one.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <ratio>
#include <string>
#include <type_traits>

#include "coodie/wire/codec.hpp"
#include "coodie/wire/data_type.hpp"
#include "coodie/wire/traits.hpp"
#include "coodie/wire/values.hpp"

namespace coodie {

/// timestamp (milliseconds since the epoch) from any system_clock time point with a signed
/// integer representation; writing floors to the millisecond, reading a value outside the
/// time point's range is a codec_error. sys_days also binds to and reads date columns.
template <class D>
requires(std::is_integral_v<typename D::rep>&& std::is_signed_v<typename D::rep>) struct cql_traits<
    std::chrono::time_point<std::chrono::system_clock, D>> {
  using time_point = std::chrono::time_point<std::chrono::system_clock, D>;
  static constexpr bool is_days = std::is_same_v<D, std::chrono::days>;

  static wire::data_type cql_type() { return wire::simple_type(wire::type_id::timestamp); }
  static bool accepts(const wire::data_type& t) noexcept {
    return t.id == wire::type_id::timestamp || (is_days && t.id == wire::type_id::date);
  }
  static void encode(const time_point& v, wire::writer& w) {
    std::int64_t ms = 0;
    if (!wire::detail::rescale_floor<typename D::period, std::milli>(
            static_cast<std::int64_t>(v.time_since_epoch().count()), ms)) {
      wire::detail::throw_value_error("time point outside the range of a CQL timestamp");
    }
    w.i64(ms);
  }
  static void encode_as(const time_point& v, const wire::data_type& t, wire::writer& w) {
    if constexpr (is_days) {
      if (t.id == wire::type_id::date) {
        w.i32(static_cast<std::int32_t>(date(v).raw()));
        return;
      }
    }
    encode(v, w);
  }
  static void decode(wire::bytes_view b, time_point& out) {
    auto ms = static_cast<std::int64_t>(wire::detail::load_fixed<std::uint64_t>(b, "timestamp"));
    std::int64_t count = 0;
    using rep = typename D::rep;
    if (!wire::detail::rescale_floor<std::milli, typename D::period>(ms, count) ||
        count < std::numeric_limits<rep>::min() || count > std::numeric_limits<rep>::max()) {
      wire::detail::throw_value_error("timestamp " + std::to_string(ms) +
                                      " ms is outside the range of " +
                                      wire::detail::type_name<time_point>());
    }
    out = time_point(D(static_cast<rep>(count)));
  }
  static void decode_as(wire::bytes_view b, const wire::data_type& t, time_point& out) {
    if constexpr (is_days) {
      if (t.id == wire::type_id::date) {
        out = date::from_raw(wire::detail::load_fixed<std::uint32_t>(b, "date")).to_sys_days();
        return;
      }
    }
    decode(b, out);
  }
};

/// date (u32 days with the epoch at 2^31).
template <>
struct cql_traits<date> : wire::detail::simple_id_traits<wire::type_id::date> {
  static void encode(const date& v, wire::writer& w) { w.i32(static_cast<std::int32_t>(v.raw())); }
  static void decode(wire::bytes_view b, date& out) {
    out = date::from_raw(wire::detail::load_fixed<std::uint32_t>(b, "date"));
  }
};
/// date, as a calendar date (reading a date beyond year ±32767 is a codec_error).
template <>
struct cql_traits<std::chrono::year_month_day>
    : wire::detail::simple_id_traits<wire::type_id::date> {
  static void encode(const std::chrono::year_month_day& v, wire::writer& w) {
    cql_traits<date>::encode(date(v), w);
  }
  static void decode(wire::bytes_view b, std::chrono::year_month_day& out) {
    out = date::from_raw(wire::detail::load_fixed<std::uint32_t>(b, "date")).to_year_month_day();
  }
};
/// time (i64 nanoseconds since midnight, validated).
template <>
struct cql_traits<time_of_day> : wire::detail::simple_id_traits<wire::type_id::time> {
  static void encode(const time_of_day& v, wire::writer& w) { w.i64(v.since_midnight().count()); }
  static void decode(wire::bytes_view b, time_of_day& out);
};
/// duration (three signed vints: months, days, nanoseconds).
template <>
struct cql_traits<duration> : wire::detail::simple_id_traits<wire::type_id::duration> {
  static void encode(const duration& v, wire::writer& w);
  static void decode(wire::bytes_view b, duration& out);
};

}  // namespace coodie
