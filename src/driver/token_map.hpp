// The token ring of a cluster (Murmur3Partitioner) and the replica lists of its keyspaces, for
// token-aware routing. Pure data: no I/O, no locking; build a new map when the topology changes.
//
// Example:
//   std::vector<ring_host> hosts{{"dc1", "r1"}, {"dc1", "r2"}};
//   token_map ring(hosts, {{parse_token("-100"), parse_token("50")}, {parse_token("0")}});
//   ring.set_keyspace("shop", replication::parse("shop", {{"class", "SimpleStrategy"},
//                                                         {"replication_factor", "2"}}));
//   for (std::uint32_t host : ring.replicas("shop", wire::murmur3_token(key))) {
//     // hosts[host] holds the row with that partition key; the first is the primary replica.
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coodie::driver::detail {

/// A keyspace's replication, parsed from system_schema.keyspaces.replication (map<text,text>).
struct replication {
  /// The replication strategy class.
  enum class kind : std::uint8_t { simple, network_topology, local, everywhere, other };

  kind k = kind::other;
  /// The replication factor of SimpleStrategy.
  std::size_t factor = 0;
  /// The replication factor of each datacenter for NetworkTopologyStrategy, sorted by dc name.
  std::vector<std::pair<std::string, std::size_t>> dc_factors;

  /// Parses the replication options of `keyspace`. "class" may be short ("SimpleStrategy") or
  /// qualified ("org.apache.cassandra.locator.SimpleStrategy"); "EverywhereStrategy" is
  /// ScyllaDB's. A factor may be "3" or "3/1" (transient replicas: the number before '/' counts).
  /// An unknown or missing class gives kind::other. A malformed factor, or SimpleStrategy without
  /// "replication_factor", throws coodie::protocol_error naming the keyspace and the bad text.
  static replication parse(std::string_view keyspace,
                           const std::vector<std::pair<std::string, std::string>>& options);

  friend bool operator==(const replication&, const replication&) = default;
};

/// What the ring needs to know of a host.
struct ring_host {
  std::string dc;
  std::string rack;
};

/// The token ring of a cluster and the replica lists of its keyspaces. Immutable after
/// construction, except for set_keyspace/drop_keyspace. Host ids are indexes into the `hosts`
/// vector given at construction. Copies share the computed replica tables.
class token_map {
 public:
  /// An empty ring: every lookup answers no replicas.
  token_map() = default;
  /// Builds the ring from the tokens of each host: tokens_per_host[i] are those of hosts[i]
  /// (missing trailing entries mean no tokens). Hosts without tokens are absent from the ring,
  /// and count for no datacenter or rack. Throws coodie::usage_error when tokens_per_host is
  /// longer than hosts.
  token_map(std::vector<ring_host> hosts,
            const std::vector<std::vector<std::int64_t>>& tokens_per_host);

  /// Computes (and caches) the replica list of every ring position for this keyspace, replacing
  /// what the keyspace had. Keyspaces with equal replication share one computed table.
  void set_keyspace(const std::string& name, const replication& r);
  /// Forgets a keyspace; unknown names are ignored.
  void drop_keyspace(std::string_view name);

  /// Replicas of `token` in `keyspace`: primary first, then in ring-walk order. Empty when the
  /// keyspace is unknown, its strategy is local/other, or the ring is empty. The span stays valid
  /// until the keyspace is set again or dropped. No allocation; O(log ring size).
  [[nodiscard]] std::span<const std::uint32_t> replicas(std::string_view keyspace,
                                                        std::int64_t token) const;
  /// The number of hosts given at construction (with or without tokens).
  [[nodiscard]] std::size_t host_count() const noexcept { return hosts_.size(); }
  /// True when the ring has no tokens.
  [[nodiscard]] bool empty() const noexcept { return tokens_.empty(); }

 private:
  // The replica lists of every ring position for one replication: those of position i are
  // flat[offsets[i] .. offsets[i + 1]). No offsets at all for local/other strategies.
  struct replica_table {
    replication repl;
    std::vector<std::uint32_t> flat;
    std::vector<std::size_t> offsets;
  };
  struct keyspace_entry {
    std::string name;
    std::shared_ptr<const replica_table> table;
  };

  [[nodiscard]] std::shared_ptr<const replica_table> build_table(const replication& r) const;
  [[nodiscard]] replica_table build_walk(replication r, std::size_t rf) const;
  [[nodiscard]] replica_table build_network_topology(replication r) const;
  [[nodiscard]] std::vector<keyspace_entry>::const_iterator find(std::string_view name) const;

  std::vector<ring_host> hosts_;
  // The ring: tokens sorted ascending, and the host owning each.
  std::vector<std::int64_t> tokens_;
  std::vector<std::uint32_t> owners_;
  // Hosts in the ring, and per host its datacenter and rack numbers (among hosts in the ring).
  std::size_t ring_host_count_ = 0;
  std::vector<std::string> dcs_;  // sorted
  std::vector<std::uint32_t> host_dc_;
  std::vector<std::uint32_t> host_rack_;  // a number unique across all dcs
  std::vector<std::size_t> dc_host_count_;
  std::vector<std::size_t> dc_rack_count_;
  std::size_t rack_count_ = 0;
  // Sorted by name, so a string_view finds its keyspace without allocating.
  std::vector<keyspace_entry> keyspaces_;
};

/// Parses a Murmur3 token as system.local/system.peers write it in `tokens` (decimal int64 text).
/// Throws coodie::protocol_error otherwise.
std::int64_t parse_token(std::string_view text);

}  // namespace coodie::driver::detail
