// Declaring a model: a plain aggregate plus one constexpr declaration that names its table, keys,
// indexes and options. Columns are the struct's members, named after them at compile time.
//
// Example:
//   struct Product {
//     coodie::uuid id;
//     std::string category;
//     std::string name;
//     std::string brand = "Unknown";
//     double price = 0;
//     std::vector<std::string> tags;
//     std::optional<std::string> description;
//     std::int64_t cache_hits = 0;  // not stored
//   };
//   template <>
//   inline constexpr auto coodie::model<Product> =
//       coodie::table("products")  // without a name: snake_case of the type name
//           .partition_key<&Product::id>()           // composite: partition_key<&A::x, &A::y>()
//           .clustering_key<&Product::category>(coodie::desc)
//           .index<&Product::brand>()                // named products_brand_idx
//           .column<&Product::name>("product_name")  // a column name other than the member's
//           .skip<&Product::cache_hits>()
//           .default_ttl(86400)
//           .option("gc_grace_seconds", 3600);
//
// Rules checked at compile time, each with its own message: a model needs a partition key; keys
// and every other member named must be members of the model's type; a clustering order applies
// only to clustering columns; a table with a counter column has only counters beside its keys;
// a collection in the primary key must be frozen; only a user type column can be declared
// unfrozen, and never a key column.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "coodie/driver/identifiers.hpp"
#include "coodie/orm/detail/decl_parts.hpp"
#include "coodie/orm/detail/reflect.hpp"
#include "coodie/orm/model_options.hpp"
#include "coodie/orm/table_schema.hpp"
#include "coodie/wire/data_type.hpp"

namespace coodie {

/// A table declaration under construction; see coodie::table(). Each call returns a new
/// declaration, so the whole chain is one constant expression. T is the model type, void until a
/// member is named; Of says whether it declares a table, a view or a polymorphic table.
template <class T, class Of = orm::detail::plain_table>
class table_decl : public orm::detail::table_common {
 public:
  using model_type = T;
  using kind_type = Of;
  static constexpr std::size_t field_count = [] {
    if constexpr (std::is_void_v<T>) {
      return std::size_t{0};
    } else {
      return orm::detail::field_count<T>;
    }
  }();

  std::array<orm::detail::member_decl, field_count> members{};
  std::array<orm::detail::index_decl, orm::detail::max_indexes> indexes{};
  std::size_t index_count = 0;
  std::size_t partition_count = 0;
  std::size_t clustering_count = 0;
  /// The discriminator member of a polymorphic base, -1 for other declarations.
  int discriminator_field = -1;

  constexpr table_decl() = default;
  constexpr explicit table_decl(const orm::detail::table_common& c)
      : orm::detail::table_common(c) {}
  /// The same declaration of another kind.
  template <class Of2>
  constexpr explicit table_decl(const table_decl<T, Of2>& d)
      : orm::detail::table_common(d),
        members(d.members),
        indexes(d.indexes),
        index_count(d.index_count),
        partition_count(d.partition_count),
        clustering_count(d.clustering_count),
        discriminator_field(d.discriminator_field) {}

  /// The keyspace of the table; without it, the session's keyspace.
  constexpr table_decl keyspace(std::string_view ks) const {
    orm::detail::check_declared_name("keyspace", ks);
    table_decl d = *this;
    d.keyspace_name = ks;
    return d;
  }

  /// The partition-key columns, in key order. Called again, appends to the key.
  template <auto... Ms>
  constexpr auto partition_key() const {
    static_assert(sizeof...(Ms) > 0, "coodie: partition_key<&T::member...>() names no member");
    auto d = for_members<Ms...>();
    (d.template set_key<Ms>(orm::detail::role::partition_key, d.partition_count++), ...);
    return d;
  }

  /// One clustering column, ascending unless told; call once per column, in key order.
  template <auto M>
  constexpr auto clustering_key(order o = order::asc) const {
    auto d = for_members<M>();
    d.template set_key<M>(orm::detail::role::clustering, d.clustering_count++);
    d.members[idx<M>()].clustering_order = o;
    return d;
  }

  /// Several clustering columns at once, all ascending.
  template <auto M1, auto M2, auto... Ms>
  constexpr auto clustering_key() const {
    return clustering_key<M1>().template clustering_key<M2, Ms...>();
  }

