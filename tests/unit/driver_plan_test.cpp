// The query plan: replicas first and in turn, the local data center before remote ones (only with
// fallback), down hosts skipped, hosts already tried last. Within a ScyllaDB host: the connection
// on the shard of the token, and which shards still need a connection.
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "plan.hpp"

namespace coodie::driver::detail {
namespace {

struct fake_host {
  int id = 0;
  bool remote = false;
  bool up = true;
};

/// Hosts 0..local-1 in the local data center, then `remote` hosts in another.
struct cluster {
  std::vector<std::unique_ptr<fake_host>> hosts;
  std::vector<const fake_host*> tried;
  plan_cursor cursor;

  cluster(int local, int remote) {
    for (int i = 0; i < local + remote; ++i) {
      hosts.push_back(std::make_unique<fake_host>(fake_host{i, i >= local, true}));
    }
  }
  /// The id of the chosen host, -1 for none.
  int pick(std::vector<std::uint32_t> replicas, bool fallback) {
    const fake_host* h = plan_pick(
        hosts, replicas, fallback, cursor,
        [&](const fake_host& x) {
          return std::find(tried.begin(), tried.end(), &x) != tried.end();
        },
        [](fake_host& x) { return x.up ? &x : nullptr; });
    return h == nullptr ? -1 : h->id;
  }
  std::map<int, int> spread(const std::vector<std::uint32_t>& replicas, bool fallback, int n) {
    std::map<int, int> count;
    for (int i = 0; i < n; ++i) {
      ++count[pick(replicas, fallback)];
    }
    return count;
  }
};

TEST(QueryPlan, RotatesAmongLocalReplicasOnly) {
  cluster c(4, 2);
  // Replicas 1 and 3 are local, 4 is remote: the remote one is never used while a local one lives.
  EXPECT_EQ(c.spread({1, 4, 3}, true, 100), (std::map<int, int>{{1, 50}, {3, 50}}));
}

TEST(QueryPlan, ADownReplicasShareSpreadsOverTheLiveOnes) {
  cluster c(4, 0);
  c.hosts[1]->up = false;
  EXPECT_EQ(c.spread({0, 1, 2}, false, 100), (std::map<int, int>{{0, 50}, {2, 50}}));
}

TEST(QueryPlan, RemoteReplicasOnlyWithFallbackWhenNoLocalReplicaLives) {
  cluster c(2, 2);
  c.hosts[0]->up = false;
  // Without fallback: the local replica is down, so any live local host, never a remote one.
  EXPECT_EQ(c.spread({0, 2, 3}, false, 10), (std::map<int, int>{{1, 10}}));
  // With fallback: the remote replicas, in turn.
  EXPECT_EQ(c.spread({0, 2, 3}, true, 10), (std::map<int, int>{{2, 5}, {3, 5}}));
}

TEST(QueryPlan, WithoutATokenLocalHostsTakeTurns) {
  cluster c(3, 2);
  EXPECT_EQ(c.spread({}, true, 30), (std::map<int, int>{{0, 10}, {1, 10}, {2, 10}}));
}

TEST(QueryPlan, RemoteHostsOnlyWithFallbackAfterEveryLocalOne) {
  cluster c(2, 2);
  c.hosts[0]->up = false;
  c.hosts[1]->up = false;
  EXPECT_EQ(c.pick({}, false), -1);
  EXPECT_EQ(c.spread({}, true, 10), (std::map<int, int>{{2, 5}, {3, 5}}));
  c.hosts[1]->up = true;
  EXPECT_EQ(c.spread({}, true, 10), (std::map<int, int>{{1, 10}}));
}

TEST(QueryPlan, TriedHostsComeLast) {
  cluster c(3, 1);
  c.tried = {c.hosts[0].get(), c.hosts[1].get()};
  // A replica already tried is not chosen again while an untried host lives.
  EXPECT_EQ(c.pick({0, 1}, false), 2);
  c.hosts[2]->up = false;
  // Only tried local hosts left: one of them again; the remote host is still not used.
  int again = c.pick({0, 1}, false);
  EXPECT_TRUE(again == 0 || again == 1) << again;
  // With fallback the untried remote host comes before a second try of a local one.
  EXPECT_EQ(c.pick({0, 1}, true), 3);
}

TEST(QueryPlan, ReplicaIndexesBeyondTheHostsAreIgnored) {
  cluster c(2, 0);
  EXPECT_EQ(c.spread({7, 1}, false, 4), (std::map<int, int>{{1, 4}}));
}

TEST(QueryPlan, NoHostNoTarget) {
  cluster c(0, 0);
  EXPECT_EQ(c.pick({0}, true), -1);
  cluster down(1, 1);
  down.hosts[0]->up = false;
  down.hosts[1]->up = false;
  EXPECT_EQ(down.pick({0, 1}, true), -1);
}

struct fake_connection {
  bool ready = true;
  std::size_t load = 0;
  std::optional<std::uint32_t> on_shard;
  [[nodiscard]] bool is_ready() const { return ready; }
  [[nodiscard]] std::size_t in_flight() const { return load; }
  [[nodiscard]] std::optional<std::uint32_t> shard() const { return on_shard; }
};

std::vector<std::unique_ptr<fake_connection>> connections(
    std::initializer_list<fake_connection> list) {
  std::vector<std::unique_ptr<fake_connection>> out;
  for (const auto& c : list) {
    out.push_back(std::make_unique<fake_connection>(c));
  }
  return out;
}

TEST(ShardPick, TheShardOfTheTokenWinsEvenWhenBusier) {
  auto conns = connections({{true, 1, 0}, {true, 9, 2}, {true, 5, 2}, {true, 0, 1}});
  EXPECT_EQ(pick_connection(conns, 2u), conns[2].get());
  // No shard asked: the least loaded of all.
  EXPECT_EQ(pick_connection(conns, std::nullopt), conns[3].get());
}

TEST(ShardPick, FallsBackToTheLeastLoadedWhenTheShardHasNoReadyConnection) {
  auto conns = connections({{true, 4, 0}, {false, 0, 3}, {true, 2, 1}});
  EXPECT_EQ(pick_connection(conns, 3u), conns[2].get());
  EXPECT_EQ(pick_connection(conns, 7u), conns[2].get());
  auto none = connections({{false, 0, 0}});
  EXPECT_EQ(pick_connection(none, 0u), nullptr);
}

TEST(ShardsToOpen, EveryEmptyShardFirstThenTheSecondRound) {
  std::vector<std::uint32_t> have{1, 1, 3};
  EXPECT_EQ(shards_to_open(4, 1, have, 10), (std::vector<std::uint32_t>{0, 2}));
  EXPECT_EQ(shards_to_open(4, 2, have, 10), (std::vector<std::uint32_t>{0, 2, 0, 2, 3}));
  EXPECT_EQ(shards_to_open(4, 2, have, 3), (std::vector<std::uint32_t>{0, 2, 0}));
}

TEST(ShardsToOpen, IgnoresUnknownShardsAndFullPools) {
  std::vector<std::uint32_t> have{0, 1, 9};
  EXPECT_EQ(shards_to_open(2, 1, have, 5), std::vector<std::uint32_t>{});
  EXPECT_EQ(shards_to_open(3, 1, {}, 0), std::vector<std::uint32_t>{});
  EXPECT_EQ(shards_to_open(3, 1, {}, 5), (std::vector<std::uint32_t>{0, 1, 2}));
}

}  // namespace
}  // namespace coodie::driver::detail
