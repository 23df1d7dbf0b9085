// The example of docs/custom-types.md (tests/custom_types.hpp), checked at the value level: a
// strong-typed user_id over uuid, and money stored as a CQL decimal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/wire/traits.hpp"
#include "unit/values_test_support.hpp"

#include "custom_types.hpp"

namespace {

using namespace coodie;
using shop::money;
using shop::user_id;
using wire::test::content_hex_as;
using wire::test::decode_hex;
using wire::test::decode_hex_as;
using wire::test::round_trip;
using wire::test::value_hex;
using wire::test::value_hex_as;

TEST(ValuesCustomType, UserIdIsAUuidOnTheWire) {
  static_assert(cql_encodable<user_id> && cql_decodable<user_id>);
  user_id id{uuid::parse("123e4567-e89b-12d3-a456-426614174000")};
  EXPECT_EQ(value_hex(id), "00 00 00 10 12 3e 45 67 e8 9b 12 d3 a4 56 42 66 14 17 40 00");

  // bound to and read as a bind marker's or a column's CQL type
  const wire::data_type uuid_type = wire::simple_type(wire::type_id::uuid);
  EXPECT_EQ(decode_hex_as<user_id>(content_hex_as(id, uuid_type), uuid_type), id);
  EXPECT_THROW((void)value_hex_as(id, wire::simple_type(wire::type_id::varchar)), codec_error);
}

// --8<-- [start:money]
TEST(ValuesCustomType, MoneyIsADecimalWithScaleTwo) {
  EXPECT_EQ(value_hex(money{1234}), "00 00 00 06 00 00 00 02 04 d2");       // 12.34
  EXPECT_EQ(decode_hex<money>("00 00 00 01 7d"), money{1250});              // 12.5 written by cqlsh
  EXPECT_THROW((void)decode_hex<money>("00 00 00 03 30 39"), codec_error);  // 12.345
  EXPECT_THROW((void)decode_hex<money>("ff ff ff ec 01"), codec_error);     // 1E+20
}
// --8<-- [end:money]

// --8<-- [start:composes]
TEST(ValuesCustomType, ComposesWithContainersAndOptional) {
  using ledger = std::map<user_id, std::vector<std::optional<money>>>;
  static_assert(cql_encodable<ledger> && cql_decodable<ledger>);
  EXPECT_EQ(cql_traits<ledger>::cql_type(),
            wire::map_of(wire::simple_type(wire::type_id::uuid),
                         wire::list_of(wire::simple_type(wire::type_id::decimal))));
  ledger l{{user_id{uuid::random()}, {money{1}, money{-250}}}};
  EXPECT_EQ(round_trip(l), l);
  EXPECT_EQ(wire::decode_value<std::optional<money>>(wire::value_view::null()), std::nullopt);
  EXPECT_THROW((void)wire::decode_value<money>(wire::value_view::null()), codec_error);
}
// --8<-- [end:composes]

}  // namespace
