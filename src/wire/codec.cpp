// Out-of-line members of the protocol notation reader and writer.
#include "coodie/wire/codec.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace coodie::wire {

void throw_truncated(std::string_view what, std::size_t need, std::size_t have) {
  throw protocol_error(fmt::format(
      "truncated message: reading {} needs {} bytes but only {} remain", what, need, have));
}

void throw_malformed(std::string_view what) {
  throw protocol_error(fmt::format("malformed message: {}", what));
}

namespace {

// How many elements to reserve for a list announced with `count` entries of at least `min_size`
// bytes each: never more than the remaining bytes could hold, so a lying count cannot make us
// allocate much.
std::size_t safe_reserve(std::size_t count, std::size_t remaining, std::size_t min_size) {
  return std::min(count, remaining / min_size);
}

}  // namespace

std::vector<std::string> reader::string_list() {
  std::uint16_t n = u16();
  std::vector<std::string> out;
  out.reserve(safe_reserve(n, remaining(), 2));
  for (std::uint16_t i = 0; i < n; ++i) {
    out.emplace_back(string());
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> reader::string_map() {
  std::uint16_t n = u16();
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(safe_reserve(n, remaining(), 4));
  for (std::uint16_t i = 0; i < n; ++i) {
    std::string_view k = string();
    std::string_view v = string();
    out.emplace_back(std::string(k), std::string(v));
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<std::string>>> reader::string_multimap() {
  std::uint16_t n = u16();
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  out.reserve(safe_reserve(n, remaining(), 4));
  for (std::uint16_t i = 0; i < n; ++i) {
    std::string k{string()};
    out.emplace_back(std::move(k), string_list());
  }
  return out;
}

std::vector<std::pair<std::string, std::optional<byte_buffer>>> reader::bytes_map() {
  std::uint16_t n = u16();
  std::vector<std::pair<std::string, std::optional<byte_buffer>>> out;
  out.reserve(safe_reserve(n, remaining(), 6));
  for (std::uint16_t i = 0; i < n; ++i) {
    std::string k{string()};
    std::optional<bytes_view> v = bytes();
    if (v) {
      out.emplace_back(std::move(k), byte_buffer(v->begin(), v->end()));
    } else {
      out.emplace_back(std::move(k), std::nullopt);
    }
  }
  return out;
}

bytes_view reader::inetaddr() {
  std::uint8_t n = u8();
  if (n != 4 && n != 16) {
    throw_malformed(fmt::format("[inetaddr] size {} (expected 4 or 16)", n));
  }
  return raw(n, "[inetaddr]");
}

void writer::string(std::string_view s) {
  if (s.size() > std::numeric_limits<std::uint16_t>::max()) {
    throw codec_error(
        fmt::format("[string] of {} bytes exceeds the protocol limit of 65535", s.size()));
  }
  u16(static_cast<std::uint16_t>(s.size()));
  raw(s);
}

void writer::long_string(std::string_view s) {
  if (s.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw codec_error(
        fmt::format("[long string] of {} bytes exceeds the protocol limit of 2^31-1", s.size()));
  }
  i32(static_cast<std::int32_t>(s.size()));
  raw(s);
}

void writer::bytes(std::optional<bytes_view> b) {
  if (!b) {
    i32(-1);
    return;
  }
  if (b->size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw codec_error(
        fmt::format("[bytes] of {} bytes exceeds the protocol limit of 2^31-1", b->size()));
  }
  i32(static_cast<std::int32_t>(b->size()));
  raw(*b);
}

void writer::short_bytes(bytes_view b) {
  if (b.size() > std::numeric_limits<std::uint16_t>::max()) {
    throw codec_error(
        fmt::format("[short bytes] of {} bytes exceeds the protocol limit of 65535", b.size()));
  }
  u16(static_cast<std::uint16_t>(b.size()));
  raw(b);
}

void writer::value(value_view v) {
  if (v.is_null()) {
    null_value();
  } else if (v.is_unset()) {
    unset_value();
  } else {
    bytes(v.bytes());
  }
}

void writer::string_list(const std::vector<std::string>& list) {
  if (list.size() > std::numeric_limits<std::uint16_t>::max()) {
    throw codec_error(fmt::format("[string list] of {} entries exceeds the protocol limit of 65535",
                                  list.size()));
  }
  u16(static_cast<std::uint16_t>(list.size()));
  for (const std::string& s : list) {
    string(s);
  }
}

void writer::string_map(const std::vector<std::pair<std::string, std::string>>& map) {
  if (map.size() > std::numeric_limits<std::uint16_t>::max()) {
    throw codec_error(
        fmt::format("[string map] of {} entries exceeds the protocol limit of 65535", map.size()));
  }
  u16(static_cast<std::uint16_t>(map.size()));
  for (const auto& [k, v] : map) {
    string(k);
    string(v);
  }
}

void writer::end_length(std::size_t at) {
  std::size_t n = out_->size() - at - 4;
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw codec_error(fmt::format("value of {} bytes exceeds the protocol limit of 2^31-1", n));
  }
  patch_i32(at, static_cast<std::int32_t>(n));
}

void writer::patch_i32(std::size_t at, std::int32_t v) noexcept {
  auto u = static_cast<std::uint32_t>(v);
  std::byte* p = out_->data() + at;
  p[0] = static_cast<std::byte>(u >> 24);
  p[1] = static_cast<std::byte>(u >> 16);
  p[2] = static_cast<std::byte>(u >> 8);
  p[3] = static_cast<std::byte>(u);
}

void writer::patch_u16(std::size_t at, std::uint16_t v) noexcept {
  std::byte* p = out_->data() + at;
  p[0] = static_cast<std::byte>(v >> 8);
  p[1] = static_cast<std::byte>(v);
}

}  // namespace coodie::wire
