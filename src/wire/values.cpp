// Value types (uuid, timeuuid, date, time_of_day, duration, inet, varint, decimal) and the
// out-of-line parts of the built-in cql_traits.
#include "coodie/wire/values.hpp"

#include <arpa/inet.h>
#include <pthread.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <random>

#include <fmt/format.h>

#include "coodie/wire/traits.hpp"

namespace coodie {
namespace {

// ---------------------------------------------------------------------------------------------
// Randomness: a per-thread generator seeded from the OS, reseeded in a child after fork().

std::atomic<std::uint64_t> fork_generation{0};

void after_fork_in_child() noexcept {
  fork_generation.fetch_add(1);
}

std::uint64_t current_fork_generation() {
  static const bool registered = [] {
    pthread_atfork(nullptr, nullptr, &after_fork_in_child);
    return true;
  }();
  (void)registered;
  return fork_generation.load(std::memory_order_relaxed);
}

struct thread_rng {
  std::mt19937_64 engine;
  std::uint64_t generation = ~std::uint64_t{0};
};

std::uint64_t random_u64() {
  thread_local thread_rng rng;
  const std::uint64_t generation = current_fork_generation();
  if (rng.generation != generation) {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(),
                       device(), device(), device(), device()};
    rng.engine.seed(seed);
    rng.generation = generation;
  }
  return rng.engine();
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Parses up to max_digits decimal digits at text[i..]; false if none or too many.
bool parse_digits(std::string_view text, std::size_t& i, std::size_t max_digits,
                  std::int64_t& out) {
  std::size_t start = i;
  out = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (i - start == max_digits) {
      return false;
    }
    out = out * 10 + (text[i] - '0');
    ++i;
  }
  return i > start;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// uuid

uuid uuid::random() {
  std::array<std::byte, 16> b{};
  std::uint64_t hi = random_u64();
  std::uint64_t lo = random_u64();
  for (std::size_t i = 0; i < 8; ++i) {
    b[i] = static_cast<std::byte>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<std::byte>(lo >> (56 - 8 * i));
  }
  b[6] = (b[6] & std::byte{0x0F}) | std::byte{0x40};  // version 4
  b[8] = (b[8] & std::byte{0x3F}) | std::byte{0x80};  // RFC 4122 variant
  return uuid(b);
}

std::optional<uuid> uuid::try_parse(std::string_view text) noexcept {
  if (text.size() != 36) {
    return std::nullopt;
  }
  std::array<std::byte, 16> b{};
  std::size_t out = 0;
  for (std::size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') {
        return std::nullopt;
      }
      ++i;
      continue;
    }
    int h = hex_value(text[i]);
    int l = hex_value(text[i + 1]);
    if (h < 0 || l < 0) {
      return std::nullopt;
    }
    b[out++] = static_cast<std::byte>(h * 16 + l);
    i += 2;
  }
  return uuid(b);
}

uuid uuid::parse(std::string_view text) {
  if (std::optional<uuid> u = try_parse(text)) {
    return *u;
  }
  throw codec_error(fmt::format("malformed uuid '{}' (expected 8-4-4-4-12 hex digits)", text));
}

uuid uuid::from_bytes(std::span<const std::byte> bytes) {
  if (bytes.size() != 16) {
    wire::detail::throw_wrong_size("uuid", 16, bytes.size());
  }
  std::array<std::byte, 16> b{};
  std::copy(bytes.begin(), bytes.end(), b.begin());
  return uuid(b);
}

std::string uuid::to_string() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      s.push_back('-');
    }
    auto v = std::to_integer<unsigned>(bytes_[i]);
    s.push_back(digits[v >> 4]);
    s.push_back(digits[v & 0xF]);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// timeuuid

