// The example of docs/custom-types.md, compiled and checked: a strong-typed user_id over uuid, and
// money stored as a CQL decimal. Keep the two in sync.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/wire/traits.hpp"
#include "unit/wire_test_bytes.hpp"

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

using coodie::wire::test::hex;
using coodie::wire::test::to_hex;
using namespace coodie;
using shop::money;
using shop::user_id;

template <class T>
std::string value_hex(const T& v) {
  wire::byte_buffer b;
  wire::writer w(b);
  wire::encode_value(v, w);
  return to_hex(b);
}

TEST(ValuesCustomType, UserIdIsAUuidOnTheWire) {
  static_assert(cql_encodable<user_id> && cql_decodable<user_id>);
  user_id id{uuid::parse("123e4567-e89b-12d3-a456-426614174000")};
  EXPECT_EQ(value_hex(id), "00 00 00 10 12 3e 45 67 e8 9b 12 d3 a4 56 42 66 14 17 40 00");

  wire::byte_buffer buf;
  wire::writer w(buf);
  wire::encode_value(id, wire::simple_type(wire::type_id::uuid), w);  // a bind marker's type
  wire::reader r(buf);
  EXPECT_EQ(wire::decode_value<user_id>(r.value(), wire::simple_type(wire::type_id::uuid)), id);
  EXPECT_THROW(wire::encode_value(id, wire::simple_type(wire::type_id::varchar), w), codec_error);
}

TEST(ValuesCustomType, MoneyIsADecimalWithScaleTwo) {
  EXPECT_EQ(value_hex(money{1234}), "00 00 00 06 00 00 00 02 04 d2");  // 12.34
  wire::byte_buffer b = hex("00 00 00 01 7d");                         // 12.5 written by cqlsh
  EXPECT_EQ(wire::decode_value<money>(wire::value_view(wire::bytes_view(b))), money{1250});
  wire::byte_buffer too_precise = hex("00 00 00 03 30 39");  // 12.345
  EXPECT_THROW((void)wire::decode_value<money>(wire::value_view(wire::bytes_view(too_precise))),
               codec_error);
  wire::byte_buffer too_big = hex("ff ff ff ec 01");  // 1E+20
  EXPECT_THROW((void)wire::decode_value<money>(wire::value_view(wire::bytes_view(too_big))),
               codec_error);
}

TEST(ValuesCustomType, ComposesWithContainersAndOptional) {
  using ledger = std::map<user_id, std::vector<std::optional<money>>>;
  static_assert(cql_encodable<ledger> && cql_decodable<ledger>);
  EXPECT_EQ(cql_traits<ledger>::cql_type(),
            wire::map_of(wire::simple_type(wire::type_id::uuid),
                         wire::list_of(wire::simple_type(wire::type_id::decimal))));
  ledger l{{user_id{uuid::random()}, {money{1}, money{-250}}}};
  wire::byte_buffer b;
  wire::writer w(b);
  wire::encode_value(l, w);
  wire::reader r(b);
  EXPECT_EQ(wire::decode_value<ledger>(r.value()), l);
  EXPECT_EQ(wire::decode_value<std::optional<money>>(wire::value_view::null()), std::nullopt);
  EXPECT_THROW((void)wire::decode_value<money>(wire::value_view::null()), codec_error);
}

}  // namespace
