// Members to bound values: a model's columns, its primary key from an object, and key values
// given one by one (checked at compile time against the key members' types). Internal to the
// ODM's plans (coodie/orm/detail/documents.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>

#include "coodie/driver/statement.hpp"
#include "coodie/orm/detail/guards.hpp"
#include "coodie/orm/filter.hpp"
#include "coodie/orm/mapping.hpp"
#include "coodie/wire/frame.hpp"

namespace coodie::orm::detail {

template <class T>
const table_schema& table_of() {
  return model_info<T>::schema();
}

/// The table model T is stored in (model_info::stored_schema): the table sync_table creates.
template <class T>
const table_schema& stored_table_of() {
  return model_info<T>::stored_schema();
}

/// Stops the compilation of any write to a materialized view.
template <class T>
constexpr void check_writable() {
  static_assert(!model_info<T>::is_view,
                "coodie: the model is a materialized view, which the server keeps up to date: "
                "write to its base model instead");
}

/// The size of a text or blob member's value (0 for other types, and for an empty optional).
template <class M>
std::size_t payload_size(const M& m) noexcept {
  if constexpr (std::is_same_v<M, std::string> || std::is_same_v<M, blob>) {
    return m.size();
  } else {
    (void)m;
    return 0;
  }
}
template <class M>
std::size_t payload_size(const std::optional<M>& m) noexcept {
  return m.has_value() ? payload_size(*m) : 0;
}

/// Encodes member I against its column's type. A text or blob larger than a CQL frame can carry
/// is refused before it is copied.
template <class T, std::size_t I>
void encode_member(value_list& v, const T& obj) {
  const table_schema& t = table_of<T>();
  const column_schema& c = t.columns[static_cast<std::size_t>(model_info<T>::column_of[I])];
  if (std::size_t n = payload_size(boost::pfr::get<I>(obj)); n > wire::max_body_size) {
    throw codec_error("model " + t.model + ", column " + c.name + ": a value of " +
                      std::to_string(n) + " bytes is larger than the " +
                      std::to_string(wire::max_body_size) + " bytes a CQL frame can carry");
  }
  if constexpr (model_info<T>::is_subtype &&
                static_cast<int>(I) == model_info<T>::decl.discriminator_field) {
    // A subtype's row holds its own discriminator value, whatever the member says.
    constexpr std::string_view kind = model_info<T>::decl.kind_value;
    const std::string& given = boost::pfr::get<I>(obj);
    if (!given.empty() && given != kind) {
      throw codec_error("model " + t.model + ", column " + c.name + ": holds \"" + given +
                        "\", but a " + t.model + " is stored as \"" + std::string(kind) + "\"");
    }
    v.add_as(std::string(kind), c.type);
    return;
  }
  if constexpr (model_info<T>::is_polymorphic &&
                static_cast<int>(I) == model_info<T>::decl.discriminator_field) {
    // The base saved with a subtype's value would read back as that subtype, without its
    // members: refused.
    using kinds = subtype_kinds<typename model_info<T>::decl_type::kind_type>;
    const std::string& given = boost::pfr::get<I>(obj);
    for (std::size_t k = 0; k < kinds::values.size(); ++k) {
      if (given == kinds::values[k]) {
        throw codec_error("model " + t.model + ", column " + c.name + ": holds \"" + given +
                          "\", the value of subtype " + std::string(kinds::names[k]) + "; save a " +
                          std::string(kinds::names[k]) + " instead");
      }
    }
  }
  try {
    v.add_as(boost::pfr::get<I>(obj), c.type);
  } catch (const codec_error& e) {
    throw codec_error("model " + t.model + ", column " + c.name + ": " + e.what());
  }
}
template <class T>
using member_encoder = void (*)(value_list&, const T&);
template <class T>
inline constexpr auto member_encoders = []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<member_encoder<T>, sizeof...(I)>{[](value_list& v, const T& obj) {
    if constexpr (model_info<T>::column_of[I] >= 0) {
      encode_member<T, I>(v, obj);
    } else {
      (void)v;
      (void)obj;
    }
  }...};
}
(std::make_index_sequence<field_count<T>>{});