namespace {

std::atomic<std::uint64_t> last_timeuuid_timestamp{0};
std::atomic<std::uint64_t> node_generation{~std::uint64_t{0}};
std::atomic<std::uint64_t> node_clock_and_node{0};

// Clock sequence and node bytes (8..15), chosen once per process and again after fork(). Two
// threads racing here may briefly use two different random nodes, which keeps ids unique.
std::uint64_t process_clock_and_node() {
  const std::uint64_t generation = current_fork_generation();
  if (node_generation.load(std::memory_order_acquire) != generation) {
    std::uint64_t r = random_u64();
    r = (r & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
    r |= std::uint64_t{1} << 40;  // multicast bit of the node: not a real MAC address
    node_clock_and_node.store(r, std::memory_order_relaxed);
    node_generation.store(generation, std::memory_order_release);
    return r;
  }
  return node_clock_and_node.load(std::memory_order_relaxed);
}

void check_version_1(const uuid& u) {
  if (u.version() != 1) {
    throw codec_error(fmt::format("uuid {} is version {}, a timeuuid must be version 1",
                                  u.to_string(), u.version()));
  }
}

}  // namespace

timeuuid::timeuuid(const uuid& u) : value_(u) {
  check_version_1(u);
}

timeuuid timeuuid::now() {
  auto since_epoch = std::chrono::floor<ticks>(std::chrono::system_clock::now()).time_since_epoch();
  const auto t = static_cast<std::uint64_t>(since_epoch.count() + gregorian_offset);
  std::uint64_t prev = last_timeuuid_timestamp.load(std::memory_order_relaxed);
  std::uint64_t next = 0;
  do {
    next = std::max(t, prev + 1);
  } while (!last_timeuuid_timestamp.compare_exchange_weak(prev, next, std::memory_order_relaxed));
  return timeuuid(make(next, process_clock_and_node()));
}

timeuuid timeuuid::parse(std::string_view text) {
  return timeuuid(uuid::parse(text));
}

timeuuid timeuuid::from_bytes(std::span<const std::byte> bytes) {
  return timeuuid(uuid::from_bytes(bytes));
}

std::uint64_t timeuuid::raw_timestamp() const noexcept {
  const auto& b = bytes();
  auto at = [&](std::size_t i) { return std::to_integer<std::uint64_t>(b[i]); };
  std::uint64_t low = (at(0) << 24) | (at(1) << 16) | (at(2) << 8) | at(3);
  std::uint64_t mid = (at(4) << 8) | at(5);
  std::uint64_t high = ((at(6) & 0x0F) << 8) | at(7);
  return (high << 48) | (mid << 32) | low;
}

std::chrono::system_clock::time_point timeuuid::timestamp() const {
  const auto t = static_cast<std::int64_t>(raw_timestamp()) - gregorian_offset;
  std::int64_t count = 0;
  if (!detail::rescale_floor<ticks::period, std::chrono::system_clock::period>(t, count)) {
    throw codec_error(
        fmt::format("timeuuid {} has a timestamp outside system_clock's range", to_string()));
  }
  return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(count));
}

void timeuuid::throw_out_of_range() {
  throw codec_error("time point outside the range of a timeuuid (1582-10-15 to 5236-03-31)");
}

std::strong_ordering operator<=>(const timeuuid& a, const timeuuid& b) noexcept {
  if (auto c = a.raw_timestamp() <=> b.raw_timestamp(); c != 0) {
    return c;
  }
  for (std::size_t i = 8; i < 16; ++i) {  // Cassandra compares these as signed bytes
    auto x = static_cast<std::int8_t>(std::to_integer<std::uint8_t>(a.bytes()[i]));
    auto y = static_cast<std::int8_t>(std::to_integer<std::uint8_t>(b.bytes()[i]));
    if (x != y) {
      return x <=> y;
    }
  }
  return a.as_uuid() <=> b.as_uuid();
}

