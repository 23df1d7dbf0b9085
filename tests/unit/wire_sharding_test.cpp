// ScyllaDB shard awareness: sharding_info from SUPPORTED (hand-built and in wire bytes), the shard
// of a token against ScyllaDB's published vectors, and shard-aware source ports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "coodie/wire/sharding.hpp"
#include "coodie/wire/token.hpp"
#include "unit/wire_test_bytes.hpp"

namespace coodie::wire {
namespace {

using test::body;
using ::testing::AllOf;
using ::testing::HasSubstr;

using multimap = std::vector<std::pair<std::string, std::vector<std::string>>>;

// The SUPPORTED keys a 12-shard ScyllaDB node sends, without the shard-aware ports.
multimap scylla_options() {
  return {
      {"SCYLLA_SHARD", {"3"}},
      {"SCYLLA_NR_SHARDS", {"12"}},
      {"SCYLLA_PARTITIONER", {"org.apache.cassandra.dht.Murmur3Partitioner"}},
      {"SCYLLA_SHARDING_ALGORITHM", {"biased-token-round-robin"}},
      {"SCYLLA_SHARDING_IGNORE_MSB", {"12"}},
  };
}

supported_response with(multimap options, std::string key, std::vector<std::string> values) {
  for (auto& [k, v] : options) {
    if (k == key) {
      v = std::move(values);
      return supported_response{std::move(options)};
    }
  }
  options.emplace_back(std::move(key), std::move(values));
  return supported_response{std::move(options)};
}

supported_response without(multimap options, std::string_view key) {
  std::erase_if(options, [&](const auto& kv) { return kv.first == key; });
  return supported_response{std::move(options)};
}

// A [string multimap] entry: [string] key then [string list] values.
void entry(body& b, std::string_view key, const std::vector<std::string>& values) {
  b.string(key).short_(static_cast<std::uint16_t>(values.size()));
  for (const std::string& v : values) {
    b.string(v);
  }
}

TEST(WireSharding, ScyllaSupportedBody) {
  body b;
  b.short_(10);
  entry(b, "COMPRESSION", {"lz4", "snappy"});
  entry(b, "CQL_VERSION", {"3.3.1"});
  entry(b, "SCYLLA_LWT_ADD_METADATA_MARK", {"LWT_OPTIMIZATION_META_BIT_MASK=2147483648"});
  entry(b, "SCYLLA_NR_SHARDS", {"12"});
  entry(b, "SCYLLA_PARTITIONER", {"org.apache.cassandra.dht.Murmur3Partitioner"});
  entry(b, "SCYLLA_SHARD", {"3"});
  entry(b, "SCYLLA_SHARDING_ALGORITHM", {"biased-token-round-robin"});
  entry(b, "SCYLLA_SHARDING_IGNORE_MSB", {"12"});
  entry(b, "SCYLLA_SHARD_AWARE_PORT", {"19042"});
  entry(b, "SCYLLA_SHARD_AWARE_PORT_SSL", {"19142"});

  // Spot-check the first entry's bytes against the spec's notation.
  EXPECT_EQ(test::to_hex(b.view().first(30)),
            "00 0a 00 0b 43 4f 4d 50 52 45 53 53 49 4f 4e 00 02 00 03 6c 7a 34 00 06 73 6e 61 70 "
            "70 79");

  std::optional<sharding_info> info = sharding_info::from_supported(read_supported(b));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->shard, 3u);
  EXPECT_EQ(info->nr_shards, 12u);
  EXPECT_EQ(info->ignore_msb, 12u);
  EXPECT_EQ(info->partitioner, "org.apache.cassandra.dht.Murmur3Partitioner");
  EXPECT_EQ(info->algorithm, "biased-token-round-robin");
  EXPECT_EQ(info->shard_aware_port, std::optional<std::uint16_t>(19042));
  EXPECT_EQ(info->shard_aware_port_ssl, std::optional<std::uint16_t>(19142));
  EXPECT_EQ(info->shard_of(murmur3_token(as_bytes("a"))), 4u);
}

TEST(WireSharding, CassandraSupportedBodyIsNotSharded) {
  body b;
  b.short_(3);
  entry(b, "COMPRESSION", {"snappy", "lz4"});
  entry(b, "CQL_VERSION", {"3.4.7"});
  entry(b, "PROTOCOL_VERSIONS", {"3/v3", "4/v4", "5/v5", "6/v6-beta"});
  EXPECT_FALSE(sharding_info::from_supported(read_supported(b)).has_value());
  EXPECT_FALSE(sharding_info::from_supported(supported_response{}).has_value());
}

TEST(WireSharding, WithoutShardAwarePorts) {
  std::optional<sharding_info> info =
      sharding_info::from_supported(supported_response{scylla_options()});
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->shard, 3u);
  EXPECT_FALSE(info->shard_aware_port.has_value());
  EXPECT_FALSE(info->shard_aware_port_ssl.has_value());
}

