// Built-in cql_traits of the scalar types: boolean, the integers, float and double, text and
// ascii, blob, and the value types uuid, timeuuid, inet, varint and decimal.
// Part of coodie/wire/traits.hpp, which includes it: include that header, not this one.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "coodie/wire/codec.hpp"
#include "coodie/wire/data_type.hpp"
#include "coodie/wire/traits.hpp"
#include "coodie/wire/values.hpp"

namespace coodie {

namespace wire::detail {
/// Mapping of an integer type to a fixed-size CQL integer type.
template <class I, wire::type_id Id, wire::type_id Also = Id>
struct integer_traits {
  static wire::data_type cql_type() { return wire::simple_type(Id); }
  static bool accepts(const wire::data_type& t) noexcept { return t.id == Id || t.id == Also; }
  static void encode(I v, wire::writer& w) {
    if constexpr (sizeof(I) == 1) {
      w.i8(v);
    } else if constexpr (sizeof(I) == 2) {
      w.i16(v);
    } else if constexpr (sizeof(I) == 4) {
      w.i32(v);
    } else {
      w.i64(v);
    }
  }
  static void decode(wire::bytes_view b, I& out) {
    out = static_cast<I>(wire::detail::load_fixed<std::make_unsigned_t<I>>(b, name()));
  }
  static std::string_view name() noexcept {
    return sizeof(I) == 1   ? "tinyint"
           : sizeof(I) == 2 ? "smallint"
           : sizeof(I) == 4 ? "int"
                            : "bigint";
  }
};

/// Text encoding shared by std::string, std::string_view and C strings.
struct text_traits {
  static wire::data_type cql_type() { return wire::simple_type(wire::type_id::varchar); }
  static bool accepts(const wire::data_type& t) noexcept {
    return t.id == wire::type_id::varchar || t.id == wire::type_id::ascii;
  }
  static void encode_text(std::string_view s, wire::writer& w) {
    wire::detail::check_utf8(s);
    w.raw(s);
  }
  static void encode_text_as(std::string_view s, const wire::data_type& t, wire::writer& w) {
    if (t.id == wire::type_id::ascii) {
      wire::detail::check_ascii(s);
    } else {
      wire::detail::check_utf8(s);
    }
    w.raw(s);
  }
};

}  // namespace wire::detail

/// boolean: one byte, 0 is false.
template <>
struct cql_traits<bool> : wire::detail::simple_id_traits<wire::type_id::boolean> {
  static void encode(bool v, wire::writer& w) { w.u8(v ? 1 : 0); }
  static void decode(wire::bytes_view b, bool& out) {
    out = wire::detail::load_fixed<std::uint8_t>(b, "boolean") != 0;
  }
};
/// tinyint.
template <>
struct cql_traits<std::int8_t> : wire::detail::integer_traits<std::int8_t, wire::type_id::tinyint> {
};
/// smallint.
template <>
struct cql_traits<std::int16_t>
    : wire::detail::integer_traits<std::int16_t, wire::type_id::smallint> {};
/// int.
template <>
struct cql_traits<std::int32_t> : wire::detail::integer_traits<std::int32_t, wire::type_id::int_> {
};
/// bigint; also reads and writes counter columns.
template <>
struct cql_traits<std::int64_t>
    : wire::detail::integer_traits<std::int64_t, wire::type_id::bigint, wire::type_id::counter> {};

/// float: IEEE-754 binary32, NaN payloads kept.
template <>
struct cql_traits<float> : wire::detail::simple_id_traits<wire::type_id::float_> {
  static void encode(float v, wire::writer& w) {
    w.i32(static_cast<std::int32_t>(std::bit_cast<std::uint32_t>(v)));
  }
  static void decode(wire::bytes_view b, float& out) {
    out = std::bit_cast<float>(wire::detail::load_fixed<std::uint32_t>(b, "float"));
  }
};
/// double: IEEE-754 binary64.
template <>
struct cql_traits<double> : wire::detail::simple_id_traits<wire::type_id::double_> {
  static void encode(double v, wire::writer& w) {
    w.i64(static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(v)));
  }
  static void decode(wire::bytes_view b, double& out) {
    out = std::bit_cast<double>(wire::detail::load_fixed<std::uint64_t>(b, "double"));
  }
};

