// Built-in cql_traits of the collections: std::vector (list, also set and vector<T, N>),
// std::array (vector<T, N>), std::set and std::unordered_set (set), std::map and
// std::unordered_map (map), and the element-by-element encoding they share.
// Part of coodie/wire/traits.hpp, which includes it: include that header, not this one.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "coodie/wire/codec.hpp"
#include "coodie/wire/data_type.hpp"
#include "coodie/wire/traits.hpp"

namespace coodie::wire::detail {

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

}  // namespace coodie::wire::detail

namespace coodie {

/// list<T>; also binds to and reads set<T>, and vector<T, N> columns (packed vector encoding),
/// which is how std::vector<float> serves vector<float, N> through prepared statements. A null
/// reads as an empty vector (Cassandra returns null for an empty collection).
template <class T, class A>
requires cql_mapped<T>
struct cql_traits<std::vector<T, A>> {
  using vec = std::vector<T, A>;
  static constexpr bool collection = true;
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

namespace wire::detail {
/// Shared mapping of std::set and std::unordered_set: set<T>, also list<T>; null reads as empty.
template <class Set, class T>
struct set_traits {
  static constexpr bool collection = true;
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
  static constexpr bool collection = true;
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
}  // namespace wire::detail

/// set<T> (also list<T>).
template <class T, class C, class A>
requires cql_mapped<T>
struct cql_traits<std::set<T, C, A>> : wire::detail::set_traits<std::set<T, C, A>, T> {
};
/// set<T> (also list<T>).
template <class T, class H, class E, class A>
requires cql_mapped<T>
struct cql_traits<std::unordered_set<T, H, E, A>>
    : wire::detail::set_traits<std::unordered_set<T, H, E, A>, T> {
};
/// map<K, V>.
template <class K, class V, class C, class A>
requires(cql_mapped<K>&& cql_mapped<V>) struct cql_traits<std::map<K, V, C, A>>
    : wire::detail::map_traits<std::map<K, V, C, A>, K, V> {
};
/// map<K, V>.
template <class K, class V, class H, class E, class A>
requires(cql_mapped<K>&& cql_mapped<V>) struct cql_traits<std::unordered_map<K, V, H, E, A>>
    : wire::detail::map_traits<std::unordered_map<K, V, H, E, A>, K, V> {
};

}  // namespace coodie