// ---------------------------------------------------------------------------------------------
// date, time_of_day, duration

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
  if (!parse_digits(text, i, 5, y) || i >= text.size() || text[i++] != '-' ||
      !parse_digits(text, i, 2, m) || i >= text.size() || text[i++] != '-' ||
      !parse_digits(text, i, 2, d) || i != text.size() || y > 32767) {
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
  bool ok = parse_digits(text, i, 2, h) && i < text.size() && text[i++] == ':' &&
            parse_digits(text, i, 2, m) && i < text.size() && text[i++] == ':' &&
            parse_digits(text, i, 2, s) && h < 24 && m < 60 && s < 60;
  if (ok && i < text.size()) {
    std::size_t start = ++i;
    ok = text[start - 1] == '.' && parse_digits(text, i, 9, frac) && i == text.size();
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
// inet

inet inet::from_bytes(std::span<const std::byte> bytes) {
  if (bytes.size() != 4 && bytes.size() != 16) {
    throw codec_error(fmt::format("wrong size for a CQL inet value: expected 4 or 16 bytes, got {}",
                                  bytes.size()));
  }
  inet a;
  a.size_ = static_cast<std::uint8_t>(bytes.size());
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  return a;
}

std::optional<inet> inet::try_parse(std::string_view text) noexcept {
  char buf[64];
  if (text.size() >= sizeof buf || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  inet a;
  if (inet_pton(AF_INET, buf, a.bytes_.data()) == 1) {
    a.size_ = 4;
    return a;
  }
  if (inet_pton(AF_INET6, buf, a.bytes_.data()) == 1) {
    a.size_ = 16;
    return a;
  }
  return std::nullopt;
}

inet inet::parse(std::string_view text) {
  if (std::optional<inet> a = try_parse(text)) {
    return *a;
  }
  throw codec_error(fmt::format("malformed inet address '{}'", text));
}

std::string inet::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// varint: minimal big-endian two's complement, empty for zero. Conversions to and from decimal go
// through a little-endian base-2^32 magnitude.

namespace {

using limbs = std::vector<std::uint32_t>;

// Drops redundant sign bytes; zero becomes empty.
void normalize(std::vector<std::byte>& b) {
  std::size_t skip = 0;
  while (skip + 1 < b.size()) {
    auto first = std::to_integer<unsigned>(b[skip]);
    auto next_top = std::to_integer<unsigned>(b[skip + 1]) & 0x80;
    if ((first == 0x00 && next_top == 0) || (first == 0xFF && next_top != 0)) {
      ++skip;
    } else {
      break;
    }
  }
  b.erase(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(skip));
  if (b.size() == 1 && b[0] == std::byte{0}) {
    b.clear();
  }
}

void negate(std::vector<std::byte>& b) {
  unsigned carry = 1;
  for (std::size_t i = b.size(); i-- > 0;) {
    unsigned v = (~std::to_integer<unsigned>(b[i]) & 0xFF) + carry;
    b[i] = static_cast<std::byte>(v & 0xFF);
    carry = v >> 8;
  }
}

bool to_magnitude(std::span<const std::byte> bytes, limbs& mag) {
  std::vector<std::byte> b(bytes.begin(), bytes.end());
  const bool negative = !b.empty() && (std::to_integer<unsigned>(b[0]) & 0x80) != 0;
  if (negative) {
    negate(b);
  }
  mag.assign((b.size() + 3) / 4, 0);
  for (std::size_t i = 0; i < b.size(); ++i) {
    std::size_t bit = (b.size() - 1 - i) * 8;
    mag[bit / 32] |= std::to_integer<std::uint32_t>(b[i]) << (bit % 32);
  }
  while (!mag.empty() && mag.back() == 0) {
    mag.pop_back();
  }
  return negative;
}

std::vector<std::byte> from_magnitude(bool negative, const limbs& mag) {
  std::vector<std::byte> b(mag.size() * 4 + 1, std::byte{0});
  for (std::size_t i = 0; i < mag.size(); ++i) {
    for (std::size_t k = 0; k < 4; ++k) {
      b[b.size() - 1 - (4 * i + k)] = static_cast<std::byte>(mag[i] >> (8 * k));
    }
  }
  if (negative) {
    negate(b);
  }
  normalize(b);
  return b;
}

// Divides mag by d in place and returns the remainder.
std::uint32_t divide(limbs& mag, std::uint32_t d) {
  std::uint64_t rem = 0;
  for (std::size_t i = mag.size(); i-- > 0;) {
    std::uint64_t cur = (rem << 32) | mag[i];
    mag[i] = static_cast<std::uint32_t>(cur / d);
    rem = cur % d;
  }
  while (!mag.empty() && mag.back() == 0) {
    mag.pop_back();
  }
  return static_cast<std::uint32_t>(rem);
}

// mag = mag * mul + add.
void multiply_add(limbs& mag, std::uint32_t mul, std::uint32_t add) {
  std::uint64_t carry = add;
  for (std::uint32_t& limb : mag) {
    std::uint64_t cur = std::uint64_t{limb} * mul + carry;
    limb = static_cast<std::uint32_t>(cur);
    carry = cur >> 32;
  }
  if (carry != 0) {
    mag.push_back(static_cast<std::uint32_t>(carry));
  }
}

}  // namespace

varint varint::from_bytes(std::span<const std::byte> bytes) {
  if (bytes.empty()) {
    throw codec_error("empty varint value (a varint has at least one byte)");
  }
  varint v;
  v.bytes_.assign(bytes.begin(), bytes.end());
  normalize(v.bytes_);
  return v;
}

varint varint::from_int64(std::int64_t x) {
  varint v;
  v.bytes_.resize(8);
  for (std::size_t i = 0; i < 8; ++i) {
    v.bytes_[i] = static_cast<std::byte>(static_cast<std::uint64_t>(x) >> (56 - 8 * i));
  }
  normalize(v.bytes_);
  return v;
}

varint varint::from_uint64(std::uint64_t x) {
  varint v;
  v.bytes_.resize(9);
  for (std::size_t i = 1; i < 9; ++i) {
    v.bytes_[i] = static_cast<std::byte>(x >> (64 - 8 * i));
  }
  normalize(v.bytes_);
  return v;
}

varint varint::parse(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    i = 1;
  }
  if (i == text.size() || !std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i), text.end(),
                                       [](char c) { return c >= '0' && c <= '9'; })) {
    throw codec_error(fmt::format("malformed varint '{}' (expected decimal digits)", text));
  }
  limbs mag;
  while (i < text.size()) {
    std::size_t n = std::min<std::size_t>(9, text.size() - i);
    std::uint32_t chunk = 0;
    std::uint32_t mul = 1;
    for (std::size_t k = 0; k < n; ++k) {
      chunk = chunk * 10 + static_cast<std::uint32_t>(text[i + k] - '0');
      mul *= 10;
    }
    multiply_add(mag, mul, chunk);
    i += n;
  }
  varint v;
  v.bytes_ = from_magnitude(negative, mag);
  return v;
}

