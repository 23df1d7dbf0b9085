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
// Their cql_traits specializations are in coodie/wire/detail/traits_*.hpp, included at the end.
//
// Example:
//   coodie::wire::byte_buffer buf;
//   coodie::wire::writer w(buf);
//   coodie::wire::encode_value(std::vector<std::string>{"a", "b"}, w);  // [value] of a list<text>
//   coodie::wire::reader r(buf);
//   auto tags = coodie::wire::decode_value<std::vector<std::string>>(r.value());
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
/// and, for a list, set or map, `static constexpr bool collection = true` (cql_collection),
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
/// T maps to a CQL collection (list, set or map), also inside std::optional: its cql_traits say
/// `static constexpr bool collection = true`, as those of the standard containers do.
template <class T>
concept cql_collection = requires {
  requires cql_traits<std::remove_cvref_t<T>>::collection;
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

namespace wire::detail {
/// cql_type() and accepts() of a type mapped to exactly one CQL type id.
template <wire::type_id Id>
struct simple_id_traits {
  static wire::data_type cql_type() { return wire::simple_type(Id); }
  static bool accepts(const wire::data_type& t) noexcept { return t.id == Id; }
};
}  // namespace wire::detail

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
/// Throws codec_error naming the offset of the first byte that is not well-formed UTF-8
/// (overlong forms, surrogates and code points past U+10FFFF included), as Cassandra checks text.
void check_utf8(std::string_view s);
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

}  // namespace detail

/// Writes v as a whole [value]: i32 length and content, or null (-1), or unset (-2).
/// Example: `coodie::wire::encode_value(std::int32_t{7}, w);  // 00 00 00 04 00 00 00 07`
template <cql_encodable T>
void encode_value(const T& v, writer& w) {
  wire::detail::encode_value_unchecked(v, nullptr, w);
}

/// Writes v as a [value] of the CQL type target (e.g. a prepared statement's bind marker).
/// Throws codec_error when T does not accept target, naming both types.
/// Example: `encode_value(std::string("abc"), simple_type(type_id::ascii), w);`
template <cql_encodable T>
void encode_value(const T& v, const data_type& target, writer& w) {
  if (!cql_traits<T>::accepts(target)) {
    wire::detail::throw_not_accepted(wire::detail::type_name<T>(), target, true);
  }
  wire::detail::encode_value_unchecked(v, &target, w);
}

/// Reads a [value] into out, reusing out's storage. A null becomes what decode_null() says
/// (std::nullopt, an empty collection) or is a codec_error (an unset reads like a null);
/// malformed content is a codec_error.
/// On error out is valid but unspecified. Example: `decode_value(r.value(), name);`
template <cql_decodable T>
void decode_value(value_view v, T& out) {
  try {
    wire::detail::decode_value_unchecked(v, nullptr, out);
  } catch (const protocol_error& e) {
    wire::detail::throw_malformed_value(wire::detail::type_name<T>(), e.what());
  }
}

/// Reads a [value] of the CQL type source (from result metadata) into out. Throws codec_error
/// when T does not accept source. Example: `decode_value(r.value(), column.type, row.name);`
template <cql_decodable T>
void decode_value(value_view v, const data_type& source, T& out) {
  if (!cql_traits<T>::accepts(source)) {
    wire::detail::throw_not_accepted(wire::detail::type_name<T>(), source, false);
  }
  try {
    wire::detail::decode_value_unchecked(v, &source, out);
  } catch (const protocol_error& e) {
    wire::detail::throw_malformed_value(wire::detail::type_name<T>(), e.what());
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

// The built-in mappings, after everything they build on.
#include "coodie/wire/detail/traits_collections.hpp"
#include "coodie/wire/detail/traits_optional.hpp"
#include "coodie/wire/detail/traits_scalars.hpp"
#include "coodie/wire/detail/traits_time.hpp"
#include "coodie/wire/detail/traits_tuples.hpp"
