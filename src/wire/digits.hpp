// Internal to coodie::wire: reading a run of decimal digits, shared by the text forms of date,
// time_of_day and decimal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace coodie::detail {

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

}  // namespace coodie::detail
