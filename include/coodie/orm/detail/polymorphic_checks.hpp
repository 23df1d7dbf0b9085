// The compile-time checks of a polymorphic table (table_decl::discriminator) and of each of its
// subtypes (coodie::subtype), each with its own message. Internal to coodie/orm/mapping.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "coodie/orm/detail/derived_decl.hpp"
#include "coodie/orm/detail/model_checks.hpp"
#include "coodie/orm/detail/reflect.hpp"
#include "coodie/orm/model.hpp"

namespace coodie::orm::detail {

/// The column of member i of model X, or an empty name for a skipped member (a subtype's members
/// are named like their columns).
template <class X>
consteval std::string_view column_at(std::size_t i) {
  constexpr const auto& d = declaration_of<X>();
  return d.members[i].skipped ? std::string_view{} : declared_column<X>(d, i);
}

/// Member I of X and member J of Y agree: stored in other columns, or of the same type
/// (std::optional aside).
template <class X, class Y, std::size_t I, std::size_t J>
consteval bool member_pair_agrees() {
  return column_at<X>(I).empty() || column_at<X>(I) != column_at<Y>(J) ||
         std::is_same_v<unwrap_optional_t<field_type_t<X, I>>,
                        unwrap_optional_t<field_type_t<Y, J>>>;
}
/// Member I of X agrees with every member of Y stored in the same column. (Indices are template
/// arguments all the way: Clang 14 refuses a consteval call on a generic lambda's pack.)
template <class X, class Y, std::size_t I>
consteval bool member_agrees() {
  return []<std::size_t... J>(std::index_sequence<J...>) {
    return (member_pair_agrees<X, Y, I, J>() && ...);
  }
  (std::make_index_sequence<field_count<Y>>{});
}
template <class X, class Y>
consteval bool members_agree() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    return (member_agrees<X, Y, I>() && ...);
  }
  (std::make_index_sequence<field_count<X>>{});
}
/// Every pair of the models agrees.
template <class... M>
consteval bool all_agree() {
  return ([]<class X>() { return (members_agree<X, M>() && ...); }.template operator()<M>() && ...);
}

/// S has a member named like each column of base B.
template <class B, class S>
consteval bool has_base_columns() {
  constexpr const auto& b = declaration_of<B>();
  for (std::size_t f = 0; f < field_count<B>; ++f) {
    bool found = b.members[f].skipped;
    for (std::size_t j = 0; j < field_count<S>; ++j) {
      found = found || field_names<S>[j] == declared_column<B>(b, f);
    }
    if (!found) {
      return false;
    }
  }
  return true;
}

/// S's member stored in B's discriminator column is a std::string (not an optional: every row
/// of a subtype holds its value).
template <class B, class S>
consteval bool discriminator_member_is_string() {
  constexpr auto d = static_cast<std::size_t>(declaration_of<B>().discriminator_field);
  bool ok = true;
  [&]<std::size_t... J>(std::index_sequence<J...>) {
    ((ok = ok && (field_names<S>[J] != column_at<B>(d) ||
                  std::is_same_v<field_type_t<S, J>, std::string>)),
     ...);
  }
  (std::make_index_sequence<field_count<S>>{});
  return ok;
}

/// No member of S is named like a member base B skips (it would be a column of its own).
template <class B, class S>
consteval bool no_skipped_base_member() {
  constexpr const auto& b = declaration_of<B>();
  for (std::size_t f = 0; f < field_count<B>; ++f) {
    for (std::size_t j = 0; j < field_count<S>; ++j) {
      if (b.members[f].skipped && field_names<S>[j] == field_names<B>[f]) {
        return false;
      }
    }
  }
  return true;
}

template <class B, class S>
consteval bool is_subtype_of() {
  using D = std::remove_cvref_t<decltype(coodie::model<S>)>;
  if constexpr (is_subtype_decl<D>) {
    return std::is_same_v<typename D::base, B>;
  } else {
    return false;
  }
}