std::string varint::to_string() const {
  if (bytes_.empty()) {
    return "0";
  }
  if (fits_int64()) {
    return std::to_string(to_int64());
  }
  limbs mag;
  const bool negative = to_magnitude(bytes_, mag);
  std::vector<std::uint32_t> chunks;  // base 10^9, least significant first
  while (!mag.empty()) {
    chunks.push_back(divide(mag, 1'000'000'000));
  }
  std::string s = negative ? "-" : "";
  s += std::to_string(chunks.back());
  for (std::size_t i = chunks.size() - 1; i-- > 0;) {
    s += fmt::format("{:09}", chunks[i]);
  }
  return s;
}

std::int64_t varint::to_int64() const {
  if (!fits_int64()) {
    throw codec_error(fmt::format("varint {} does not fit a 64-bit integer", to_string()));
  }
  if (bytes_.empty()) {
    return 0;
  }
  std::uint64_t v = sign() < 0 ? ~std::uint64_t{0} : 0;
  for (std::byte b : bytes_) {
    v = (v << 8) | std::to_integer<std::uint64_t>(b);
  }
  return static_cast<std::int64_t>(v);
}

int varint::sign() const noexcept {
  if (bytes_.empty()) {
    return 0;
  }
  return (std::to_integer<unsigned>(bytes_[0]) & 0x80) != 0 ? -1 : 1;
}

std::span<const std::byte> varint::bytes() const noexcept {
  static constexpr std::byte zero[1] = {std::byte{0}};
  if (bytes_.empty()) {
    return {zero, 1};
  }
  return bytes_;
}

std::strong_ordering operator<=>(const varint& a, const varint& b) noexcept {
  const int sa = a.sign();
  const int sb = b.sign();
  if (sa != sb || sa == 0) {
    return sa <=> sb;
  }
  if (a.bytes_.size() != b.bytes_.size()) {
    return sa > 0 ? a.bytes_.size() <=> b.bytes_.size() : b.bytes_.size() <=> a.bytes_.size();
  }
  auto first = [](const varint& v) {
    return static_cast<std::int8_t>(std::to_integer<std::uint8_t>(v.bytes_[0]));
  };
  if (auto c = first(a) <=> first(b); c != 0) {
    return c;
  }
  return std::lexicographical_compare_three_way(a.bytes_.begin() + 1, a.bytes_.end(),
                                                b.bytes_.begin() + 1, b.bytes_.end());
}

// ---------------------------------------------------------------------------------------------
// decimal

decimal decimal::parse(std::string_view text) {
  auto fail = [&]() -> decimal { throw codec_error(fmt::format("malformed decimal '{}'", text)); };
  std::size_t i = 0;
  std::string digits;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    if (text[i] == '-') {
      digits.push_back('-');
    }
    ++i;
  }
  std::int64_t fraction_digits = 0;
  bool point = false;
  bool any = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      any = true;
      fraction_digits += point ? 1 : 0;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any) {
    return fail();
  }
  std::int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative_exponent = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      negative_exponent = text[i] == '-';
      ++i;
    }
    if (!parse_digits(text, i, 12, exponent)) {
      return fail();
    }
    exponent = negative_exponent ? -exponent : exponent;
  }
  const std::int64_t scale = fraction_digits - exponent;
  if (i != text.size() || scale < std::numeric_limits<std::int32_t>::min() ||
      scale > std::numeric_limits<std::int32_t>::max()) {
    return fail();
  }
  return decimal(varint::parse(digits), static_cast<std::int32_t>(scale));
}