/// text (varchar) and ascii; writing to an ascii target rejects bytes above 127.
template <>
struct cql_traits<std::string> : wire::detail::text_traits {
  static void encode(const std::string& v, wire::writer& w) { encode_text(v, w); }
  static void encode_as(const std::string& v, const wire::data_type& t, wire::writer& w) {
    encode_text_as(v, t, w);
  }
  static void decode(wire::bytes_view b, std::string& out) { out.assign(wire::as_chars(b)); }
};
/// text, encode only.
template <>
struct cql_traits<std::string_view> : wire::detail::text_traits {
  static void encode(std::string_view v, wire::writer& w) { encode_text(v, w); }
  static void encode_as(std::string_view v, const wire::data_type& t, wire::writer& w) {
    encode_text_as(v, t, w);
  }
};
/// text, encode only; a null pointer writes null.
template <>
struct cql_traits<const char*> : wire::detail::text_traits {
  static void encode(const char* v, wire::writer& w) { encode_text(v, w); }
  static void encode_as(const char* v, const wire::data_type& t, wire::writer& w) {
    encode_text_as(v, t, w);
  }
  static bool is_null(const char* v) noexcept { return v == nullptr; }
};
/// text, encode only (string literals): up to the first NUL.
template <std::size_t N>
struct cql_traits<char[N]> : wire::detail::text_traits {
  static std::string_view view(const char (&v)[N]) noexcept {
    const char* nul = std::char_traits<char>::find(v, N, '\0');
    return {v, nul != nullptr ? static_cast<std::size_t>(nul - v) : N};
  }
  static void encode(const char (&v)[N], wire::writer& w) { encode_text(view(v), w); }
  static void encode_as(const char (&v)[N], const wire::data_type& t, wire::writer& w) {
    encode_text_as(view(v), t, w);
  }
};

/// blob; also reads custom-typed columns as their raw bytes.
template <>
struct cql_traits<blob> {
  static wire::data_type cql_type() { return wire::simple_type(wire::type_id::blob); }
  static bool accepts(const wire::data_type& t) noexcept {
    return t.id == wire::type_id::blob || t.id == wire::type_id::custom;
  }
  static void encode(const blob& v, wire::writer& w) { w.raw(v); }
  static void decode(wire::bytes_view b, blob& out) { out.assign(b.begin(), b.end()); }
};
/// blob, encode only.
template <>
struct cql_traits<std::span<const std::byte>> {
  static wire::data_type cql_type() { return wire::simple_type(wire::type_id::blob); }
  static bool accepts(const wire::data_type& t) noexcept {
    return t.id == wire::type_id::blob || t.id == wire::type_id::custom;
  }
  static void encode(std::span<const std::byte> v, wire::writer& w) { w.raw(v); }
};

/// uuid; also reads timeuuid columns, and binds to them when the value is version 1.
template <>
struct cql_traits<uuid> {
  static wire::data_type cql_type() { return wire::simple_type(wire::type_id::uuid); }
  static bool accepts(const wire::data_type& t) noexcept {
    return t.id == wire::type_id::uuid || t.id == wire::type_id::timeuuid;
  }
  static void encode(const uuid& v, wire::writer& w) { w.raw(v.bytes()); }
  static void encode_as(const uuid& v, const wire::data_type& t, wire::writer& w);
  static void decode(wire::bytes_view b, uuid& out);
};
/// timeuuid.
template <>
struct cql_traits<timeuuid> : wire::detail::simple_id_traits<wire::type_id::timeuuid> {
  static void encode(const timeuuid& v, wire::writer& w) { w.raw(v.bytes()); }
  static void decode(wire::bytes_view b, timeuuid& out);
};

/// inet (4 or 16 bytes).
template <>
struct cql_traits<inet> : wire::detail::simple_id_traits<wire::type_id::inet> {
  static void encode(const inet& v, wire::writer& w) { w.raw(v.bytes()); }
  static void decode(wire::bytes_view b, inet& out);
};
/// varint (minimal two's complement).
template <>
struct cql_traits<varint> : wire::detail::simple_id_traits<wire::type_id::varint> {
  static void encode(const varint& v, wire::writer& w) { w.raw(v.bytes()); }
  static void decode(wire::bytes_view b, varint& out);
};
/// decimal ([int] scale, then the unscaled varint).
template <>
struct cql_traits<decimal> : wire::detail::simple_id_traits<wire::type_id::decimal> {
  static void encode(const decimal& v, wire::writer& w);
  static void decode(wire::bytes_view b, decimal& out);
};

}  // namespace coodie