TEST(WireSharding, UnusableShardingIsNullopt) {
  EXPECT_FALSE(
      sharding_info::from_supported(with(scylla_options(), "SCYLLA_SHARDING_ALGORITHM", {"ring"})));
  EXPECT_FALSE(
      sharding_info::from_supported(without(scylla_options(), "SCYLLA_SHARDING_ALGORITHM")));
  EXPECT_FALSE(sharding_info::from_supported(with(scylla_options(), "SCYLLA_PARTITIONER",
                                                  {"org.apache.cassandra.dht.RandomPartitioner"})));
  EXPECT_FALSE(sharding_info::from_supported(without(scylla_options(), "SCYLLA_PARTITIONER")));
  // The missing ignore_msb does not matter when the algorithm is unknown anyway.
  EXPECT_FALSE(sharding_info::from_supported(
      with(without(scylla_options(), "SCYLLA_SHARDING_IGNORE_MSB").options,
           "SCYLLA_SHARDING_ALGORITHM", {"other"})));
}

// from_supported must throw a protocol_error whose message names the key and the bad text.
void expect_malformed(const supported_response& s, const std::string& key,
                      const std::string& text) {
  try {
    (void)sharding_info::from_supported(s);
    ADD_FAILURE() << key << " = '" << text << "' was accepted";
  } catch (const protocol_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(key), HasSubstr(text)));
  }
}

TEST(WireSharding, MalformedNumbersThrow) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SCYLLA_NR_SHARDS", "0"},
      {"SCYLLA_NR_SHARDS", "twelve"},
      {"SCYLLA_NR_SHARDS", "-12"},
      {"SCYLLA_NR_SHARDS", "+12"},
      {"SCYLLA_NR_SHARDS", " 12"},
      {"SCYLLA_NR_SHARDS", "4294967296"},
      {"SCYLLA_NR_SHARDS", "99999999999999999999999"},
      {"SCYLLA_SHARD", "12"},
      {"SCYLLA_SHARD", "3x"},
      {"SCYLLA_SHARDING_IGNORE_MSB", "64"},
      {"SCYLLA_SHARDING_IGNORE_MSB", "1.5"},
      {"SCYLLA_SHARD_AWARE_PORT", "0"},
      {"SCYLLA_SHARD_AWARE_PORT", "65536"},
      {"SCYLLA_SHARD_AWARE_PORT_SSL", "port"},
  };
  for (const auto& [key, text] : cases) {
    SCOPED_TRACE(key + " = " + text);
    expect_malformed(with(scylla_options(), key, {text}), key, text);
  }
  // Empty text: the message still names the key.
  expect_malformed(with(scylla_options(), "SCYLLA_SHARD", {""}), "SCYLLA_SHARD", "''");
}

