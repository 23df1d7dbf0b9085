// Murmur3Partitioner tokens against the vectors of reference B.9.
#include <gtest/gtest.h>

#include <limits>

#include "coodie/wire/token.hpp"
#include "unit/wire_test_bytes.hpp"

namespace coodie::wire {
namespace {

using test::hex;

TEST(WireToken, TextKeys) {
  EXPECT_EQ(murmur3_token(as_bytes("test")), -6017608668500074083);
  EXPECT_EQ(murmur3_token(as_bytes("xd")), 4507812186440344727);
  EXPECT_EQ(murmur3_token(as_bytes("primary_key")), -1632642444691073360);
}

TEST(WireToken, SignedTailBytes) {
  // "kremówki" in UTF-8: the ó bytes (c3 b3) are >= 0x80 and sit in the tail.
  EXPECT_EQ(murmur3_token(as_bytes("krem\xc3\xb3wki")), 4354931215268080151);
}

TEST(WireToken, IntAndBigintKeys) {
  EXPECT_EQ(murmur3_token(hex("00 00 00 01")), -4069959284402364209);
  EXPECT_EQ(murmur3_token(hex("00 00 00 00 00 00 00 01")), 6292367497774912474);
}

TEST(WireToken, CompositeKey) {
  byte_buffer key;
  append_key_component(key, hex("00 00 00 01"));
  append_key_component(key, as_bytes("a"));
  EXPECT_EQ(test::to_hex(key), "00 04 00 00 00 01 00 00 01 61 00");
  EXPECT_EQ(murmur3_token(key), 6516349416904725244);
}

TEST(WireToken, EmptyKeyHasMinimumToken) {
  EXPECT_EQ(murmur3_token(bytes_view{}), std::numeric_limits<std::int64_t>::min());
}

// Further published vectors (DataStax python-driver tests/unit/test_metadata.py and ruby-driver
// spec/cassandra/murmur3_spec.rb): multi-block keys, full 16-byte blocks, signed tails.
TEST(WireToken, PublishedDriverVectors) {
  EXPECT_EQ(murmur3_token(as_bytes("123")), -7468325962851647638);
  std::string fifty;
  for (int i = 0; i < 10; ++i) {
    fifty += std::string("\x00\xff\x10\xfa\x99", 5);
  }
  ASSERT_EQ(fifty.size(), 50u);
  EXPECT_EQ(murmur3_token(as_bytes(fifty)), 5837342703291459765);
  EXPECT_EQ(murmur3_token(as_bytes(std::string(8, '\xfe'))), -8927430733708461935);
  EXPECT_EQ(murmur3_token(as_bytes(std::string(8, '\x10'))), 1446172840243228796);
  EXPECT_EQ(murmur3_token(as_bytes("9223372036854775807")), 7162290910810015547);
  EXPECT_EQ(murmur3_token(hex("01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10")),
            -5563837382979743776);
  EXPECT_EQ(murmur3_token(hex("02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11")),
            -1513403162740402161);
}

TEST(WireToken, OversizedKeyComponentRejected) {
  byte_buffer key;
  std::string big(65536, 'k');
  EXPECT_THROW(append_key_component(key, as_bytes(big)), codec_error);
}

}  // namespace
}  // namespace coodie::wire
