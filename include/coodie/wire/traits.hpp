// The single customization point between C++ types and CQL values: coodie::cql_traits<T>, the
// concepts built on it, and the generic helpers that write and read a whole protocol [value].
// Built-in mappings (see docs/custom-types.md for mapping a type of your own):
//
//   bool boolean, int8_t tinyint, int16_t smallint, int32_t int, int64_t bigint (and counter)
//   float, double, std::string text (and ascii), std::string_view, const char* (encode only)
//   coodie::blob blob, std::span<const std::byte> (encode only), coodie::uuid uuid (and timeuuid)
//   coodie::timeuuid, sys_time<D> timestamp (sys_days also date), year_month_day, coodie::date date
//   coodie::time_of_day time, coodie::duration, coodie::inet, coodie::varint, coodie::decimal
//   std::optional<T> (null), std::vector<T> list (also set, and vector<T, N> columns)
//   std::set/unordered_set set (also list), std::map/unordered_map map
//   std::tuple<Ts...> tuple (also a UDT's leading fields), std::array<T, N> vector<T, N>
//   coodie::unset, std::nullopt (encode only)
//
// Example:
//   coodie::wire::byte_buffer buf;
//   coodie::wire::writer w(buf);
//   coodie::wire::encode_value(std::vector<std::string>{"a", "b"}, w);  // [value] of a list<text>
//   coodie::wire::reader r(buf);
//   auto tags = coodie::wire::decode_value<std::vector<std::string>>(r.value());
#pragma once

#include <array>
#include <bit>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "coodie/error.hpp"
#include "coodie/wire/codec.hpp"
#include "coodie/wire/data_type.hpp"
#include "coodie/wire/values.hpp"

namespace coodie {

/// Maps the C++ type T to CQL values. The primary template is undefined; a specialization has
///   static wire::data_type cql_type();                       // T's natural CQL type
///   static bool accepts(const wire::data_type& t) noexcept;  // may bind to / read from t
///   static void encode(const T& v, wire::writer& w);         // the value's content, no length
///   static void decode(wire::bytes_view content, T& out);    // a non-null value into out
/// and optionally encode_as(v, target, w) / decode_as(content, source, out) (type-directed),
/// decode_null(out) (what a null becomes; without it a null is a codec_error), is_null(v) and
/// is_unset(v). Specialize it before first use, in namespace coodie.
template <class T, class Enable = void>
struct cql_traits;

/// T has a cql_traits specialization (its natural type and the types it accepts).
template <class T>
concept cql_mapped = requires(const wire::data_type& t) {
  { cql_traits<T>::cql_type() } -> std::same_as<wire::data_type>;
  { cql_traits<T>::accepts(t) } -> std::same_as<bool>;
};
/// A T can be written as a CQL value.
template <class T>
concept cql_encodable = cql_mapped<T> && requires(const T& v, wire::writer& w) {
  cql_traits<T>::encode(v, w);
};
/// A T can be read from a CQL value.
template <class T>
concept cql_decodable = cql_mapped<T> && requires(wire::bytes_view b, T& out) {
  cql_traits<T>::decode(b, out);
};

}  // namespace coodie

