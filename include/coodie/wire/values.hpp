// C++ value types for the CQL types that have no exact standard-library counterpart: uuid,
// timeuuid, date, time_of_day, duration, inet, varint and decimal, plus the `unset` tag. Each is a
// small regular type (copyable, comparable) that converts to and from text and the standard
// chrono types. How they are encoded on the wire is in coodie/wire/traits.hpp.
//
// Example:
//   coodie::uuid id = coodie::uuid::random();                 // version 4
//   coodie::timeuuid t = coodie::timeuuid::now();             // version 1, monotonic
//   coodie::date d(std::chrono::year_month_day{std::chrono::year{1815}, std::chrono::month{6},
//                                              std::chrono::day{18}});
//   coodie::time_of_day lunch(std::chrono::hours{12} + std::chrono::minutes{30});
//   coodie::varint big = coodie::varint::parse("1267650600228229401496703205376");  // 2^100
//   coodie::decimal price = coodie::decimal::parse("-12.3450");  // unscaled -123450, scale 4
//   coodie::inet host = coodie::inet::parse("::1");
#pragma once

#include <array>
#include <chrono>
#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <ratio>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "coodie/error.hpp"

namespace coodie {

/// Raw bytes, mapped to the CQL blob type.
using blob = std::vector<std::byte>;

/// The type of `unset`.
struct unset_t {
  explicit constexpr unset_t() = default;
};
/// Binds a statement marker as "unset": the server leaves that column as it is.
/// Example: `session.execute(stmt, id, coodie::unset);`
inline constexpr unset_t unset{};

namespace wire::detail {
__extension__ typedef __int128 int128_t;

/// count × From / To rounded toward negative infinity; false when the result does not fit int64.
template <class From, class To>
constexpr bool rescale_floor(std::int64_t count, std::int64_t& out) noexcept {
  using r = std::ratio_divide<From, To>;
  int128_t v = static_cast<int128_t>(count) * r::num;
  int128_t q = v / r::den;
  if (v % r::den != 0 && v < 0) {
    --q;
  }
  if (q < std::numeric_limits<std::int64_t>::min() ||
      q > std::numeric_limits<std::int64_t>::max()) {
    return false;
  }
  out = static_cast<std::int64_t>(q);
  return true;
}
}  // namespace wire::detail

/// A 128-bit UUID of any version (CQL uuid). Default-constructed it is the nil UUID.
/// Example: `auto id = coodie::uuid::parse("123e4567-e89b-12d3-a456-426614174000");`
class uuid {
 public:
  constexpr uuid() noexcept = default;
  /// From the 16 bytes in network order.
  constexpr explicit uuid(const std::array<std::byte, 16>& bytes) noexcept : bytes_(bytes) {}

  /// A random (version 4) UUID from a per-thread generator seeded by the OS.
  static uuid random();
  /// Parses the canonical 8-4-4-4-12 hex form (either case); throws codec_error otherwise.
  static uuid parse(std::string_view text);
  /// Like parse() but returns std::nullopt on malformed text.
  static std::optional<uuid> try_parse(std::string_view text) noexcept;
  /// From 16 bytes; throws codec_error on any other size.
  static uuid from_bytes(std::span<const std::byte> bytes);

  /// The canonical lowercase form, e.g. "123e4567-e89b-12d3-a456-426614174000".
  [[nodiscard]] std::string to_string() const;
  /// The 16 bytes in network order.
  [[nodiscard]] constexpr const std::array<std::byte, 16>& bytes() const noexcept { return bytes_; }
  /// The version nibble (1 for time-based, 4 for random, 0 for nil).
  [[nodiscard]] constexpr int version() const noexcept {
    return std::to_integer<int>(bytes_[6]) >> 4;
  }
  /// True for the all-zero UUID.
  [[nodiscard]] constexpr bool is_nil() const noexcept { return *this == uuid{}; }

  /// Byte-wise (network order) comparison.
  friend constexpr auto operator<=>(const uuid&, const uuid&) noexcept = default;

 private:
  std::array<std::byte, 16> bytes_{};
};

/// A version-1 (time-based) UUID, the CQL timeuuid type. Ordered like Cassandra orders a timeuuid
/// column: by timestamp, then by the clock-sequence and node bytes compared as signed bytes.
/// Default-constructed it is the smallest timeuuid (timestamp 0 = 1582-10-15).
/// Example:
///   auto id = coodie::timeuuid::now();
///   auto hour_ago = std::chrono::system_clock::now() - std::chrono::hours{1};
///   auto since = coodie::timeuuid::min_for(hour_ago);  // WHERE id > ? for the last hour
class timeuuid {
 public:
  /// 100-nanosecond ticks, the unit of a version-1 timestamp.
  using ticks = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;
  /// Ticks between 1582-10-15 (the version-1 epoch) and 1970-01-01.
  static constexpr std::int64_t gregorian_offset = 122'192'928'000'000'000;

