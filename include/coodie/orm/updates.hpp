// What an UPDATE does to a column, typed against the member at compile time: a new value
// (assign), a counter's change (by, for increment and decrement), and the collection operations
// (set add/remove; list append, prepend, set-at-index, remove-values, erase-at-index; map put,
// remove keys, erase one key). Each value is encoded at once against the column's CQL type. A
// list of them is what `s.update(obj, {...})` writes into one row and `query.update({...})` into
// every row a query matches.
//
// Example:
//   s.update(post, {coodie::set_add<&Post::tags>({"c++", "cql"}),
//                   coodie::list_append<&Post::lines>({"one more line"}),
//                   coodie::map_put<&Post::meta>("lang", "en"),
//                   coodie::assign<&Post::title>("Hello")});
//   s.find<Post>().where(coodie::col<&Post::blog> == b)
//       .update({coodie::set_remove<&Post::tags>({"draft"})});
//   s.increment(page, coodie::by<&PageViews::views>(1));
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "coodie/orm/filter.hpp"

namespace coodie {

/// One change an update makes to one column (or to one field of a non-frozen user type column),
/// with its values encoded in the order the SET term binds them.
template <class T>
struct assignment {
  std::string column;
  std::string field;  ///< empty: the whole column
  dml::set_op action = dml::set_op::assign;
  value_list value;
  std::size_t column_index = 0;  ///< the column's place in the model's table
};

/// A change of one counter column by n: coodie::by<&PageViews::views>(1).
template <class T>
struct counter_delta {
  assignment<T> change;
};

/// The counter changes of one increment or decrement: one delta, or several in braces (up to
/// two are held without an allocation).
template <class T>
struct counter_change {
  boost::container::small_vector<assignment<T>, 2> terms;
  counter_change(counter_delta<T> d) { terms.push_back(std::move(d.change)); }  // NOLINT
  counter_change(std::initializer_list<counter_delta<T>> ds) {
    for (const counter_delta<T>& d : ds) {
      terms.push_back(d.change);
    }
  }
};

namespace orm::detail {

enum class collection_kind : std::uint8_t { none, list, set, map };

template <class V>
struct collection_shape {
  static constexpr collection_kind kind = collection_kind::none;
  using element = V;
  using key = V;
};
template <class E, class A>
struct collection_shape<std::vector<E, A>> {
  static constexpr collection_kind kind = collection_kind::list;
  using element = E;
  using key = E;
};
template <class E, class C, class A>
struct collection_shape<std::set<E, C, A>> : collection_shape<std::vector<E>> {
  static constexpr collection_kind kind = collection_kind::set;
};
template <class E, class H, class Q, class A>
struct collection_shape<std::unordered_set<E, H, Q, A>> : collection_shape<std::set<E>> {};
template <class K, class V, class C, class A>
struct collection_shape<std::map<K, V, C, A>> {
  static constexpr collection_kind kind = collection_kind::map;
  using element = V;
  using key = K;
};
template <class K, class V, class H, class Q, class A>
struct collection_shape<std::unordered_map<K, V, H, Q, A>> : collection_shape<std::map<K, V>> {};

/// The member's C++ value without std::optional: the collection an operation works on.
template <auto M>
using collection_t = unwrap_optional_t<member_value_t<M>>;
template <auto M>
using element_t = typename collection_shape<collection_t<M>>::element;
template <auto M>
using key_t = typename collection_shape<collection_t<M>>::key;

template <auto M>
constexpr const member_decl& decl_of() {
  return model_info<member_class_t<M>>::decl.members[field_index<M>()];
}

/// What member M's column is: a list (a std::vector unless declared cql::set), a set or a map.
template <auto M>
consteval collection_kind kind_of() {
  constexpr collection_kind k = collection_shape<collection_t<M>>::kind;
  if (k == collection_kind::list && decl_of<M>().has_choice &&
      decl_of<M>().choice == wire::type_id::set) {
    return collection_kind::set;
  }
  return k;
}

template <auto M>
consteval bool is_counter_member() {
  return decl_of<M>().has_choice && decl_of<M>().choice == wire::type_id::counter;
}

/// Model T is a counter table.
template <class T>
consteval bool is_counter_model() {
  for (const member_decl& m : model_info<T>::decl.members) {
    if (m.has_choice && m.choice == wire::type_id::counter) {
      return true;
    }
  }
  return false;
}

/// The column of member M, which an update may assign: a column (not skipped) outside the key.
template <auto M>
const column_schema& assignable_column() {
  using info = model_info<member_class_t<M>>;
  constexpr std::size_t field = field_index<M>();
  static_assert(info::column_of[field] >= 0,
                "coodie: the member is skipped by the model's declaration; it has no column");
  constexpr role kind = info::decl.members[field].kind;
  static_assert(kind != role::partition_key && kind != role::clustering,
                "coodie: a key column cannot be assigned by an update");
  static_assert(static_cast<int>(field) != info::decl.discriminator_field,
                "coodie: the discriminator column of a polymorphic table is not assigned by an "
                "update; save the subtype (or the base) instead");
  return info::schema().columns[static_cast<std::size_t>(info::column_of[field])];
}

/// Encodes each value (`add(value_list&)` calls) into a change of column c, as `action`;
/// codec_error naming model, column and field.
template <class T, class Add>
assignment<T> change_of(const column_schema& c, std::string_view field, dml::set_op action,
                        Add add) {
  const std::vector<column_schema>& columns = model_info<T>::schema().columns;
  assignment<T> a{
      c.name, std::string(field), action, {}, static_cast<std::size_t>(&c - columns.data())};
  try {
    add(a.value);
  } catch (const codec_error& e) {
    throw codec_error("model " + model_info<T>::schema().model + ", column " + c.name +
                      (field.empty() ? std::string() : ", field " + std::string(field)) + ": " +
                      e.what());
  }
  return a;
}

/// `v` as a To encoded as `type` into the assignment of column c (or its `field`).
template <class T, class To, class V>
assignment<T> assignment_of(const column_schema& c, std::string_view field,
                            const wire::data_type& type, V&& v) {
  return change_of<T>(c, field, dml::set_op::assign,
                      [&](value_list& out) { out.add_as(To{std::forward<V>(v)}, type); });
}

/// The column of collection member M, checked to be of kind K and not frozen.
template <auto M, collection_kind K>
const column_schema& collection_column() {
  static_assert(kind_of<M>() != collection_kind::none,
                "coodie: a collection operation needs a list, set or map member");
  static_assert(kind_of<M>() != collection_kind::list || K == collection_kind::list,
                "coodie: the member is a list: use list_append, list_prepend, list_set, "
                "list_remove or list_erase");
  static_assert(kind_of<M>() != collection_kind::set || K == collection_kind::set,
                "coodie: the member is a set: use set_add or set_remove");
  static_assert(kind_of<M>() != collection_kind::map || K == collection_kind::map,
                "coodie: the member is a map: use map_put, map_remove or map_erase");
  static_assert(!decl_of<M>().frozen,
                "coodie: a frozen collection is one value: replace it whole with assign");
  return assignable_column<M>();
}

/// The whole collection `v` bound as the column's type, as `action`.
template <auto M, collection_kind K>
assignment<member_class_t<M>> whole(dml::set_op action, const collection_t<M>& v) {
  const column_schema& c = collection_column<M, K>();
  return change_of<member_class_t<M>>(c, {}, action,
                                      [&](value_list& out) { out.add_as(v, c.type); });
}

/// `c[key] = value`, or `c[key] = null` (which deletes the element) without a value.
template <auto M, collection_kind K, class Key>
assignment<member_class_t<M>> element(const Key& key, const element_t<M>* value) {
  const column_schema& c = collection_column<M, K>();
  return change_of<member_class_t<M>>(c, {}, dml::set_op::element, [&](value_list& out) {
    if constexpr (K == collection_kind::list) {
      out.add_as(key, wire::simple_type(wire::type_id::int_));
    } else {
      out.add_as(key, c.type.params.at(0));
    }
    if (value != nullptr) {
      out.add_as(*value, c.type.params.at(K == collection_kind::map ? 1 : 0));
    } else {
      out.add_encoded(wire::value_view::null());
    }
  });
}

}  // namespace orm::detail

/// `coodie::assign<&Product::price>(9.99)`: the new value of member M's column. A key column
/// cannot be assigned, nor a counter (increment it); std::nullopt writes a null.
template <auto M, class V>
requires orm::detail::filter_value<orm::detail::member_value_t<M>, V>
    assignment<orm::detail::member_class_t<M>> assign(V&& v) {
  static_assert(!orm::detail::is_counter_member<M>(),
                "coodie: a counter column changes only by increment or decrement (coodie::by)");
  const column_schema& c = orm::detail::assignable_column<M>();
  return orm::detail::assignment_of<orm::detail::member_class_t<M>, orm::detail::member_value_t<M>>(
      c, {}, c.type, std::forward<V>(v));
}

/// `coodie::assign<&Customer::address, &Address::city>("Lyon")`: the new value of one field of
/// member M's user type column, declared `.unfrozen<&Customer::address>()` (`SET address.city =
/// ?`); the other fields keep their values. std::nullopt (for an optional field) writes a null.
/// The live type's field is checked on the statement's first use, like a column (schema_error
/// when its type differs, before anything is sent).
template <auto M, auto F, class V>
requires orm::detail::filter_value<orm::detail::member_value_t<F>, V>
    assignment<orm::detail::member_class_t<M>> assign(V&& v) {
  using T = orm::detail::member_class_t<M>;
  using U = orm::detail::unwrap_optional_t<orm::detail::member_value_t<M>>;
  using fields = orm::detail::udt_info<U>;
  static_assert(std::is_same_v<orm::detail::member_class_t<F>, U>,
                "coodie: assign<&T::column, &U::field>(v): the field is not a member of the "
                "column's user type");
  static_assert(model_info<T>::decl.members[orm::detail::field_index<M>()].unfrozen,
                "coodie: one field of a user type column can be set alone only when the column "
                "is not frozen; declare it .unfrozen<&T::member>()");
  constexpr std::size_t f = orm::detail::field_index<F>();
  static_assert(fields::stored(f), "coodie: the field is skipped by the user type's declaration");
  const column_schema& c = orm::detail::assignable_column<M>();
  return orm::detail::assignment_of<T, orm::detail::member_value_t<F>>(
      c, fields::field_name(f), fields::type().params[fields::position(f)], std::forward<V>(v));
}

/// `coodie::by<&PageViews::views>(n)`: counter member M changed by n (negative n counts down),
/// for increment and decrement.
template <auto M>
counter_delta<orm::detail::member_class_t<M>> by(std::int64_t n) {
  static_assert(orm::detail::is_counter_member<M>(),
                "coodie: increment and decrement change counter members only (declared "
                ".type<&T::m>(coodie::cql::counter))");
  const column_schema& c = orm::detail::assignable_column<M>();
  return {orm::detail::change_of<orm::detail::member_class_t<M>>(
      c, {}, dml::set_op::add, [&](value_list& out) { out.add_as(n, c.type); })};
}

/// Set member M gains the elements: `SET tags = tags + ?`.
template <auto M>
auto set_add(const orm::detail::collection_t<M>& elements) {
  return orm::detail::whole<M, orm::detail::collection_kind::set>(dml::set_op::add, elements);
}
/// Set member M loses the elements: `SET tags = tags - ?`.
template <auto M>
auto set_remove(const orm::detail::collection_t<M>& elements) {
  return orm::detail::whole<M, orm::detail::collection_kind::set>(dml::set_op::subtract, elements);
}

/// List member M gains the elements at its end: `SET lines = lines + ?`.
template <auto M>
auto list_append(const orm::detail::collection_t<M>& elements) {
  return orm::detail::whole<M, orm::detail::collection_kind::list>(dml::set_op::add, elements);
}
/// List member M gains the elements at its front, in their order: `SET lines = ? + lines`.
template <auto M>
auto list_prepend(const orm::detail::collection_t<M>& elements) {
  return orm::detail::whole<M, orm::detail::collection_kind::list>(dml::set_op::prepend, elements);
}
/// Every element of list member M equal to one of `values` is removed: `SET lines = lines - ?`.
template <auto M>
auto list_remove(const orm::detail::collection_t<M>& values) {
  return orm::detail::whole<M, orm::detail::collection_kind::list>(dml::set_op::subtract, values);
}
/// The element at `index` of list member M becomes `value` (`SET lines[?] = ?`); the server
/// refuses an index past the end (invalid_query_error).
template <auto M>
auto list_set(std::int32_t index, const orm::detail::element_t<M>& value) {
  return orm::detail::element<M, orm::detail::collection_kind::list>(index, &value);
}
/// The element at `index` of list member M is removed (`SET lines[?] = null`).
template <auto M>
auto list_erase(std::int32_t index) {
  return orm::detail::element<M, orm::detail::collection_kind::list>(index, nullptr);
}

/// Map member M maps `key` to `value`, other entries kept: `SET meta[?] = ?`.
template <auto M>
auto map_put(const orm::detail::key_t<M>& key, const orm::detail::element_t<M>& value) {
  return orm::detail::element<M, orm::detail::collection_kind::map>(key, &value);
}
/// Map member M gains (or overwrites) every entry of `entries`: `SET meta = meta + ?`.
template <auto M>
auto map_put(const orm::detail::collection_t<M>& entries) {
  return orm::detail::whole<M, orm::detail::collection_kind::map>(dml::set_op::add, entries);
}
/// Map member M loses the entries of these keys: `SET meta = meta - ?`.
template <auto M>
auto map_remove(const std::vector<orm::detail::key_t<M>>& keys) {
  const column_schema& c = orm::detail::collection_column<M, orm::detail::collection_kind::map>();
  return orm::detail::change_of<orm::detail::member_class_t<M>>(
      c, {}, dml::set_op::subtract,
      [&](value_list& out) { out.add_as(keys, wire::set_of(c.type.params.at(0))); });
}
/// Map member M loses the entry of `key` (`SET meta[?] = null`).
template <auto M>
auto map_erase(const orm::detail::key_t<M>& key) {
  return orm::detail::element<M, orm::detail::collection_kind::map>(key, nullptr);
}

}  // namespace coodie