namespace coodie::wire {

/// Writes an unsigned vint: big-endian, the count of leading 1-bits of the first byte is the count
/// of extra bytes (256000 → C3 E8 00; a full 64-bit value takes 9 bytes starting with FF).
void write_unsigned_vint(writer& w, std::uint64_t v);
/// Reads an unsigned vint; throws protocol_error when truncated.
std::uint64_t read_unsigned_vint(reader& r);
/// Writes a signed vint (zig-zag, then unsigned vint).
void write_signed_vint(writer& w, std::int64_t v);
/// Reads a signed vint.
std::int64_t read_signed_vint(reader& r);

namespace detail {

template <class T>
concept has_encode_as = requires(const T& v, const data_type& t, writer& w) {
  cql_traits<T>::encode_as(v, t, w);
};
template <class T>
concept has_decode_as = requires(bytes_view b, const data_type& t, T& out) {
  cql_traits<T>::decode_as(b, t, out);
};
template <class T>
concept has_decode_null = requires(T& out) {
  cql_traits<T>::decode_null(out);
};
template <class T>
concept has_is_null = requires(const T& v) {
  static_cast<bool>(cql_traits<T>::is_null(v));
};
template <class T>
concept has_is_unset = requires(const T& v) {
  static_cast<bool>(cql_traits<T>::is_unset(v));
};

/// A readable spelling of a C++ type from __PRETTY_FUNCTION__ ("std::vector<std::string>").
std::string clean_type_name(std::string_view pretty_function);
template <class T>
std::string type_name() {
  return clean_type_name(__PRETTY_FUNCTION__);
}

[[noreturn]] void throw_not_accepted(const std::string& cpp_type, const data_type& t, bool binding);
[[noreturn]] void throw_null_value(const std::string& cpp_type);
[[noreturn]] void throw_null_element(const std::string& cpp_type);
[[noreturn]] void throw_wrong_size(std::string_view cql_type, std::size_t expected,
                                   std::size_t got);
[[noreturn]] void throw_malformed_value(const std::string& cpp_type, const char* what);
[[noreturn]] void throw_value_error(const std::string& message);
[[noreturn]] void throw_dimension(std::size_t elements, const data_type& t);
/// Checks an element count read from the wire: >= 0 and at most remaining / min_bytes_each.
std::size_t check_count(std::int32_t n, std::size_t remaining, std::size_t min_bytes_each,
                        std::string_view what);
/// Throws codec_error when bytes are left after a value's last element.
void check_trailing(const reader& r, std::string_view what);
/// Throws codec_error when s has a byte above 127.
void check_ascii(std::string_view s);
/// Writes a collection's element count; codec_error above INT32_MAX.
void write_count(std::size_t n, writer& w);
/// Inserts, at position at, the unsigned-vint length of the bytes written since at.
void prefix_vint_length(writer& w, std::size_t at);

/// The content of a fixed-size big-endian integer, checking the size.
template <class U>
U load_fixed(bytes_view b, std::string_view cql_type) {
  if (b.size() != sizeof(U)) {
    throw_wrong_size(cql_type, sizeof(U), b.size());
  }
  return reader::load_be<U>(b);
}

template <class T>
bool is_null_value(const T& v) {
  if constexpr (has_is_null<T>) {
    return static_cast<bool>(cql_traits<T>::is_null(v));
  } else {
    return false;
  }
}
template <class T>
bool is_unset_value(const T& v) {
  if constexpr (has_is_unset<T>) {
    return static_cast<bool>(cql_traits<T>::is_unset(v));
  } else {
    return false;
  }
}

/// Content only, type-directed when a target is given and T supports it. No accepts() check.
template <class T>
void encode_content(const T& v, const data_type* target, writer& w) {
  if constexpr (has_encode_as<T>) {
    if (target != nullptr) {
      cql_traits<T>::encode_as(v, *target, w);
      return;
    }
  }
  cql_traits<T>::encode(v, w);
}
template <class T>
void decode_content(bytes_view b, const data_type* source, T& out) {
  if constexpr (has_decode_as<T>) {
    if (source != nullptr) {
      cql_traits<T>::decode_as(b, *source, out);
      return;
    }
  }
  cql_traits<T>::decode(b, out);
}

/// A whole [value] (length + content, null or unset). No accepts() check.
template <class T>
void encode_value_unchecked(const T& v, const data_type* target, writer& w) {
  if (is_unset_value(v)) {
    w.unset_value();
  } else if (is_null_value(v)) {
    w.null_value();
  } else {
    std::size_t at = w.begin_length();
    encode_content(v, target, w);
    w.end_length(at);
  }
}
template <class T>
void decode_value_unchecked(value_view v, const data_type* source, T& out) {
  if (v.is_set()) {
    decode_content(v.bytes(), source, out);
  } else if constexpr (has_decode_null<T>) {
    cql_traits<T>::decode_null(out);
  } else {
    throw_null_value(type_name<T>());
  }
}

/// A list, set or map element as [bytes]; null and unset are not allowed there.
template <class T>
void encode_element(const T& v, const data_type* target, writer& w) {
  if (is_unset_value(v) || is_null_value(v)) {
    throw_null_element(type_name<T>());
  }
  std::size_t at = w.begin_length();
  encode_content(v, target, w);
  w.end_length(at);
}
/// A [bytes] element; a negative length is a null.
template <class T>
void decode_element(reader& r, const data_type* source, T& out) {
  std::optional<bytes_view> b = r.bytes();
  decode_value_unchecked(b ? value_view(*b) : value_view::null(), source, out);
}

inline const data_type* param(const data_type* t, std::size_t i) noexcept {
  return t != nullptr && i < t->params.size() ? &t->params[i] : nullptr;
}

/// list/set content: [int] n, then n × [bytes].
template <class T, class Range>
void encode_collection(const Range& items, const data_type* elem_target, writer& w) {
  write_count(items.size(), w);
  for (const auto& e : items) {
    encode_element<T>(e, elem_target, w);
  }
}
template <class T, class Vec>
void decode_list(bytes_view content, const data_type* elem_source, Vec& out) {
  reader r(content);
  std::size_t n = check_count(r.i32(), r.remaining(), 4, "list");
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (std::is_same_v<T, bool>) {
      bool b = false;  // std::vector<bool> has no bool& to decode into
      decode_element(r, elem_source, b);
      out[i] = b;
    } else {
      decode_element(r, elem_source, out[i]);
    }
  }
  check_trailing(r, "list");
}
template <class T, class Set>
void decode_set(bytes_view content, const data_type* elem_source, Set& out) {
  reader r(content);
  std::size_t n = check_count(r.i32(), r.remaining(), 4, "set");
  out.clear();
  if constexpr (requires { out.reserve(n); }) {
    out.reserve(n);
  }
  for (std::size_t i = 0; i < n; ++i) {
    T item{};
    decode_element(r, elem_source, item);
    out.insert(out.end(), std::move(item));
  }
  check_trailing(r, "set");
}
template <class K, class V, class Map>
void encode_map(const Map& m, const data_type* target, writer& w) {
  write_count(m.size(), w);
  for (const auto& [k, v] : m) {
    encode_element<K>(k, param(target, 0), w);
    encode_element<V>(v, param(target, 1), w);
  }
}
template <class K, class V, class Map>
void decode_map(bytes_view content, const data_type* source, Map& out) {
  reader r(content);
  std::size_t n = check_count(r.i32(), r.remaining(), 8, "map");
  out.clear();
  if constexpr (requires { out.reserve(n); }) {
    out.reserve(n);
  }
  for (std::size_t i = 0; i < n; ++i) {
    K k{};
    V v{};
    decode_element(r, param(source, 0), k);
    decode_element(r, param(source, 1), v);
    out.emplace_hint(out.end(), std::move(k), std::move(v));
  }
  check_trailing(r, "map");
}

/// vector<T, N> content: N element contents back to back, each prefixed with an unsigned-vint
/// length when the element type has no fixed size.
template <class T, class Range>
void encode_packed(const Range& items, const data_type& vt, writer& w) {
  if (vt.params.size() != 1 || vt.dimension < 0 ||
      items.size() != static_cast<std::size_t>(vt.dimension)) {
    throw_dimension(items.size(), vt);
  }
  const data_type& et = vt.params[0];
  const std::size_t fixed = fixed_value_size(et);
  for (const auto& e : items) {
    if (is_unset_value<T>(e) || is_null_value<T>(e)) {
      throw_null_element(type_name<T>());
    }
    std::size_t at = w.size();
    encode_content<T>(e, &et, w);
    if (fixed == 0) {
      prefix_vint_length(w, at);
    } else if (w.size() - at != fixed) {
      throw_wrong_size(to_cql(et), fixed, w.size() - at);
    }
  }
}
template <class T, class Out>
void decode_packed(bytes_view content, const data_type& vt, Out& out) {
  if (vt.params.size() != 1 || vt.dimension < 0) {
    throw_dimension(0, vt);
  }
  const data_type& et = vt.params[0];
  const auto dim = static_cast<std::size_t>(vt.dimension);
  const std::size_t fixed = fixed_value_size(et);
  if (fixed != 0 && (content.size() % fixed != 0 || content.size() / fixed != dim)) {
    throw_wrong_size(to_cql(vt), dim * fixed, content.size());
  }
  if (fixed == 0 && content.size() < dim) {  // each element has at least its length byte
    throw_value_error(to_cql(vt) + " value of " + std::to_string(content.size()) +
                      " bytes is too short for its dimension");
  }
  if constexpr (requires { out.resize(dim); }) {
    out.resize(dim);
  } else if (out.size() != dim) {
    throw_dimension(out.size(), vt);
  }
  reader r(content);
  for (std::size_t i = 0; i < dim; ++i) {
    bytes_view elem = fixed != 0 ? r.raw(fixed) : r.raw(read_unsigned_vint(r));
    if constexpr (std::is_same_v<T, bool>) {
      bool b = false;
      decode_content(elem, &et, b);
      out[i] = b;
    } else {
      decode_content(elem, &et, out[i]);
    }
  }
  check_trailing(r, "vector");
}

/// One tuple or UDT field: [bytes], null allowed, unset not.
template <class T>
void encode_field(const T& v, const data_type* target, writer& w) {
  if (is_unset_value(v)) {
    throw_null_element(type_name<T>());
  }
  encode_value_unchecked(v, target, w);
}
template <class T>
void decode_field(reader& r, const data_type* source, T& out) {
  if (r.empty()) {  // a UDT value may stop before its last fields: those are null
    decode_value_unchecked(value_view::null(), source, out);
  } else {
    decode_element(r, source, out);
  }
}
template <class Tuple, std::size_t... I>
bool tuple_accepts(const data_type& t, std::index_sequence<I...>) noexcept {
  return (cql_traits<std::tuple_element_t<I, Tuple>>::accepts(t.params[I]) && ...);
}
template <class Tuple, std::size_t... I>
void encode_tuple(const Tuple& v, const data_type* target, writer& w, std::index_sequence<I...>) {
  (encode_field(std::get<I>(v), param(target, I), w), ...);
}
template <class Tuple, std::size_t... I>
void decode_tuple(bytes_view content, const data_type* source, Tuple& out,
                  std::index_sequence<I...>) {
  reader r(content);
  (decode_field(r, param(source, I), std::get<I>(out)), ...);
  if (source == nullptr || source->id != type_id::udt) {  // a UDT may have more fields
    check_trailing(r, "tuple");
  }
}

}  // namespace detail

