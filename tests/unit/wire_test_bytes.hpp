// Helpers for the wire tests: bytes from hex text, and a builder of hand-made protocol bodies that
// spells out every field's width, so expected bytes follow the spec rather than the code under
// test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "coodie/wire/codec.hpp"

namespace coodie::wire::test {

/// "04 00 00 01 07" -> bytes; whitespace is ignored.
inline byte_buffer hex(std::string_view text) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c - 'A' + 10;
  };
  byte_buffer out;
  int hi = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n') {
      continue;
    }
    if (hi < 0) {
      hi = nibble(c);
    } else {
      out.push_back(static_cast<std::byte>(hi * 16 + nibble(c)));
      hi = -1;
    }
  }
  return out;
}

/// Bytes as "04 00 ..." for readable failure messages.
inline std::string to_hex(bytes_view b) {
  constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i > 0) {
      out += ' ';
    }
    auto u = std::to_integer<unsigned>(b[i]);
    out += digits[u >> 4];
    out += digits[u & 0x0F];
  }
  return out;
}

/// Builds a body field by field, big-endian, each call naming the protocol notation it writes.
class body {
 public:
  body& byte(std::uint8_t v) {
    buf_.push_back(std::byte{v});
    return *this;
  }
  body& short_(std::uint16_t v) {
    byte(static_cast<std::uint8_t>(v >> 8));
    return byte(static_cast<std::uint8_t>(v));
  }
  body& int_(std::int32_t v) {
    auto u = static_cast<std::uint32_t>(v);
    for (int s = 24; s >= 0; s -= 8) {
      byte(static_cast<std::uint8_t>(u >> s));
    }
    return *this;
  }
  body& long_(std::int64_t v) {
    auto u = static_cast<std::uint64_t>(v);
    for (int s = 56; s >= 0; s -= 8) {
      byte(static_cast<std::uint8_t>(u >> s));
    }
    return *this;
  }
  body& raw(std::string_view s) {
    for (char c : s) {
      byte(static_cast<std::uint8_t>(c));
    }
    return *this;
  }
  body& raw(bytes_view b) {
    buf_.insert(buf_.end(), b.begin(), b.end());
    return *this;
  }
  body& hex(std::string_view text) { return raw(test::hex(text)); }
  /// [string]
  body& string(std::string_view s) {
    short_(static_cast<std::uint16_t>(s.size()));
    return raw(s);
  }
  /// [long string]
  body& long_string(std::string_view s) {
    int_(static_cast<std::int32_t>(s.size()));
    return raw(s);
  }
  /// [bytes] with content
  body& bytes(std::string_view s) {
    int_(static_cast<std::int32_t>(s.size()));
    return raw(s);
  }
  body& bytes(bytes_view b) {
    int_(static_cast<std::int32_t>(b.size()));
    return raw(b);
  }
  /// [bytes] null
  body& null_bytes() { return int_(-1); }
  /// [short bytes]
  body& short_bytes(std::string_view s) {
    short_(static_cast<std::uint16_t>(s.size()));
    return raw(s);
  }
  /// [option] of a simple type id
  body& option(std::uint16_t id) { return short_(id); }

  [[nodiscard]] const byte_buffer& buffer() const { return buf_; }
  [[nodiscard]] bytes_view view() const { return buf_; }
  operator bytes_view() const { return buf_; }  // NOLINT(google-explicit-constructor)

 private:
  byte_buffer buf_;
};

}  // namespace coodie::wire::test