TEST(WireSharding, MalformedEvenWhenShardingIsUnusable) {
  supported_response s =
      with(with(scylla_options(), "SCYLLA_SHARDING_ALGORITHM", {"other"}).options,
           "SCYLLA_SHARD_AWARE_PORT", {"70000"});
  expect_malformed(s, "SCYLLA_SHARD_AWARE_PORT", "70000");
}

TEST(WireSharding, WrongValueCountOrMissingKeysThrow) {
  EXPECT_THAT(
      [] { (void)sharding_info::from_supported(with(scylla_options(), "SCYLLA_SHARD", {})); },
      ::testing::ThrowsMessage<protocol_error>(HasSubstr("SCYLLA_SHARD")));
  EXPECT_THAT(
      [] {
        (void)sharding_info::from_supported(with(scylla_options(), "SCYLLA_NR_SHARDS", {"1", "2"}));
      },
      ::testing::ThrowsMessage<protocol_error>(HasSubstr("SCYLLA_NR_SHARDS")));
  EXPECT_THAT(
      [] { (void)sharding_info::from_supported(without(scylla_options(), "SCYLLA_SHARD")); },
      ::testing::ThrowsMessage<protocol_error>(HasSubstr("SCYLLA_SHARD")));
  EXPECT_THAT(
      [] {
        (void)sharding_info::from_supported(
            without(scylla_options(), "SCYLLA_SHARDING_IGNORE_MSB"));
      },
      ::testing::ThrowsMessage<protocol_error>(HasSubstr("SCYLLA_SHARDING_IGNORE_MSB")));
}

// ScyllaDB's vectors (12 shards, ignore_msb 12), as used by its drivers' tests.
TEST(WireSharding, ShardOfKnownVectors) {
  sharding_info info;
  info.nr_shards = 12;
  info.ignore_msb = 12;
  EXPECT_EQ(info.shard_of(murmur3_token(as_bytes("a"))), 4u);
  EXPECT_EQ(info.shard_of(murmur3_token(as_bytes("b"))), 6u);
  EXPECT_EQ(info.shard_of(murmur3_token(as_bytes("c"))), 6u);
  EXPECT_EQ(info.shard_of(murmur3_token(as_bytes("e"))), 4u);
  EXPECT_EQ(info.shard_of(murmur3_token(as_bytes("100000"))), 2u);
}

TEST(WireSharding, ShardOfEdgeTokens) {
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  sharding_info info;
  info.nr_shards = 12;
  info.ignore_msb = 12;
  EXPECT_EQ(info.shard_of(min), 0u);
  EXPECT_LT(info.shard_of(max), 12u);

  info.ignore_msb = 0;
  EXPECT_EQ(info.shard_of(min), 0u);
  EXPECT_EQ(info.shard_of(max), 11u);
  EXPECT_EQ(info.shard_of(0), 6u);  // the middle of the ring
  EXPECT_EQ(info.shard_of(-1), 5u);

  info.nr_shards = 1;
  for (std::int64_t t : {min, min + 1, std::int64_t{-1}, std::int64_t{0}, std::int64_t{42}, max}) {
    EXPECT_EQ(info.shard_of(t), 0u) << t;
  }
  info.ignore_msb = 12;
  EXPECT_EQ(info.shard_of(max), 0u);
}

