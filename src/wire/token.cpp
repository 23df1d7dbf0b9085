// Murmur3Partitioner tokens: the first half of MurmurHash3_x64_128 (seed 0) as Cassandra computes
// it, including its quirk of reading the tail bytes as signed (sign-extended) bytes.
#include "coodie/wire/token.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace coodie::wire {

namespace {

constexpr std::uint64_t c1 = 0x87c37b91114253d5ULL;
constexpr std::uint64_t c2 = 0x4cf5ad432745937fULL;

constexpr std::uint64_t rotl(std::uint64_t v, int r) noexcept {
  return (v << r) | (v >> (64 - r));
}

constexpr std::uint64_t fmix(std::uint64_t k) noexcept {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

// A little-endian 64-bit block, bytes unsigned (as Cassandra's getBlock reads them).
std::uint64_t load_le64(const std::byte* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) {
    v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  }
  return v;
}

// The mixing of a block's first and second 8 bytes (or the tail's) before they enter h1 and h2.
constexpr std::uint64_t mix_k1(std::uint64_t k1) noexcept {
  return rotl(k1 * c1, 31) * c2;
}
constexpr std::uint64_t mix_k2(std::uint64_t k2) noexcept {
  return rotl(k2 * c2, 33) * c1;
}

// A tail byte the way Java's `(long) key.get(i)` widens it: sign-extended.
std::uint64_t signed_byte(std::byte b) noexcept {
  return static_cast<std::uint64_t>(
      static_cast<std::int64_t>(static_cast<std::int8_t>(std::to_integer<std::uint8_t>(b))));
}

}  // namespace

std::int64_t murmur3_token(bytes_view key) noexcept {
  if (key.empty()) {
    return std::numeric_limits<std::int64_t>::min();
  }
  const std::byte* data = key.data();
  const std::size_t len = key.size();
  const std::size_t blocks = len / 16;

  std::uint64_t h1 = 0;
  std::uint64_t h2 = 0;
  for (std::size_t i = 0; i < blocks; ++i) {
    const std::uint64_t k1 = load_le64(data + i * 16);
    const std::uint64_t k2 = load_le64(data + i * 16 + 8);
    h1 ^= mix_k1(k1);
    h1 = (rotl(h1, 27) + h2) * 5 + 0x52dce729;
    h2 ^= mix_k2(k2);
    h2 = (rotl(h2, 31) + h1) * 5 + 0x38495ab5;
  }

  const std::byte* tail = data + blocks * 16;
  const std::size_t rest = len & 15;
  std::uint64_t k1 = 0;
  std::uint64_t k2 = 0;
  // Bytes 8..15 of the tail feed k2, bytes 0..7 feed k1; each byte i lands at bit 8 * (i % 8).
  for (std::size_t i = rest; i > 8; --i) {
    k2 ^= signed_byte(tail[i - 1]) << (8 * (i - 9));
  }
  if (rest > 8) {
    h2 ^= mix_k2(k2);
  }
  for (std::size_t i = std::min<std::size_t>(rest, 8); i > 0; --i) {
    k1 ^= signed_byte(tail[i - 1]) << (8 * (i - 1));
  }
  if (rest > 0) {
    h1 ^= mix_k1(k1);
  }

  h1 ^= static_cast<std::uint64_t>(len);
  h2 ^= static_cast<std::uint64_t>(len);
  h1 += h2;
  h2 += h1;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 += h2;

  auto token = static_cast<std::int64_t>(h1);
  if (token == std::numeric_limits<std::int64_t>::min()) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return token;
}

void append_key_component(byte_buffer& key, bytes_view component) {
  if (component.size() > std::numeric_limits<std::uint16_t>::max()) {
    throw codec_error(fmt::format(
        "a partition key component of {} bytes exceeds the composite key limit of 65535",
        component.size()));
  }
  writer w(key);
  w.u16(static_cast<std::uint16_t>(component.size()));
  w.raw(component);
  w.u8(0);
}

}  // namespace coodie::wire
