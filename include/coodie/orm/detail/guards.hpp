// The guardrails the object mapper checks before sending (session_options::guardrails): null
// writes (tombstones), large or wide batches, long IN lists and filtering scans. Each rule
// allows, warns (to session_options::on_response_notes, else stderr) or refuses
// (guardrail_error). Internal to the ODM.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>

#include "coodie/driver/options.hpp"
#include "coodie/orm/detail/reflect.hpp"
#include "coodie/orm/mapping.hpp"
#include "coodie/orm/options.hpp"
#include "coodie/wire/traits.hpp"

namespace coodie::orm::detail {

/// Does what guard g says about `message`: nothing, a warning, or guardrail_error.
void apply_guard(const session_options& o, guard g, const std::string& message,
                 std::string_view statement = {});

/// Member I of obj writes a null into a regular or static column: an empty std::optional, or an
/// empty non-frozen collection (which Cassandra stores as null), inside an optional or not. A key
/// column never counts (a null key is the server's error, never bound as unset).
template <class T, std::size_t I>
bool writes_null(const T& obj) {
  using M = std::remove_cvref_t<decltype(boost::pfr::get<I>(obj))>;
  using V = unwrap_optional_t<M>;
  constexpr role kind = model_info<T>::decl.members[I].kind;
  if constexpr (kind == role::partition_key || kind == role::clustering) {
    return false;
  } else {
    const auto& v = boost::pfr::get<I>(obj);
    const V* value = nullptr;
    if constexpr (is_optional<M>) {
      if (!v.has_value()) {
        return true;
      }
      value = &*v;
    } else {
      value = &v;
    }
    if constexpr (cql_collection<V>) {
      return !model_info<T>::decl.members[I].frozen && value->empty();
    } else {
      (void)value;
      return false;
    }
  }
}

/// For each member, whether obj writes a null into its column (runtime member choice).
template <class T>
bool writes_null(const T& obj, std::size_t f) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return ((I == f && writes_null<T, I>(obj)) || ...);
  }
  (std::make_index_sequence<field_count<T>>{});
}

/// The null_writes rule for the members `fields` of obj (all its columns when empty), unless
/// the call binds nulls as unset.
template <class T>
void guard_nulls(const session_options& o, const T& obj, const char* op, bool skipping,
                 std::initializer_list<std::size_t> fields = {}) {
  if (o.guardrails.null_writes == guard::allow || skipping) {
    return;
  }
  for (std::size_t f = 0; f < field_count<T>; ++f) {
    const bool named =
        fields.size() == 0 || std::find(fields.begin(), fields.end(), f) != fields.end();
    if (named && model_info<T>::column_of[f] >= 0 && writes_null(obj, f)) {
      apply_guard(o, o.guardrails.null_writes,
                  "model " + model_info<T>::schema().model + ", column " +
                      std::string(model_info<T>::column_names[f]) + ": " + op +
                      " writes a null (a tombstone); set skip_nulls to leave it unset, or the "
                      "null_writes guardrail to allow");
    }
  }
}

/// A write of members `fields` of obj (every column when empty) under the session's options:
/// w takes the session's skip_nulls unless it says, then the null_writes rule applies.
template <class T>
void guard_write(const session_options& o, const T& obj, write_options& w, const char* op,
                 std::initializer_list<std::size_t> fields = {}) {
  if (!w.skip_nulls) {
    w.skip_nulls = o.guardrails.skip_nulls;
  }
  guard_nulls(o, obj, op, w.skip_nulls.value_or(false), fields);
}

}  // namespace coodie::orm::detail
