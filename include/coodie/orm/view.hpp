// Materialized views: a model declared over a base model, kept up to date by the server. The
// view is a struct of base columns (members named like them, of the same types) with its own
// primary key; it is read like any model and never written (a write does not compile).
//
// Example:
//   struct ProductByCategory {  // members named like Product's columns
//     std::string category;
//     coodie::uuid id;
//     std::string name;
//     double price = 0;
//   };
//   template <>
//   inline constexpr auto coodie::model<ProductByCategory> =
//       coodie::view<Product>("products_by_category")
//           .partition_key<&ProductByCategory::category>()
//           .clustering_key<&ProductByCategory::id>();
//
//   s.sync_view<ProductByCategory>();  // syncs Product first, then CREATE MATERIALIZED VIEW
//   auto tools = s.find<ProductByCategory>()
//                    .where(coodie::col<&ProductByCategory::category> == "tools").all();
//   s.drop_view<ProductByCategory>();
//
// Rules checked at compile time: every member names a column of the base model, of the same type
// (std::optional aside); the view's primary key holds every primary key column of the base and at
// most one other column; a view has no index, no static column and no default TTL. The server
// needs materialized views enabled (materialized_views_enabled in cassandra.yaml; the project's
// scripts/cassandra enables them). Views are eventually consistent with their base table.
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "coodie/orm/mapping.hpp"

namespace coodie {

/// Starts the declaration of a materialized view over model B, named `name` (without a name:
/// snake_case of the view's type name). The view lives in B's keyspace.
template <class B>
constexpr table_decl<void, orm::detail::view_over<B>> view(std::string_view name = {}) {
  orm::detail::check_declared_name("view", name);
  table_decl<void, orm::detail::view_over<B>> d;
  d.table_name = name;
  return d;
}

namespace orm::detail {

/// The member of base B that member i of view V reads, or field_count<B>.
template <class V, class B>
consteval std::size_t view_base_field(std::size_t i) {
  return field_of_declared_column<B>(declared_column<V>(coodie::model<V>, i));
}

template <class V, class B>
consteval bool view_columns_in_base() {
  for (std::size_t i = 0; i < field_count<V>; ++i) {
    if (!coodie::model<V>.members[i].skipped && view_base_field<V, B>(i) == field_count<B>) {
      return false;
    }
  }
  return true;
}

template <class V, class B>
consteval bool view_types_match() {
  bool ok = true;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          constexpr std::size_t f = view_base_field<V, B>(I);
          if constexpr (f < field_count<B>) {
            ok = ok && std::is_same_v<unwrap_optional_t<field_type_t<V, I>>,
                                      unwrap_optional_t<field_type_t<B, f>>>;
          }
        }(),
        ...);
  }
  (std::make_index_sequence<field_count<V>>{});
  return ok;
}

template <class V, class B>
consteval bool view_key_holds_base_key() {
  constexpr const auto& b = declaration_of<B>();
  constexpr const auto& v = coodie::model<V>;
  for (std::size_t f = 0; f < field_count<B>; ++f) {
    if (b.members[f].kind != role::partition_key && b.members[f].kind != role::clustering) {
      continue;
    }
    bool found = false;
    for (std::size_t i = 0; i < field_count<V>; ++i) {
      found = found ||
              (view_base_field<V, B>(i) == f &&
               (v.members[i].kind == role::partition_key || v.members[i].kind == role::clustering));
    }
    if (!found) {
      return false;
    }
  }
  return true;
}

template <class V, class B>
consteval std::size_t view_key_columns_outside_base_key() {
  constexpr const auto& b = declaration_of<B>();
  constexpr const auto& v = coodie::model<V>;
  std::size_t n = 0;
  for (std::size_t i = 0; i < field_count<V>; ++i) {
    std::size_t f = view_base_field<V, B>(i);
    if ((v.members[i].kind == role::partition_key || v.members[i].kind == role::clustering) &&
        f < field_count<B> && b.members[f].kind != role::partition_key &&
        b.members[f].kind != role::clustering) {
      ++n;
    }
  }
  return n;
}

template <class V, class B>
consteval bool view_reads_no_static() {
  constexpr const auto& b = declaration_of<B>();
  for (std::size_t i = 0; i < field_count<V>; ++i) {
    std::size_t f = view_base_field<V, B>(i);
    if (coodie::model<V>.members[i].kind == role::static_column ||
        (f < field_count<B> && b.members[f].kind == role::static_column)) {
      return false;
    }
  }
  return true;
}

template <class V>
consteval bool view_without_ttl() {
  for (std::size_t i = 0; i < coodie::model<V>.option_count; ++i) {
    if (coodie::model<V>.options[i].name == "default_time_to_live") {
      return false;
    }
  }
  return true;
}

template <class V, class B>
struct declaration_checks<V, view_over<B>> {
  using base_kind = typename std::remove_cvref_t<decltype(declaration_of<B>())>::kind_type;
  static_assert(std::is_same_v<base_kind, plain_table> || is_polymorphic_kind<base_kind>,
                "coodie: a view's base model is a table (not a view or a polymorphic subtype)");
  static_assert(view_columns_in_base<V, B>(),
                "coodie: a member of the view is not a column of its base model; name each "
                "member like a column of the base");
  static_assert(view_types_match<V, B>(),
                "coodie: a member of the view has another type than the base model's column of "
                "that name");
  static_assert(view_key_holds_base_key<V, B>(),
                "coodie: a view's primary key holds every primary key column of its base model");
  static_assert(view_key_columns_outside_base_key<V, B>() <= 1,
                "coodie: a view's primary key holds at most one column outside the base model's "
                "primary key");
  static_assert(coodie::model<V>.index_count == 0, "coodie: a view cannot have an index");
  static_assert(view_reads_no_static<V, B>(), "coodie: a view cannot hold a static column");
  static_assert(view_without_ttl<V>(), "coodie: a view cannot have a default TTL");
  static constexpr bool ok = true;
};

}  // namespace orm::detail

}  // namespace coodie