std::string decimal::to_string() const {
  std::string coefficient = unscaled_.to_string();
  std::string out;
  if (coefficient[0] == '-') {
    out.push_back('-');
    coefficient.erase(0, 1);
  }
  const auto length = static_cast<std::int64_t>(coefficient.size());
  const std::int64_t adjusted = -std::int64_t{scale_} + (length - 1);
  if (scale_ == 0) {
    out += coefficient;
  } else if (scale_ > 0 && adjusted >= -6) {
    if (length > scale_) {
      out += coefficient.substr(0, static_cast<std::size_t>(length - scale_));
      out += '.';
      out += coefficient.substr(static_cast<std::size_t>(length - scale_));
    } else {
      out += "0.";
      out.append(static_cast<std::size_t>(scale_ - length), '0');
      out += coefficient;
    }
  } else {
    out += coefficient[0];
    if (length > 1) {
      out += '.';
      out += coefficient.substr(1);
    }
    out += fmt::format("E{}{}", adjusted > 0 ? "+" : "", adjusted);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Out-of-line parts of the built-in cql_traits.

void cql_traits<uuid>::encode_as(const uuid& v, const wire::data_type& t, wire::writer& w) {
  if (t.id == wire::type_id::timeuuid) {
    check_version_1(v);
  }
  w.raw(v.bytes());
}

void cql_traits<uuid>::decode(wire::bytes_view b, uuid& out) {
  out = uuid::from_bytes(b);
}

void cql_traits<timeuuid>::decode(wire::bytes_view b, timeuuid& out) {
  out = timeuuid::from_bytes(b);
}

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

void cql_traits<inet>::decode(wire::bytes_view b, inet& out) {
  out = inet::from_bytes(b);
}

void cql_traits<varint>::decode(wire::bytes_view b, varint& out) {
  out = varint::from_bytes(b);
}

void cql_traits<decimal>::encode(const decimal& v, wire::writer& w) {
  w.i32(v.scale());
  w.raw(v.unscaled().bytes());
}

void cql_traits<decimal>::decode(wire::bytes_view b, decimal& out) {
  if (b.size() < 5) {
    throw codec_error(fmt::format(
        "wrong size for a CQL decimal value: expected at least 5 bytes, got {}", b.size()));
  }
  wire::reader r(b);
  const std::int32_t scale = r.i32();
  out = decimal(varint::from_bytes(r.rest()), scale);
}

}  // namespace coodie

// ---------------------------------------------------------------------------------------------
// vints and the helpers of traits.hpp

namespace coodie::wire {
namespace {

std::size_t encode_unsigned_vint(std::uint64_t v, std::array<std::byte, 9>& out) noexcept {
  const int magnitude = std::countl_zero(v | 1);
  const auto n = static_cast<std::size_t>((639 - magnitude * 9) >> 6);
  for (std::size_t i = 0; i < n; ++i) {
    out[n - 1 - i] = i < 8 ? static_cast<std::byte>(v >> (8 * i)) : std::byte{0};
  }
  out[0] |= static_cast<std::byte>(~(0xFFU >> (n - 1)) & 0xFF);
  return n;
}

}  // namespace

void write_unsigned_vint(writer& w, std::uint64_t v) {
  std::array<std::byte, 9> buf{};
  const std::size_t n = encode_unsigned_vint(v, buf);
  w.raw(bytes_view(buf.data(), n));
}

std::uint64_t read_unsigned_vint(reader& r) {
  const std::uint8_t first = r.u8();
  const int extra = std::countl_one(first);
  std::uint64_t v = extra >= 8 ? 0 : (first & (0xFFU >> extra));
  for (std::byte b : r.raw(static_cast<std::size_t>(extra), "vint")) {
    v = (v << 8) | std::to_integer<std::uint64_t>(b);
  }
  return v;
}

void write_signed_vint(writer& w, std::int64_t v) {
  write_unsigned_vint(w,
                      (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

std::int64_t read_signed_vint(reader& r) {
  const std::uint64_t u = read_unsigned_vint(r);
  return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

namespace detail {

std::string clean_type_name(std::string_view pretty_function) {
  constexpr std::string_view key = "T = ";
  std::size_t start = pretty_function.find(key);
  if (start == std::string_view::npos) {
    return std::string(pretty_function);
  }
  start += key.size();
  std::size_t end = start;
  int depth = 0;
  for (; end < pretty_function.size(); ++end) {
    const char c = pretty_function[end];
    if (c == '<' || c == '(' || c == '[') {
      ++depth;
    } else if (c == '>' || c == ')') {
      --depth;
    } else if (c == ']' || c == ';') {
      if (depth == 0) {
        break;
      }
      depth -= c == ']' ? 1 : 0;
    }
  }
  std::string s(pretty_function.substr(start, end - start));
  static constexpr std::pair<std::string_view, std::string_view> replacements[] = {
      {"std::__cxx11::basic_string<char>", "std::string"},
      {"std::basic_string_view<char>", "std::string_view"},
      {"std::basic_string<char>", "std::string"},
      {"std::__cxx11::", "std::"},
      {"std::chrono::_V2::", "std::chrono::"},
      {"long long unsigned int", "unsigned long long"},
      {"long long int", "long long"},
      {"long unsigned int", "std::uint64_t"},
      {"long int", "std::int64_t"},
      {"short unsigned int", "std::uint16_t"},
      {"short int", "std::int16_t"},
      {"signed char", "std::int8_t"},
      {"coodie::", ""},
      {" >", ">"},
  };
  for (const auto& [from, to] : replacements) {
    for (std::size_t at = s.find(from); at != std::string::npos;
         at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  }
  return s;
}

void throw_not_accepted(const std::string& cpp_type, const data_type& t, bool binding) {
  if (binding) {
    throw codec_error(
        fmt::format("cannot bind a value of C++ type {} to CQL type {}", cpp_type, to_cql(t)));
  }
  throw codec_error(
      fmt::format("cannot read a value of CQL type {} into C++ type {}", to_cql(t), cpp_type));
}

void throw_null_value(const std::string& cpp_type) {
  throw codec_error(fmt::format(
      "null value for a non-optional {} (read it into a std::optional to accept nulls)", cpp_type));
}

void throw_null_element(const std::string& cpp_type) {
  throw codec_error(fmt::format(
      "a null or unset {} cannot be written inside a collection or vector (tuple and UDT fields "
      "may be null, never unset)",
      cpp_type));
}

void throw_wrong_size(std::string_view cql_type, std::size_t expected, std::size_t got) {
  throw codec_error(fmt::format("wrong size for a CQL {} value: expected {} bytes, got {}",
                                cql_type, expected, got));
}

void throw_malformed_value(const std::string& cpp_type, const char* what) {
  throw codec_error(fmt::format("malformed value for C++ type {}: {}", cpp_type, what));
}

void throw_value_error(const std::string& message) {
  throw codec_error(message);
}

void throw_dimension(std::size_t elements, const data_type& t) {
  throw codec_error(
      fmt::format("{} elements do not match the dimension of CQL type {}", elements, to_cql(t)));
}

std::size_t check_count(std::int32_t n, std::size_t remaining, std::size_t min_bytes_each,
                        std::string_view what) {
  if (n < 0) {
    throw codec_error(fmt::format("negative element count {} in a {} value", n, what));
  }
  if (static_cast<std::size_t>(n) > remaining / min_bytes_each) {
    throw codec_error(fmt::format("element count {} of a {} value exceeds its {} remaining bytes",
                                  n, what, remaining));
  }
  return static_cast<std::size_t>(n);
}

void check_trailing(const reader& r, std::string_view what) {
  if (!r.empty()) {
    throw codec_error(fmt::format("{} unexpected bytes after a {} value", r.remaining(), what));
  }
}

void check_ascii(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c > 127) {
      throw codec_error(fmt::format(
          "non-ASCII byte 0x{:02x} at offset {} in a value bound to an ascii column", c, i));
    }
  }
}

void write_count(std::size_t n, writer& w) {
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw codec_error(fmt::format("collection of {} elements is too large for CQL", n));
  }
  w.i32(static_cast<std::int32_t>(n));
}

void prefix_vint_length(writer& w, std::size_t at) {
  std::array<std::byte, 9> buf{};
  const std::size_t n = encode_unsigned_vint(w.size() - at, buf);
  byte_buffer& out = w.buffer();
  out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), buf.begin(),
             buf.begin() + static_cast<std::ptrdiff_t>(n));
}

}  // namespace detail
}  // namespace coodie::wire