  constexpr timeuuid() noexcept : timeuuid(make(0, min_clock_and_node)) {}
  /// From a uuid; throws codec_error unless it is version 1.
  explicit timeuuid(const uuid& u);

  /// A new timeuuid for the current time. Strictly increasing within the process (several calls
  /// in one clock tick get consecutive timestamps); random clock sequence and random multicast
  /// node id, both chosen once per process (again after fork()).
  static timeuuid now();
  /// The smallest timeuuid of the 100-ns tick containing tp (Cassandra's minTimeuuid() bytes).
  template <class Duration>
  static timeuuid min_for(std::chrono::sys_time<Duration> tp) {
    return timeuuid(make(to_uuid_ticks(tp), min_clock_and_node));
  }
  /// The largest timeuuid of the 100-ns tick containing tp (Cassandra's maxTimeuuid() bytes).
  template <class Duration>
  static timeuuid max_for(std::chrono::sys_time<Duration> tp) {
    return timeuuid(make(to_uuid_ticks(tp), max_clock_and_node));
  }
  /// Parses the canonical text form; throws codec_error if malformed or not version 1.
  static timeuuid parse(std::string_view text);
  /// From 16 bytes; throws codec_error on another size or version.
  static timeuuid from_bytes(std::span<const std::byte> bytes);

  /// The 60-bit timestamp: 100-ns ticks since 1582-10-15.
  [[nodiscard]] std::uint64_t raw_timestamp() const noexcept;
  /// The timestamp as a system_clock time point; throws codec_error if it is outside the range
  /// of system_clock::time_point (years 1678..2261 with libstdc++).
  [[nodiscard]] std::chrono::system_clock::time_point timestamp() const;
  /// The same value as a plain uuid.
  [[nodiscard]] constexpr const uuid& as_uuid() const noexcept { return value_; }
  /// The 16 bytes in network order.
  [[nodiscard]] constexpr const std::array<std::byte, 16>& bytes() const noexcept {
    return value_.bytes();
  }
  /// The canonical lowercase text form.
  [[nodiscard]] std::string to_string() const { return value_.to_string(); }

  /// Byte equality; ordering as described above.
  friend constexpr bool operator==(const timeuuid&, const timeuuid&) noexcept = default;
  friend std::strong_ordering operator<=>(const timeuuid& a, const timeuuid& b) noexcept;

 private:
  static constexpr std::uint64_t min_clock_and_node = 0x8080808080808080ULL;
  static constexpr std::uint64_t max_clock_and_node = 0x7f7f7f7f7f7f7f7fULL;

  explicit constexpr timeuuid(const std::array<std::byte, 16>& b) noexcept : value_(b) {}
  static constexpr std::array<std::byte, 16> make(std::uint64_t ts,
                                                  std::uint64_t clock_and_node) noexcept {
    std::array<std::byte, 16> b{};
    std::uint64_t hi =
        (ts << 32) | ((ts >> 16) & 0xFFFF0000ULL) | 0x1000ULL | ((ts >> 48) & 0x0FFF);
    for (int i = 0; i < 8; ++i) {
      b[static_cast<std::size_t>(i)] = static_cast<std::byte>(hi >> (56 - 8 * i));
      b[static_cast<std::size_t>(8 + i)] = static_cast<std::byte>(clock_and_node >> (56 - 8 * i));
    }
    return b;
  }
  template <class Duration>
  static std::uint64_t to_uuid_ticks(std::chrono::sys_time<Duration> tp) {
    std::int64_t t = 0;
    if (!wire::detail::rescale_floor<typename Duration::period, ticks::period>(
            static_cast<std::int64_t>(tp.time_since_epoch().count()), t) ||
        t < -gregorian_offset || t > (std::int64_t{1} << 60) - 1 - gregorian_offset) {
      throw_out_of_range();
    }
    return static_cast<std::uint64_t>(t + gregorian_offset);
  }
  [[noreturn]] static void throw_out_of_range();

