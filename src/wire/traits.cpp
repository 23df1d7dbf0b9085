// The vint codec and the out-of-line helpers of coodie/wire/traits.hpp: type names and the
// codec_error messages shared by the built-in cql_traits, element counts, ASCII and UTF-8 checks.
#include "coodie/wire/traits.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

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
  // Clang spells the integers without "int" ("long", "unsigned short"): whole words only, the
  // longest first, and "long long" kept as it is, as above.
  static constexpr std::pair<std::string_view, std::string_view> words[] = {
      {"unsigned long long", "\x01"},     {"long long", "\x02"},
      {"unsigned long", "std::uint64_t"}, {"unsigned short", "std::uint16_t"},
      {"long", "std::int64_t"},           {"short", "std::int16_t"},
      {"\x01", "unsigned long long"},     {"\x02", "long long"},
  };
  auto word_char = [](char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  for (const auto& [from, to] : words) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at)) {
      const std::size_t after = at + from.size();
      if ((at > 0 && word_char(s[at - 1])) || (after < s.size() && word_char(s[after]))) {
        at = after;
        continue;
      }
      s.replace(at, from.size(), to);
      at += to.size();
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

void check_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  auto bad = [&](std::size_t at) {
    throw codec_error(fmt::format(
        "invalid UTF-8 (byte 0x{:02x} at offset {}) in a value bound to a text column", p[at], at));
  };
  while (i < n) {
    // ASCII runs, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t word = 0;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) {
        break;
      }
      i += 8;
    }
    if (i >= n) {
      break;
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      lo = c == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
      hi = c == 0xED ? 0x9F : 0xBF;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      lo = c == 0xF0 ? 0x90 : 0x80;
      hi = c == 0xF4 ? 0x8F : 0xBF;  // at most U+10FFFF
    } else {
      bad(i);
    }
    if (i + len > n) {
      bad(i);
    }
    if (p[i + 1] < lo || p[i + 1] > hi) {
      bad(i + 1);
    }
    for (std::size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) {
        bad(i + k);
      }
    }
    i += len;
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
