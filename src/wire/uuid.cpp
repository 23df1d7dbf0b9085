// uuid and timeuuid: text forms, generation (random version 4, monotonic version 1) and the
// out-of-line parts of their cql_traits.
#include "coodie/wire/values.hpp"

#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "coodie/wire/traits.hpp"
#include "digits.hpp"

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
    int h = wire::detail::hex_value(text[i]);
    int l = wire::detail::hex_value(text[i + 1]);
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
  if (!wire::detail::rescale_floor<ticks::period, std::chrono::system_clock::period>(t, count)) {
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
// cql_traits

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

}  // namespace coodie