  uuid value_;
};

/// A CQL date: a day without time zone, stored as days since 1970-01-01 (signed 32-bit, so about
/// ±5.8 million years). The wire form is the unsigned day number with the epoch at 2^31.
/// Example: `coodie::date d(std::chrono::sys_days{std::chrono::year{2300} / 1 / 1});`
class date {
 public:
  /// 1970-01-01.
  constexpr date() noexcept = default;
  /// From days since 1970-01-01.
  static constexpr date from_days(std::int32_t days_since_epoch) noexcept {
    date d;
    d.days_ = days_since_epoch;
    return d;
  }
  /// From the wire's unsigned day number (2^31 = 1970-01-01).
  static constexpr date from_raw(std::uint32_t raw) noexcept {
    return from_days(static_cast<std::int32_t>(raw ^ 0x80000000U));
  }
  /// From a chrono day; throws codec_error if it is outside the 32-bit day range.
  date(std::chrono::sys_days day);
  /// From a calendar date; throws codec_error if it is not a valid date.
  date(std::chrono::year_month_day ymd);
  /// Parses "YYYY-MM-DD" (the year may carry a sign and more than four digits); codec_error
  /// otherwise.
  static date parse(std::string_view text);

  /// Days since 1970-01-01 (negative before).
  [[nodiscard]] constexpr std::int32_t days_since_epoch() const noexcept { return days_; }
  /// The wire's unsigned day number.
  [[nodiscard]] constexpr std::uint32_t raw() const noexcept {
    return static_cast<std::uint32_t>(days_) ^ 0x80000000U;
  }
  /// The same day as a chrono day (always representable).
  [[nodiscard]] constexpr std::chrono::sys_days to_sys_days() const noexcept {
    return std::chrono::sys_days{std::chrono::days{days_}};
  }
  /// The calendar date; throws codec_error outside std::chrono::year's range (±32767).
  [[nodiscard]] std::chrono::year_month_day to_year_month_day() const;
  /// "YYYY-MM-DD"; outside std::chrono::year's range, the day number (as cqlsh prints it).
  [[nodiscard]] std::string to_string() const;

  /// Chronological order.
  friend constexpr auto operator<=>(const date&, const date&) noexcept = default;

 private:
  std::int32_t days_ = 0;
};

/// A CQL time: nanoseconds since midnight, 0..86'399'999'999'999.
/// Example: `coodie::time_of_day t(std::chrono::hours{23} + std::chrono::minutes{59});`
class time_of_day {
 public:
  /// The last nanosecond of a day, 23:59:59.999999999.
  static constexpr std::int64_t max_nanoseconds = 86'399'999'999'999;

  /// Midnight.
  constexpr time_of_day() noexcept = default;
  /// Throws codec_error unless 0 <= since_midnight < 24h.
  explicit time_of_day(std::chrono::nanoseconds since_midnight);
  /// Parses "HH:MM:SS" with an optional fraction of up to 9 digits; codec_error otherwise.
  static time_of_day parse(std::string_view text);

  /// Nanoseconds since midnight.
  [[nodiscard]] constexpr std::chrono::nanoseconds since_midnight() const noexcept {
    return std::chrono::nanoseconds{nanos_};
  }
  /// "HH:MM:SS.nnnnnnnnn".
  [[nodiscard]] std::string to_string() const;

  /// Chronological order.
  friend constexpr auto operator<=>(const time_of_day&, const time_of_day&) noexcept = default;

 private:
  std::int64_t nanos_ = 0;
};

/// A CQL duration: months, days and nanoseconds, kept apart because their lengths vary. All three
/// are >= 0 or all <= 0.
/// Example: `coodie::duration d(1, 15, 0);  // one month and fifteen days`
class duration {
 public:
  constexpr duration() noexcept = default;
  /// Throws codec_error when the signs are mixed.
  duration(std::int32_t months, std::int32_t days, std::int64_t nanoseconds);

  /// The three components, all >= 0 or all <= 0.
  [[nodiscard]] constexpr std::int32_t months() const noexcept { return months_; }
  [[nodiscard]] constexpr std::int32_t days() const noexcept { return days_; }
  [[nodiscard]] constexpr std::int64_t nanoseconds() const noexcept { return nanos_; }

  /// Component-wise equality (1 month != 30 days).
  friend constexpr bool operator==(const duration&, const duration&) noexcept = default;

 private:
  std::int32_t months_ = 0;
  std::int32_t days_ = 0;
  std::int64_t nanos_ = 0;
};

/// An IPv4 or IPv6 address (CQL inet). Default-constructed it is 0.0.0.0. IPv4 orders before IPv6.
/// Example: `auto a = coodie::inet::parse("192.168.0.1"); a.to_string();`
class inet {
 public:
  constexpr inet() noexcept = default;
  /// From 4 or 16 bytes in network order; throws codec_error on any other size.
  static inet from_bytes(std::span<const std::byte> bytes);
  /// Parses dotted IPv4 or RFC 4291 IPv6 text (inet_pton); throws codec_error otherwise.
  static inet parse(std::string_view text);
  /// Like parse() but returns std::nullopt on malformed text.
  static std::optional<inet> try_parse(std::string_view text) noexcept;

