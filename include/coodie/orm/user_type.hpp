// Declaring a user-defined type: a plain aggregate plus one constexpr declaration, as for a
// model. Its fields are the struct's members, named after them at compile time. A declared
// struct is a CQL value like any other: a model member of that type is a frozen<name> column
// (a plain <name> column, each field a cell, when the model declares it .unfrozen<&T::m>()),
// and it nests in other user types and in list, set, map, tuple, optional and vector.
//
// Values are read by field name, from the type the server describes in a result: fields the
// struct lacks are skipped, members the value lacks (an older row) read as their default, and a
// field whose live type the member cannot hold is a codec_error naming the type and field.
// A model writes values in the struct's field order, after checking on a statement's first use
// that the live type's fields begin with the struct's in that order (schema_error otherwise,
// before anything is sent; fields added after them are written as null). Encoding against any
// other type description (encode_as, e.g. a driver's bind marker) goes by field name too.
//
// Example:
//   struct Address {
//     std::string street;
//     std::string city;
//     std::optional<std::string> zip;
//     int cache = 0;  // not stored
//   };
//   template <>
//   inline constexpr auto coodie::udt<Address> =
//       coodie::user_type("address")           // without a name: snake_case of the type's name
//           .field<&Address::zip>("zip_code")  // a field name other than the member's
//           .skip<&Address::cache>();
//   struct Customer {
//     coodie::uuid id;
//     Address home;                            // frozen<address>
//     std::vector<Address> others;             // list<frozen<address>>
//   };
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>

#include "coodie/error.hpp"
#include "coodie/orm/detail/reflect.hpp"
#include "coodie/orm/mapping.hpp"
#include "coodie/orm/model.hpp"
#include "coodie/orm/type_text.hpp"
#include "coodie/wire/traits.hpp"

namespace coodie {

namespace orm::detail {
/// What a user type declaration says of one member.
struct field_decl {
  std::string_view rename;
  bool skipped = false;
};
}  // namespace orm::detail

/// The declaration of a user type; see coodie::user_type().
template <class T>
class user_type_decl {
 public:
  static constexpr std::size_t field_count = [] {
    if constexpr (std::is_void_v<T>) {
      return std::size_t{0};
    } else {
      return orm::detail::field_count<T>;
    }
  }();

  std::string_view type_name;
  std::string_view keyspace_name;
  std::array<orm::detail::field_decl, field_count> fields{};

  /// The keyspace of the type; without it, the keyspace of the table that uses it.
  constexpr user_type_decl keyspace(std::string_view ks) const {
    orm::detail::check_declared_name("keyspace", ks);
    user_type_decl d = *this;
    d.keyspace_name = ks;
    return d;
  }
  /// The field of member M has this name instead of the member's.
  template <auto M>
  constexpr auto field(std::string_view name) const {
    orm::detail::check_declared_name("field", name);
    auto d = for_member<M>();
    d.fields[orm::detail::field_index<M>()].rename = name;
    return d;
  }
  /// Member M is not a field of the type (its default is what reads give it).
  template <auto M>
  constexpr auto skip() const {
    auto d = for_member<M>();
    d.fields[orm::detail::field_index<M>()].skipped = true;
    return d;
  }

 private:
  template <class U>
  friend class user_type_decl;

  template <auto M>
  constexpr auto for_member() const {
    using C = orm::detail::member_class_t<M>;
    static_assert(std::is_aggregate_v<C>,
                  "coodie: a user type is a plain aggregate struct: public members only, no "
                  "user-declared constructors, no virtual functions or private bases");
    static_assert(std::is_void_v<T> || std::is_same_v<C, T>,
                  "coodie: the member named is not a member of the user type's struct");
    if constexpr (std::is_void_v<T>) {
      user_type_decl<C> d;
      d.type_name = type_name;
      d.keyspace_name = keyspace_name;
      return d;
    } else {
      return *this;
    }
  }
};

/// Starts a user type declaration. Without a name the type is named after the struct, in
/// snake_case (LineItem → line_item).
constexpr user_type_decl<void> user_type(std::string_view name = {}) {
  orm::detail::check_declared_name("user type", name);
  user_type_decl<void> d;
  d.type_name = name;
  return d;
}

namespace orm::detail {
/// The primary template's value: no user type declaration was written for the type.
struct undeclared_user_type {};
}  // namespace orm::detail

/// The declaration of user type T. Specialize it before T is used with coodie:
///   template <> inline constexpr auto coodie::udt<T> = coodie::user_type(...)...;
template <class T>
inline constexpr orm::detail::undeclared_user_type udt{};

namespace orm::detail {

/// T has a user type declaration.
template <class T>
concept declared_user_type =
    !std::is_same_v<std::remove_cvref_t<decltype(udt<T>)>, undeclared_user_type>;

template <class U>
requires declared_user_type<U>
inline constexpr bool user_type_member<U> = true;

/// Compile-time facts of user type U, and its CQL type (built once).
template <class U>
struct udt_info {
  static constexpr const auto& decl = udt<U>;
  static constexpr std::size_t count = field_count<U>;
  static constexpr bool declared_fields = decl.field_count == count;