TEST(WireSharding, ShardOfStaysInRange) {
  sharding_info info;
  info.nr_shards = 7;
  info.ignore_msb = 12;
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 1000; ++i) {
    std::uint32_t s = info.shard_of(murmur3_token(as_bytes(std::to_string(i))));
    ASSERT_LT(s, 7u);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST(WireSharding, NextShardPortBasics) {
  EXPECT_EQ(next_shard_port(0, 12, 49152), std::optional<std::uint16_t>(49152));  // 49152 = 12*4096
  EXPECT_EQ(next_shard_port(5, 12, 49152), std::optional<std::uint16_t>(49157));
  EXPECT_EQ(next_shard_port(5, 12, 49157), std::optional<std::uint16_t>(49157));
  EXPECT_EQ(next_shard_port(5, 12, 49158), std::optional<std::uint16_t>(49169));
  // 65535 % 12 == 3: the last port serves shard 3; above it the search wraps to the range start.
  EXPECT_EQ(next_shard_port(3, 12, 65535), std::optional<std::uint16_t>(65535));
  EXPECT_EQ(next_shard_port(4, 12, 65535), std::optional<std::uint16_t>(49156));
  EXPECT_EQ(next_shard_port(4, 12, 65530), std::optional<std::uint16_t>(49156));
  // A start outside the range begins at its first port.
  EXPECT_EQ(next_shard_port(2, 12, 80), std::optional<std::uint16_t>(49154));
  EXPECT_EQ(next_shard_port(2, 12, 0), std::optional<std::uint16_t>(49154));
  // A custom range.
  EXPECT_EQ(next_shard_port(1, 4, 10, 10, 20), std::optional<std::uint16_t>(13));
  EXPECT_EQ(next_shard_port(1, 4, 18, 10, 20), std::optional<std::uint16_t>(13));
  EXPECT_EQ(next_shard_port(0, 4, 20, 10, 20), std::optional<std::uint16_t>(20));
}

TEST(WireSharding, NextShardPortImpossible) {
  EXPECT_FALSE(next_shard_port(12, 12, 50000).has_value());
  EXPECT_FALSE(next_shard_port(0, 0, 50000).has_value());
  EXPECT_FALSE(next_shard_port(0, 4, 50, 60, 50).has_value());
  EXPECT_FALSE(next_shard_port(1, 4, 10, 10, 12).has_value());  // 10, 11, 12: none is 1 mod 4
  EXPECT_EQ(next_shard_port(2, 4, 10, 10, 12), std::optional<std::uint16_t>(10));
  EXPECT_EQ(next_shard_port(0, 1, 65535), std::optional<std::uint16_t>(65535));
  EXPECT_EQ(next_shard_port(0, 1, 60000), std::optional<std::uint16_t>(60000));
}

TEST(WireSharding, NextShardPortProperties) {
  for (std::uint32_t nr : {1u, 2u, 3u, 7u, 12u, 64u, 255u}) {
    for (std::uint32_t shard = 0; shard < nr; ++shard) {
      for (std::uint32_t start : {0u, 1024u, 49151u, 49152u, 50000u, 57000u, 65500u, 65535u}) {
        const auto s16 = static_cast<std::uint16_t>(start);
        std::optional<std::uint16_t> p = next_shard_port(shard, nr, s16);
        ASSERT_TRUE(p.has_value()) << "shard " << shard << " of " << nr;
        EXPECT_EQ(*p % nr, shard);
        EXPECT_GE(*p, shard_port_first);
        EXPECT_LE(*p, shard_port_last);
        if (start >= shard_port_first && start + nr - 1 <= shard_port_last) {
          // A match exists in [start, start + nr): it must be the one returned.
          EXPECT_GE(*p, start);
          EXPECT_LT(*p, start + nr);
        }
      }
    }
  }
}

TEST(WireSharding, NextShardPortWalksEveryCandidateOnce) {
  constexpr std::uint32_t nr = 12;
  constexpr std::uint32_t shard = 7;
  const std::uint16_t begin = *next_shard_port(shard, nr, 60001);
  std::set<std::uint16_t> seen;
  std::uint16_t p = begin;
  do {
    ASSERT_TRUE(seen.insert(p).second) << p;
    ASSERT_EQ(p % nr, shard);
    p = *next_shard_port(shard, nr, static_cast<std::uint16_t>(p + 1));
  } while (p != begin);
  std::size_t expected = 0;
  for (std::uint32_t q = shard_port_first; q <= shard_port_last; ++q) {
    expected += (q % nr == shard) ? 1 : 0;
  }
  EXPECT_EQ(seen.size(), expected);
}

}  // namespace
}  // namespace coodie::wire