  /// Whether this is an IPv4 (4-byte) or IPv6 (16-byte) address.
  [[nodiscard]] constexpr bool is_v4() const noexcept { return size_ == 4; }
  [[nodiscard]] constexpr bool is_v6() const noexcept { return size_ == 16; }
  /// The 4 or 16 address bytes.
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return {bytes_.data(), size_}; }
  /// Text form (inet_ntop): "10.0.0.1", "::1".
  [[nodiscard]] std::string to_string() const;

  /// IPv4 before IPv6, then by address bytes.
  friend constexpr auto operator<=>(const inet&, const inet&) noexcept = default;

 private:
  std::uint8_t size_ = 4;
  std::array<std::byte, 16> bytes_{};
};

/// An arbitrary-precision integer (CQL varint), held as its minimal big-endian two's-complement
/// bytes, which is also its wire form.
/// Example:
///   coodie::varint v = coodie::varint::parse("-1267650600228229401496703205377");
///   v.to_string();                      // the same digits
///   coodie::varint(128).bytes();        // 00 80
class varint {
 public:
  /// Zero.
  varint() noexcept = default;
  /// From any integer type (not bool).
  template <std::integral I>
  requires(!std::same_as<I, bool>) varint(I v)
      : varint(std::is_signed_v<I> ? from_int64(static_cast<std::int64_t>(v))
                                   : from_uint64(static_cast<std::uint64_t>(v))) {}
  /// From big-endian two's-complement bytes (redundant sign bytes are dropped); throws
  /// codec_error when empty.
  static varint from_bytes(std::span<const std::byte> bytes);
  /// Parses optional sign and decimal digits; throws codec_error otherwise.
  static varint parse(std::string_view text);

  /// Decimal digits with a leading '-' when negative.
  [[nodiscard]] std::string to_string() const;
  /// True when the value fits std::int64_t.
  [[nodiscard]] bool fits_int64() const noexcept { return bytes_.size() <= 8; }
  /// The value as std::int64_t; throws codec_error when it does not fit.
  [[nodiscard]] std::int64_t to_int64() const;
  /// -1, 0 or 1.
  [[nodiscard]] int sign() const noexcept;
  /// Minimal two's-complement bytes, big-endian (zero is one 00 byte).
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept;

  /// Numeric equality and order.
  friend bool operator==(const varint&, const varint&) noexcept = default;
  friend std::strong_ordering operator<=>(const varint& a, const varint& b) noexcept;

 private:
  static varint from_int64(std::int64_t v);
  static varint from_uint64(std::uint64_t v);

  std::vector<std::byte> bytes_;  // minimal encoding; empty means zero
};

/// An arbitrary-precision decimal (CQL decimal): unscaled × 10^-scale. Equality compares the
/// (unscaled, scale) pair, so 1.0 != 1.00, as in Cassandra.
/// Example:
///   auto d = coodie::decimal::parse("-12.3450");  // unscaled -123450, scale 4
///   d.to_string();                                // "-12.3450"
///   coodie::decimal(coodie::varint(12), -3).to_string();  // "1.2E+4"
class decimal {
 public:
  /// Zero with scale 0.
  decimal() noexcept = default;
  /// unscaled × 10^-scale.
  decimal(varint unscaled, std::int32_t scale) : unscaled_(std::move(unscaled)), scale_(scale) {}
  /// Parses "[+-]digits[.digits][(e|E)[+-]digits]"; throws codec_error otherwise.
  static decimal parse(std::string_view text);

  /// The digits, as an integer.
  [[nodiscard]] const varint& unscaled() const noexcept { return unscaled_; }
  /// The count of digits after the decimal point (negative: trailing zeros before it).
  [[nodiscard]] std::int32_t scale() const noexcept { return scale_; }
  /// The text Java's BigDecimal.toString() gives (what cqlsh shows): "-12.3450", "1.2E+4",
  /// "1E-10"; parse() reads it back to an equal decimal.
  [[nodiscard]] std::string to_string() const;

  /// Equality of (unscaled, scale).
  friend bool operator==(const decimal&, const decimal&) noexcept = default;

 private:
  varint unscaled_;
  std::int32_t scale_ = 0;
};

}  // namespace coodie

/// Hashes of uuid and timeuuid, for unordered containers.
template <>
struct std::hash<coodie::uuid> {
  std::size_t operator()(const coodie::uuid& u) const noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::byte b : u.bytes()) {
      h = (h ^ std::to_integer<std::uint64_t>(b)) * 0x100000001b3ULL;
    }
    return static_cast<std::size_t>(h);
  }
};
template <>
struct std::hash<coodie::timeuuid> {
  std::size_t operator()(const coodie::timeuuid& u) const noexcept {
    return std::hash<coodie::uuid>{}(u.as_uuid());
  }
};
