// Byte-exact encodings and round trips of the scalar mappings in coodie/wire/traits.hpp: booleans,
// integers, floating point, text and blobs, plus the generic [value] helpers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "coodie/wire/traits.hpp"
#include "unit/values_test_support.hpp"

namespace coodie::wire {
namespace {

using namespace test;
using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(ValuesScalar, BooleanIsOneByte) {
  EXPECT_EQ(value_hex(true), "00 00 00 01 01");
  EXPECT_EQ(value_hex(false), "00 00 00 01 00");
  EXPECT_TRUE(decode_hex<bool>("02"));
  EXPECT_FALSE(decode_hex<bool>("00"));
  expect_codec_error<bool>("", "boolean");
  expect_codec_error<bool>("00 01", "expected 1 bytes, got 2");
}

TEST(ValuesScalar, IntegersAreBigEndianTwosComplement) {
  EXPECT_EQ(value_hex(std::int8_t{-2}), "00 00 00 01 fe");
  EXPECT_EQ(value_hex(std::int16_t{0x1234}), "00 00 00 02 12 34");
  EXPECT_EQ(value_hex(std::int32_t{-1}), "00 00 00 04 ff ff ff ff");
  EXPECT_EQ(value_hex(std::int32_t{7}), "00 00 00 04 00 00 00 07");
  EXPECT_EQ(value_hex(std::int64_t{0x0102030405060708}), "00 00 00 08 01 02 03 04 05 06 07 08");
  EXPECT_EQ(decode_hex<std::int16_t>("80 00"), std::numeric_limits<std::int16_t>::min());
  EXPECT_EQ(decode_hex<std::int64_t>("ff ff ff ff ff ff ff fe"), -2);
}

template <class I>
void check_integer_limits() {
  for (I v : {std::numeric_limits<I>::min(), static_cast<I>(-1), I{0}, I{1},
              std::numeric_limits<I>::max()}) {
    EXPECT_EQ(round_trip(v), v);
  }
}

TEST(ValuesScalar, IntegerLimitsRoundTrip) {
  check_integer_limits<std::int8_t>();
  check_integer_limits<std::int16_t>();
  check_integer_limits<std::int32_t>();
  check_integer_limits<std::int64_t>();
}

TEST(ValuesScalar, IntegersRejectWrongSizes) {
  expect_codec_error<std::int8_t>("00 00", "tinyint value: expected 1 bytes, got 2");
  expect_codec_error<std::int16_t>("00", "smallint value: expected 2 bytes, got 1");
  expect_codec_error<std::int32_t>("00 00 00", "int value: expected 4 bytes, got 3");
  expect_codec_error<std::int32_t>("", "got 0");
  expect_codec_error<std::int64_t>("00 00 00 00 00 00 00 00 00", "bigint value");
}

TEST(ValuesScalar, IntegerAcceptsOnlyItsOwnTypeAndBigintAlsoCounter) {
  EXPECT_TRUE(cql_traits<std::int32_t>::accepts(simple_type(type_id::int_)));
  EXPECT_FALSE(cql_traits<std::int32_t>::accepts(simple_type(type_id::bigint)));
  EXPECT_TRUE(cql_traits<std::int64_t>::accepts(simple_type(type_id::counter)));
  EXPECT_TRUE(cql_traits<std::int64_t>::accepts(simple_type(type_id::bigint)));
  EXPECT_FALSE(cql_traits<std::int64_t>::accepts(simple_type(type_id::timestamp)));
  EXPECT_EQ(cql_traits<std::int16_t>::cql_type(), simple_type(type_id::smallint));
}

TEST(ValuesScalar, FloatingPointKeepsBitsIncludingNanAndInfinity) {
  EXPECT_EQ(value_hex(1.0f), "00 00 00 04 3f 80 00 00");
  EXPECT_EQ(value_hex(-2.5), "00 00 00 08 c0 04 00 00 00 00 00 00");
  EXPECT_EQ(round_trip(std::numeric_limits<float>::infinity()),
            std::numeric_limits<float>::infinity());
  EXPECT_EQ(round_trip(-std::numeric_limits<double>::infinity()),
            -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(round_trip(std::numeric_limits<float>::quiet_NaN())));
  EXPECT_TRUE(std::isnan(round_trip(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_EQ(round_trip(std::numeric_limits<double>::denorm_min()),
            std::numeric_limits<double>::denorm_min());
  EXPECT_TRUE(std::signbit(round_trip(-0.0)));
  EXPECT_EQ(value_hex(std::numeric_limits<float>::infinity()), "00 00 00 04 7f 80 00 00");
  expect_codec_error<float>("00 00 00 00 00", "float");
  expect_codec_error<double>("00 00 00 00", "double");
}

TEST(ValuesScalar, TextIsRawUtf8) {
  EXPECT_EQ(value_hex(std::string("abc")), "00 00 00 03 61 62 63");
  EXPECT_EQ(value_hex(std::string()), "00 00 00 00");
  EXPECT_EQ(value_hex(std::string_view("hi")), "00 00 00 02 68 69");
  EXPECT_EQ(value_hex("hi"), "00 00 00 02 68 69");  // a string literal, without its NUL
  const char* p = "ok";
  EXPECT_EQ(value_hex(p), "00 00 00 02 6f 6b");
  const char* null_pointer = nullptr;
  EXPECT_EQ(value_hex(null_pointer), "ff ff ff ff");
  EXPECT_EQ(round_trip(std::string("żółw 🐢")), "żółw 🐢");
  EXPECT_EQ(round_trip(std::string()), "");
  EXPECT_EQ(decode_hex<std::string>(""), "");
}

TEST(ValuesScalar, TextDecodeReusesCapacity) {
  std::string out;
  out.reserve(100);
  const char* before = out.data();
  byte_buffer b = hex("61 62");
  decode_value(value_view(bytes_view(b)), out);
  EXPECT_EQ(out, "ab");
  EXPECT_EQ(out.data(), before);
}

TEST(ValuesScalar, AsciiTargetRejectsNonAsciiBytes) {
  const data_type ascii = simple_type(type_id::ascii);
  EXPECT_EQ(value_hex_as(std::string("ok"), ascii), "00 00 00 02 6f 6b");
  EXPECT_EQ(value_hex_as("ok", ascii), "00 00 00 02 6f 6b");
  EXPECT_THAT(codec_error_message([&] { return value_hex_as(std::string("caf\xc3\xa9"), ascii); }),
              HasSubstr("non-ASCII byte 0xc3 at offset 3"))
      << "non-ASCII accepted";
  EXPECT_THROW((void)value_hex_as(std::string_view("\x80"), ascii), codec_error);
  // text targets take any bytes
  EXPECT_EQ(value_hex_as(std::string("\xc3\xa9"), simple_type(type_id::varchar)),
            "00 00 00 02 c3 a9");
  // ascii reads into std::string
  EXPECT_EQ(decode_hex_as<std::string>("41", ascii), "A");
}

TEST(ValuesScalar, BlobIsRawBytes) {
  blob data{std::byte{0xde}, std::byte{0xad}};
  EXPECT_EQ(value_hex(data), "00 00 00 02 de ad");
  EXPECT_EQ(value_hex(blob{}), "00 00 00 00");
  EXPECT_EQ(value_hex(std::span<const std::byte>(data)), "00 00 00 02 de ad");
  EXPECT_EQ(round_trip(data), data);
  EXPECT_EQ(round_trip(blob{}), blob{});
  EXPECT_EQ(cql_traits<blob>::cql_type(), simple_type(type_id::blob));
  EXPECT_FALSE(cql_traits<blob>::accepts(simple_type(type_id::varchar)));
}

TEST(ValuesScalar, NullReadsAsErrorUnlessOptional) {
  EXPECT_THAT(codec_error_message([] { return decode_value<std::int32_t>(value_view::null()); }),
              HasSubstr("null value for a non-optional int"))
      << "null accepted";
  EXPECT_THROW((void)decode_value<std::string>(value_view::null()), codec_error);
  EXPECT_EQ(decode_value<std::optional<std::int32_t>>(value_view::null()), std::nullopt);
}

TEST(ValuesScalar, OptionalWritesNullOrTheValue) {
  EXPECT_EQ(value_hex(std::optional<std::int32_t>()), "ff ff ff ff");
  EXPECT_EQ(value_hex(std::optional<std::int32_t>(5)), "00 00 00 04 00 00 00 05");
  EXPECT_EQ(value_hex(std::nullopt), "ff ff ff ff");
  EXPECT_EQ(round_trip(std::optional<std::string>("x")), "x");
  std::optional<std::string> out = "previous";
  decode_value(value_view::null(), out);
  EXPECT_FALSE(out.has_value());
  EXPECT_EQ(cql_traits<std::optional<double>>::cql_type(), simple_type(type_id::double_));
  EXPECT_EQ(value_hex_as(std::optional<std::string>("a"), simple_type(type_id::ascii)),
            "00 00 00 01 61");
  EXPECT_THROW((void)value_hex_as(std::optional<std::string>("\xff"), simple_type(type_id::ascii)),
               codec_error);
}

TEST(ValuesScalar, UnsetWritesMinusTwoForAnyTarget) {
  EXPECT_EQ(value_hex(unset), "ff ff ff fe");
  EXPECT_EQ(value_hex_as(unset, list_of(simple_type(type_id::int_))), "ff ff ff fe");
  EXPECT_EQ(value_hex_as(std::nullopt, simple_type(type_id::uuid)), "ff ff ff ff");
}

TEST(ValuesScalar, BindingToAnUnacceptedTypeNamesBothTypes) {
  EXPECT_THAT(codec_error_message(
                  [] { return value_hex_as(std::string("x"), simple_type(type_id::int_)); }),
              AllOf(HasSubstr("C++ type std::string"), HasSubstr("CQL type int")))
      << "bound text to int";
  EXPECT_THAT(codec_error_message([] {
                return value_hex_as(std::vector<std::int64_t>{1},
                                    list_of(simple_type(type_id::varchar)));
              }),
              AllOf(HasSubstr("std::vector<std::int64_t>"), HasSubstr("list<text>")))
      << "bound list<bigint> to list<text>";
}

TEST(ValuesScalar, ReadingFromAnUnacceptedTypeNamesBothTypes) {
  EXPECT_THAT(codec_error_message([] {
                return decode_hex_as<std::string>("00 00 00 01", simple_type(type_id::int_));
              }),
              HasSubstr("CQL type int into C++ type std::string"))
      << "read int into std::string";
}

TEST(ValuesScalar, ReadsACounterIntoInt64) {
  EXPECT_EQ(decode_hex_as<std::int64_t>("00 00 00 00 00 00 00 2a", simple_type(type_id::counter)),
            42);
}

TEST(ValuesScalar, ConceptsDescribeWhatEachTypeCanDo) {
  static_assert(cql_encodable<std::string> && cql_decodable<std::string>);
  static_assert(cql_encodable<std::string_view> && !cql_decodable<std::string_view>);
  static_assert(cql_encodable<const char*> && !cql_decodable<const char*>);
  static_assert(cql_encodable<std::span<const std::byte>>);
  static_assert(!cql_mapped<unsigned>);
  static_assert(!cql_mapped<char>);
  static_assert(!cql_mapped<std::vector<unsigned>>);
  static_assert(cql_encodable<std::vector<std::string_view>> &&
                !cql_decodable<std::vector<std::string_view>>);
  SUCCEED();
}

}  // namespace
}  // namespace coodie::wire
