// Primitive readers and writers of the CQL native protocol notation ([int], [string], [bytes],
// [value], maps, ...). Pure: no I/O. Every read is bounds-checked and throws coodie::protocol_error
// on malformed input; nothing reads past the span it was given.
//
// Example:
//   std::vector<std::byte> buf;
//   coodie::wire::writer w(buf);
//   w.string("hello");               // 00 05 'h' 'e' 'l' 'l' 'o'
//   coodie::wire::reader r(buf);
//   std::string_view s = r.string();  // "hello", a view into buf
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coodie/error.hpp"

namespace coodie::wire {

using bytes_view = std::span<const std::byte>;
using byte_buffer = std::vector<std::byte>;

/// A view of a string's bytes.
inline bytes_view as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
/// A view of bytes as characters.
inline std::string_view as_chars(bytes_view b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

/// A protocol [value]: bytes, null (length -1) or unset (length -2). Empty (length 0) is bytes.
class value_view {
 public:
  enum class state : std::uint8_t { set, null, unset };
  constexpr value_view() noexcept : state_(state::null) {}
  constexpr explicit value_view(bytes_view bytes) noexcept : bytes_(bytes), state_(state::set) {}
  static constexpr value_view null() noexcept { return value_view(); }
  static constexpr value_view unset() noexcept {
    value_view v;
    v.state_ = state::unset;
    return v;
  }
  [[nodiscard]] constexpr bool is_null() const noexcept { return state_ == state::null; }
  [[nodiscard]] constexpr bool is_unset() const noexcept { return state_ == state::unset; }
  [[nodiscard]] constexpr bool is_set() const noexcept { return state_ == state::set; }
  /// The bytes; empty unless is_set().
  [[nodiscard]] constexpr bytes_view bytes() const noexcept { return bytes_; }

 private:
  bytes_view bytes_;
  state state_;
};

[[noreturn]] void throw_truncated(std::string_view what, std::size_t need, std::size_t have);
[[noreturn]] void throw_malformed(std::string_view what);

/// Reads protocol notation from a span. Throws protocol_error when the span is too short or a
/// length is invalid.
class reader {
 public:
  constexpr explicit reader(bytes_view data) noexcept : data_(data) {}

  [[nodiscard]] std::size_t remaining() const noexcept { return data_.size() - pos_; }
  [[nodiscard]] bool empty() const noexcept { return pos_ == data_.size(); }
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  /// The bytes not read yet.
  [[nodiscard]] bytes_view rest() const noexcept { return data_.subspan(pos_); }

  /// n raw bytes.
  bytes_view raw(std::size_t n, std::string_view what = "bytes") {
    if (n > remaining()) {
      throw_truncated(what, n, remaining());
    }
    bytes_view out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  void skip(std::size_t n) { (void)raw(n); }

  std::uint8_t u8() { return std::to_integer<std::uint8_t>(raw(1, "[byte]")[0]); }
  std::int8_t i8() { return static_cast<std::int8_t>(u8()); }
  std::uint16_t u16() { return load_be<std::uint16_t>(raw(2, "[short]")); }
  std::int16_t i16() { return static_cast<std::int16_t>(u16()); }
  std::int32_t i32() { return static_cast<std::int32_t>(load_be<std::uint32_t>(raw(4, "[int]"))); }
  std::int64_t i64() { return static_cast<std::int64_t>(load_be<std::uint64_t>(raw(8, "[long]"))); }

  /// [string]: u16 length then UTF-8 bytes (not validated here).
  std::string_view string() { return as_chars(raw(u16(), "[string]")); }
  /// [long string]: i32 length (must be >= 0).
  std::string_view long_string() {
    std::int32_t n = i32();
    if (n < 0) {
      throw_malformed("negative [long string] length");
    }
    return as_chars(raw(static_cast<std::size_t>(n), "[long string]"));
  }
  /// [bytes]: i32 length, negative means null (std::nullopt).
  std::optional<bytes_view> bytes() {
    std::int32_t n = i32();
    if (n < 0) {
      return std::nullopt;
    }
    return raw(static_cast<std::size_t>(n), "[bytes]");
  }
  /// [value]: like [bytes] but -2 is "unset" and lengths below -2 are malformed.
  value_view value() {
    std::int32_t n = i32();
    if (n >= 0) {
      return value_view(raw(static_cast<std::size_t>(n), "[value]"));
    }
    if (n == -1) {
      return value_view::null();
    }
    if (n == -2) {
      return value_view::unset();
    }
    throw_malformed("[value] length below -2");
  }
  /// [short bytes]: u16 length.
  bytes_view short_bytes() { return raw(u16(), "[short bytes]"); }

  /// [string list].
  std::vector<std::string> string_list();
  /// [string map] as ordered pairs.
  std::vector<std::pair<std::string, std::string>> string_map();
  /// [string multimap] as ordered pairs.
  std::vector<std::pair<std::string, std::vector<std::string>>> string_multimap();
  /// [bytes map] as ordered pairs (values may be null: empty optional).
  std::vector<std::pair<std::string, std::optional<byte_buffer>>> bytes_map();
  /// [inetaddr] (u8 size 4|16 then the address bytes).
  bytes_view inetaddr();

  template <class U>
  static U load_be(bytes_view b) noexcept {
    U v;
    std::memcpy(&v, b.data(), sizeof(U));
    if constexpr (std::endian::native == std::endian::little && sizeof(U) > 1) {
      v = byteswap(v);
    }
    return v;
  }

 private:
  template <class U>
  static constexpr U byteswap(U v) noexcept {
    if constexpr (sizeof(U) == 2) {
      return static_cast<U>(__builtin_bswap16(static_cast<std::uint16_t>(v)));
    } else if constexpr (sizeof(U) == 4) {
      return static_cast<U>(__builtin_bswap32(static_cast<std::uint32_t>(v)));
    } else {
      return static_cast<U>(__builtin_bswap64(static_cast<std::uint64_t>(v)));
    }
  }

  bytes_view data_;
  std::size_t pos_ = 0;
};

/// Appends protocol notation to a byte buffer.
class writer {
 public:
  explicit writer(byte_buffer& out) noexcept : out_(&out) {}

  [[nodiscard]] std::size_t size() const noexcept { return out_->size(); }
  [[nodiscard]] byte_buffer& buffer() noexcept { return *out_; }

  void raw(bytes_view b) {
    if (!b.empty()) {
      std::size_t at = out_->size();
      out_->resize(at + b.size());
      std::memcpy(out_->data() + at, b.data(), b.size());
    }
  }
  void raw(std::string_view s) { raw(as_bytes(s)); }

  void u8(std::uint8_t v) { out_->push_back(std::byte{v}); }
  void i8(std::int8_t v) { u8(static_cast<std::uint8_t>(v)); }
  void u16(std::uint16_t v) { store_be(v); }
  void i16(std::int16_t v) { store_be(static_cast<std::uint16_t>(v)); }
  void i32(std::int32_t v) { store_be(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) { store_be(static_cast<std::uint64_t>(v)); }

  /// [string]; throws codec_error if longer than 65535 bytes.
  void string(std::string_view s);
  /// [long string].
  void long_string(std::string_view s);
  /// [bytes]; std::nullopt writes null.
  void bytes(std::optional<bytes_view> b);
  /// [short bytes].
  void short_bytes(bytes_view b);
  /// [value] from a value_view (set, null or unset).
  void value(value_view v);
  void null_value() { i32(-1); }
  void unset_value() { i32(-2); }
  void string_list(const std::vector<std::string>& list);
  void string_map(const std::vector<std::pair<std::string, std::string>>& map);

  /// Reserves a 4-byte length and returns its position; end_length() fills it with the number
  /// of bytes written since. Used to write a [bytes] whose content is encoded in place.
  std::size_t begin_length() {
    std::size_t at = out_->size();
    out_->resize(at + 4);
    return at;
  }
  void end_length(std::size_t at);
  /// Overwrites a big-endian i32 at a position written earlier.
  void patch_i32(std::size_t at, std::int32_t v) noexcept;
  void patch_u16(std::size_t at, std::uint16_t v) noexcept;

 private:
  template <class U>
  void store_be(U v) {
    if constexpr (std::endian::native == std::endian::little && sizeof(U) > 1) {
      if constexpr (sizeof(U) == 2) {
        v = static_cast<U>(__builtin_bswap16(v));
      } else if constexpr (sizeof(U) == 4) {
        v = __builtin_bswap32(v);
      } else {
        v = __builtin_bswap64(v);
      }
    }
    std::size_t at = out_->size();
    out_->resize(at + sizeof(U));
    std::memcpy(out_->data() + at, &v, sizeof(U));
  }

  byte_buffer* out_;
};

}  // namespace coodie::wire
