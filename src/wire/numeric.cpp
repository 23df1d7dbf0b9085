// varint and decimal: arbitrary-precision integers as minimal two's-complement bytes, decimals
// as an unscaled varint and a scale, their text forms and the out-of-line parts of their
// cql_traits.
#include "coodie/wire/values.hpp"

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "coodie/wire/traits.hpp"
#include "digits.hpp"

namespace coodie {

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
    if (!wire::detail::parse_digits(text, i, 12, exponent)) {
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
// cql_traits

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