  static constexpr bool stored(std::size_t i) {
    return !declared_fields || !decl.fields[i].skipped;
  }
  /// The field name of member i.
  static constexpr std::string_view field_name(std::size_t i) {
    if constexpr (declared_fields) {
      if (!decl.fields[i].rename.empty()) {
        return decl.fields[i].rename;
      }
    }
    return field_names<U>[i];
  }
  /// The position of member i's field among the type's fields (the stored members before it).
  static constexpr std::size_t position(std::size_t i) {
    std::size_t p = 0;
    for (std::size_t j = 0; j < i; ++j) {
      p += stored(j) ? 1 : 0;
    }
    return p;
  }
  /// The member whose field is named `name`, or count.
  static std::size_t member_of(std::string_view name) noexcept {
    for (std::size_t i = 0; i < count; ++i) {
      if (stored(i) && field_name(i) == name) {
        return i;
      }
    }
    return count;
  }

  /// The type's name (declared, or the snake_case of the struct's name) and keyspace.
  static const wire::data_type& type() {
    static const wire::data_type t = [] {
      wire::data_type out;
      out.id = wire::type_id::udt;
      out.name =
          decl.type_name.empty() ? snake_case(type_short_name<U>()) : std::string(decl.type_name);
      out.keyspace = std::string(decl.keyspace_name);
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
              if (stored(I)) {
                out.field_names.emplace_back(field_name(I));
                out.params.push_back(cql_traits<field_type_t<U, I>>::cql_type());
              }
            }(),
            ...);
      }
      (std::make_index_sequence<count>{});
      return out;
    }();
    return t;
  }
};

template <class... Ts>
struct type_list {};
template <class T, class L>
struct in_list;
template <class T, class... Ts>
struct in_list<T, type_list<Ts...>> : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};
template <class L, class T>
struct appended;
template <class... Ts, class T>
struct appended<type_list<Ts...>, T> {
  using type = type_list<Ts..., T>;
};

/// Whether a member of type T holds a U, through optionals, containers, tuples and other user
/// types (Seen: the user types on the way, where a cycle that does not pass U stops). Only the
/// branch taken is instantiated, so a cycle cannot recurse forever here.
template <class U, class T, class Seen, class = void>
struct reaches : std::false_type {};
template <class U, class T, class Seen, class Idx = std::make_index_sequence<field_count<T>>>
struct members_reach;
template <class U, class T, class Seen, std::size_t... I>
struct members_reach<U, T, Seen, std::index_sequence<I...>>
    : std::disjunction<reaches<U, field_type_t<T, I>, Seen>...> {};
template <class U, class T, class Seen>
struct reaches<U, T, Seen, std::enable_if_t<declared_user_type<T>>>
    : std::conditional_t<
          std::is_same_v<T, U>, std::true_type,
          std::conditional_t<in_list<T, Seen>::value, std::false_type,
                             members_reach<U, T, typename appended<Seen, T>::type>>> {};
template <class U, class T, class Seen>
struct reaches<U, std::optional<T>, Seen> : reaches<U, T, Seen> {};
template <class U, class T, class A, class Seen>
struct reaches<U, std::vector<T, A>, Seen> : reaches<U, T, Seen> {};
template <class U, class T, std::size_t N, class Seen>
struct reaches<U, std::array<T, N>, Seen> : reaches<U, T, Seen> {};
template <class U, class T, class C, class A, class Seen>
struct reaches<U, std::set<T, C, A>, Seen> : reaches<U, T, Seen> {};
template <class U, class T, class H, class E, class A, class Seen>
struct reaches<U, std::unordered_set<T, H, E, A>, Seen> : reaches<U, T, Seen> {};
template <class U, class K, class V, class C, class A, class Seen>
struct reaches<U, std::map<K, V, C, A>, Seen>
    : std::disjunction<reaches<U, K, Seen>, reaches<U, V, Seen>> {};
template <class U, class K, class V, class H, class E, class A, class Seen>
struct reaches<U, std::unordered_map<K, V, H, E, A>, Seen>
    : std::disjunction<reaches<U, K, Seen>, reaches<U, V, Seen>> {};
template <class U, class... Ts, class Seen>
struct reaches<U, std::tuple<Ts...>, Seen> : std::disjunction<reaches<U, Ts, Seen>...> {};

/// Every stored member of U maps to a CQL type.
template <class U>
consteval bool fields_mapped() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    return ((!udt_info<U>::stored(I) || cql_mapped<field_type_t<U, I>>)&&...);
  }
  (std::make_index_sequence<field_count<U>>{});
}

/// codec_error naming the user type and field.
[[noreturn]] void throw_field_error(const wire::data_type& type, std::string_view field,
                                    std::string_view what);

}  // namespace orm::detail

