// From a model declaration to its table: the compile-time checks of coodie::model<T>, the
// run-time table_schema built once per model, and writing members to bind markers and reading
// row cells straight into members.
//
// Example:
//   const coodie::table_schema& t = coodie::schema_of<Product>();
//   for (const auto& c : t.columns) std::cout << c.name << ' ' << c.cql_type << '\n';
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <boost/pfr/core.hpp>

#include "coodie/error.hpp"
#include "coodie/orm/detail/derived_decl.hpp"
#include "coodie/orm/detail/model_checks.hpp"
#include "coodie/orm/detail/polymorphic_checks.hpp"
#include "coodie/orm/detail/reflect.hpp"
#include "coodie/orm/detail/view_checks.hpp"
#include "coodie/orm/model.hpp"
#include "coodie/orm/table_schema.hpp"
#include "coodie/wire/traits.hpp"

namespace coodie {

namespace orm::detail {

/// A declaration standing in for a missing one: every member a partition-key column.
template <class T>
struct undeclared_placeholder {
  static constexpr table_decl<T> value = [] {
    table_decl<T> d;
    d.table_name = "undeclared";
    for (std::size_t i = 0; i < field_count<T>; ++i) {
      d.members[i].kind = role::partition_key;
      d.members[i].key_position = static_cast<std::uint8_t>(i);
    }
    d.partition_count = field_count<T>;
    return d;
  }();
};

/// The declaration of model T, or, when there is none, a placeholder with a partition key, so
/// that the one static_assert naming the missing declaration is the only error.
template <class T>
constexpr const auto& declaration_of() {
  using D = std::remove_cvref_t<decltype(coodie::model<T>)>;
  if constexpr (std::is_same_v<D, undeclared_model>) {
    return undeclared_placeholder<T>::value;
  } else if constexpr (is_subtype_decl<D>) {
    return subtype_table<T, typename D::base>::value;
  } else {
    return coodie::model<T>;
  }
}

/// The model whose declaration makes T's table: T, or the base of a polymorphic subtype.
template <class T,
          class Of = typename std::remove_cvref_t<decltype(declaration_of<T>())>::kind_type>
struct stored_model {
  using type = T;
};
template <class T, class B>
struct stored_model<T, subtype_of<B>> {
  using type = B;
};
template <class T>
using stored_model_t = typename stored_model<T>::type;

/// What reading model T returns: T, or for a polymorphic base std::variant<subtypes..., T>.
template <class T,
          class Of = typename std::remove_cvref_t<decltype(declaration_of<T>())>::kind_type>
struct read_type {
  using type = T;
};
template <class T, class... S>
struct read_type<T, subtypes_of<S...>> {
  using type = std::variant<S..., T>;
};
template <class T>
using read_t = typename read_type<T>::type;

/// Builds the run-time schema of a model (out of line: src/orm/mapping.cpp).
struct column_seed {
  std::string_view member;
  std::string_view rename;
  wire::data_type natural;
  bool (*accepts)(const wire::data_type&);
  member_decl decl;
};
table_schema build_schema(std::string_view model, const table_common& common,
                          std::vector<column_seed> columns, const index_decl* indexes,
                          std::size_t index_count);

}  // namespace orm::detail

/// Compile-time facts of model T and its schema. Instantiating it checks the declaration.
template <class T>
struct model_info {
  static_assert(!std::is_same_v<std::remove_cvref_t<decltype(coodie::model<T>)>,
                                orm::detail::undeclared_model>,
                "coodie: the type has no model declaration; write template <> inline constexpr "
                "auto coodie::model<T> = coodie::table(...).partition_key<&T::member>();");
  static constexpr const auto& decl = orm::detail::declaration_of<T>();
  using decl_type = std::remove_cvref_t<decltype(decl)>;
  static_assert(std::is_same_v<typename decl_type::model_type, T>,
                "coodie: coodie::model<T> names members of another type than T");
  static_assert(decl.partition_count > 0,
                "coodie: the model has no partition key; add .partition_key<&T::member>()");
  static_assert(orm::detail::order_only_on_clustering(decl),
                "coodie: clustering_order<&T::member>() names a column that is not a "
                "clustering key");
  static_assert(orm::detail::counters_stand_alone(decl),
                "coodie: a counter column cannot stand beside non-counter regular columns; "
                "every column outside the primary key of a counter table is a counter");
  static_assert(orm::detail::key_collections_frozen<T>(decl),
                "coodie: a collection in the primary key must be frozen; add "
                ".frozen<&T::member>()");
  static_assert(orm::detail::unfrozen_only_user_types<T>(decl),
                "coodie: .unfrozen<&T::member>() applies to a user type column only (not with "
                ".frozen<>() or .skip<>()); collections are unfrozen unless declared frozen");
  static_assert(orm::detail::key_user_types_frozen(decl),
                "coodie: a user type in the primary key must be frozen; remove "
                ".unfrozen<&T::member>()");
  static_assert(orm::detail::keys_not_skipped(decl),
                "coodie: a key or static column cannot also be skipped");
  static_assert(orm::detail::static_needs_clustering(decl),
                "coodie: a static column needs a table with a clustering key");
  static_assert(orm::detail::indexes_on_columns(decl), "coodie: an index names a skipped member");
  static_assert(orm::detail::declaration_checks<T, typename decl_type::kind_type>::ok);
  /// A materialized view (coodie::view): read only.
  static constexpr bool is_view = orm::detail::is_view_kind<typename decl_type::kind_type>;
  /// A subtype of a polymorphic table (coodie::subtype).
  static constexpr bool is_subtype = orm::detail::is_subtype_kind<typename decl_type::kind_type>;
  /// The base of a polymorphic table (table_decl::discriminator).
  static constexpr bool is_polymorphic =
      orm::detail::is_polymorphic_kind<typename decl_type::kind_type>;
  // An unmapped member stops the compilation inside all_mapped, naming member and type.
  static constexpr bool members_mapped = orm::detail::all_mapped<T>();
  static_assert(members_mapped || true);

