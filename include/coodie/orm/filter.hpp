// Restrictions of a query on model T, through typed column references checked at compile time:
// `coodie::col<&Product::brand> == "Acme"` compiles only when brand is a column of Product and
// the value converts to its type without narrowing. The value is encoded at once, against the
// column's CQL type.
//
// Example:
//   using coodie::col;
//   s.find<Product>().where(col<&Product::category> == "tools", col<&Product::price> < 10.0);
//   s.find<Product>().where(col<&Product::id>.in(std::vector<coodie::uuid>{a, b}));
//   s.find<Product>().where(col<&Product::tags>.contains("sale")).allow_filtering();
//   s.find<Product>().where(coodie::token<Product>() > std::int64_t{0});
//   // a column named at run time, checked against the model when the query is built:
//   s.find<Product>().where("brand", "=", std::string("Acme"));
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <ranges>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "coodie/driver/statement.hpp"
#include "coodie/orm/mapping.hpp"
#include "coodie/orm/statements.hpp"
#include "coodie/orm/user_type.hpp"

namespace coodie {

/// One restriction on model T with its value encoded.
template <class T>
struct filter {
  dml::where_term term;
  value_list value;
};

namespace orm::detail {

/// An integer type every value of which the floating-point type To holds exactly (int in a
/// double; not int in a float, nor int64 in a double).
template <class To, class V>
concept exact_integer_in =
    std::is_floating_point_v<To> && std::is_integral_v<V> && !std::is_same_v<V, bool> &&
    std::numeric_limits<V>::digits <= std::numeric_limits<To>::digits;

/// V converts to To without loss: without narrowing, or as an integer To holds exactly
/// (`col<&Product::price> > 0` on a double column).
template <class To, class V>
concept filter_value = requires(V&& v) {
  To{std::forward<V>(v)};
}
|| exact_integer_in<To, std::remove_cvref_t<V>>;

/// The value of a restriction as the column's C++ type (filter_value<To, V> holds).
template <class To, class V>
To filter_cast(V&& v) {
  if constexpr (exact_integer_in<To, std::remove_cvref_t<V>>) {
    return static_cast<To>(v);
  } else {
    return To{std::forward<V>(v)};
  }
}

template <class T>
concept has_key_type = requires {
  typename T::key_type;
};

template <class C>
struct element_of {
  using type = typename C::value_type;
};
template <class C>
requires has_key_type<C> && requires {
  typename C::mapped_type;
}
struct element_of<C> {
  using type = typename C::mapped_type;
};

template <class T>
filter<T> make_filter(std::vector<std::string> columns, dml::op relation, bool token) {
  filter<T> f;
  f.term.columns = std::move(columns);
  f.term.relation = relation;
  f.term.token = token;
  return f;
}

}  // namespace orm::detail

/// A restriction or condition on member M's column (`col<&T::m> == v`): a filter of the model
/// that keeps M in its type, so that an IF condition can be checked at compile time.
template <auto M>
struct relation : filter<orm::detail::member_class_t<M>> {};

/// `col<&T::m> != v`: an IF condition only (CQL has no != restriction in WHERE).
template <auto M>
struct not_equal {
  filter<orm::detail::member_class_t<M>> term;
};

/// A typed reference to the column of member M: the left side of a restriction or condition.
template <auto M>
struct column_ref {
  using model_type = orm::detail::member_class_t<M>;
  using member_type = orm::detail::member_value_t<M>;
  using value_type = orm::detail::unwrap_optional_t<member_type>;
  static constexpr std::size_t field = orm::detail::field_index<M>();
  static_assert(model_info<model_type>::column_of[field] >= 0,
                "coodie: the member is not a column of the model (it is skipped)");

  static const column_schema& column() {
    return model_info<model_type>::schema()
        .columns[static_cast<std::size_t>(model_info<model_type>::column_of[field])];
  }

