// Collections, tuples, UDT-shaped tuples and vectors: byte-exact encodings, type-directed binding
// (std::vector<float> to vector<float, N>), nulls, storage reuse and hostile element counts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/wire/traits.hpp"
#include "unit/values_test_support.hpp"

namespace coodie::wire {
namespace {

using namespace test;
using ::testing::HasSubstr;

const data_type int_type = simple_type(type_id::int_);
const data_type text_type = simple_type(type_id::varchar);
const data_type float_type = simple_type(type_id::float_);

// --- lists, sets, maps --------------------------------------------------------------------------

TEST(ValuesCollections, ListIsCountThenBytesElements) {
  EXPECT_EQ(content_hex(std::vector<std::int32_t>{1, 2}),
            "00 00 00 02 00 00 00 04 00 00 00 01 00 00 00 04 00 00 00 02");
  EXPECT_EQ(content_hex(std::vector<std::string>{"a", ""}),
            "00 00 00 02 00 00 00 01 61 00 00 00 00");
  EXPECT_EQ(content_hex(std::vector<std::int32_t>{}), "00 00 00 00");
  EXPECT_EQ(cql_traits<std::vector<std::string>>::cql_type(), list_of(text_type));
  EXPECT_EQ(round_trip(std::vector<std::string>{"x", "", "żółw"}),
            (std::vector<std::string>{"x", "", "żółw"}));
  EXPECT_EQ(round_trip(std::vector<bool>{true, false, true}),
            (std::vector<bool>{true, false, true}));
}

TEST(ValuesCollections, NullCollectionReadsAsEmpty) {
  std::vector<std::int32_t> v{1, 2, 3};
  decode_value(value_view::null(), v);
  EXPECT_TRUE(v.empty());
  std::map<std::string, std::int32_t> m{{"a", 1}};
  decode_value(value_view::null(), list_of(int_type), v);
  decode_value(value_view::null(), map_of(text_type, int_type), m);
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(decode_value<std::optional<std::vector<std::int32_t>>>(value_view::null()),
            std::nullopt);
}

TEST(ValuesCollections, DecodeReusesElementStorage) {
  std::vector<std::string> v(3);
  v[0].reserve(64);
  const char* first = v[0].data();
  const std::string* elements = v.data();
  byte_buffer b = hex("00 00 00 02 00 00 00 01 61 00 00 00 01 62");
  decode_value(value_view(bytes_view(b)), v);
  ASSERT_EQ(v, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(v.data(), elements);
  EXPECT_EQ(v[0].data(), first);
}

TEST(ValuesCollections, SetsAndListsAcceptEachOther) {
  std::set<std::string> s{"b", "a"};
  EXPECT_EQ(content_hex(s), "00 00 00 02 00 00 00 01 61 00 00 00 01 62");
  EXPECT_EQ(cql_traits<std::set<std::string>>::cql_type(), set_of(text_type));
  EXPECT_TRUE(cql_traits<std::set<std::string>>::accepts(list_of(text_type)));
  EXPECT_TRUE(cql_traits<std::vector<std::string>>::accepts(set_of(text_type)));
  EXPECT_FALSE(cql_traits<std::vector<std::string>>::accepts(map_of(text_type, text_type)));
  EXPECT_EQ(round_trip(s), s);
  EXPECT_EQ(
      decode_hex_as<std::vector<std::string>>("00 00 00 01 00 00 00 01 61", set_of(text_type)),
      std::vector<std::string>{"a"});
  std::unordered_set<std::int32_t> u{1, 2, 3};
  EXPECT_EQ(round_trip(u), u);
  EXPECT_EQ(content_hex_as(u, list_of(int_type)).size(), content_hex(u).size());
}

TEST(ValuesCollections, MapsAndNestedCollections) {
  std::map<std::string, std::vector<std::int32_t>> m{{"a", {1}}, {"b", {}}};
  EXPECT_EQ(content_hex(m),
            "00 00 00 02 "
            "00 00 00 01 61 00 00 00 0c 00 00 00 01 00 00 00 04 00 00 00 01 "
            "00 00 00 01 62 00 00 00 04 00 00 00 00");
  EXPECT_EQ(round_trip(m), m);
  EXPECT_EQ((cql_traits<std::map<std::string, std::vector<std::int32_t>>>::cql_type()),
            map_of(text_type, list_of(int_type)));
  std::unordered_map<std::int32_t, std::set<std::string>> u{{1, {"x", "y"}}, {2, {}}};
  EXPECT_EQ(round_trip(u), u);
  std::vector<std::map<std::int32_t, std::string>> nested{{{1, "a"}}, {}};
  EXPECT_EQ(round_trip(nested), nested);
}

TEST(ValuesCollections, TypeDirectedElementsInsideCollections) {
  const data_type ascii = simple_type(type_id::ascii);
  EXPECT_EQ(content_hex_as(std::vector<std::string>{"a"}, list_of(ascii)),
            "00 00 00 01 00 00 00 01 61");
  EXPECT_THROW((void)content_hex_as(std::vector<std::string>{"\xc3\xa9"}, list_of(ascii)),
               codec_error);
  std::map<std::string, std::string> m{{"k", "\xc3\xa9"}};
  EXPECT_THROW((void)content_hex_as(m, map_of(text_type, ascii)), codec_error);
  EXPECT_NO_THROW((void)content_hex_as(m, map_of(ascii, text_type)));
}

TEST(ValuesCollections, NullElementsAreRejected) {
  expect_codec_error<std::vector<std::int32_t>>("00 00 00 01 ff ff ff ff", "null value");
  EXPECT_EQ(decode_hex<std::vector<std::optional<std::int32_t>>>("00 00 00 01 ff ff ff ff"),
            std::vector<std::optional<std::int32_t>>{std::nullopt});
  EXPECT_THROW((void)content_hex(std::vector<std::optional<std::int32_t>>{std::nullopt}),
               codec_error);
  EXPECT_THROW(
      (void)content_hex(std::map<std::int32_t, std::optional<std::int32_t>>{{1, std::nullopt}}),
      codec_error);
}

TEST(ValuesCollections, HostileCountsFailBeforeAllocating) {
  expect_codec_error<std::vector<std::int32_t>>("7f ff ff ff", "exceeds");
  expect_codec_error<std::vector<std::string>>("7f ff ff ff 00 00 00 00", "exceeds");
  expect_codec_error<std::set<std::int32_t>>("7f ff ff ff", "exceeds");
  expect_codec_error<std::map<std::int32_t, std::int32_t>>("00 00 00 02 00 00 00 00 00 00 00 00",
                                                           "exceeds");
  expect_codec_error<std::vector<std::int32_t>>("ff ff ff fe", "negative element count");
  expect_codec_error<std::vector<std::int32_t>>("00 00", "");
}

TEST(ValuesCollections, TruncatedAndTrailingBytes) {
  // element length runs past the end
  expect_codec_error<std::vector<std::int32_t>>("00 00 00 01 00 00 00 04 00 00", "malformed value");
  // element content of the wrong size
  expect_codec_error<std::vector<std::int32_t>>("00 00 00 01 00 00 00 02 00 00", "int value");
  // bytes after the last element
  expect_codec_error<std::vector<std::int32_t>>("00 00 00 00 01", "unexpected bytes");
  expect_codec_error<std::map<std::int32_t, std::int32_t>>("00 00 00 01 00 00 00 04 00 00 00 01",
                                                           "malformed value");
  // a negative length below -1 in an element is a null there, then the count is off
  expect_codec_error<std::vector<std::int32_t>>("00 00 00 01 ff ff ff f0", "null value");
}

// --- tuples and UDTs ----------------------------------------------------------------------------

TEST(ValuesTuples, FieldsAreBytesAndMayBeNull) {
  using row = std::tuple<std::int32_t, std::optional<std::string>, bool>;
  row v{7, std::nullopt, true};
  EXPECT_EQ(content_hex(v), "00 00 00 04 00 00 00 07 ff ff ff ff 00 00 00 01 01");
  EXPECT_EQ(round_trip(v), v);
  EXPECT_EQ(round_trip(row{-1, "x", false}), (row{-1, "x", false}));
  EXPECT_EQ(cql_traits<row>::cql_type(),
            tuple_of({int_type, text_type, simple_type(type_id::boolean)}));
  EXPECT_TRUE(
      cql_traits<row>::accepts(tuple_of({int_type, text_type, simple_type(type_id::boolean)})));
  EXPECT_FALSE(cql_traits<row>::accepts(tuple_of({int_type, text_type})));
  expect_codec_error<std::tuple<std::int32_t>>("ff ff ff ff", "null value");
  expect_codec_error<std::tuple<std::int32_t>>("00 00 00 04 00 00 00 01 00", "unexpected bytes");
  EXPECT_THROW((void)content_hex(std::tuple<std::int32_t, unset_t>{1, unset}), codec_error);
}

TEST(ValuesTuples, NestedInCollections) {
  std::vector<std::tuple<std::string, std::vector<std::int32_t>>> v{{"a", {1, 2}}, {"", {}}};
  EXPECT_EQ(round_trip(v), v);
}

data_type address_udt() {
  data_type t;
  t.id = type_id::udt;
  t.keyspace = "shop";
  t.name = "address";
  t.field_names = {"street", "zip", "country"};
  t.params = {text_type, int_type, text_type};
  return t;
}

TEST(ValuesTuples, TupleReadsAndWritesAUdtsLeadingFields) {
  using full = std::tuple<std::string, std::optional<std::int32_t>, std::optional<std::string>>;
  using leading = std::tuple<std::string, std::optional<std::int32_t>>;
  const data_type udt = address_udt();
  EXPECT_TRUE(cql_traits<full>::accepts(udt));
  EXPECT_TRUE(cql_traits<leading>::accepts(udt));
  EXPECT_FALSE((cql_traits<std::tuple<std::string, std::string>>::accepts(udt)));
  EXPECT_FALSE(
      (cql_traits<std::tuple<std::string, std::int32_t, std::string, std::string>>::accepts(udt)));

  full v{"Main St", 1000, "BE"};
  EXPECT_EQ(content_hex_as(v, udt),
            "00 00 00 07 4d 61 69 6e 20 53 74 00 00 00 04 00 00 03 e8 00 00 00 02 42 45");
  EXPECT_EQ(decode_hex_as<full>(content_hex_as(v, udt), udt), v);
  // a value written before the last field was added: it reads as null
  EXPECT_EQ(decode_hex_as<full>("00 00 00 01 78 00 00 00 04 00 00 00 05", udt),
            (full{"x", 5, std::nullopt}));
  // fields beyond the tuple are ignored when the source is a UDT
  EXPECT_EQ(decode_hex_as<leading>(content_hex_as(v, udt), udt), (leading{"Main St", 1000}));
  // missing field into a non-optional element
  EXPECT_THAT(codec_error_message([&] {
                return decode_hex_as<std::tuple<std::string, std::int32_t>>("00 00 00 01 78", udt);
              }),
              HasSubstr("null value for a non-optional int"));
}

// --- vectors ------------------------------------------------------------------------------------

TEST(ValuesVectors, FloatArrayIsPackedWithoutLengths) {
  std::array<float, 3> v{1.0f, 2.0f, 3.0f};
  EXPECT_EQ(content_hex(v), "3f 80 00 00 40 00 00 00 40 40 00 00");
  EXPECT_EQ((cql_traits<std::array<float, 3>>::cql_type()), vector_of(float_type, 3));
  EXPECT_EQ(round_trip(v), v);
  EXPECT_TRUE((cql_traits<std::array<float, 3>>::accepts(vector_of(float_type, 3))));
  EXPECT_FALSE((cql_traits<std::array<float, 3>>::accepts(vector_of(float_type, 4))));
  EXPECT_FALSE((cql_traits<std::array<float, 3>>::accepts(list_of(float_type))));
  expect_codec_error<std::array<float, 3>>("3f 80 00 00 40 00 00 00 40 40 00", "expected 12 bytes");
  expect_codec_error<std::array<float, 3>>("", "got 0");
}

TEST(ValuesVectors, StdVectorOfFloatBindsToListsAndVectors) {
  std::vector<float> v{1.0f, 2.0f, 3.0f};
  const data_type vec3 = vector_of(float_type, 3);
  EXPECT_EQ(cql_traits<std::vector<float>>::cql_type(), list_of(float_type));
  EXPECT_TRUE(cql_traits<std::vector<float>>::accepts(vec3));
  EXPECT_EQ(content_hex_as(v, vec3), "3f 80 00 00 40 00 00 00 40 40 00 00");
  EXPECT_EQ(content_hex_as(v, list_of(float_type)), content_hex(v));
  EXPECT_EQ(content_hex(v).substr(0, 11), "00 00 00 03");
  EXPECT_EQ(decode_hex_as<std::vector<float>>("3f 80 00 00 40 00 00 00 40 40 00 00", vec3), v);
  EXPECT_THAT(codec_error_message([&] {
                return content_hex_as(std::vector<float>{1.0f, 2.0f}, vec3);
              }),
              HasSubstr("2 elements do not match the dimension of CQL type"));
  EXPECT_THROW((void)decode_hex_as<std::vector<float>>("3f 80 00 00", vec3), codec_error);
  // bigint elements through the same path
  EXPECT_EQ(
      content_hex_as(std::vector<std::int64_t>{1, -1}, vector_of(simple_type(type_id::bigint), 2)),
      "00 00 00 00 00 00 00 01 ff ff ff ff ff ff ff ff");
}

TEST(ValuesVectors, VariableSizeElementsHaveVintLengths) {
  const data_type vec2 = vector_of(text_type, 2);
  std::array<std::string, 2> v{"a", "bc"};
  EXPECT_EQ(content_hex(v), "01 61 02 62 63");
  EXPECT_EQ(round_trip(v), v);
  EXPECT_EQ(content_hex_as(std::vector<std::string>{"a", "bc"}, vec2), "01 61 02 62 63");
  EXPECT_EQ(decode_hex_as<std::vector<std::string>>("01 61 02 62 63", vec2),
            (std::vector<std::string>{"a", "bc"}));
  std::array<std::string, 2> long_text{std::string(200, 'x'), ""};
  std::string encoded = content_hex(long_text);
  EXPECT_EQ(encoded.substr(0, 8), "80 c8 78");  // 200 as a two-byte vint
  EXPECT_EQ(round_trip(long_text), long_text);
  expect_codec_error<std::array<std::string, 2>>("01 61 05 62 63", "malformed value");
  expect_codec_error<std::array<std::string, 2>>("01 61 01 62 63", "unexpected bytes");
  expect_codec_error<std::array<std::string, 2>>("00", "too short");
  // a huge dimension from the server cannot make us allocate beyond the content size
  EXPECT_THROW((void)decode_hex_as<std::vector<std::string>>(
                   "00", vector_of(text_type, std::numeric_limits<std::int32_t>::max())),
               codec_error);
}

TEST(ValuesVectors, VectorsInsideCollections) {
  std::map<std::string, std::array<float, 2>> m{{"p", {0.5f, -1.0f}}};
  EXPECT_EQ(round_trip(m), m);
  EXPECT_EQ((cql_traits<std::map<std::string, std::array<float, 2>>>::cql_type()),
            map_of(text_type, vector_of(float_type, 2)));
}

}  // namespace
}  // namespace coodie::wire