  /// The clustering order of a column already declared a clustering key.
  template <auto M>
  constexpr auto clustering_order(order o) const {
    auto d = for_members<M>();
    d.members[idx<M>()].clustering_order = o;
    d.members[idx<M>()].order_given = true;
    return d;
  }

  /// A STATIC column: one value per partition.
  template <auto M>
  constexpr auto static_column() const {
    auto d = for_members<M>();
    d.members[idx<M>()].kind = orm::detail::role::static_column;
    return d;
  }

  /// A secondary index on the column; the name defaults to "<table>_<column>_idx".
  template <auto M>
  constexpr auto index(std::string_view name = {}) const {
    return add_index<M>(name, false);
  }

  /// A storage-attached index (SAI, Cassandra 5) on the column, which also serves ranges.
  template <auto M>
  constexpr auto sai_index(std::string_view name = {}) const {
    return add_index<M>(name, true);
  }

  /// An SAI vector index on a vector column (a std::array<float, N> member), ranking rows by the
  /// similarity function for `order_by_ann` queries; the name defaults to "<table>_<column>_idx".
  ///   .vector_index<&Doc::embedding>(coodie::similarity::dot_product)
  template <auto M>
  constexpr auto vector_index(similarity f = similarity::cosine, std::string_view name = {}) const {
    static_assert(orm::detail::is_float_vector<orm::detail::member_value_t<M>>,
                  "coodie: vector_index names a member that is not a std::array<float, N>");
    auto d = add_index<M>(name, true);
    d.indexes[d.index_count - 1].similarity_function =
        f == similarity::none ? similarity::cosine : f;
    return d;
  }

  /// Makes the table polymorphic: member M (a std::string) holds each row's subtype, and
  /// Subtypes... are the structs stored in it (each declared with coodie::subtype<T>("value")).
  /// Reading T returns a std::variant of the subtypes and T (coodie/orm/polymorphic.hpp).
  ///   .discriminator<&Content::kind, Article, Video, Podcast>()
  template <auto M, class... Subtypes>
  constexpr auto discriminator() const {
    static_assert(sizeof...(Subtypes) > 0, "coodie: discriminator names no subtype");
    static_assert(std::is_same_v<orm::detail::member_value_t<M>, std::string>,
                  "coodie: the discriminator member is a std::string");
    auto d = for_members<M>();
    using C = typename decltype(d)::model_type;
    table_decl<C, orm::detail::subtypes_of<Subtypes...>> p(d);
    p.discriminator_field = static_cast<int>(idx<M>());
    return p;
  }

  /// The column's name when it differs from the member's.
  template <auto M>
  constexpr auto column(std::string_view name) const {
    auto d = for_members<M>();
    d.members[idx<M>()].rename = name;
    return d;
  }

  /// The CQL type of a member whose C++ type can stand for several (see coodie::cql).
  template <auto M>
  constexpr auto type(cql_choice c) const {
    auto d = for_members<M>();
    d.members[idx<M>()].has_choice = true;
    d.members[idx<M>()].choice = c.id;
    return d;
  }

  /// The member's collection or tuple is frozen: a single value, usable in a key.
  template <auto M>
  constexpr auto frozen() const {
    auto d = for_members<M>();
    d.members[idx<M>()].frozen = true;
    return d;
  }

  /// The member's user type column is not frozen (a user type column is frozen by default): each
  /// field is a cell of its own, so a query's update can set one field alone,
  /// `coodie::assign<&Customer::address, &Address::city>("Lyon")` (`SET address.city = ?`).
  /// Fields inside it that are collections or user types stay frozen; a key column cannot be
  /// unfrozen.
  template <auto M>
  constexpr auto unfrozen() const {
    auto d = for_members<M>();
    d.members[idx<M>()].unfrozen = true;
    return d;
  }

  /// Leaves the member out of the table.
  template <auto M>
  constexpr auto skip() const {
    auto d = for_members<M>();
    d.members[idx<M>()].skipped = true;
    return d;
  }

