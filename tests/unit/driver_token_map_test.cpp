// The token ring and replica placement: ownership, SimpleStrategy, NetworkTopologyStrategy with
// racks, EverywhereStrategy, replication parsing. Expected replicas are worked out by hand from
// each ring drawn in the comments.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "coodie/error.hpp"
#include "token_map.hpp"

namespace coodie::driver::detail {
namespace {

using ids = std::vector<std::uint32_t>;
using options = std::vector<std::pair<std::string, std::string>>;

constexpr std::int64_t min_token = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t max_token = std::numeric_limits<std::int64_t>::max();

ids to_ids(std::span<const std::uint32_t> s) {
  return {s.begin(), s.end()};
}

replication simple(std::size_t rf) {
  return replication{replication::kind::simple, rf, {}};
}

replication nts(std::vector<std::pair<std::string, std::size_t>> dcs) {
  std::sort(dcs.begin(), dcs.end());
  return replication{replication::kind::network_topology, 0, std::move(dcs)};
}

// The local test cluster: three nodes, one token each. Node 0 owns (t2, min], i.e. everything
// above t2 plus min itself; node 1 owns (min, t1]; node 2 owns (t1, t2].
constexpr std::int64_t t1 = -3074457345618258603;
constexpr std::int64_t t2 = 3074457345618258602;
token_map three_nodes() {
  return token_map({{"dc1", "r1"}, {"dc1", "r1"}, {"dc1", "r1"}}, {{min_token}, {t1}, {t2}});
}

// ---- replication::parse ----

TEST(Replication, ParsesShortAndQualifiedClassNames) {
  replication a =
      replication::parse("ks", {{"class", "SimpleStrategy"}, {"replication_factor", "3"}});
  EXPECT_EQ(a.k, replication::kind::simple);
  EXPECT_EQ(a.factor, 3u);
  replication b = replication::parse(
      "ks",
      {{"replication_factor", "3"}, {"class", "org.apache.cassandra.locator.SimpleStrategy"}});
  EXPECT_EQ(a, b);
  EXPECT_EQ(replication::parse("ks", {{"class", "org.apache.cassandra.locator.LocalStrategy"}}).k,
            replication::kind::local);
  EXPECT_EQ(replication::parse("ks", {{"class", "LocalStrategy"}}).k, replication::kind::local);
  EXPECT_EQ(
      replication::parse("ks", {{"class", "org.apache.cassandra.locator.EverywhereStrategy"}}).k,
      replication::kind::everywhere);
  EXPECT_EQ(replication::parse("ks", {{"class", "EverywhereStrategy"}}).k,
            replication::kind::everywhere);
}

TEST(Replication, TransientFactorCountsAllReplicas) {
  replication r =
      replication::parse("ks", {{"class", "SimpleStrategy"}, {"replication_factor", "3/1"}});
  EXPECT_EQ(r.factor, 3u);
  replication n = replication::parse("ks", {{"class", "NetworkTopologyStrategy"}, {"dc1", "5/2"}});
  EXPECT_EQ(n.dc_factors, (std::vector<std::pair<std::string, std::size_t>>{{"dc1", 5}}));
}

TEST(Replication, NetworkTopologyWithSeveralDcsIsSortedByDc) {
  replication r =
      replication::parse("ks", {{"dc_west", "2"},
                                {"class", "org.apache.cassandra.locator.NetworkTopologyStrategy"},
                                {"dc_east", "3"},
                                {"dc_north", "0"}});
  EXPECT_EQ(r.k, replication::kind::network_topology);
  EXPECT_EQ(r.factor, 0u);
  EXPECT_EQ(r.dc_factors, (std::vector<std::pair<std::string, std::size_t>>{
                              {"dc_east", 3}, {"dc_north", 0}, {"dc_west", 2}}));
}

TEST(Replication, UnknownOrMissingClassIsOther) {
  replication r = replication::parse("ks", {{"class", "com.example.MyStrategy"}, {"x", "junk"}});
  EXPECT_EQ(r.k, replication::kind::other);
  EXPECT_TRUE(r.dc_factors.empty());
  // A SimpleStrategy outside Cassandra's package is not Cassandra's.
  EXPECT_EQ(replication::parse("ks", {{"class", "com.example.SimpleStrategy"}}).k,
            replication::kind::other);
  EXPECT_EQ(replication::parse("ks", {}).k, replication::kind::other);
}

TEST(Replication, MalformedFactorThrowsNamingKeyspaceAndText) {
  for (std::string bad :
       {"three", "", "-1", "+3", " 3", "3/", "/1", "3/x", "3.0", "99999999999999999999999999"}) {
    SCOPED_TRACE(bad);
    try {
      (void)replication::parse("my_ks", {{"class", "SimpleStrategy"}, {"replication_factor", bad}});
      ADD_FAILURE() << "no exception";
    } catch (const protocol_error& e) {
      std::string what = e.what();
      EXPECT_NE(what.find("my_ks"), std::string::npos) << what;
      EXPECT_NE(what.find('"' + bad + '"'), std::string::npos) << what;
    }
  }
  EXPECT_THROW((void)replication::parse(
                   "my_ks", {{"class", "NetworkTopologyStrategy"}, {"dc1", "3"}, {"dc2", "x"}}),
               protocol_error);
  EXPECT_THROW((void)replication::parse("my_ks", {{"class", "SimpleStrategy"}}), protocol_error);
}

// ---- ownership ----

TEST(TokenMap, OwnershipBoundaries) {
  token_map ring = three_nodes();
  ring.set_keyspace("ks", simple(1));
  auto owner = [&](std::int64_t t) { return to_ids(ring.replicas("ks", t)); };
  EXPECT_EQ(owner(min_token), ids{0});
  EXPECT_EQ(owner(min_token + 1), ids{1});
  EXPECT_EQ(owner(t1 - 1), ids{1});
  EXPECT_EQ(owner(t1), ids{1});
  EXPECT_EQ(owner(t1 + 1), ids{2});
  EXPECT_EQ(owner(0), ids{2});
  EXPECT_EQ(owner(t2), ids{2});
  EXPECT_EQ(owner(t2 + 1), ids{0});  // above the largest token: wraps
  EXPECT_EQ(owner(max_token), ids{0});
  EXPECT_EQ(ring.host_count(), 3u);
  EXPECT_FALSE(ring.empty());
}

TEST(TokenMap, OwnershipWithoutMinimumToken) {
  // Tokens -10, 10: a token below every ring token goes to the first; above all wraps to it.
  token_map ring({{"dc1", "r1"}, {"dc1", "r1"}}, {{10}, {-10}});
  ring.set_keyspace("ks", simple(1));
  EXPECT_EQ(to_ids(ring.replicas("ks", min_token)), ids{1});
  EXPECT_EQ(to_ids(ring.replicas("ks", -10)), ids{1});
  EXPECT_EQ(to_ids(ring.replicas("ks", -9)), ids{0});
  EXPECT_EQ(to_ids(ring.replicas("ks", 11)), ids{1});
}

// ---- SimpleStrategy ----

TEST(TokenMap, SimpleStrategyOnSingleTokenRing) {
  token_map ring = three_nodes();
  ring.set_keyspace("rf1", simple(1));
  ring.set_keyspace("rf2", simple(2));
  ring.set_keyspace("rf3", simple(3));
  ring.set_keyspace("rf5", simple(5));
  ring.set_keyspace("rf0", simple(0));
  EXPECT_EQ(to_ids(ring.replicas("rf1", 0)), ids{2});
  EXPECT_EQ(to_ids(ring.replicas("rf2", 0)), (ids{2, 0}));
  EXPECT_EQ(to_ids(ring.replicas("rf3", 0)), (ids{2, 0, 1}));
  EXPECT_EQ(to_ids(ring.replicas("rf5", 0)), (ids{2, 0, 1}));
  EXPECT_EQ(to_ids(ring.replicas("rf2", min_token)), (ids{0, 1}));
  EXPECT_EQ(to_ids(ring.replicas("rf2", t1)), (ids{1, 2}));
  EXPECT_EQ(to_ids(ring.replicas("rf3", max_token)), (ids{0, 1, 2}));
  EXPECT_TRUE(ring.replicas("rf0", 0).empty());
}

// Vnodes: ring positions 10..120 owned by h0 h0 h1 h0 h2 h1 h1 h2 h2 h0 h1 h2.
token_map vnode_ring() {
  return token_map({{"dc1", "r1"}, {"dc1", "r1"}, {"dc1", "r1"}},
                   {{100, 10, 40, 20}, {70, 30, 110, 60}, {120, 50, 80, 90}});
}

TEST(TokenMap, SimpleStrategySkipsRepeatedHostsOnVnodeRing) {
  token_map ring = vnode_ring();
  ring.set_keyspace("rf2", simple(2));
  ring.set_keyspace("rf3", simple(3));
  EXPECT_EQ(to_ids(ring.replicas("rf2", 5)), (ids{0, 1}));       // 10:h0 20:h0 30:h1
  EXPECT_EQ(to_ids(ring.replicas("rf2", 15)), (ids{0, 1}));      // 20:h0 30:h1
  EXPECT_EQ(to_ids(ring.replicas("rf2", 61)), (ids{1, 2}));      // 70:h1 80:h2
  EXPECT_EQ(to_ids(ring.replicas("rf2", 81)), (ids{2, 0}));      // 90:h2 100:h0
  EXPECT_EQ(to_ids(ring.replicas("rf3", 55)), (ids{1, 2, 0}));   // 60 h1,70 h1,80 h2,90 h2,100 h0
  EXPECT_EQ(to_ids(ring.replicas("rf3", 85)), (ids{2, 0, 1}));   // 90 h2,100 h0,110 h1
  EXPECT_EQ(to_ids(ring.replicas("rf3", 125)), (ids{0, 1, 2}));  // wraps: 10 h0,20 h0,30 h1,...
}

TEST(TokenMap, HostsWithoutTokensAreNotInTheRing) {
  token_map ring({{"dc1", "r1"}, {"dc1", "r1"}, {"dc1", "r1"}, {"dc1", "r1"}}, {{100}, {}, {300}});
  EXPECT_EQ(ring.host_count(), 4u);
  ring.set_keyspace("ks", simple(4));
  ring.set_keyspace("all", replication{replication::kind::everywhere, 0, {}});
  EXPECT_EQ(to_ids(ring.replicas("ks", 150)), (ids{2, 0}));
  EXPECT_EQ(to_ids(ring.replicas("all", 150)), (ids{2, 0}));
}

TEST(TokenMap, TokenClaimedTwiceStaysWithLowerHostId) {
  // A stale peer entry may repeat another host's tokens: host 2 claims only 100, as host 0 does.
  token_map ring({{"dc1", "r1"}, {"dc1", "r1"}, {"dc1", "r1"}}, {{100}, {200}, {100}});
  ring.set_keyspace("ks", simple(3));
  EXPECT_EQ(to_ids(ring.replicas("ks", 50)), (ids{0, 1}));
  EXPECT_EQ(to_ids(ring.replicas("ks", 150)), (ids{1, 0}));
}

TEST(TokenMap, EverywhereLocalAndOther) {
  token_map ring = three_nodes();
  ring.set_keyspace("all", replication{replication::kind::everywhere, 0, {}});
  ring.set_keyspace("local", replication{replication::kind::local, 0, {}});
  ring.set_keyspace("other", replication{});
  EXPECT_EQ(to_ids(ring.replicas("all", 0)), (ids{2, 0, 1}));
  EXPECT_EQ(to_ids(ring.replicas("all", t1)), (ids{1, 2, 0}));
  EXPECT_TRUE(ring.replicas("local", 0).empty());
  EXPECT_TRUE(ring.replicas("other", 0).empty());
}

TEST(TokenMap, EmptyRing) {
  token_map none;
  none.set_keyspace("ks", simple(3));
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.host_count(), 0u);
  EXPECT_TRUE(none.replicas("ks", 0).empty());

