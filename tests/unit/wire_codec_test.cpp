// The protocol notation reader and writer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/wire/codec.hpp"
#include "unit/wire_test_bytes.hpp"

namespace coodie::wire {
namespace {

using test::hex;
using ::testing::HasSubstr;

TEST(WireCodec, ReadsIntegersBigEndian) {
  byte_buffer b = hex("ff 12 34 fe dc ba 98 01 02 03 04 05 06 07 08");
  reader r(b);
  EXPECT_EQ(r.i8(), -1);
  EXPECT_EQ(r.u16(), 0x1234);
  EXPECT_EQ(r.i32(), static_cast<std::int32_t>(0xfedcba98));
  EXPECT_EQ(r.i64(), 0x0102030405060708);
  EXPECT_TRUE(r.empty());
}

TEST(WireCodec, ReadsStringsAsViewsIntoTheInput) {
  byte_buffer b = test::body().string("abc").long_string("de").buffer();
  reader r(b);
  std::string_view s = r.string();
  EXPECT_EQ(s, "abc");
  EXPECT_EQ(static_cast<const void*>(s.data()), static_cast<const void*>(b.data() + 2));
  EXPECT_EQ(r.long_string(), "de");
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(WireCodec, ReadsBytesNullAndValueStates) {
  byte_buffer b = hex("00 00 00 02 aa bb  ff ff ff ff  00 00 00 00  ff ff ff fe  ff ff ff ff");
  reader r(b);
  auto set = r.bytes();
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(test::to_hex(*set), "aa bb");
  EXPECT_FALSE(r.bytes().has_value());
  value_view empty = r.value();
  EXPECT_TRUE(empty.is_set());
  EXPECT_TRUE(empty.bytes().empty());
  EXPECT_TRUE(r.value().is_unset());
  EXPECT_TRUE(r.value().is_null());
}

TEST(WireCodec, RejectsValueLengthBelowMinusTwo) {
  byte_buffer b = hex("ff ff ff fd");
  reader r(b);
  EXPECT_THROW((void)r.value(), protocol_error);
}

TEST(WireCodec, RejectsNegativeLongStringLength) {
  byte_buffer b = hex("ff ff ff ff");
  reader r(b);
  EXPECT_THROW((void)r.long_string(), protocol_error);
}

TEST(WireCodec, TruncationMessageNamesWhatNeedAndHave) {
  byte_buffer b = hex("00 05 61 62");
  reader r(b);
  try {
    (void)r.string();
    FAIL() << "expected protocol_error";
  } catch (const protocol_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("[string]"));
    EXPECT_THAT(e.what(), HasSubstr("5 bytes"));
    EXPECT_THAT(e.what(), HasSubstr("only 2 remain"));
    EXPECT_TRUE(e.poisons_connection());
  }
}

TEST(WireCodec, EveryPrimitiveRejectsShortInput) {
  byte_buffer b = hex("01");
  EXPECT_THROW(reader(b).u16(), protocol_error);
  EXPECT_THROW(reader(b).i32(), protocol_error);
  EXPECT_THROW(reader(b).i64(), protocol_error);
  EXPECT_THROW(reader(bytes_view{}).u8(), protocol_error);
  EXPECT_THROW((void)reader(b).short_bytes(), protocol_error);
}

TEST(WireCodec, ReadsStringListMapsAndMultimap) {
  byte_buffer b = test::body()
                      .short_(2)
                      .string("a")
                      .string("bc")
                      .short_(1)
                      .string("k")
                      .string("v")
                      .short_(1)
                      .string("COMPRESSION")
                      .short_(2)
                      .string("snappy")
                      .string("lz4")
                      .short_(2)
                      .string("p")
                      .bytes("xy")
                      .string("q")
                      .null_bytes()
                      .buffer();
  reader r(b);
  EXPECT_EQ(r.string_list(), (std::vector<std::string>{"a", "bc"}));
  auto m = r.string_map();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].first, "k");
  EXPECT_EQ(m[0].second, "v");
  auto mm = r.string_multimap();
  ASSERT_EQ(mm.size(), 1u);
  EXPECT_EQ(mm[0].first, "COMPRESSION");
  EXPECT_EQ(mm[0].second, (std::vector<std::string>{"snappy", "lz4"}));
  auto bm = r.bytes_map();
  ASSERT_EQ(bm.size(), 2u);
  EXPECT_EQ(bm[0].first, "p");
  ASSERT_TRUE(bm[0].second.has_value());
  EXPECT_EQ(test::to_hex(*bm[0].second), "78 79");
  EXPECT_EQ(bm[1].first, "q");
  EXPECT_FALSE(bm[1].second.has_value());
  EXPECT_TRUE(r.empty());
}

TEST(WireCodec, LyingListCountThrowsWithoutHugeAllocation) {
  byte_buffer b = hex("ff ff 00 01 61");
  EXPECT_THROW(reader(b).string_list(), protocol_error);
  EXPECT_THROW(reader(b).string_multimap(), protocol_error);
  EXPECT_THROW(reader(b).bytes_map(), protocol_error);
  EXPECT_THROW(reader(b).string_map(), protocol_error);
}

TEST(WireCodec, ReadsInetaddrOfFourOrSixteenBytes) {
  byte_buffer v4 = hex("04 7f 00 00 01");
  EXPECT_EQ(test::to_hex(reader(v4).inetaddr()), "7f 00 00 01");
  byte_buffer v6 = hex("10 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01");
  EXPECT_EQ(reader(v6).inetaddr().size(), 16u);
  byte_buffer bad = hex("05 01 02 03 04 05");
  EXPECT_THROW(reader(bad).inetaddr(), protocol_error);
}

TEST(WireCodec, WritesEveryNotation) {
  byte_buffer out;
  writer w(out);
  w.u8(0xab);
  w.i16(-2);
  w.i32(0x01020304);
  w.i64(-1);
  w.string("hi");
  w.long_string("x");
  w.bytes(as_bytes("yz"));
  w.bytes(std::nullopt);
  w.short_bytes(as_bytes("q"));
  w.value(value_view(as_bytes("v")));
  w.value(value_view::null());
  w.value(value_view::unset());
  w.string_list({"a", "b"});
  w.string_map({{"k", "v"}});
  EXPECT_EQ(test::to_hex(out),
            test::to_hex(hex("ab ff fe 01 02 03 04 ff ff ff ff ff ff ff ff"
                             " 00 02 68 69  00 00 00 01 78  00 00 00 02 79 7a  ff ff ff ff"
                             " 00 01 71  00 00 00 01 76  ff ff ff ff  ff ff ff fe"
                             " 00 02 00 01 61 00 01 62  00 01 00 01 6b 00 01 76")));
}

TEST(WireCodec, WriterRejectsOversizedShortForms) {
  byte_buffer out;
  writer w(out);
  std::string big(70000, 'x');
  EXPECT_THROW(w.string(big), codec_error);
  EXPECT_THROW(w.short_bytes(as_bytes(big)), codec_error);
  EXPECT_TRUE(out.empty());
}

TEST(WireCodec, LengthPrefixWrittenInPlace) {
  byte_buffer out;
  writer w(out);
  std::size_t at = w.begin_length();
  w.raw(std::string_view("abc"));
  w.end_length(at);
  std::size_t s = w.size();
  w.u16(0);
  w.patch_u16(s, 0xbeef);
  w.patch_i32(at, 3);
  EXPECT_EQ(test::to_hex(out), "00 00 00 03 61 62 63 be ef");
}

}  // namespace
}  // namespace coodie::wire
