#include "coodie/driver/statement.hpp"

#include <array>

namespace coodie {

namespace {
constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decode_char(char c) noexcept {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '-') {
    return 62;
  }
  if (c == '_') {
    return 63;
  }
  return -1;
}
}  // namespace

std::string page_state::to_string() const {
  std::string out;
  out.reserve((bytes_.size() * 4 + 2) / 3);
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return std::to_integer<unsigned>(bytes_[k]); };
  for (; i + 3 <= bytes_.size(); i += 3) {
    unsigned v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  std::size_t rest = bytes_.size() - i;
  if (rest == 1) {
    unsigned v = at(i) << 16;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
  } else if (rest == 2) {
    unsigned v = (at(i) << 16) | (at(i + 1) << 8);
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
  }
  return out;
}

page_state page_state::from_string(std::string_view text) {
  if (text.size() % 4 == 1) {
    throw usage_error("invalid page token: wrong length");
  }
  wire::byte_buffer out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = decode_char(c);
    if (v < 0) {
      throw usage_error("invalid page token: unexpected character");
    }
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::byte>((acc >> bits) & 0xFF));
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    throw usage_error("invalid page token: trailing bits");
  }
  return page_state(std::move(out));
}

void prepared_statement::check_bound(std::size_t bound, std::string_view context) const {
  const std::size_t markers = variables().size();
  if (bound != markers) {
    throw usage_error(std::string(context) + "\"" + cql() + "\" has " + std::to_string(markers) +
                      " bind markers but " + std::to_string(bound) + " values were bound");
  }
}

}  // namespace coodie