  template <class V>
  friend relation<M> operator==(column_ref, V&& v) {
    return {compare(dml::op::eq, std::forward<V>(v))};
  }
  template <class V>
  friend relation<M> operator<(column_ref, V&& v) {
    return {compare(dml::op::lt, std::forward<V>(v))};
  }
  template <class V>
  friend relation<M> operator<=(column_ref, V&& v) {
    return {compare(dml::op::le, std::forward<V>(v))};
  }
  template <class V>
  friend relation<M> operator>(column_ref, V&& v) {
    return {compare(dml::op::gt, std::forward<V>(v))};
  }
  template <class V>
  friend relation<M> operator>=(column_ref, V&& v) {
    return {compare(dml::op::ge, std::forward<V>(v))};
  }
  /// For IF conditions only (coodie::when).
  template <class V>
  friend not_equal<M> operator!=(column_ref, V&& v) {
    return {compare(dml::op::ne, std::forward<V>(v))};
  }

  /// `column IN ?`: values is a range of values of the column's type.
  template <class Range>
  requires orm::detail::filter_value<value_type,
                                     decltype(*std::begin(std::declval<const Range&>()))>
      relation<M> in(const Range& values)
  const {
    std::vector<value_type> list;
    for (const auto& v : values) {
      list.push_back(orm::detail::filter_cast<value_type>(v));
    }
    relation<M> f{orm::detail::make_filter<model_type>({column().name}, dml::op::in, false)};
    f.term.value_count = list.size();
    f.value.add_as(list, wire::list_of(column().type));
    return f;
  }

  // The constraints name C (always value_type), not value_type itself, so that they are checked
  // where a call names the function: Clang 14 checks them when the class is instantiated.

  /// `column CONTAINS ?` on a list, set or map (a map's values).
  template <class V, class C = value_type>
  requires std::same_as<C, value_type> && cql_collection<C> &&
      orm::detail::filter_value<typename orm::detail::element_of<C>::type, V>
          filter<model_type> contains(V&& v)
  const {
    using elem = typename orm::detail::element_of<C>::type;
    const wire::data_type& t = column().type;
    auto f = orm::detail::make_filter<model_type>({column().name}, dml::op::contains, false);
    f.value.add_as(orm::detail::filter_cast<elem>(std::forward<V>(v)),
                   t.params.at(t.id == wire::type_id::map ? 1 : 0));
    return f;
  }

  /// `column CONTAINS KEY ?` on a map.
  template <class V, class C = value_type>
  requires std::same_as<C, value_type> && orm::detail::has_key_type<C> && requires {
    typename C::mapped_type;
  } && orm::detail::filter_value<typename C::key_type, V> filter<model_type> contains_key(V&& v)
  const {
    auto f = orm::detail::make_filter<model_type>({column().name}, dml::op::contains_key, false);
    f.value.add_as(orm::detail::filter_cast<typename C::key_type>(std::forward<V>(v)),
                   column().type.params.at(0));
    return f;
  }

 private:
  template <class V>
  static filter<model_type> compare(dml::op relation, V&& v) {
    static_assert(
        orm::detail::filter_value<value_type, V>,
        "coodie: the value compared with a column must convert to the member's type "
        "without loss (no narrowing; an integer is accepted for a floating-point column "
        "when the type holds every value of it): compare with a value of the member's type");
    auto f = orm::detail::make_filter<model_type>({column().name}, relation, false);
    f.value.add_as(orm::detail::filter_cast<value_type>(std::forward<V>(v)), column().type);
    return f;
  }
};

/// The column of member M, for restrictions: `coodie::col<&Product::price> < 10.0`.
template <auto M>
inline constexpr column_ref<M> col{};

/// Several clustering columns compared together, in clustering order: `(c1, c2) > (?, ?)`.
/// They must be the first clustering columns, in key order; the values, a std::tuple of values
/// each converting to its member's type without loss.
template <auto First, auto... Rest>
struct columns_ref {
  using model_type = orm::detail::member_class_t<First>;
  static_assert((std::is_same_v<orm::detail::member_class_t<Rest>, model_type> && ...),
                "coodie: a multi-column relation names columns of one model");
  static_assert(
      [] {
        constexpr const auto& d = model_info<model_type>::decl;
        constexpr std::size_t fields[] = {orm::detail::field_index<First>(),
                                          orm::detail::field_index<Rest>()...};
        for (std::size_t i = 0; i < 1 + sizeof...(Rest); ++i) {
          if (d.members[fields[i]].kind != orm::detail::role::clustering ||
              d.members[fields[i]].key_position != i) {
            return false;
          }
        }
        return true;
      }(),
      "coodie: a multi-column relation names the first clustering columns, in clustering order");

