// Declarations derived from another model's: a subtype of a polymorphic table takes its key,
// column names and indexes from the base (coodie::subtype), matching members to the base's
// columns by name. Internal to coodie/orm/mapping.hpp.
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "coodie/orm/detail/reflect.hpp"
#include "coodie/orm/model.hpp"

namespace coodie {

namespace orm::detail {

/// What coodie::subtype<B>("value") returns: a subtype of polymorphic base B, stored in B's table
/// with `value` in its discriminator column.
template <class B>
struct subtype_decl {
  using base = B;
  std::string_view value;
};

template <class D>
inline constexpr bool is_subtype_decl = false;
template <class B>
inline constexpr bool is_subtype_decl<subtype_decl<B>> = true;

template <class T>
constexpr const auto& declaration_of();

/// The column name of member i of T as declaration d names it.
template <class T, class D>
constexpr std::string_view declared_column(const D& d, std::size_t i) {
  return d.members[i].rename.empty() ? field_names<T>[i] : d.members[i].rename;
}

/// The member of model B whose column is named `column`, or field_count<B>.
template <class B>
constexpr std::size_t field_of_declared_column(std::string_view column) {
  constexpr const auto& b = declaration_of<B>();
  for (std::size_t i = 0; i < field_count<B>; ++i) {
    if (!b.members[i].skipped && declared_column<B>(b, i) == column) {
      return i;
    }
  }
  return field_count<B>;
}

/// The declaration of subtype S of polymorphic base B: each member named like a column of B
/// takes that column's role, key position, order and type choice; the other members are regular
/// columns of their natural type. Table name, keyspace and indexes come from B's schema at run
/// time (model_info<S>::schema()).
template <class S, class B>
struct subtype_table {
  static constexpr table_decl<S, subtype_of<B>> value = [] {
    constexpr const auto& b = declaration_of<B>();
    table_decl<S, subtype_of<B>> d;
    d.kind_value = coodie::model<S>.value;
    d.partition_count = b.partition_count;
    d.clustering_count = b.clustering_count;
    for (std::size_t i = 0; i < field_count<S>; ++i) {
      std::size_t f = field_of_declared_column<B>(field_names<S>[i]);
      if (f < field_count<B>) {
        d.members[i] = b.members[f];
        d.members[i].rename = {};
        if (static_cast<int>(f) == b.discriminator_field) {
          d.discriminator_field = static_cast<int>(i);
        }
      }
    }
    return d;
  }();
};

}  // namespace orm::detail

/// Declares S a subtype of polymorphic base B (see table_decl::discriminator), stored in B's
/// table with `value` in the discriminator column:
///   template <> inline constexpr auto coodie::model<Article> =
///   coodie::subtype<Content>("article");
template <class B>
constexpr orm::detail::subtype_decl<B> subtype(std::string_view value) {
  return {value};
}

}  // namespace coodie
