// Internal to coodie::wire: reading decimal and hexadecimal digits, shared by the text forms of
// date, time_of_day, decimal and uuid, and by the marshal-class parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace coodie::wire::detail {

// Parses up to max_digits decimal digits at text[i..]; false if none or too many.
inline bool parse_digits(std::string_view text, std::size_t& i, std::size_t max_digits,
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

/// The value of a hexadecimal digit (either case), or -1.
constexpr int hex_value(char c) noexcept {
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

}  // namespace coodie::wire::detail
