// Compile-time reflection of plain aggregates: the number of members, a reference to member I
// (Boost.PFR), and member names read from the compiler's spelling of a pointer to a member of a
// never-defined object (__PRETTY_FUNCTION__, which GCC and Clang both spell "... [with] P = <the
// argument>"; std::source_location would do the same on GCC, but Clang 14 has no
// __builtin_source_location for libstdc++'s). Pinned by tests/unit/orm_model_test.cpp, because
// that spelling is the compiler's to change.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

#include <boost/pfr/core.hpp>
#include <boost/pfr/tuple_size.hpp>

namespace coodie::orm::detail {

/// Declared, never defined: only its members' addresses are used, as template arguments. (A
/// variable template rather than a static member: Clang then lets a model in an unnamed
/// namespace through with a warning, silenced here, instead of an error.)
template <class T>
struct reflect_wrapper {
  const T value;
};
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-internal"
#endif
template <class T>
extern const reflect_wrapper<T> reflect_object;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

template <auto P>
consteval std::string_view pretty_of() {
  return __PRETTY_FUNCTION__;
}

/// A pointer to a member of reflect_object<T>.value, wrapped: Clang 14 takes a pointer to a
/// subobject as a template argument only inside a class.
template <class V>
struct subobject_pointer {
  const V* pointer;
};
template <class V>
consteval subobject_pointer<V> wrap_subobject(const V& member) {
  return {&member};
}

/// A byte of an identifier: ASCII letters, digits and '_', and every byte of a UTF-8 sequence.
consteval bool identifier_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

/// The member name at the end of the template argument P as the compiler spells it: GCC's
/// "[with auto P = subobject_pointer<V>{(& reflect_object<ns::T>.<...>::value.ns::T::member)};
/// ...]" or "[with auto P = &ns::T::member; ...]", Clang's "[P = {&reflect_object.value.member}]"
/// or "[P = &ns::T::member]". Namespaces may be "{anonymous}" or "(anonymous namespace)".
consteval std::string_view name_from_pretty(std::string_view s) {
  std::string_view rest = s.substr(s.find("P = ") + 4);
  std::size_t end = rest.find("; ");
  rest = rest.substr(0, end == std::string_view::npos ? rest.rfind(']') : end);
  while (!rest.empty() && (rest.back() == ')' || rest.back() == '}')) {
    rest.remove_suffix(1);
  }
  std::size_t start = rest.size();
  while (start > 0 && identifier_char(rest[start - 1])) {
    --start;
  }
  return rest.substr(start);
}

/// The number of T's members; 0 for a type that is not an aggregate, whose rule (a model is a
/// plain aggregate) is reported once where a declaration names it, without Boost.PFR's errors.
template <class T>
inline constexpr std::size_t field_count = [] {
  if constexpr (std::is_aggregate_v<T>) {
    return boost::pfr::tuple_size_v<T>;
  } else {
    return std::size_t{0};
  }
}();

#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-var-template"  // never defined, by design
#endif
template <class T, std::size_t I>
consteval std::string_view field_name() {
  return name_from_pretty(pretty_of<wrap_subobject(boost::pfr::get<I>(reflect_object<T>.value))>());
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

template <class T, std::size_t... I>
consteval std::array<std::string_view, sizeof...(I)> field_names_impl(std::index_sequence<I...>) {
  return {field_name<T, I>()...};
}

/// The names of T's members, in declaration order.
template <class T>
inline constexpr std::array<std::string_view, field_count<T>> field_names =
    field_names_impl<T>(std::make_index_sequence<field_count<T>>{});

template <class M>
struct member_pointer_traits;
template <class C, class V>
struct member_pointer_traits<V C::*> {
  using class_type = C;
  using value_type = V;
};

/// The class of a pointer to data member M, and the member's type.
template <auto M>
using member_class_t = typename member_pointer_traits<decltype(M)>::class_type;
template <auto M>
using member_value_t = typename member_pointer_traits<decltype(M)>::value_type;

/// The name of the member M points to.
template <auto M>
consteval std::string_view member_name() {
  return name_from_pretty(pretty_of<M>());
}

/// The position of M among its class's members; field_count when it is not found (a member of
/// a base class).
template <auto M>
consteval std::size_t field_index() {
  using C = member_class_t<M>;
  constexpr std::string_view name = member_name<M>();
  for (std::size_t i = 0; i < field_count<C>; ++i) {
    if (field_names<C>[i] == name) {
      return i;
    }
  }
  return field_count<C>;
}

/// The unqualified name of T ("Product" for ns::Product).
template <class T>
consteval std::string_view type_short_name() {
  std::string_view s = __PRETTY_FUNCTION__;
  std::size_t at = s.find("T = ");
  std::string_view rest = s.substr(at + 4);
  rest = rest.substr(0, rest.find_first_of(";]"));
  std::size_t depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < rest.size(); ++i) {  // the last "::" outside template arguments
    if (rest[i] == '<') {
      ++depth;
    } else if (rest[i] == '>') {
      --depth;
    } else if (depth == 0 && rest[i] == ':' && i + 1 < rest.size() && rest[i + 1] == ':') {
      start = i + 2;
    }
  }
  return rest.substr(start);
}

/// T without std::optional around it; is_optional<T> says whether it had one.
template <class T>
struct unwrap_optional {
  using type = T;
  static constexpr bool optional = false;
};
template <class T>
struct unwrap_optional<std::optional<T>> {
  using type = T;
  static constexpr bool optional = true;
};
template <class T>
using unwrap_optional_t = typename unwrap_optional<T>::type;
template <class T>
inline constexpr bool is_optional = unwrap_optional<T>::optional;

/// True for std::array<float, N> (a vector<float, N> column), with or without std::optional;
/// vector_dimension<T> is its N.
template <class T>
inline constexpr bool is_float_vector = false;
template <std::size_t N>
inline constexpr bool is_float_vector<std::array<float, N>> = true;
template <class T>
inline constexpr bool is_float_vector<std::optional<T>> = is_float_vector<T>;
template <class T>
inline constexpr std::size_t vector_dimension = 0;
template <std::size_t N>
inline constexpr std::size_t vector_dimension<std::array<float, N>> = N;
template <class T>
inline constexpr std::size_t vector_dimension<std::optional<T>> = vector_dimension<T>;

}  // namespace coodie::orm::detail