  /// Table option default_time_to_live, in seconds.
  constexpr table_decl default_ttl(std::int64_t seconds) const {
    return option("default_time_to_live", seconds);
  }
  /// Table option gc_grace_seconds.
  constexpr table_decl gc_grace_seconds(std::int64_t seconds) const {
    return option("gc_grace_seconds", seconds);
  }
  /// Table option comment.
  constexpr table_decl comment(std::string_view text) const { return option("comment", text); }
  /// Table option compaction: `.compaction({{"class", "LeveledCompactionStrategy"}})`.
  constexpr table_decl compaction(option_map m) const { return option("compaction", m); }
  /// Table option compression: `.compression({{"class", "LZ4Compressor"}})`.
  constexpr table_decl compression(option_map m) const { return option("compression", m); }

  /// Any table option, as a name and a value (integer, floating point, bool, text or map).
  template <class V>
  constexpr table_decl option(std::string_view name, V value) const {
    orm::detail::option_decl o;
    o.name = name;
    if constexpr (std::is_same_v<V, bool>) {
      o.type = orm::detail::option_decl::kind::boolean;
      o.boolean = value;
    } else if constexpr (std::is_integral_v<V>) {
      o.type = orm::detail::option_decl::kind::integer;
      o.integer = value;
    } else if constexpr (std::is_floating_point_v<V>) {
      o.type = orm::detail::option_decl::kind::floating;
      o.floating = value;
    } else if constexpr (std::is_same_v<V, option_map>) {
      o.type = orm::detail::option_decl::kind::map;
      o.map = value;
    } else {
      static_assert(std::is_convertible_v<V, std::string_view>,
                    "coodie: a table option is an integer, a floating-point number, a bool, "
                    "text or a coodie::option_map");
      o.type = orm::detail::option_decl::kind::text;
      o.text = value;
    }
    table_decl d = *this;
    d.add_option(o);
    return d;
  }

  template <auto M>
  static consteval std::size_t idx() {
    return orm::detail::field_index<M>();
  }

 private:
  template <class U, class O>
  friend class table_decl;

  /// This declaration as one of the members' class (the first member named fixes the model).
  template <auto M, auto... Ms>
  constexpr auto for_members() const {
    using C = orm::detail::member_class_t<M>;
    static_assert(std::is_aggregate_v<C>,
                  "coodie: a model is a plain aggregate struct: public members only, no "
                  "user-declared constructors, no virtual functions or private bases");
    static_assert(std::is_void_v<T> || std::is_same_v<C, T>,
                  "coodie: the member named is not a member of the model's type");
    static_assert((std::is_same_v<orm::detail::member_class_t<Ms>, C> && ...),
                  "coodie: the member named is not a member of the model's type");
    static_assert(!std::is_aggregate_v<C> ||
                      ((orm::detail::field_index<Ms>() < orm::detail::field_count<C>)&&... &&
                       (orm::detail::field_index<M>() < orm::detail::field_count<C>)),
                  "coodie: the member is not a direct member of the model (members of a base "
                  "class cannot be columns)");
    if constexpr (std::is_void_v<T>) {
      return table_decl<C, Of>(static_cast<const orm::detail::table_common&>(*this));
    } else {
      return *this;
    }
  }

  template <auto M>
  constexpr void set_key(orm::detail::role r, std::size_t position) {
    members[idx<M>()].kind = r;
    members[idx<M>()].key_position = static_cast<std::uint8_t>(position);
  }

  template <auto M>
  constexpr auto add_index(std::string_view name, bool sai) const {
    orm::detail::check_declared_name("index", name);
    auto d = for_members<M>();
    if (d.index_count == orm::detail::max_indexes) {
      throw "coodie: a model declares at most 16 indexes";
    }
    d.indexes[d.index_count++] =
        orm::detail::index_decl{idx<M>(), orm::detail::member_name<M>(), name, sai};
    return d;
  }
};

/// Starts a table declaration. Without a name the table is named after the type, in snake_case
/// (OrderItem → order_item).
constexpr table_decl<void> table(std::string_view name = {}) {
  orm::detail::check_declared_name("table", name);
  table_decl<void> d;
  d.table_name = name;
  return d;
}

namespace orm::detail {
/// The primary template's value: no declaration was written for the type.
struct undeclared_model {};
}  // namespace orm::detail

/// The declaration of model T. Specialize it before T is used with coodie:
///   template <> inline constexpr auto coodie::model<T> = coodie::table(...)...;
template <class T>
inline constexpr orm::detail::undeclared_model model{};

}  // namespace coodie