/// Writes v as a whole [value]: i32 length and content, or null (-1), or unset (-2).
/// Example: `coodie::wire::encode_value(std::int32_t{7}, w);  // 00 00 00 04 00 00 00 07`
template <cql_encodable T>
void encode_value(const T& v, writer& w) {
  detail::encode_value_unchecked(v, nullptr, w);
}

/// Writes v as a [value] of the CQL type target (e.g. a prepared statement's bind marker).
/// Throws codec_error when T does not accept target, naming both types.
/// Example: `encode_value(std::string("abc"), simple_type(type_id::ascii), w);`
template <cql_encodable T>
void encode_value(const T& v, const data_type& target, writer& w) {
  if (!cql_traits<T>::accepts(target)) {
    detail::throw_not_accepted(detail::type_name<T>(), target, true);
  }
  detail::encode_value_unchecked(v, &target, w);
}

/// Reads a [value] into out, reusing out's storage. A null becomes what decode_null() says
/// (std::nullopt, an empty collection) or is a codec_error (an unset reads like a null);
/// malformed content is a codec_error.
/// On error out is valid but unspecified. Example: `decode_value(r.value(), name);`
template <cql_decodable T>
void decode_value(value_view v, T& out) {
  try {
    detail::decode_value_unchecked(v, nullptr, out);
  } catch (const protocol_error& e) {
    detail::throw_malformed_value(detail::type_name<T>(), e.what());
  }
}

