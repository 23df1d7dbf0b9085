// ScyllaDB sharding parameters from SUPPORTED, the shard of a token, and shard-aware source ports.
#include "coodie/wire/sharding.hpp"

#include <charconv>
#include <limits>
#include <vector>

#include <fmt/format.h>

namespace coodie::wire {

namespace {

// The values of `key`, or nullptr when the server did not send it.
const std::vector<std::string>* find_key(const supported_response& s, std::string_view key) {
  for (const auto& [k, v] : s.options) {
    if (k == key) {
      return &v;
    }
  }
  return nullptr;
}

// The single value of `key`, or std::nullopt when absent. More or fewer values are malformed.
std::optional<std::string_view> single_value(const supported_response& s, std::string_view key) {
  const std::vector<std::string>* values = find_key(s, key);
  if (values == nullptr) {
    return std::nullopt;
  }
  if (values->size() != 1) {
    throw protocol_error(
        fmt::format("SUPPORTED key {} has {} values, expected one", key, values->size()));
  }
  return std::string_view((*values)[0]);
}

[[noreturn]] void throw_bad_number(std::string_view key, std::string_view text,
                                   std::string_view why) {
  throw protocol_error(
      fmt::format("SUPPORTED key {} has a malformed value '{}': {}", key, text, why));
}

// Plain decimal digits (no sign, no spaces) within [min, max].
std::uint64_t parse_number(std::string_view key, std::string_view text, std::uint64_t min,
                           std::uint64_t max) {
  if (text.empty()) {
    throw_bad_number(key, text, "empty");
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      throw_bad_number(key, text, "not a decimal number");
    }
  }
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    throw_bad_number(key, text, fmt::format("expected {} to {}", min, max));
  }
  return v;
}

std::optional<std::uint64_t> number_of(const supported_response& s, std::string_view key,
                                       std::uint64_t min, std::uint64_t max) {
  std::optional<std::string_view> text = single_value(s, key);
  if (!text) {
    return std::nullopt;
  }
  return parse_number(key, *text, min, max);
}

std::optional<std::uint16_t> port_of(const supported_response& s, std::string_view key) {
  std::optional<std::uint64_t> v = number_of(s, key, 1, 65535);
  if (!v) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(*v);
}

// GCC's 128-bit integer; __extension__ keeps -Wpedantic quiet.
__extension__ using uint128 = unsigned __int128;

// The smallest p >= from with p % n == shard (n > 0, shard < n).
constexpr std::uint64_t align_up(std::uint64_t from, std::uint64_t shard, std::uint64_t n) {
  return from + (shard + n - from % n) % n;
}

}  // namespace

std::optional<sharding_info> sharding_info::from_supported(const supported_response& s) {
  constexpr std::uint64_t max_u32 = std::numeric_limits<std::uint32_t>::max();
  std::optional<std::uint64_t> nr_shards = number_of(s, scylla_keys::nr_shards, 1, max_u32);
  if (!nr_shards) {
    return std::nullopt;
  }
  // Every number the node sent is checked, even when its sharding turns out to be unusable.
  std::optional<std::uint64_t> shard = number_of(s, scylla_keys::shard, 0, *nr_shards - 1);
  std::optional<std::uint64_t> ignore_msb = number_of(s, scylla_keys::sharding_ignore_msb, 0, 63);
  std::optional<std::uint16_t> port = port_of(s, scylla_keys::shard_aware_port);
  std::optional<std::uint16_t> port_ssl = port_of(s, scylla_keys::shard_aware_port_ssl);
  std::optional<std::string_view> partitioner = single_value(s, scylla_keys::partitioner);
  std::optional<std::string_view> algorithm = single_value(s, scylla_keys::sharding_algorithm);

  if (partitioner != murmur3_partitioner || algorithm != biased_token_round_robin) {
    return std::nullopt;
  }
  if (!shard) {
    throw protocol_error(fmt::format("SUPPORTED announces {} but lacks {}", scylla_keys::nr_shards,
                                     scylla_keys::shard));
  }
  if (!ignore_msb) {
    throw protocol_error(fmt::format("SUPPORTED announces {} but lacks {}",
                                     scylla_keys::sharding_algorithm,
                                     scylla_keys::sharding_ignore_msb));
  }

  sharding_info info;
  info.shard = static_cast<std::uint32_t>(*shard);
  info.nr_shards = static_cast<std::uint32_t>(*nr_shards);
  info.ignore_msb = static_cast<std::uint32_t>(*ignore_msb);
  info.partitioner = std::string(*partitioner);
  info.algorithm = std::string(*algorithm);
  info.shard_aware_port = port;
  info.shard_aware_port_ssl = port_ssl;
  return info;
}

std::uint32_t sharding_info::shard_of(std::int64_t token) const noexcept {
  // Bias the signed token into an unsigned one that keeps its order: INT64_MIN becomes 0.
  std::uint64_t biased = static_cast<std::uint64_t>(token) + (std::uint64_t{1} << 63);
  // ignore_msb < 64 by construction; a hand-made larger value shifts every bit out.
  biased = ignore_msb < 64 ? biased << ignore_msb : 0;
  const uint128 product = static_cast<uint128>(biased) * nr_shards;
  return static_cast<std::uint32_t>(product >> 64);
}

std::optional<std::uint16_t> next_shard_port(std::uint32_t shard, std::uint32_t nr_shards,
                                             std::uint16_t start, std::uint16_t first,
                                             std::uint16_t last) noexcept {
  if (nr_shards == 0 || shard >= nr_shards || first > last) {
    return std::nullopt;
  }
  const std::uint64_t from = (start >= first && start <= last) ? start : first;
  std::uint64_t p = align_up(from, shard, nr_shards);
  if (p > last) {
    p = align_up(first, shard, nr_shards);
    if (p > last) {
      return std::nullopt;
    }
  }
  return static_cast<std::uint16_t>(p);
}

}  // namespace coodie::wire
