// The example of docs/custom-types.md: a strong-typed user_id over uuid, and money stored as a
// CQL decimal. Checked value by value in tests/unit/values_custom_type_test.cpp and through models
// (keys, members, collections, restrictions) in tests/integration/orm_custom_type_test.cpp.
// docs/custom-types.md includes the marked part (the --8<-- lines), so it shows this very code.
#pragma once

// --- docs/custom-types.md: begin ----------------------------------------------------------------
// --8<-- [start:example]
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
// --8<-- [end:example]
// --- docs/custom-types.md: end ------------------------------------------------------------------