/// A declared user type: written and read field by field, by name (see the top of this file).
template <class U>
requires orm::detail::declared_user_type<U>
struct cql_traits<U, void> {
  static_assert(!orm::detail::members_reach<U, U, orm::detail::type_list<U>>::value,
                "coodie: a user type cannot contain itself, directly or through other user "
                "types (CQL types are finite)");
  static_assert(orm::detail::fields_mapped<U>(),
                "coodie: every field of a user type must map to a CQL type: declare the "
                "member's type as a user type, give it cql_traits, or skip() the member");
  using info = orm::detail::udt_info<U>;
  static wire::data_type cql_type() { return info::type(); }
  static bool accepts(const wire::data_type& t) noexcept {
    return t.id == wire::type_id::udt && t.name == info::type().name;
  }
  static void encode(const U& v, wire::writer& w) { encode_as(v, info::type(), w); }
  /// In the order of target's fields; a field U lacks is null. Every stored member must have a
  /// field in target (else codec_error: the type needs the field added first).
  static void encode_as(const U& v, const wire::data_type& target, wire::writer& w) {
    // The struct's own type (what a model column encodes against) has every field by
    // construction; any other target is checked before a byte is written.
    const bool own = target.field_names == info::type().field_names;
    for (std::size_t i = 0; i < info::count && !own; ++i) {
      if (info::stored(i) && !has_field(target, info::field_name(i))) {
        orm::detail::throw_field_error(target, info::field_name(i),
                                       "the type has no such field; sync the type to add it");
      }
    }
    for (std::size_t f = 0; f < target.field_names.size(); ++f) {
      std::size_t m = info::member_of(target.field_names[f]);
      if (m == info::count) {
        w.null_value();
      } else {
        with_member(m, v, [&](const auto& member) { encode_field(member, target, f, w); });
      }
    }
  }
  static void decode(wire::bytes_view b, U& out) { decode_as(b, info::type(), out); }
  /// Field by field as source names them; members source or the value lacks read as default.
  static void decode_as(wire::bytes_view b, const wire::data_type& source, U& out) {
    std::array<bool, info::count> seen{};
    wire::reader r(b);
    for (std::size_t f = 0; f < source.field_names.size() && !r.empty(); ++f) {
      std::optional<wire::bytes_view> field = r.bytes();
      std::size_t m = info::member_of(source.field_names[f]);
      if (m == info::count) {
        continue;
      }
      seen[m] = true;
      with_member(m, out, [&](auto& member) { decode_field(field, source, f, member); });
    }
    for (std::size_t m = 0; m < info::count; ++m) {
      if (!seen[m]) {
        with_member(m, out, [](auto& member) { member = std::remove_cvref_t<decltype(member)>{}; });
      }
    }
  }

 private:
  static bool has_field(const wire::data_type& t, std::string_view name) noexcept {
    for (const std::string& n : t.field_names) {
      if (n == name) {
        return true;
      }
    }
    return false;
  }
  /// Calls f with member m of obj (chosen at run time).
  template <class Obj, class F>
  static void with_member(std::size_t m, Obj& obj, F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((I == m ? (f(boost::pfr::get<I>(obj)), 0) : 0), ...);
    }
    (std::make_index_sequence<info::count>{});
  }
  template <class M>
  static void encode_field(const M& member, const wire::data_type& t, std::size_t f,
                           wire::writer& w) {
    const wire::data_type* ft = wire::detail::param(&t, f);
    if (ft == nullptr || !cql_traits<M>::accepts(*ft)) {
      orm::detail::throw_field_error(t, t.field_names[f], mismatch<M>(ft));
    }
    try {
      wire::detail::encode_value_unchecked(member, ft, w);
    } catch (const codec_error& e) {
      orm::detail::throw_field_error(t, t.field_names[f], e.what());
    }
  }
  template <class M>
  static void decode_field(std::optional<wire::bytes_view> field, const wire::data_type& t,
                           std::size_t f, M& member) {
    const wire::data_type* ft = wire::detail::param(&t, f);
    if (ft == nullptr || !cql_traits<M>::accepts(*ft)) {
      orm::detail::throw_field_error(t, t.field_names[f], mismatch<M>(ft));
    }
    try {
      wire::detail::decode_value_unchecked(
          field ? wire::value_view(*field) : wire::value_view::null(), ft, member);
    } catch (const codec_error& e) {
      orm::detail::throw_field_error(t, t.field_names[f], e.what());
    } catch (const protocol_error& e) {
      orm::detail::throw_field_error(t, t.field_names[f], e.what());
    }
  }
  template <class M>
  static std::string mismatch(const wire::data_type* ft) {
    return "the field is " + (ft == nullptr ? std::string("missing") : cql_type_text(*ft, false)) +
           " but the member is " + wire::detail::type_name<M>();
  }
};

}  // namespace coodie