/// Reads a [value] of the CQL type source (from result metadata) into out. Throws codec_error
/// when T does not accept source. Example: `decode_value(r.value(), column.type, row.name);`
template <cql_decodable T>
void decode_value(value_view v, const data_type& source, T& out) {
  if (!cql_traits<T>::accepts(source)) {
    detail::throw_not_accepted(detail::type_name<T>(), source, false);
  }
  try {
    detail::decode_value_unchecked(v, &source, out);
  } catch (const protocol_error& e) {
    detail::throw_malformed_value(detail::type_name<T>(), e.what());
  }
}

/// Reads a [value] into a new T. Example: `auto n = decode_value<std::int64_t>(r.value());`
template <cql_decodable T>
T decode_value(value_view v) {
  T out{};
  decode_value(v, out);
  return out;
}

/// Reads a [value] of the CQL type source into a new T.
template <cql_decodable T>
T decode_value(value_view v, const data_type& source) {
  T out{};
  decode_value(v, source, out);
  return out;
}

}  // namespace coodie::wire

// ---------------------------------------------------------------------------------------------
// Built-in mappings.

namespace coodie {

namespace detail {
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
  static void encode_text(std::string_view s, wire::writer& w) { w.raw(s); }
  static void encode_text_as(std::string_view s, const wire::data_type& t, wire::writer& w) {
    if (t.id == wire::type_id::ascii) {
      wire::detail::check_ascii(s);
    }
    w.raw(s);
  }
};

/// cql_type() and accepts() of a type mapped to exactly one CQL type id.
template <wire::type_id Id>
struct simple_id_traits {
  static wire::data_type cql_type() { return wire::simple_type(Id); }
  static bool accepts(const wire::data_type& t) noexcept { return t.id == Id; }
};
}  // namespace detail

/// boolean: one byte, 0 is false.
template <>
struct cql_traits<bool> : detail::simple_id_traits<wire::type_id::boolean> {
  static void encode(bool v, wire::writer& w) { w.u8(v ? 1 : 0); }
  static void decode(wire::bytes_view b, bool& out) {
    out = wire::detail::load_fixed<std::uint8_t>(b, "boolean") != 0;
  }
};
/// tinyint.
template <>
struct cql_traits<std::int8_t> : detail::integer_traits<std::int8_t, wire::type_id::tinyint> {};
/// smallint.
template <>
struct cql_traits<std::int16_t> : detail::integer_traits<std::int16_t, wire::type_id::smallint> {};
/// int.
template <>
struct cql_traits<std::int32_t> : detail::integer_traits<std::int32_t, wire::type_id::int_> {};
/// bigint; also reads and writes counter columns.
template <>
struct cql_traits<std::int64_t>
    : detail::integer_traits<std::int64_t, wire::type_id::bigint, wire::type_id::counter> {};