  static constexpr std::size_t field_count = orm::detail::field_count<T>;

  /// The column of each member, -1 for a skipped member.
  static constexpr std::array<int, field_count> column_of = [] {
    std::array<int, field_count> out{};
    int next = 0;
    for (std::size_t i = 0; i < field_count; ++i) {
      out[i] = decl.members[i].skipped ? -1 : next++;
    }
    return out;
  }();
  static constexpr std::size_t column_count = [] {
    std::size_t n = 0;
    for (int c : column_of) {
      n += c >= 0 ? 1 : 0;
    }
    return n;
  }();

  /// The column name of each member (its rename, else the member name).
  static constexpr std::array<std::string_view, field_count> column_names = [] {
    std::array<std::string_view, field_count> out{};
    for (std::size_t i = 0; i < field_count; ++i) {
      out[i] =
          decl.members[i].rename.empty() ? orm::detail::field_names<T>[i] : decl.members[i].rename;
    }
    return out;
  }();

  /// The member of a column name, or field_count.
  static constexpr std::size_t field_of_column(std::string_view column) {
    for (std::size_t i = 0; i < field_count; ++i) {
      if (column_of[i] >= 0 && column_names[i] == column) {
        return i;
      }
    }
    return field_count;
  }

  /// The table: built on first use, then shared.
  static const table_schema& schema() {
    static const table_schema s = build();
    return s;
  }

  /// The table as stored: for a polymorphic base, its columns then each subtype's others (the
  /// union, which sync_table creates); for a subtype, its base's; otherwise schema().
  static const table_schema& stored_schema() {
    if constexpr (is_subtype) {
      return model_info<typename decl_type::kind_type::base>::stored_schema();
    } else if constexpr (is_polymorphic) {
      static const table_schema s = union_of(typename decl_type::kind_type{});
      return s;
    } else {
      return schema();
    }
  }

 private:
  static table_schema build() {
    std::vector<orm::detail::column_seed> seeds;
    seeds.reserve(column_count);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (add_seed<I>(seeds), ...);
    }
    (std::make_index_sequence<field_count>{});
    table_schema s =
        orm::detail::build_schema(orm::detail::type_short_name<T>(), decl, std::move(seeds),
                                  decl.indexes.data(), decl.index_count);
    if constexpr (is_view) {
      adopt_base(s, model_info<typename decl_type::kind_type::base>::schema(), true);
    } else if constexpr (is_subtype) {
      adopt_base(s, model_info<typename decl_type::kind_type::base>::schema(), false);
    }
    return s;
  }
  template <class... S>
  static table_schema union_of(orm::detail::subtypes_of<S...>) {
    table_schema u = schema();
    (
        [&u] {
          for (const column_schema& c : model_info<S>::schema().columns) {
            if (u.find(c.name) == nullptr) {
              u.columns.push_back(c);
            }
          }
        }(),
        ...);
    return u;
  }
  /// A view lives in its base's keyspace and reads its columns' types; a subtype lives in its
  /// base's table, with the base's indexes on its columns.
  static void adopt_base(table_schema& s, const table_schema& base, bool view) {
    if (s.keyspace.empty()) {
      s.keyspace = base.keyspace;
    }
    if (view) {
      s.view_of = base.name;
    } else {
      s.name = base.name;
      s.keyspace = base.keyspace;
      s.indexes.clear();
      for (const index_schema& i : base.indexes) {
        if (s.find(i.column) != nullptr) {
          s.indexes.push_back(i);
        }
      }
    }
    for (column_schema& c : s.columns) {
      if (const column_schema* b = base.find(c.name)) {
        c.type = b->type;
        c.cql_type = b->cql_type;
      }
    }
  }
  template <std::size_t I>
  static void add_seed(std::vector<orm::detail::column_seed>& seeds) {
    if constexpr (column_of[I] >= 0 && members_mapped) {
      using M = orm::detail::field_type_t<T, I>;
      seeds.push_back(orm::detail::column_seed{orm::detail::field_names<T>[I],
                                               decl.members[I].rename, cql_traits<M>::cql_type(),
                                               &cql_traits<M>::accepts, decl.members[I]});
    }
  }
};

/// The table of model T.
template <class T>
const table_schema& schema_of() {
  return model_info<T>::schema();
}

}  // namespace coodie
