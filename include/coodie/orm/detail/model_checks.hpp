// The compile-time checks of a model declaration that model_info<T> asserts, each with its own
// message: keys, orders, counters, frozen collections and user types, skipped and static
// columns, indexes, and every member's type mapped. Views and polymorphic tables add theirs
// (view_checks.hpp, polymorphic_checks.hpp). Internal to coodie/orm/mapping.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/pfr/core.hpp>

#include "coodie/orm/detail/reflect.hpp"
#include "coodie/orm/model.hpp"
#include "coodie/wire/traits.hpp"

namespace coodie::orm::detail {

template <class T>
constexpr const auto& declaration_of();

template <class T, std::size_t I>
using field_type_t = std::remove_cvref_t<boost::pfr::tuple_element_t<I, T>>;

template <class T, std::size_t... I>
consteval std::array<bool, sizeof...(I)> collection_flags(std::index_sequence<I...>) {
  return {cql_collection<field_type_t<T, I>>...};
}

/// True for a declared user type (and an optional of one); specialized in user_type.hpp.
template <class T>
inline constexpr bool user_type_member = false;
template <class T>
inline constexpr bool user_type_member<std::optional<T>> = user_type_member<T>;

template <class T, std::size_t... I>
consteval std::array<bool, sizeof...(I)> user_type_flags(std::index_sequence<I...>) {
  return {user_type_member<field_type_t<T, I>>...};
}

template <class T, class Decl>
consteval bool unfrozen_only_user_types(const Decl& d) {
  constexpr auto udt = user_type_flags<T>(std::make_index_sequence<field_count<T>>{});
  for (std::size_t i = 0; i < d.members.size(); ++i) {
    if (d.members[i].unfrozen && (!udt[i] || d.members[i].frozen || d.members[i].skipped)) {
      return false;
    }
  }
  return true;
}

template <class Decl>
consteval bool key_user_types_frozen(const Decl& d) {
  for (const member_decl& m : d.members) {
    if (m.unfrozen && (m.kind == role::partition_key || m.kind == role::clustering)) {
      return false;
    }
  }
  return true;
}

template <class Decl>
consteval bool order_only_on_clustering(const Decl& d) {
  for (const member_decl& m : d.members) {
    if (m.order_given && m.kind != role::clustering) {
      return false;
    }
  }
  return true;
}

template <class Decl>
consteval bool counters_stand_alone(const Decl& d) {
  bool any_counter = false;
  bool any_other = false;
  for (const member_decl& m : d.members) {
    if (m.skipped || m.kind == role::partition_key || m.kind == role::clustering) {
      continue;
    }
    if (m.has_choice && m.choice == wire::type_id::counter) {
      any_counter = true;
    } else {
      any_other = true;
    }
  }
  return !(any_counter && any_other);
}

template <class T, class Decl>
consteval bool key_collections_frozen(const Decl& d) {
  constexpr auto coll = collection_flags<T>(std::make_index_sequence<field_count<T>>{});
  for (std::size_t i = 0; i < d.members.size(); ++i) {
    const member_decl& m = d.members[i];
    if ((m.kind == role::partition_key || m.kind == role::clustering) && coll[i] && !m.frozen) {
      return false;
    }
  }
  return true;
}

template <class Decl>
consteval bool keys_not_skipped(const Decl& d) {
  for (const member_decl& m : d.members) {
    if (m.skipped && m.kind != role::regular) {
      return false;
    }
  }
  return true;
}

template <class Decl>
consteval bool static_needs_clustering(const Decl& d) {
  for (const member_decl& m : d.members) {
    if (m.kind == role::static_column && d.clustering_count == 0) {
      return false;
    }
  }
  return true;
}

template <class Decl>
consteval bool indexes_on_columns(const Decl& d) {
  for (std::size_t i = 0; i < d.index_count; ++i) {
    if (d.members[d.indexes[i].field].skipped) {
      return false;
    }
  }
  return true;
}

/// A member's name as a template argument, so that a compile error can show it.
template <std::size_t N>
struct member_named {
  char name[N + 1]{};
  constexpr explicit member_named(std::string_view s) {
    for (std::size_t i = 0; i < N; ++i) {
      name[i] = s[i];
    }
  }
};

/// Instantiated for the first member whose type is not mapped, so that the compiler's "in
/// instantiation of" line names the model, the member and its C++ type.
template <class Model, auto Member, class MemberType>
struct unmapped_member {
  static_assert(cql_mapped<MemberType>,
                "coodie: a member's type has no coodie::cql_traits specialization; map it "
                "(docs/custom-types.md) or .skip<&T::member>() it; the model, member and type are "
                "the arguments of unmapped_member<Model, member_named{\"name\"}, Type> above");
  static constexpr bool ok = cql_mapped<MemberType>;
};

template <class T, std::size_t... I>
consteval std::size_t first_unmapped(std::index_sequence<I...>) {
  std::size_t out = sizeof...(I);
  // A skipped member is no column: its type needs no mapping.
  ((out == sizeof...(I) && !declaration_of<T>().members[I].skipped &&
            !cql_mapped<field_type_t<T, I>>
        ? (out = I, 0)
        : 0),
   ...);
  return out;
}

/// True when every member's type is mapped; otherwise the first unmapped member stops the
/// compilation with its name and type.
template <class T>
consteval bool all_mapped() {
  constexpr std::size_t i = first_unmapped<T>(std::make_index_sequence<field_count<T>>{});
  if constexpr (i < field_count<T>) {
    constexpr std::string_view n = field_names<T>[i];
    return unmapped_member<T, member_named<n.size()>(n), field_type_t<T, i>>::ok;
  } else {
    return true;
  }
}

/// The checks of a view or polymorphic declaration (coodie/orm/view.hpp, polymorphic.hpp), each
/// a static_assert with its own message; a plain table has none beyond model_info's.
template <class T, class Of>
struct declaration_checks {
  static constexpr bool ok = true;
};

}  // namespace coodie::orm::detail