/// The discriminator value S declares, or an empty one when S is not a subtype.
template <class S>
consteval std::string_view declared_kind() {
  using D = std::remove_cvref_t<decltype(coodie::model<S>)>;
  if constexpr (is_subtype_decl<D>) {
    return coodie::model<S>.value;
  } else {
    return {};
  }
}

/// No type is listed twice.
template <class... S>
consteval bool distinct_types() {
  return ([]<class X>() {
    return ((std::is_same_v<X, S> ? 1 : 0) + ...) == 1;
  }.template operator()<S>() &&
          ...);
}

/// Every subtype's value is non-empty and no two are equal.
template <class... S>
consteval bool distinct_kinds() {
  constexpr std::array<std::string_view, sizeof...(S)> k{declared_kind<S>()...};
  for (std::size_t i = 0; i < k.size(); ++i) {
    if (k[i].empty()) {
      return false;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (k[i] == k[j]) {
        return false;
      }
    }
  }
  return true;
}

/// The discriminator values and type names of a polymorphic base's subtypes (none for any other
/// kind of declaration), for the run-time check of a saved base's value.
template <class Of>
struct subtype_kinds {
  static constexpr std::array<std::string_view, 0> values{};
  static constexpr std::array<std::string_view, 0> names{};
};
template <class... S>
struct subtype_kinds<subtypes_of<S...>> {
  static constexpr std::array<std::string_view, sizeof...(S)> values{declared_kind<S>()...};
  static constexpr std::array<std::string_view, sizeof...(S)> names{type_short_name<S>()...};
};

template <class B, class... S>
struct declaration_checks<B, subtypes_of<S...>> {
  static_assert(!declaration_of<B>()
                     .members[static_cast<std::size_t>(declaration_of<B>().discriminator_field)]
                     .skipped,
                "coodie: the discriminator member of a polymorphic base cannot be skipped");
  static_assert(distinct_types<S...>() && (!std::is_same_v<B, S> && ...),
                "coodie: discriminator<...>() lists a subtype twice, or the base itself");
  static_assert((is_subtype_of<B, S>() && ...),
                "coodie: a subtype named by discriminator<...>() is not declared "
                "coodie::model<S> = coodie::subtype<Base>(\"value\") of this base");
  static_assert(distinct_kinds<S...>(),
                "coodie: two subtypes of a polymorphic base declare the same discriminator value, "
                "or one declares an empty value; each needs its own");
  static_assert((has_base_columns<B, S>() && ...),
                "coodie: a subtype lacks a column of its polymorphic base; give it a member "
                "named like each column of the base");
  static_assert(all_agree<B, S...>(),
                "coodie: two members stored in the same column, in the polymorphic base or its "
                "subtypes, have different types");
  static_assert((no_skipped_base_member<B, S>() && ...),
                "coodie: a subtype has a member named like a member its polymorphic base skips; "
                "a name the base skips is no subtype's column");
  static_assert((discriminator_member_is_string<B, S>() && ...),
                "coodie: a subtype's discriminator member is a std::string, like the base's");
  static constexpr bool ok = true;
};

/// True when base B is polymorphic and lists S among its subtypes.
template <class S, class Of>
inline constexpr bool listed_in = false;
template <class S, class... L>
inline constexpr bool listed_in<S, subtypes_of<L...>> = (std::is_same_v<S, L> || ...);

template <class S, class B>
struct declaration_checks<S, subtype_of<B>> {
  using base_kind = typename std::remove_cvref_t<decltype(declaration_of<B>())>::kind_type;
  static_assert(listed_in<S, base_kind>,
                "coodie: coodie::subtype<Base>(...) names a base that does not list this type; "
                "add it to the base's .discriminator<&Base::member, Subtypes...>()");
  static constexpr bool ok = declaration_checks<B, base_kind>::ok;
};

}  // namespace coodie::orm::detail