/// Encodes member f of obj, or an unset value for a null when skip_nulls.
template <class T>
void encode_field(value_list& v, const T& obj, std::size_t f, bool skip_nulls) {
  if (skip_nulls && writes_null(obj, f)) {
    v.add_encoded(wire::value_view::unset());
  } else {
    member_encoders<T>[f](v, obj);
  }
}

/// Encodes every column of obj in column order; with skip_nulls, a member that would write a
/// null (guards.hpp's writes_null) is bound as unset.
template <class T>
void encode_all(value_list& v, const T& obj, bool skip_nulls = false) {
  for (std::size_t i = 0; i < field_count<T>; ++i) {
    if (model_info<T>::column_of[i] >= 0) {
      encode_field(v, obj, i, skip_nulls);
    }
  }
}

/// The members of T's primary key in key order: the partition key, then the clustering columns.
template <class T>
inline constexpr auto key_fields = [] {
  constexpr const auto& d = model_info<T>::decl;
  std::array<std::size_t, d.partition_count + d.clustering_count> out{};
  for (std::size_t i = 0; i < model_info<T>::field_count; ++i) {
    const member_decl& m = d.members[i];
    if (m.kind == role::partition_key) {
      out[m.key_position] = i;
    } else if (m.kind == role::clustering) {
      out[d.partition_count + m.key_position] = i;
    }
  }
  return out;
}();

template <class T>
void encode_key(value_list& v, const T& obj) {
  check_writable<T>();
  for (std::size_t f : key_fields<T>) {
    member_encoders<T>[f](v, obj);
  }
}
/// The primary key columns of model T, in key order (computed once).
template <class T>
const std::vector<const column_schema*>& key_columns() {
  static const std::vector<const column_schema*> columns = table_of<T>().primary_key();
  return columns;
}

/// The type of the member at key position P of model T.
template <class T, std::size_t P>
using key_type_t = field_type_t<T, key_fields<T>[P]>;

/// Each of K converts without loss to the member at its key position (as a restriction's value
/// must: filter_value), and there is one per key column.
template <class T, class... K>
consteval bool keys_fit() {
  if constexpr (sizeof...(K) != key_fields<T>.size()) {
    return false;
  } else {
    return []<std::size_t... P>(std::index_sequence<P...>) {
      return (filter_value<key_type_t<T, P>, K> && ...);
    }
    (std::index_sequence_for<K...>{});
  }
}

/// Encodes key values given one by one, in key order, as the key members' types and then
/// against the key columns' CQL types.
template <class T, class... K>
void encode_key_values(value_list& v, K&&... key) {
  static_assert(sizeof...(K) == key_fields<T>.size(),
                "coodie: give every primary key value of the model, in key order (partition key, "
                "then clustering columns)");
  static_assert(sizeof...(K) != key_fields<T>.size() || keys_fit<T, K...>(),
                "coodie: a key value must convert to its key member's type without loss (no "
                "narrowing, no number for a text key): pass values of the key members' types");
  const std::vector<const column_schema*>& pk = key_columns<T>();
  [&]<std::size_t... P>(std::index_sequence<P...>) {
    auto one = [&]<std::size_t I>(std::integral_constant<std::size_t, I>, auto&& k) {
      try {
        v.add_as(filter_cast<key_type_t<T, I>>(std::forward<decltype(k)>(k)), pk[I]->type);
      } catch (const codec_error& e) {
        throw codec_error("model " + table_of<T>().model + ", key column " + pk[I]->name + ": " +
                          e.what());
      }
    };
    (one(std::integral_constant<std::size_t, P>{}, std::forward<K>(key)), ...);
  }
  (std::index_sequence_for<K...>{});
}

}  // namespace coodie::orm::detail