/// float: IEEE-754 binary32, NaN payloads kept.
template <>
struct cql_traits<float> : detail::simple_id_traits<wire::type_id::float_> {
  static void encode(float v, wire::writer& w) {
    w.i32(static_cast<std::int32_t>(std::bit_cast<std::uint32_t>(v)));
  }
  static void decode(wire::bytes_view b, float& out) {
    out = std::bit_cast<float>(wire::detail::load_fixed<std::uint32_t>(b, "float"));
  }
};
/// double: IEEE-754 binary64.
template <>
struct cql_traits<double> : detail::simple_id_traits<wire::type_id::double_> {
  static void encode(double v, wire::writer& w) {
    w.i64(static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(v)));
  }
  static void decode(wire::bytes_view b, double& out) {
    out = std::bit_cast<double>(wire::detail::load_fixed<std::uint64_t>(b, "double"));
  }
};

/// text (varchar) and ascii; writing to an ascii target rejects bytes above 127.
template <>
struct cql_traits<std::string> : detail::text_traits {
  static void encode(const std::string& v, wire::writer& w) { encode_text(v, w); }
  static void encode_as(const std::string& v, const wire::data_type& t, wire::writer& w) {
    encode_text_as(v, t, w);
  }
  static void decode(wire::bytes_view b, std::string& out) { out.assign(wire::as_chars(b)); }
};
/// text, encode only.
template <>
struct cql_traits<std::string_view> : detail::text_traits {
  static void encode(std::string_view v, wire::writer& w) { encode_text(v, w); }
  static void encode_as(std::string_view v, const wire::data_type& t, wire::writer& w) {
    encode_text_as(v, t, w);
  }
};
/// text, encode only; a null pointer writes null.
template <>
struct cql_traits<const char*> : detail::text_traits {
  static void encode(const char* v, wire::writer& w) { encode_text(v, w); }
  static void encode_as(const char* v, const wire::data_type& t, wire::writer& w) {
    encode_text_as(v, t, w);
  }
  static bool is_null(const char* v) noexcept { return v == nullptr; }
};
/// text, encode only (string literals): up to the first NUL.
template <std::size_t N>
struct cql_traits<char[N]> : detail::text_traits {
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
struct cql_traits<timeuuid> : detail::simple_id_traits<wire::type_id::timeuuid> {
  static void encode(const timeuuid& v, wire::writer& w) { w.raw(v.bytes()); }
  static void decode(wire::bytes_view b, timeuuid& out);
};

/// timestamp (milliseconds since the epoch) from any system_clock time point with a signed
/// integer representation; writing floors to the millisecond, reading a value outside the
/// time point's range is a codec_error. sys_days also binds to and reads date columns.
template <class D>
requires(std::is_integral_v<typename D::rep>&& std::is_signed_v<typename D::rep>) struct cql_traits<
    std::chrono::time_point<std::chrono::system_clock, D>> {
  using time_point = std::chrono::time_point<std::chrono::system_clock, D>;
  static constexpr bool is_days = std::is_same_v<D, std::chrono::days>;

  static wire::data_type cql_type() { return wire::simple_type(wire::type_id::timestamp); }
  static bool accepts(const wire::data_type& t) noexcept {
    return t.id == wire::type_id::timestamp || (is_days && t.id == wire::type_id::date);
  }
  static void encode(const time_point& v, wire::writer& w) {
    std::int64_t ms = 0;
    if (!detail::rescale_floor<typename D::period, std::milli>(
            static_cast<std::int64_t>(v.time_since_epoch().count()), ms)) {
      wire::detail::throw_value_error("time point outside the range of a CQL timestamp");
    }
    w.i64(ms);
  }
  static void encode_as(const time_point& v, const wire::data_type& t, wire::writer& w) {
    if constexpr (is_days) {
      if (t.id == wire::type_id::date) {
        w.i32(static_cast<std::int32_t>(date(v).raw()));
        return;
      }
    }
    encode(v, w);
  }
  static void decode(wire::bytes_view b, time_point& out) {
    auto ms = static_cast<std::int64_t>(wire::detail::load_fixed<std::uint64_t>(b, "timestamp"));
    std::int64_t count = 0;
    using rep = typename D::rep;
    if (!detail::rescale_floor<std::milli, typename D::period>(ms, count) ||
        count < std::numeric_limits<rep>::min() || count > std::numeric_limits<rep>::max()) {
      wire::detail::throw_value_error("timestamp " + std::to_string(ms) +
                                      " ms is outside the range of " +
                                      wire::detail::type_name<time_point>());
    }
    out = time_point(D(static_cast<rep>(count)));
  }
  static void decode_as(wire::bytes_view b, const wire::data_type& t, time_point& out) {
    if constexpr (is_days) {
      if (t.id == wire::type_id::date) {
        out = date::from_raw(wire::detail::load_fixed<std::uint32_t>(b, "date")).to_sys_days();
        return;
      }
    }
    decode(b, out);
  }
};

/// date (u32 days with the epoch at 2^31).
template <>
struct cql_traits<date> : detail::simple_id_traits<wire::type_id::date> {
  static void encode(const date& v, wire::writer& w) { w.i32(static_cast<std::int32_t>(v.raw())); }
  static void decode(wire::bytes_view b, date& out) {
    out = date::from_raw(wire::detail::load_fixed<std::uint32_t>(b, "date"));
  }
};
/// date, as a calendar date (reading a date beyond year ±32767 is a codec_error).
template <>
struct cql_traits<std::chrono::year_month_day> : detail::simple_id_traits<wire::type_id::date> {
  static void encode(const std::chrono::year_month_day& v, wire::writer& w) {
    cql_traits<date>::encode(date(v), w);
  }
  static void decode(wire::bytes_view b, std::chrono::year_month_day& out) {
    out = date::from_raw(wire::detail::load_fixed<std::uint32_t>(b, "date")).to_year_month_day();
  }
};
/// time (i64 nanoseconds since midnight, validated).
template <>
struct cql_traits<time_of_day> : detail::simple_id_traits<wire::type_id::time> {
  static void encode(const time_of_day& v, wire::writer& w) { w.i64(v.since_midnight().count()); }
  static void decode(wire::bytes_view b, time_of_day& out);
};
/// duration (three signed vints: months, days, nanoseconds).
template <>
struct cql_traits<duration> : detail::simple_id_traits<wire::type_id::duration> {
  static void encode(const duration& v, wire::writer& w);
  static void decode(wire::bytes_view b, duration& out);
};
/// inet (4 or 16 bytes).
template <>
struct cql_traits<inet> : detail::simple_id_traits<wire::type_id::inet> {
  static void encode(const inet& v, wire::writer& w) { w.raw(v.bytes()); }
  static void decode(wire::bytes_view b, inet& out);
};
/// varint (minimal two's complement).
template <>
struct cql_traits<varint> : detail::simple_id_traits<wire::type_id::varint> {
  static void encode(const varint& v, wire::writer& w) { w.raw(v.bytes()); }
  static void decode(wire::bytes_view b, varint& out);
};
/// decimal ([int] scale, then the unscaled varint).
template <>
struct cql_traits<decimal> : detail::simple_id_traits<wire::type_id::decimal> {
  static void encode(const decimal& v, wire::writer& w);
  static void decode(wire::bytes_view b, decimal& out);
};

/// Writes an unset [value], whatever the target type. Encode only.
template <>
struct cql_traits<unset_t> {
  static wire::data_type cql_type() { return wire::simple_type(wire::type_id::blob); }
  static bool accepts(const wire::data_type&) noexcept { return true; }
  static bool is_unset(unset_t) noexcept { return true; }
  static void encode(unset_t, wire::writer&) {}
};
/// Writes a null [value], whatever the target type. Encode only.
template <>
struct cql_traits<std::nullopt_t> {
  static wire::data_type cql_type() { return wire::simple_type(wire::type_id::blob); }
  static bool accepts(const wire::data_type&) noexcept { return true; }
  static bool is_null(std::nullopt_t) noexcept { return true; }
  static void encode(std::nullopt_t, wire::writer&) {}
};

/// The type of T, where std::nullopt is a null value.
template <class T>
requires cql_mapped<T>
struct cql_traits<std::optional<T>> {
  using inner = cql_traits<T>;
  static wire::data_type cql_type() { return inner::cql_type(); }
  static bool accepts(const wire::data_type& t) noexcept { return inner::accepts(t); }
  static void encode(const std::optional<T>& v, wire::writer& w) requires cql_encodable<T> {
    if (!v) {
      wire::detail::throw_value_error("cannot encode an empty std::optional as content");
    }
    inner::encode(*v, w);
  }
  static void encode_as(const std::optional<T>& v, const wire::data_type& t,
                        wire::writer& w) requires cql_encodable<T> {
    if (!v) {
      wire::detail::throw_value_error("cannot encode an empty std::optional as content");
    }
    wire::detail::encode_content(*v, &t, w);
  }
  static void decode(wire::bytes_view b, std::optional<T>& out) requires cql_decodable<T> {
    wire::detail::decode_content(b, nullptr, out ? *out : out.emplace());
  }
  static void decode_as(wire::bytes_view b, const wire::data_type& t,
                        std::optional<T>& out) requires cql_decodable<T> {
    wire::detail::decode_content(b, &t, out ? *out : out.emplace());
  }
  static void decode_null(std::optional<T>& out) noexcept { out.reset(); }
  static bool is_null(const std::optional<T>& v) { return !v || wire::detail::is_null_value(*v); }
  static bool is_unset(const std::optional<T>& v) { return v && wire::detail::is_unset_value(*v); }
};

/// list<T>; also binds to and reads set<T>, and vector<T, N> columns (packed vector encoding),
/// which is how std::vector<float> serves vector<float, N> through prepared statements. A null
/// reads as an empty vector (Cassandra returns null for an empty collection).
template <class T, class A>
requires cql_mapped<T>
struct cql_traits<std::vector<T, A>> {
  using vec = std::vector<T, A>;
  static wire::data_type cql_type() { return wire::list_of(cql_traits<T>::cql_type()); }
  static bool accepts(const wire::data_type& t) noexcept {
    return (t.id == wire::type_id::list || t.id == wire::type_id::set ||
            t.id == wire::type_id::vector) &&
           t.params.size() == 1 && cql_traits<T>::accepts(t.params[0]);
  }
  static void encode(const vec& v, wire::writer& w) requires cql_encodable<T> {
    wire::detail::encode_collection<T>(v, nullptr, w);
  }
  static void encode_as(const vec& v, const wire::data_type& t,
                        wire::writer& w) requires cql_encodable<T> {
    if (t.id == wire::type_id::vector) {
      wire::detail::encode_packed<T>(v, t, w);
    } else {
      wire::detail::encode_collection<T>(v, wire::detail::param(&t, 0), w);
    }
  }
  static void decode(wire::bytes_view b, vec& out) requires cql_decodable<T> {
    wire::detail::decode_list<T>(b, nullptr, out);
  }
  static void decode_as(wire::bytes_view b, const wire::data_type& t,
                        vec& out) requires cql_decodable<T> {
    if (t.id == wire::type_id::vector) {
      wire::detail::decode_packed<T>(b, t, out);
    } else {
      wire::detail::decode_list<T>(b, wire::detail::param(&t, 0), out);
    }
  }
  static void decode_null(vec& out) noexcept { out.clear(); }
};

/// vector<T, N>: N element contents back to back (an unsigned-vint length before each element
/// when T's CQL type has no fixed size).
template <class T, std::size_t N>
requires cql_mapped<T>
struct cql_traits<std::array<T, N>> {
  using arr = std::array<T, N>;
  static wire::data_type cql_type() {
    return wire::vector_of(cql_traits<T>::cql_type(), static_cast<std::int32_t>(N));
  }
  static bool accepts(const wire::data_type& t) noexcept {
    return t.id == wire::type_id::vector && t.dimension >= 0 &&
           static_cast<std::size_t>(t.dimension) == N && t.params.size() == 1 &&
           cql_traits<T>::accepts(t.params[0]);
  }
  static void encode(const arr& v, wire::writer& w) requires cql_encodable<T> {
    wire::detail::encode_packed<T>(v, cql_type(), w);
  }
  static void encode_as(const arr& v, const wire::data_type& t,
                        wire::writer& w) requires cql_encodable<T> {
    wire::detail::encode_packed<T>(v, t, w);
  }
  static void decode(wire::bytes_view b, arr& out) requires cql_decodable<T> {
    wire::detail::decode_packed<T>(b, cql_type(), out);
  }
  static void decode_as(wire::bytes_view b, const wire::data_type& t,
                        arr& out) requires cql_decodable<T> {
    wire::detail::decode_packed<T>(b, t, out);
  }
};

namespace detail {
/// Shared mapping of std::set and std::unordered_set: set<T>, also list<T>; null reads as empty.
template <class Set, class T>
struct set_traits {
  static wire::data_type cql_type() { return wire::set_of(cql_traits<T>::cql_type()); }
  static bool accepts(const wire::data_type& t) noexcept {
    return (t.id == wire::type_id::set || t.id == wire::type_id::list) && t.params.size() == 1 &&
           cql_traits<T>::accepts(t.params[0]);
  }
  static void encode(const Set& v, wire::writer& w) requires cql_encodable<T> {
    wire::detail::encode_collection<T>(v, nullptr, w);
  }
  static void encode_as(const Set& v, const wire::data_type& t,
                        wire::writer& w) requires cql_encodable<T> {
    wire::detail::encode_collection<T>(v, wire::detail::param(&t, 0), w);
  }
  static void decode(wire::bytes_view b, Set& out) requires cql_decodable<T> {
    wire::detail::decode_set<T>(b, nullptr, out);
  }
  static void decode_as(wire::bytes_view b, const wire::data_type& t,
                        Set& out) requires cql_decodable<T> {
    wire::detail::decode_set<T>(b, wire::detail::param(&t, 0), out);
  }
  static void decode_null(Set& out) noexcept { out.clear(); }
};
/// Shared mapping of std::map and std::unordered_map: map<K, V>; null reads as empty.
template <class Map, class K, class V>
struct map_traits {
  static wire::data_type cql_type() {
    return wire::map_of(cql_traits<K>::cql_type(), cql_traits<V>::cql_type());
  }
  static bool accepts(const wire::data_type& t) noexcept {
    return t.id == wire::type_id::map && t.params.size() == 2 &&
           cql_traits<K>::accepts(t.params[0]) && cql_traits<V>::accepts(t.params[1]);
  }
  static void encode(const Map& v, wire::writer& w) requires(cql_encodable<K>&& cql_encodable<V>) {
    wire::detail::encode_map<K, V>(v, nullptr, w);
  }
  static void encode_as(const Map& v, const wire::data_type& t,
                        wire::writer& w) requires(cql_encodable<K>&& cql_encodable<V>) {
    wire::detail::encode_map<K, V>(v, &t, w);
  }
  static void decode(wire::bytes_view b, Map& out) requires(cql_decodable<K>&& cql_decodable<V>) {
    wire::detail::decode_map<K, V>(b, nullptr, out);
  }
  static void decode_as(wire::bytes_view b, const wire::data_type& t,
                        Map& out) requires(cql_decodable<K>&& cql_decodable<V>) {
    wire::detail::decode_map<K, V>(b, &t, out);
  }
  static void decode_null(Map& out) noexcept { out.clear(); }
};
}  // namespace detail

/// set<T> (also list<T>).
template <class T, class C, class A>
requires cql_mapped<T>
struct cql_traits<std::set<T, C, A>> : detail::set_traits<std::set<T, C, A>, T> {
};
/// set<T> (also list<T>).
template <class T, class H, class E, class A>
requires cql_mapped<T>
struct cql_traits<std::unordered_set<T, H, E, A>>
    : detail::set_traits<std::unordered_set<T, H, E, A>, T> {
};
/// map<K, V>.
template <class K, class V, class C, class A>
requires(cql_mapped<K>&& cql_mapped<V>) struct cql_traits<std::map<K, V, C, A>>
    : detail::map_traits<std::map<K, V, C, A>, K, V> {
};
/// map<K, V>.
template <class K, class V, class H, class E, class A>
requires(cql_mapped<K>&& cql_mapped<V>) struct cql_traits<std::unordered_map<K, V, H, E, A>>
    : detail::map_traits<std::unordered_map<K, V, H, E, A>, K, V> {
};

/// tuple<Ts...>; also a UDT with at least sizeof...(Ts) fields, mapped to its leading fields (a
/// UDT value has the same encoding; fields missing at the end of a value read as null, fields
/// beyond the tuple are ignored). Null fields need std::optional elements.
template <class... Ts>
requires(cql_mapped<Ts>&&...) struct cql_traits<std::tuple<Ts...>> {
  using tup = std::tuple<Ts...>;
  using seq = std::index_sequence_for<Ts...>;
  static wire::data_type cql_type() { return wire::tuple_of({cql_traits<Ts>::cql_type()...}); }
  static bool accepts(const wire::data_type& t) noexcept {
    const bool shape = (t.id == wire::type_id::tuple && t.params.size() == sizeof...(Ts)) ||
                       (t.id == wire::type_id::udt && t.params.size() >= sizeof...(Ts));
    return shape && wire::detail::tuple_accepts<tup>(t, seq{});
  }
  static void encode(const tup& v, wire::writer& w) requires(cql_encodable<Ts>&&...) {
    wire::detail::encode_tuple(v, nullptr, w, seq{});
  }
  static void encode_as(const tup& v, const wire::data_type& t,
                        wire::writer& w) requires(cql_encodable<Ts>&&...) {
    wire::detail::encode_tuple(v, &t, w, seq{});
  }
  static void decode(wire::bytes_view b, tup& out) requires(cql_decodable<Ts>&&...) {
    wire::detail::decode_tuple(b, nullptr, out, seq{});
  }
  static void decode_as(wire::bytes_view b, const wire::data_type& t,
                        tup& out) requires(cql_decodable<Ts>&&...) {
    wire::detail::decode_tuple(b, &t, out, seq{});
  }
};

}  // namespace coodie
