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

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace coodie::detail {

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

}  // namespace coodie::detail
