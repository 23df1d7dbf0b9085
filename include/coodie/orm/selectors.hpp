// Projection members read from a function of a column: its write time or TTL, or an aggregate
// (count, sum, avg, min, max), typed by the member they name. A projection struct (query.only<P>())
// holds them beside plain column members, which GROUP BY keys.
//
// Example:
//   struct PriceAge {
//     std::string name;
//     coodie::writetime_of<&Product::price> written;  // WRITETIME(price): microseconds
//     coodie::ttl_of<&Product::price> expires_in;     // TTL(price): seconds, or std::nullopt
//   };
//   auto ages = s.find<Product>().where(coodie::col<&Product::category> == "tools")
//                   .only<PriceAge>().all();
//
//   struct PerCategory {
//     std::string category;
//     coodie::count_of<&Product::price> n;
//     coodie::avg_of<&Product::price> mean;
//     coodie::max_of<&Product::price> top;           // std::optional: no rows, no max
//   };
//   auto stats = s.find<Product>().group_by<&Product::category>().only<PerCategory>().all();
#pragma once

#include <cstdint>
#include <optional>
#include <type_traits>

#include "coodie/orm/detail/reflect.hpp"
#include "coodie/orm/statements.hpp"
#include "coodie/wire/traits.hpp"

namespace coodie {

/// The value of F(column of M) in a projection struct; `*s`, `s->` or `s.value` reads it.
template <auto M, dml::selector F, class V>
struct selected {
  using value_type = V;
  static constexpr auto member = M;
  static constexpr dml::selector fn = F;
  V value{};
  const V& operator*() const noexcept { return value; }
  const V* operator->() const noexcept { return &value; }
  friend bool operator==(const selected&, const selected&) = default;
};

namespace orm::detail {
template <auto M>
using column_value_t = unwrap_optional_t<member_value_t<M>>;

template <class V>
inline constexpr bool is_selected = false;
template <auto M, dml::selector F, class V>
inline constexpr bool is_selected<selected<M, F, V>> = true;
}  // namespace orm::detail

/// WRITETIME(column): when the cell was written, in microseconds; std::nullopt for a null cell.
template <auto M>
using writetime_of = selected<M, dml::selector::writetime, std::optional<std::int64_t>>;
/// TTL(column): seconds left; std::nullopt when the cell has no TTL (or is null).
template <auto M>
using ttl_of = selected<M, dml::selector::ttl, std::optional<std::int32_t>>;
/// COUNT(column): the rows where the column is not null.
template <auto M>
using count_of = selected<M, dml::selector::count, std::int64_t>;
/// SUM(column), of the column's type (0 over no rows).
template <auto M>
using sum_of = selected<M, dml::selector::sum, orm::detail::column_value_t<M>>;
/// AVG(column), of the column's type (integer columns average in integers; 0 over no rows).
template <auto M>
using avg_of = selected<M, dml::selector::avg, orm::detail::column_value_t<M>>;
/// MIN(column); std::nullopt over no rows.
template <auto M>
using min_of = selected<M, dml::selector::min, std::optional<orm::detail::column_value_t<M>>>;
/// MAX(column); std::nullopt over no rows.
template <auto M>
using max_of = selected<M, dml::selector::max, std::optional<orm::detail::column_value_t<M>>>;

/// similarity_cosine(column, query vector): in [0, 1], 1 for the same direction. The query vector
/// is the query's order_by_ann vector (coodie/orm/query.hpp), so a projection reads each row's
/// score beside it:
///   struct Hit { coodie::uuid id; coodie::similarity_cosine_of<&Doc::embedding> score; };
///   auto top = s.find<Doc>().order_by_ann(coodie::col<&Doc::embedding>, v).limit(10)
///                  .only<Hit>().all();
template <auto M>
using similarity_cosine_of = selected<M, dml::selector::similarity_cosine, float>;
/// similarity_euclidean(column, query vector): 1 / (1 + squared distance).
template <auto M>
using similarity_euclidean_of = selected<M, dml::selector::similarity_euclidean, float>;
/// similarity_dot_product(column, query vector): (1 + dot product) / 2, for unit vectors.
template <auto M>
using similarity_dot_product_of = selected<M, dml::selector::similarity_dot_product, float>;

/// Reads a selected value as its value type from the function's result type.
template <auto M, dml::selector F, class V>
struct cql_traits<selected<M, F, V>> {
  using self = selected<M, F, V>;
  static wire::data_type cql_type() {
    if constexpr (F == dml::selector::writetime || F == dml::selector::count) {
      return wire::simple_type(wire::type_id::bigint);
    } else if constexpr (F == dml::selector::ttl) {
      return wire::simple_type(wire::type_id::int_);
    } else {
      return cql_traits<V>::cql_type();
    }
  }
  static bool accepts(const wire::data_type& t) noexcept {
    if constexpr (F == dml::selector::writetime || F == dml::selector::count) {
      return t.id == wire::type_id::bigint;
    } else if constexpr (F == dml::selector::ttl) {
      return t.id == wire::type_id::int_;
    } else {
      return cql_traits<V>::accepts(t);
    }
  }
  static void decode(wire::bytes_view b, self& out) {
    wire::detail::decode_content(b, nullptr, out.value);
  }
  static void decode_as(wire::bytes_view b, const wire::data_type& t, self& out) {
    wire::detail::decode_content(b, &t, out.value);
  }
  static void decode_null(self& out) requires wire::detail::has_decode_null<V> {
    cql_traits<V>::decode_null(out.value);
  }
};

}  // namespace coodie
