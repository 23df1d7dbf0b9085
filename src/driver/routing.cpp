#include "routing.hpp"

#include <array>

#include "coodie/wire/token.hpp"

namespace coodie::driver::detail {

std::optional<std::int64_t> routing_token(std::span<const std::uint16_t> pk_indexes,
                                          wire::bound_values values) {
  if (pk_indexes.empty()) {
    return std::nullopt;
  }
  // Partition keys have few columns; beyond this many, no routing (the request still works).
  constexpr std::size_t max_components = 16;
  if (pk_indexes.size() > max_components) {
    return std::nullopt;
  }
  std::array<wire::bytes_view, max_components> parts{};
  std::array<bool, max_components> found{};
  wire::bytes_view data = values.data;
  std::size_t at = 0;
  for (std::uint16_t i = 0; i < values.count; ++i) {
    if (data.size() - at < 4) {
      return std::nullopt;
    }
    auto b = [&](std::size_t k) { return static_cast<std::uint32_t>(data[at + k]); };
    auto len = static_cast<std::int32_t>((b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3));
    at += 4;
    if (len >= 0 && static_cast<std::size_t>(len) > data.size() - at) {
      return std::nullopt;
    }
    for (std::size_t k = 0; k < pk_indexes.size(); ++k) {
      if (pk_indexes[k] == i) {
        if (len < 0) {
          return std::nullopt;  // null or unset key: the server rejects it
        }
        parts[k] = data.subspan(at, static_cast<std::size_t>(len));
        found[k] = true;
      }
    }
    if (len > 0) {
      at += static_cast<std::size_t>(len);
    }
  }
  for (std::size_t k = 0; k < pk_indexes.size(); ++k) {
    if (!found[k]) {
      return std::nullopt;
    }
  }
  if (pk_indexes.size() == 1) {
    return wire::murmur3_token(parts[0]);
  }
  thread_local wire::byte_buffer key;
  key.clear();
  for (std::size_t k = 0; k < pk_indexes.size(); ++k) {
    if (parts[k].size() > 0xFFFF) {
      return std::nullopt;
    }
    wire::append_key_component(key, parts[k]);
  }
  return wire::murmur3_token(key);
}

}  // namespace coodie::driver::detail
