// The query plan: which host takes the next attempt of a request. Pure: the hosts, the replicas
// of the partition and what counts as ready are given, so the order can be tested without
// sockets.
//
// Example:
//   plan_cursor cursor;
//   host_pool* h = plan_pick(hosts, token_map.replicas(ks, token), fallback, cursor,
//                            [&](const host_pool& h) { return already_tried(h); },
//                            [](host_pool& h) { return h.least_loaded(); });
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace coodie::driver::detail {

/// Where the rotations stand: the next replica and the next host to try first.
struct plan_cursor {
  std::size_t next_host = 0;
  std::size_t next_replica = 0;
};

/// At most this many live replicas take part in the rotation (RF above it is rare).
inline constexpr std::size_t max_plan_replicas = 16;

/// The target of the next attempt, or null when no host can take it.
///
/// `hosts[i]` dereferences to a host with a `remote` flag (in a data center other than the local
/// one). `replicas` indexes into `hosts` (out-of-range indexes are ignored). `ready(host&)`
/// returns what can carry the request (a connection) or null when the host cannot now. The order:
///  1. live local replicas, rotating; with `fallback`, live remote replicas when no local one is;
///  2. every local host in turn; with `fallback`, then every remote host;
///  3. the hosts already tried (the same data-center rule applies), as a last resort.
template <class Hosts, class Tried, class Ready>
auto plan_pick(const Hosts& hosts, std::span<const std::uint32_t> replicas, bool fallback,
               plan_cursor& cursor, Tried&& was_tried, Ready&& ready)
    -> decltype(ready(*hosts[0])) {
  using target = decltype(ready(*hosts[0]));
  const std::size_t count = hosts.size();
  if (count == 0) {
    return nullptr;
  }
  // Rotate among the replicas that can take the request now, so that a down replica's share
  // spreads evenly instead of falling on its successor in the ring.
  if (!replicas.empty()) {
    std::array<target, max_plan_replicas> live{};
    for (int pass = 0; pass < (fallback ? 2 : 1); ++pass) {
      std::size_t n = 0;
      for (std::size_t i = 0; i < replicas.size() && n < max_plan_replicas; ++i) {
        if (replicas[i] >= count) {
          continue;
        }
        auto& h = *hosts[replicas[i]];
        if (h.remote != (pass == 1) || was_tried(h)) {
          continue;
        }
        if (target t = ready(h)) {
          live[n++] = t;
        }
      }
      if (n > 0) {
        return live[cursor.next_replica++ % n];
      }
    }
  }
  for (int pass = 0; pass < 3; ++pass) {
    if (pass == 1 && !fallback) {
      continue;
    }
    for (std::size_t n = 0; n < count; ++n) {
      std::size_t index = (cursor.next_host + n) % count;
      auto& h = *hosts[index];
      if (pass < 2 && (h.remote != (pass == 1) || was_tried(h))) {
        continue;
      }
      if (pass == 2 && (!was_tried(h) || (h.remote && !fallback))) {
        continue;
      }
      if (target t = ready(h)) {
        cursor.next_host = index + 1;
        return t;
      }
    }
  }
  return nullptr;
}

/// The connection of one host that takes the next request: the least-loaded ready one on `shard`
/// when there is one (ScyllaDB: the core that owns the partition), else the least-loaded ready one.
/// Null when none is ready. Each element of `conns` dereferences to a connection with is_ready(),
/// in_flight() and shard() (an optional shard number).
template <class Conns>
auto pick_connection(const Conns& conns, std::optional<std::uint32_t> shard)
    -> decltype(&*conns[0]) {
  decltype(&*conns[0]) best = nullptr;
  decltype(&*conns[0]) best_on_shard = nullptr;
  for (const auto& c : conns) {
    if (!c->is_ready()) {
      continue;
    }
    if (best == nullptr || c->in_flight() < best->in_flight()) {
      best = &*c;
    }
    if (shard && c->shard() == shard &&
        (best_on_shard == nullptr || c->in_flight() < best_on_shard->in_flight())) {
      best_on_shard = &*c;
    }
  }
  return best_on_shard != nullptr ? best_on_shard : best;
}

/// The shards that still need a connection so that each of the `nr_shards` shards has
/// `per_shard`, given the shard of every connection open or opening (`have`; numbers out of range
/// are ignored). The emptiest shards come first, lower numbers first among equals; at most `limit`
/// entries, a shard repeated once per connection it lacks.
inline std::vector<std::uint32_t> shards_to_open(std::uint32_t nr_shards, std::size_t per_shard,
                                                 std::span<const std::uint32_t> have,
                                                 std::size_t limit) {
  std::vector<std::size_t> count(nr_shards, 0);
  for (std::uint32_t s : have) {
    if (s < nr_shards) {
      ++count[s];
    }
  }
  std::vector<std::uint32_t> out;
  for (std::size_t level = 0; level < per_shard && out.size() < limit; ++level) {
    for (std::uint32_t s = 0; s < nr_shards && out.size() < limit; ++s) {
      if (count[s] == level) {
        out.push_back(s);
        ++count[s];
      }
    }
  }
  return out;
}

}  // namespace coodie::driver::detail
