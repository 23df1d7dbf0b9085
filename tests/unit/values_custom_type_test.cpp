// The example of docs/custom-types.md, compiled and checked: a strong-typed user_id over uuid, and
// money stored as a CQL decimal. Keep the two in sync.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/wire/traits.hpp"
#include "unit/values_test_support.hpp"

// --- docs/custom-types.md: begin ----------------------------------------------------------------
#include <compare>
#include <cstdint>

#include "coodie/wire/traits.hpp"

namespace shop {

/// A user id: a uuid that cannot be mixed up with other uuids.
struct user_id {
  coodie::uuid value;
  friend auto operator<=>(const user_id&, const user_id&) = default;
};

/// An amount of money in cents, stored as a CQL decimal with two decimal places.
struct money {
  std::int64_t cents = 0;
  friend auto operator<=>(const money&, const money&) = default;
};

}  // namespace shop

namespace coodie {

// user_id is a uuid on the wire: delegate to the uuid mapping.
template <>
struct cql_traits<shop::user_id> {
  static wire::data_type cql_type() { return wire::simple_type(wire::type_id::uuid); }
  static bool accepts(const wire::data_type& t) noexcept { return t.id == wire::type_id::uuid; }
  static void encode(const shop::user_id& v, wire::writer& w) {
    cql_traits<uuid>::encode(v.value, w);
  }
  static void decode(wire::bytes_view content, shop::user_id& out) {
    cql_traits<uuid>::decode(content, out.value);
  }
};

// money is a decimal: write cents with scale 2; read any decimal with at most two decimal places.
template <>
struct cql_traits<shop::money> {
  static wire::data_type cql_type() { return wire::simple_type(wire::type_id::decimal); }
  static bool accepts(const wire::data_type& t) noexcept { return t.id == wire::type_id::decimal; }
  static void encode(const shop::money& v, wire::writer& w) {
    cql_traits<decimal>::encode(decimal(varint(v.cents), 2), w);
  }
  static void decode(wire::bytes_view content, shop::money& out) {
    decimal d;
    cql_traits<decimal>::decode(content, d);  // validates the bytes
    if (d.scale() > 2) {
      throw codec_error("money has at most two decimal places, got " + d.to_string());
    }
    std::int64_t cents = d.unscaled().to_int64();  // codec_error beyond 64 bits
    for (std::int32_t s = d.scale(); s < 2; ++s) {
      if (__builtin_mul_overflow(cents, 10, &cents)) {
        throw codec_error("money out of range: " + d.to_string());
      }
    }
    out.cents = cents;
  }
};

}  // namespace coodie
// --- docs/custom-types.md: end ------------------------------------------------------------------

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

TEST(ValuesCustomType, MoneyIsADecimalWithScaleTwo) {
  EXPECT_EQ(value_hex(money{1234}), "00 00 00 06 00 00 00 02 04 d2");       // 12.34
  EXPECT_EQ(decode_hex<money>("00 00 00 01 7d"), money{1250});              // 12.5 written by cqlsh
  EXPECT_THROW((void)decode_hex<money>("00 00 00 03 30 39"), codec_error);  // 12.345
  EXPECT_THROW((void)decode_hex<money>("ff ff ff ec 01"), codec_error);     // 1E+20
}

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

}  // namespace
