// coodie::varint and coodie::decimal: minimal two's-complement bytes, arbitrary-width decimal
// text, ordering, and the decimal wire form ([int] scale + varint).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "coodie/wire/traits.hpp"
#include "unit/values_test_support.hpp"

namespace coodie::wire {
namespace {

using namespace test;

constexpr std::string_view two_100 = "1267650600228229401496703205376";
constexpr std::string_view two_200 =
    "1606938044258990275541962092341162602522202993782792835301376";

TEST(ValuesVarint, MinimalTwosComplementBytes) {
  EXPECT_EQ(content_hex(varint(0)), "00");
  EXPECT_EQ(content_hex(varint()), "00");
  EXPECT_EQ(content_hex(varint(1)), "01");
  EXPECT_EQ(content_hex(varint(127)), "7f");
  EXPECT_EQ(content_hex(varint(128)), "00 80");
  EXPECT_EQ(content_hex(varint(255)), "00 ff");
  EXPECT_EQ(content_hex(varint(256)), "01 00");
  EXPECT_EQ(content_hex(varint(-1)), "ff");
  EXPECT_EQ(content_hex(varint(-128)), "80");
  EXPECT_EQ(content_hex(varint(-129)), "ff 7f");
  EXPECT_EQ(content_hex(varint(std::numeric_limits<std::int64_t>::max())),
            "7f ff ff ff ff ff ff ff");
  EXPECT_EQ(content_hex(varint(std::numeric_limits<std::int64_t>::min())),
            "80 00 00 00 00 00 00 00");
  EXPECT_EQ(content_hex(varint(std::numeric_limits<std::uint64_t>::max())),
            "00 ff ff ff ff ff ff ff ff");
  EXPECT_EQ(content_hex(varint(std::uint8_t{200})), "00 c8");
}

TEST(ValuesVarint, WiderThan64Bits) {
  varint big = varint::parse(two_100);
  EXPECT_EQ(content_hex(big), "10 00 00 00 00 00 00 00 00 00 00 00 00");
  varint neg = varint::parse("-1267650600228229401496703205377");  // -(2^100) - 1
  EXPECT_EQ(content_hex(neg), "ef ff ff ff ff ff ff ff ff ff ff ff ff");
  EXPECT_EQ(content_hex(varint::parse("-1267650600228229401496703205376")),
            "f0 00 00 00 00 00 00 00 00 00 00 00 00");
  EXPECT_EQ(big.to_string(), two_100);
  EXPECT_EQ(neg.to_string(), "-1267650600228229401496703205377");
  EXPECT_EQ(varint::parse(two_200).to_string(), two_200);
  EXPECT_EQ(round_trip(big), big);
  EXPECT_EQ(round_trip(neg), neg);
  EXPECT_FALSE(big.fits_int64());
  EXPECT_THROW((void)big.to_int64(), codec_error);
  EXPECT_EQ(decode_hex<varint>("10 00 00 00 00 00 00 00 00 00 00 00 00").to_string(), two_100);
}

TEST(ValuesVarint, DecimalTextRoundTripsAtEveryWidth) {
  std::string digits = "1";
  for (int i = 0; i < 120; ++i) {
    digits += static_cast<char>('0' + (i * 7) % 10);
    EXPECT_EQ(varint::parse(digits).to_string(), digits);
    EXPECT_EQ(varint::parse("-" + digits).to_string(), "-" + digits);
  }
  EXPECT_EQ(varint::parse("-0").to_string(), "0");
  EXPECT_EQ(varint::parse("+42"), varint(42));
  EXPECT_EQ(varint::parse("007"), varint(7));
  EXPECT_EQ(varint::parse("-9223372036854775808").to_int64(),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(varint::parse("18446744073709551615"),
            varint(std::numeric_limits<std::uint64_t>::max()));
  for (std::string_view bad : {"", "-", "+", "12a", " 1", "1 ", "1.0", "0x10"}) {
    EXPECT_THROW((void)varint::parse(bad), codec_error) << bad;
  }
}

TEST(ValuesVarint, Int64Conversions) {
  for (std::int64_t v :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{127}, std::int64_t{-128},
        std::int64_t{-129}, std::int64_t{1} << 40, std::numeric_limits<std::int64_t>::max(),
        std::numeric_limits<std::int64_t>::min()}) {
    EXPECT_EQ(varint(v).to_int64(), v);
    EXPECT_EQ(varint(v).to_string(), std::to_string(v));
    EXPECT_EQ(round_trip(varint(v)), varint(v));
  }
  EXPECT_THROW((void)varint(std::numeric_limits<std::uint64_t>::max()).to_int64(), codec_error);
}

TEST(ValuesVarint, NonMinimalBytesAreNormalized) {
  EXPECT_EQ(decode_hex<varint>("00 00 01"), varint(1));
  EXPECT_EQ(decode_hex<varint>("ff ff 80"), varint(-128));
  EXPECT_EQ(decode_hex<varint>("00 00"), varint(0));
  EXPECT_EQ(decode_hex<varint>("ff ff"), varint(-1));
  EXPECT_EQ(content_hex(decode_hex<varint>("00 00 80")), "00 80");
  EXPECT_THROW((void)decode_hex<varint>(""), codec_error);
}

TEST(ValuesVarint, OrdersNumerically) {
  std::vector<varint> ordered = {varint::parse("-1267650600228229401496703205377"),
                                 varint::parse("-1267650600228229401496703205376"),
                                 varint(std::numeric_limits<std::int64_t>::min()),
                                 varint(-129),
                                 varint(-128),
                                 varint(-1),
                                 varint(0),
                                 varint(1),
                                 varint(127),
                                 varint(128),
                                 varint(std::numeric_limits<std::uint64_t>::max()),
                                 varint::parse(two_100)};
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    for (std::size_t j = 0; j < ordered.size(); ++j) {
      EXPECT_EQ(ordered[i] <=> ordered[j], i <=> j) << i << " vs " << j;
    }
  }
  EXPECT_EQ(varint(5).sign(), 1);
  EXPECT_EQ(varint(-5).sign(), -1);
  EXPECT_EQ(varint(0).sign(), 0);
}

TEST(ValuesDecimal, ScaleThenUnscaledVarint) {
  decimal d = decimal::parse("-12.3450");
  EXPECT_EQ(d.unscaled(), varint(-123450));
  EXPECT_EQ(d.scale(), 4);
  EXPECT_EQ(content_hex(d), "00 00 00 04 fe 1d c6");
  EXPECT_EQ(d.to_string(), "-12.3450");
  EXPECT_EQ(round_trip(d), d);
  EXPECT_EQ(content_hex(decimal()), "00 00 00 00 00");
  EXPECT_EQ(content_hex(decimal(varint(1), -40)), "ff ff ff d8 01");
  EXPECT_EQ(decode_hex<decimal>("00 00 00 02 04 d2"), decimal(varint(1234), 2));
}

TEST(ValuesDecimal, TextFormsLikeJavaBigDecimal) {
  EXPECT_EQ(decimal(varint(1234), 2).to_string(), "12.34");
  EXPECT_EQ(decimal(varint(5), 3).to_string(), "0.005");
  EXPECT_EQ(decimal(varint(-5), 3).to_string(), "-0.005");
  EXPECT_EQ(decimal(varint(1), 6).to_string(), "0.000001");
  EXPECT_EQ(decimal(varint(1), 7).to_string(), "1E-7");
  EXPECT_EQ(decimal(varint(12), -3).to_string(), "1.2E+4");
  EXPECT_EQ(decimal(varint(1), -40).to_string(), "1E+40");
  EXPECT_EQ(decimal(varint(0), -3).to_string(), "0E+3");
  EXPECT_EQ(decimal(varint(0), 2).to_string(), "0.00");
  EXPECT_EQ(decimal(varint(42), 0).to_string(), "42");
}

TEST(ValuesDecimal, ParsesPlainAndExponentForms) {
  EXPECT_EQ(decimal::parse("1E+40"), decimal(varint(1), -40));
  EXPECT_EQ(decimal::parse("1.2E+4"), decimal(varint(12), -3));
  EXPECT_EQ(decimal::parse("1e-7"), decimal(varint(1), 7));
  EXPECT_EQ(decimal::parse(".5"), decimal(varint(5), 1));
  EXPECT_EQ(decimal::parse("5."), decimal(varint(5), 0));
  EXPECT_EQ(decimal::parse("+0.00"), decimal(varint(0), 2));
  EXPECT_NE(decimal::parse("1.0"), decimal::parse("1.00"));
  for (std::string_view bad :
       {"", ".", "-", "1.2.3", "1e", "e5", "--1", "1e+", "1 ", "1e99999999999"}) {
    EXPECT_THROW((void)decimal::parse(bad), codec_error) << bad;
  }
}

TEST(ValuesDecimal, WideValuesRoundTripAsText) {
  for (std::string_view text :
       {"12676506002282294.01496703205376", "-12676506002282294014967032053.77", "0.000123",
        "-1.606938044258990275541962092341162602522202993782792835301376E-30",
        "1.606938044258990275541962092341162602522202993782792835301376E+100"}) {
    decimal d = decimal::parse(text);
    EXPECT_EQ(d.to_string(), text);
    EXPECT_EQ(round_trip(d), d);
  }
}

TEST(ValuesDecimal, RejectsShortContent) {
  EXPECT_THROW((void)decode_hex<decimal>("00 00 00 01"), codec_error);
  EXPECT_THROW((void)decode_hex<decimal>("00 00"), codec_error);
  EXPECT_THROW((void)decode_hex<decimal>(""), codec_error);
}

}  // namespace
}  // namespace coodie::wire
