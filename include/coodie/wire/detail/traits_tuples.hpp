// Built-in cql_traits of std::tuple: a CQL tuple, or the leading fields of a UDT.
// Part of coodie/wire/traits.hpp, which includes it: include that header, not this one.
#pragma once

#include <cstddef>
#include <tuple>
#include <utility>

#include "coodie/wire/codec.hpp"
#include "coodie/wire/data_type.hpp"
#include "coodie/wire/traits.hpp"

namespace coodie::wire::detail {

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

}  // namespace coodie::wire::detail

namespace coodie {

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