  token_map no_tokens({{"dc1", "r1"}}, {});
  no_tokens.set_keyspace("ks", nts({{"dc1", 1}}));
  EXPECT_TRUE(no_tokens.empty());
  EXPECT_TRUE(no_tokens.replicas("ks", 0).empty());
}

TEST(TokenMap, RejectsTokensForUnknownHosts) {
  EXPECT_THROW(token_map({{"dc1", "r1"}}, {{1}, {2}}), usage_error);
}

// ---- NetworkTopologyStrategy ----

// Positions 100..600 owned by h0 h3 h1 h4 h2 h5.
//   dc1: h0 r1, h1 r1, h2 r2       dc2: h3 r1, h4 r1, h5 r2
token_map two_dcs() {
  return token_map(
      {{"dc1", "r1"}, {"dc1", "r1"}, {"dc1", "r2"}, {"dc2", "r1"}, {"dc2", "r1"}, {"dc2", "r2"}},
      {{100}, {300}, {500}, {200}, {400}, {600}});
}

TEST(TokenMap, NetworkTopologyPrefersNewRacks) {
  token_map ring = two_dcs();
  ring.set_keyspace("ks", nts({{"dc1", 2}, {"dc2", 2}}));
  // From 100: h0 (dc1 r1), h3 (dc2 r1), h1 skipped (r1 used), h4 skipped, h2 (dc1 r2), h5.
  // A SimpleStrategy with rf 4 would pick 0 3 1 4.
  EXPECT_EQ(to_ids(ring.replicas("ks", 100)), (ids{0, 3, 2, 5}));
  // From 150: h3, h1 (first dc1 host), h4 skipped, h2 (dc1 r2), h5 (dc2 r2).
  EXPECT_EQ(to_ids(ring.replicas("ks", 150)), (ids{3, 1, 2, 5}));
  // From 350: h4, h2, h5, h0.
  EXPECT_EQ(to_ids(ring.replicas("ks", 350)), (ids{4, 2, 5, 0}));
}

TEST(TokenMap, NetworkTopologyFallsBackToSkippedHosts) {
  token_map ring = two_dcs();
  ring.set_keyspace("ks", nts({{"dc1", 3}, {"dc2", 2}}));
  // From 100: h0, h3, h1 skipped, h4 skipped, h2 completes dc1's racks so h1 follows it, h5.
  EXPECT_EQ(to_ids(ring.replicas("ks", 100)), (ids{0, 3, 2, 1, 5}));
}

TEST(TokenMap, NetworkTopologyUsesSkippedHostsInSkipOrder) {
  // Positions 1..5: a(r1) b(r1) c(r1) d(r2) e(r2), one dc.
  token_map ring({{"dc1", "r1"}, {"dc1", "r1"}, {"dc1", "r1"}, {"dc1", "r2"}, {"dc1", "r2"}},
                 {{1}, {2}, {3}, {4}, {5}});
  ring.set_keyspace("rf3", nts({{"dc1", 3}}));
  ring.set_keyspace("rf4", nts({{"dc1", 4}}));
  ring.set_keyspace("rf5", nts({{"dc1", 5}}));
  EXPECT_EQ(to_ids(ring.replicas("rf3", 1)), (ids{0, 3, 1}));
  EXPECT_EQ(to_ids(ring.replicas("rf4", 1)), (ids{0, 3, 1, 2}));
  // Once every rack was seen, later hosts are taken as they come.
  EXPECT_EQ(to_ids(ring.replicas("rf5", 1)), (ids{0, 3, 1, 2, 4}));
  // From 4: d(r2), e skipped, a(r1) completes the racks, then e, then b.
  EXPECT_EQ(to_ids(ring.replicas("rf4", 4)), (ids{3, 0, 4, 1}));
}

TEST(TokenMap, NetworkTopologyCapsFactorAndIgnoresMissingDcs) {
  token_map ring = two_dcs();
  ring.set_keyspace("capped", nts({{"dc1", 5}, {"dc2", 1}}));
  ring.set_keyspace("absent", nts({{"dc1", 1}, {"dc3", 2}}));
  ring.set_keyspace("one_dc", nts({{"dc1", 2}}));
  ring.set_keyspace("nowhere", nts({{"dc3", 3}}));
  EXPECT_EQ(to_ids(ring.replicas("capped", 100)), (ids{0, 3, 2, 1}));
  EXPECT_EQ(to_ids(ring.replicas("absent", 100)), ids{0});
  EXPECT_EQ(to_ids(ring.replicas("absent", 150)), ids{1});
  EXPECT_EQ(to_ids(ring.replicas("one_dc", 100)), (ids{0, 2}));
  EXPECT_TRUE(ring.replicas("nowhere", 100).empty());
}

// ---- keyspaces ----

TEST(TokenMap, EqualReplicationsShareATable) {
  token_map ring = vnode_ring();
  ring.set_keyspace("a", simple(2));
  ring.set_keyspace("b", simple(2));
  ring.set_keyspace("c", simple(3));
  EXPECT_EQ(ring.replicas("a", 15).data(), ring.replicas("b", 15).data());
  EXPECT_NE(ring.replicas("a", 15).data(), ring.replicas("c", 15).data());
  ring.drop_keyspace("a");
  EXPECT_TRUE(ring.replicas("a", 15).empty());
  EXPECT_EQ(to_ids(ring.replicas("b", 15)), (ids{0, 1}));
  ring.set_keyspace("b", simple(3));  // replaces b's replication, now shared with c
  EXPECT_EQ(ring.replicas("b", 15).data(), ring.replicas("c", 15).data());
  EXPECT_EQ(to_ids(ring.replicas("b", 15)), (ids{0, 1, 2}));
  ring.drop_keyspace("unknown");
  EXPECT_TRUE(ring.replicas("unknown", 15).empty());
  EXPECT_TRUE(ring.replicas("", 15).empty());
}

// ---- properties on random rings ----

struct random_ring {
  std::vector<ring_host> hosts;
  std::vector<std::vector<std::int64_t>> tokens;
};

random_ring make_random_ring(std::mt19937_64& rng) {
  random_ring r;
  std::size_t host_n = 1 + rng() % 8;
  std::set<std::int64_t> used;
  for (std::size_t h = 0; h < host_n; ++h) {
    r.hosts.push_back({"dc" + std::to_string(rng() % 3), "r" + std::to_string(rng() % 3)});
    std::vector<std::int64_t> mine;
    std::size_t token_n = rng() % 5;  // sometimes none
    while (mine.size() < token_n) {
      auto t = static_cast<std::int64_t>(rng());
      if (used.insert(t).second) {
        mine.push_back(t);
      }
    }
    r.tokens.push_back(std::move(mine));
  }
  return r;
}

// The owner of `t` by a linear scan: the host of the smallest token >= t, else of the smallest.
std::uint32_t brute_owner(const random_ring& r, std::int64_t t) {
  std::pair<std::int64_t, std::uint32_t> above{max_token, 0};
  std::pair<std::int64_t, std::uint32_t> lowest{max_token, 0};
  bool found_above = false;
  for (std::uint32_t h = 0; h < r.tokens.size(); ++h) {
    for (std::int64_t x : r.tokens[h]) {
      if (x >= t && (!found_above || x < above.first)) {
        above = {x, h};
        found_above = true;
      }
      if (x <= lowest.first) {
        lowest = {x, h};
      }
    }
  }
  return found_above ? above.second : lowest.second;
}

TEST(TokenMapProperty, SimpleStrategyOnRandomRings) {
  std::mt19937_64 rng(20240611);
  int checked = 0;
  for (int round = 0; round < 200; ++round) {
    random_ring r = make_random_ring(rng);
    std::size_t in_ring = 0;
    std::vector<std::int64_t> probes{min_token, max_token, 0};
    for (const auto& ts : r.tokens) {
      in_ring += ts.empty() ? 0 : 1;
      for (std::int64_t t : ts) {
        probes.push_back(t);
        probes.push_back(t == max_token ? t : t + 1);
      }
    }
    for (int i = 0; i < 20; ++i) {
      probes.push_back(static_cast<std::int64_t>(rng()));
    }
    token_map ring(r.hosts, r.tokens);
    for (std::size_t rf = 1; rf <= 5; ++rf) {
      ring.set_keyspace("ks" + std::to_string(rf), simple(rf));
    }
    for (std::size_t rf = 1; rf <= 5; ++rf) {
      for (std::int64_t t : probes) {
        ids got = to_ids(ring.replicas("ks" + std::to_string(rf), t));
        if (in_ring == 0) {
          EXPECT_TRUE(got.empty());
          continue;
        }
        ASSERT_EQ(got.size(), std::min(rf, in_ring)) << "round " << round << " token " << t;
        EXPECT_EQ(got.front(), brute_owner(r, t)) << "round " << round << " token " << t;
        EXPECT_EQ(std::set<std::uint32_t>(got.begin(), got.end()).size(), got.size());
        for (std::uint32_t h : got) {
          EXPECT_FALSE(r.tokens[h].empty());
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 10000);
}

TEST(TokenMapProperty, NetworkTopologyOnRandomRings) {
  std::mt19937_64 rng(77);
  for (int round = 0; round < 200; ++round) {
    random_ring r = make_random_ring(rng);
    std::map<std::string, std::set<std::uint32_t>> dc_hosts;
    std::map<std::string, std::set<std::string>> dc_racks;
    for (std::uint32_t h = 0; h < r.hosts.size(); ++h) {
      if (!r.tokens[h].empty()) {
        dc_hosts[r.hosts[h].dc].insert(h);
        dc_racks[r.hosts[h].dc].insert(r.hosts[h].rack);
      }
    }
    replication repl = nts({{"dc0", 1 + rng() % 4}, {"dc1", 1 + rng() % 4}});
    token_map ring(r.hosts, r.tokens);
    ring.set_keyspace("ks", repl);
    for (int i = 0; i < 30; ++i) {
      auto t = static_cast<std::int64_t>(rng());
      ids got = to_ids(ring.replicas("ks", t));
      EXPECT_EQ(std::set<std::uint32_t>(got.begin(), got.end()).size(), got.size());
      for (const auto& [dc, rf] : repl.dc_factors) {
        std::size_t count = 0;
        std::set<std::string> racks;
        for (std::uint32_t h : got) {
          if (r.hosts[h].dc == dc) {
            ++count;
            racks.insert(r.hosts[h].rack);
          }
        }
        EXPECT_EQ(count, std::min(rf, dc_hosts[dc].size())) << "round " << round << " " << dc;
        // As many racks as possible: every rack before any rack twice.
        EXPECT_EQ(racks.size(), std::min(count, dc_racks[dc].size())) << "round " << round;
      }
      for (std::uint32_t h : got) {
        EXPECT_NE(r.hosts[h].dc, "dc2");
      }
      std::uint32_t owner = got.empty() ? 0 : brute_owner(r, t);
      if (!got.empty() && r.hosts[owner].dc != "dc2") {
        EXPECT_EQ(got.front(), owner);
      }
    }
  }
}

// ---- parse_token ----

TEST(ParseToken, AcceptsDecimalInt64) {
  EXPECT_EQ(parse_token("0"), 0);
  EXPECT_EQ(parse_token("-3074457345618258603"), t1);
  EXPECT_EQ(parse_token("3074457345618258602"), t2);
  EXPECT_EQ(parse_token("-9223372036854775808"), min_token);
  EXPECT_EQ(parse_token("9223372036854775807"), max_token);
}

TEST(ParseToken, RejectsAnythingElse) {
  for (const char* bad : {"", "-", "abc", "12a", " 1", "1 ", "+1", "1.5", "9223372036854775808",
                          "-9223372036854775809", "0x10"}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW((void)parse_token(bad), protocol_error);
  }
}

}  // namespace
}  // namespace coodie::driver::detail
