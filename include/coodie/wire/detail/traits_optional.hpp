// Built-in cql_traits of nulls and unset: std::optional<T>, std::nullopt and coodie::unset.
// Part of coodie/wire/traits.hpp, which includes it: include that header, not this one.
#pragma once

#include <optional>

#include "coodie/wire/codec.hpp"
#include "coodie/wire/data_type.hpp"
#include "coodie/wire/traits.hpp"
#include "coodie/wire/values.hpp"

namespace coodie {

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
  static constexpr bool collection = cql_collection<T>;
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

}  // namespace coodie
