// The compile-time checks of a materialized view's declaration (coodie::view), each with its own
// message: members are columns of the base, of its types; the key holds the base's key and at
// most one other column; no index, static column or default TTL. Internal to
// coodie/orm/mapping.hpp.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "coodie/orm/detail/derived_decl.hpp"
#include "coodie/orm/detail/model_checks.hpp"
#include "coodie/orm/detail/reflect.hpp"
#include "coodie/orm/model.hpp"

namespace coodie::orm::detail {

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

/// Member I of view V has the type of the base member it reads (std::optional aside).
template <class V, class B, std::size_t I>
consteval bool view_type_matches() {
  constexpr std::size_t f = view_base_field<V, B>(I);
  if constexpr (f < field_count<B>) {
    return std::is_same_v<unwrap_optional_t<field_type_t<V, I>>,
                          unwrap_optional_t<field_type_t<B, f>>>;
  } else {
    return true;
  }
}

// The members are walked by templates rather than loops with consteval calls in lambdas or in
// variable initializers, which Clang 14 refuses as not constant.
template <class V, class B>
consteval bool view_types_match() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    return (view_type_matches<V, B, I>() && ...);
  }
  (std::make_index_sequence<field_count<V>>{});
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
    std::size_t f = 0;
    f = view_base_field<V, B>(i);  // assigned, not initialized: Clang 14 (see above)
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
    std::size_t f = 0;
    f = view_base_field<V, B>(i);  // assigned, not initialized: Clang 14 (see above)
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
  static_assert(coodie::model<V>.keyspace_name.empty() ||
                    coodie::model<V>.keyspace_name == declaration_of<B>().keyspace_name,
                "coodie: a view lives in its base model's keyspace; remove .keyspace() from the "
                "view's declaration");
  static_assert(coodie::model<V>.index_count == 0, "coodie: a view cannot have an index");
  static_assert(view_reads_no_static<V, B>(), "coodie: a view cannot hold a static column");
  static_assert(view_without_ttl<V>(), "coodie: a view cannot have a default TTL");
  static constexpr bool ok = true;
};

}  // namespace coodie::orm::detail