  template <class... V>
  friend filter<model_type> operator==(columns_ref, const std::tuple<V...>& v) {
    return compare(dml::op::eq, v);
  }
  template <class... V>
  friend filter<model_type> operator<(columns_ref, const std::tuple<V...>& v) {
    return compare(dml::op::lt, v);
  }
  template <class... V>
  friend filter<model_type> operator<=(columns_ref, const std::tuple<V...>& v) {
    return compare(dml::op::le, v);
  }
  template <class... V>
  friend filter<model_type> operator>(columns_ref, const std::tuple<V...>& v) {
    return compare(dml::op::gt, v);
  }
  template <class... V>
  friend filter<model_type> operator>=(columns_ref, const std::tuple<V...>& v) {
    return compare(dml::op::ge, v);
  }

 private:
  template <class... V>
  static filter<model_type> compare(dml::op relation, const std::tuple<V...>& v) {
    static_assert(sizeof...(V) == 1 + sizeof...(Rest),
                  "coodie: a multi-column relation takes one value per column");
    auto f = orm::detail::make_filter<model_type>({std::string(column_ref<First>::column().name),
                                                   std::string(column_ref<Rest>::column().name)...},
                                                  relation, false);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (add<std::get<I>(std::tuple{First, Rest...})>(f, std::get<I>(v)), ...);
    }
    (std::index_sequence_for<V...>{});
    return f;
  }
  template <auto M, class V>
  static void add(filter<model_type>& f, const V& v) {
    using To = typename column_ref<M>::value_type;
    static_assert(orm::detail::filter_value<To, const V&>,
                  "coodie: each value of a multi-column relation must convert to its member's "
                  "type without loss");
    f.value.add_as(orm::detail::filter_cast<To>(v), column_ref<M>::column().type);
  }
};

/// The first clustering columns compared together:
/// `coodie::cols<&Reading::day, &Reading::at> > std::tuple(7, since)`.
template <auto... Ms>
inline constexpr columns_ref<Ms...> cols{};

/// `coodie::if_exists`: a conditional update or delete that applies only to an existing row.
struct if_exists_t {};
inline constexpr if_exists_t if_exists{};

/// The IF clause of a conditional update or delete of model T: IF EXISTS (from
/// coodie::if_exists), or conditions made by coodie::when, with their values encoded.
template <class T>
struct condition {
  dml::write_condition clause;
  value_list values;

  condition() = default;
  condition(if_exists_t) { clause.if_exists = true; }  // NOLINT: implicit by design
};

namespace orm::detail {

template <class C>
struct condition_member {
  static_assert(
      sizeof(C) == 0,
      "coodie::when takes column conditions: col<&T::m> == v, !=, <, <=, >, >=, .in(...)");
};
template <auto M>
struct condition_member<relation<M>> {
  using model = member_class_t<M>;
  static constexpr std::size_t field = field_index<M>();
};
template <auto M>
struct condition_member<not_equal<M>> : condition_member<relation<M>> {};

template <auto M>
const filter<member_class_t<M>>& term_of(const relation<M>& r) {
  return r;
}
template <auto M>
const filter<member_class_t<M>>& term_of(const not_equal<M>& n) {
  return n.term;
}

}  // namespace orm::detail

