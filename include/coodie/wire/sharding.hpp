// ScyllaDB shard awareness: the sharding parameters a ScyllaDB node announces in SUPPORTED, the
// shard that owns a token on that node, and the local source ports that reach a given shard through
// the node's shard-aware port. Pure: no I/O. Cassandra announces none of this.
//
// Example:
//   coodie::wire::supported_response s = coodie::wire::read_supported(body);
//   if (auto info = coodie::wire::sharding_info::from_supported(s)) {
//     std::int64_t t = coodie::wire::murmur3_token(coodie::wire::as_bytes("key"));
//     std::uint32_t shard = info->shard_of(t);
//     if (info->shard_aware_port) {
//       // Bind the next connection's socket to a local port that lands on `shard`:
//       std::optional<std::uint16_t> p = coodie::wire::next_shard_port(shard, info->nr_shards,
//                                                                      random_port);
//     }
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "coodie/wire/messages.hpp"

namespace coodie::wire {

/// SUPPORTED keys of ScyllaDB's sharding extension.
namespace scylla_keys {
inline constexpr std::string_view shard = "SCYLLA_SHARD";
inline constexpr std::string_view nr_shards = "SCYLLA_NR_SHARDS";
inline constexpr std::string_view partitioner = "SCYLLA_PARTITIONER";
inline constexpr std::string_view sharding_algorithm = "SCYLLA_SHARDING_ALGORITHM";
inline constexpr std::string_view sharding_ignore_msb = "SCYLLA_SHARDING_IGNORE_MSB";
inline constexpr std::string_view shard_aware_port = "SCYLLA_SHARD_AWARE_PORT";
inline constexpr std::string_view shard_aware_port_ssl = "SCYLLA_SHARD_AWARE_PORT_SSL";
}  // namespace scylla_keys

/// The only partitioner and sharding algorithm shard_of() implements.
inline constexpr std::string_view murmur3_partitioner =
    "org.apache.cassandra.dht.Murmur3Partitioner";
inline constexpr std::string_view biased_token_round_robin = "biased-token-round-robin";

/// How one ScyllaDB node splits its tokens among its shards (one shard per CPU core).
struct sharding_info {
  /// The shard that serves the connection this SUPPORTED came from.
  std::uint32_t shard = 0;
  /// Always >= 1.
  std::uint32_t nr_shards = 1;
  /// High token bits ignored before the token is spread over the shards; always < 64.
  std::uint32_t ignore_msb = 0;
  std::string partitioner = std::string(murmur3_partitioner);
  std::string algorithm = std::string(biased_token_round_robin);
  /// Ports where the shard of a connection is its source port % nr_shards (plain and TLS).
  std::optional<std::uint16_t> shard_aware_port;
  std::optional<std::uint16_t> shard_aware_port_ssl;

  /// The sharding of a node, from its answer to OPTIONS.
  ///
  /// std::nullopt when the server sent no SCYLLA_NR_SHARDS (it is not ScyllaDB), and also when
  /// its partitioner is not Murmur3Partitioner or its algorithm is not biased-token-round-robin:
  /// shard_of() cannot compute shards for those, so routing by shard is impossible and the
  /// caller should treat the node as unsharded.
  ///
  /// Throws coodie::protocol_error, naming the key and the bad text, when a number is malformed
  /// (not plain decimal digits, nr_shards 0, ignore_msb >= 64, a port of 0 or above 65535,
  /// shard >= nr_shards), when a key carries other than exactly one value, or when SCYLLA_SHARD
  /// or SCYLLA_SHARDING_IGNORE_MSB is missing from a node whose sharding is otherwise usable.
  static std::optional<sharding_info> from_supported(const supported_response& s);

  /// The shard (0 .. nr_shards-1) that owns a Murmur3 token on this node:
  /// ((u64(token) + 2^63) << ignore_msb) * nr_shards >> 64, the shift losing the high bits.
  [[nodiscard]] std::uint32_t shard_of(std::int64_t token) const noexcept;
};

/// The ephemeral port range source ports are chosen from by default (inclusive).
inline constexpr std::uint16_t shard_port_first = 49152;
inline constexpr std::uint16_t shard_port_last = 65535;

/// The first local port p in [first, last] with p % nr_shards == shard and p >= start, wrapping
/// around to the lowest such port of the range when none is >= start (a start outside the range
/// also begins at `first`). std::nullopt when no port of the range lands on `shard` (shard >=
/// nr_shards, nr_shards 0, first > last, or a range narrower than nr_shards).
///
/// To try candidates until bind() succeeds, call again with start = previous + 1 and stop when a
/// candidate comes back that was already tried (the first one).
[[nodiscard]] std::optional<std::uint16_t> next_shard_port(
    std::uint32_t shard, std::uint32_t nr_shards, std::uint16_t start,
    std::uint16_t first = shard_port_first, std::uint16_t last = shard_port_last) noexcept;

}  // namespace coodie::wire