/// The conditions of a conditional update or delete, ANDed: `coodie::when(col<&Account::balance>
/// >= 10, col<&Account::status> != "frozen")` (=, !=, <, <=, >, >=, IN). Each names a regular or
/// static column of one model; a key column does not compile.
template <class First, class... Rest>
auto when(const First& first, const Rest&... rest) {
  using T = typename orm::detail::condition_member<First>::model;
  static_assert((std::is_same_v<typename orm::detail::condition_member<Rest>::model, T> && ...),
                "coodie: the conditions of one write name columns of one model");
  constexpr auto not_key = [](std::size_t field) {
    const orm::detail::role k = model_info<T>::decl.members[field].kind;
    return k != orm::detail::role::partition_key && k != orm::detail::role::clustering;
  };
  static_assert(not_key(orm::detail::condition_member<First>::field) &&
                    (not_key(orm::detail::condition_member<Rest>::field) && ...),
                "coodie: an IF condition names a regular or static column, not a key column "
                "(the key is the WHERE clause of the write)");
  condition<T> c;
  auto add = [&c](const filter<T>& f) {
    c.clause.terms.push_back(f.term);
    c.values.append(f.value);
  };
  add(orm::detail::term_of(first));
  (add(orm::detail::term_of(rest)), ...);
  return c;
}

/// TOKEN(partition key) of model T, compared with a Murmur3 token.
template <class T>
struct token_ref {
  static std::vector<std::string> columns() {
    std::vector<std::string> out;
    for (const column_schema* c : model_info<T>::schema().partition_key()) {
      out.push_back(c->name);
    }
    return out;
  }
  static filter<T> compare(dml::op relation, std::int64_t v) {
    auto f = orm::detail::make_filter<T>(columns(), relation, true);
    f.value.add_as(v, wire::simple_type(wire::type_id::bigint));
    return f;
  }
  friend filter<T> operator<(token_ref, std::int64_t v) { return compare(dml::op::lt, v); }
  friend filter<T> operator<=(token_ref, std::int64_t v) { return compare(dml::op::le, v); }
  friend filter<T> operator>(token_ref, std::int64_t v) { return compare(dml::op::gt, v); }
  friend filter<T> operator>=(token_ref, std::int64_t v) { return compare(dml::op::ge, v); }
};

/// `coodie::token<Product>() > std::int64_t{0}`: a token range over the partition key.
template <class T>
token_ref<T> token() {
  return {};
}

/// A restriction on a column named at run time; the name and the value's type are checked
/// against the model (invalid_model, codec_error naming the column).
template <class T, class V>
filter<T> where_column(std::string_view column, dml::op relation, const V& value) {
  const table_schema& t = model_info<T>::schema();
  const column_schema* c = t.find(column);
  if (c == nullptr) {
    throw invalid_model("model " + t.model + " (table " + t.name + ") has no column \"" +
                        std::string(column) + "\"");
  }
  if (relation == dml::op::ne) {
    throw usage_error("model " + t.model + ", column " + c->name +
                      ": != is no restriction CQL accepts; it is an IF condition (coodie::when)");
  }
  auto f = orm::detail::make_filter<T>({c->name}, relation, false);
  wire::data_type target = c->type;
  if (relation == dml::op::in) {
    target = wire::list_of(c->type);
    if constexpr (std::ranges::sized_range<V>) {
      f.term.value_count = static_cast<std::size_t>(std::ranges::size(value));
    }
  } else if (relation == dml::op::contains) {
    target = c->type.params.empty() ? c->type
                                    : c->type.params.at(c->type.id == wire::type_id::map ? 1 : 0);
  } else if (relation == dml::op::contains_key) {
    target = c->type.params.empty() ? c->type : c->type.params.at(0);
  }
  try {
    f.value.add_as(value, target);
  } catch (const codec_error& e) {
    throw codec_error("model " + t.model + ", column " + c->name + ": " + e.what());
  }
  return f;
}

}  // namespace coodie
