// The plans of the document operations: save, insert-if-not-exists, get, find_one, update of
// named members, remove and remove_columns. Each is a pure function of the model, the object or
// key and the options (and, for texts naming columns, the default keyspace), so its CQL and
// bound values are unit-tested without a server. Internal to the ODM; the fronts run them.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "coodie/error.hpp"
#include "coodie/orm/detail/codec.hpp"
#include "coodie/orm/detail/encode.hpp"
#include "coodie/orm/detail/plan.hpp"
#include "coodie/orm/filter.hpp"
#include "coodie/orm/options.hpp"
#include "coodie/orm/statements.hpp"
#include "coodie/orm/updates.hpp"

namespace coodie::orm::detail {

/// The one row of a read by key, as reading T returns it (read_t); std::nullopt when there is
/// none, or when T is a polymorphic subtype and the row is of another.
template <class T>
std::optional<read_t<T>> single_row(const result& r) {
  if constexpr (model_info<T>::is_subtype) {
    using base = typename model_info<T>::decl_type::kind_type::base;
    std::optional<read_t<base>> row = single_row<base>(r);
    if (!row || !std::holds_alternative<T>(*row)) {
      return std::nullopt;
    }
    return std::get<T>(std::move(*row));
  }
  std::vector<read_t<T>> rows;
  decode_page<T, read_t<T>>(r, rows);
  if (rows.size() > 1) {
    throw multiple_documents_found("model " + table_of<T>().model + ": " +
                                   std::to_string(rows.size()) + " rows matched, one expected");
  }
  if (rows.empty()) {
    return std::nullopt;
  }
  return std::move(rows.front());
}

/// Decodes cell i of a row into member f of obj (run-time member choice); a cell that does not
/// fit (a null in a member that is not optional) is a codec_error naming model and column.
template <class T>
void decode_column_into(const row& rw, std::size_t i, std::size_t f, T& obj) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          if (I == f) {
            try {
              rw.get_to(i, boost::pfr::get<I>(obj));
            } catch (const error& e) {
              throw codec_error("model " + table_of<T>().model + ", column " +
                                std::string(model_info<T>::column_names[I]) + ": " + e.what());
            }
          }
        }(),
        ...);
  }
  (std::make_index_sequence<field_count<T>>{});
}

/// Decodes the row's columns after [applied], each into the member of its name (columns no
/// member names are skipped): the row of a conditional write's or batch's answer.
template <class T>
void decode_answer_row(const result& r, const row& rw, T& out) {
  for (std::size_t i = 1; i < r.columns().size(); ++i) {
    std::size_t f = model_info<T>::field_of_column(r.columns()[i].name);
    if (f < field_count<T>) {
      decode_column_into(rw, i, f, out);
    }
  }
}

/// False when T is a polymorphic subtype and the answer's row holds another discriminator value:
/// that row is not a T (a conditional write's answer then has no existing row).
template <class T>
bool holds_own_kind(const result& r, const row& rw) {
  if constexpr (model_info<T>::is_subtype && model_info<T>::decl.discriminator_field >= 0) {
    constexpr auto d = static_cast<std::size_t>(model_info<T>::decl.discriminator_field);
    for (std::size_t i = 1; i < r.columns().size(); ++i) {
      if (r.columns()[i].name == model_info<T>::column_names[d]) {
        return rw.get<std::optional<std::string>>(i).value_or("") == model_info<T>::decl.kind_value;
      }
    }
  }
  return true;
}

/// A copy of obj's primary-key members, as a tuple in key order.
template <class T>
auto key_of(const T& obj) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::tuple<field_type_t<T, key_fields<T>[I]>...>(
        boost::pfr::get<key_fields<T>[I]>(obj)...);
  }
  (std::make_index_sequence<key_fields<T>.size()>{});
}

/// Reads a conditional write's answer: [applied], then the existing row's columns, decoded
/// into a T that `fill` prepared first.
template <class T, class Fill>
lwt_result<T> lwt_outcome(const result& r, Fill fill) {
  lwt_result<T> out;
  if (r.empty()) {
    out.applied = true;
    return out;
  }
  row first = r.front();
  out.applied = first.get<bool>(0);
  if (!out.applied && r.columns().size() > 1 && holds_own_kind<T>(r, first)) {
    T existing{};
    fill(existing);
    decode_answer_row(r, first, existing);
    out.existing = std::move(existing);
  }
  return out;
}

/// An insert's answer holds the whole existing row.
template <class T>
lwt_result<T> lwt_outcome(const result& r) {
  return lwt_outcome<T>(r, [](T&) {});
}

/// An update's or delete's answer holds only the columns its conditions name: the key the write
/// named fills in the existing row's primary key.
template <class T>
auto keyed_lwt_outcome(const T& obj) {
  return [key = key_of(obj)](const result& r) {
    return lwt_outcome<T>(r, [&key](T& existing) {
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((boost::pfr::get<key_fields<T>[I]>(existing) = std::get<I>(key)), ...);
      }
      (std::make_index_sequence<key_fields<T>.size()>{});
    });
  };
}

/// The INSERT of every column, by shape: with USING clauses as w asks, IF NOT EXISTS when
/// conditional (never sent twice).
template <class T>
orm_request insert_request(const write_options& w, bool conditional) {
  check_writable<T>();
  static_assert(!is_counter_model<T>(),
                "coodie: the model is a counter table: change it with increment or decrement");
  if (conditional) {
    check_no_timestamp(w, table_of<T>(), "insert");
  }
  const auto flags = static_cast<std::uint8_t>(using_flags(w) | (conditional ? if_not_exists : 0));
  orm_request rq = shaped(table_of<T>(), stmt_kind::insert, flags);
  apply(rq, w);
  if (conditional) {
    mark_conditional(rq);
  }
  return rq;
}

/// The upsert of every column of obj (a batch's statement).
template <class T>
orm_request save_request(const T& obj, const write_options& w = {}) {
  orm_request rq = insert_request<T>(w, false);
  encode_all(rq.values, obj, w.skip_nulls.value_or(false));
  bind_using(rq.values, w);
  return rq;
}
/// Upsert of every column of obj.
template <class T>
auto save_plan(const T& obj, const write_options& w = {}) {
  return plan{save_request(obj, w), no_answer{}};
}

/// INSERT ... IF NOT EXISTS: applied, or the row already there.
template <class T>
auto insert_plan(const T& obj, const write_options& w = {}) {
  orm_request rq = insert_request<T>(w, true);
  encode_all(rq.values, obj, w.skip_nulls.value_or(false));
  bind_using(rq.values, w);
  return plan{std::move(rq), [](const result& r) { return lwt_outcome<T>(r); }};
}

/// The SELECT of the row with this primary key; always idempotent, and unpaged: one row never
/// needs the server's paging path.
template <class T, class... K>
orm_request key_read(K&&... key) {
  // A polymorphic base or subtype reads every column of the table, for whichever subtype the
  // row is (single_row picks it).
  orm_request rq = shaped(stored_table_of<T>(), stmt_kind::select_by_key);
  encode_key_values<T>(rq.values, std::forward<K>(key)...);
  rq.options.idempotent = true;
  rq.options.page_size = 0;
  return rq;
}

/// The row with this primary key; document_not_found when there is none.
template <class T, class... K>
auto get_plan(K&&... key) {
  return plan{key_read<T>(std::forward<K>(key)...), [](const result& r) {
                std::optional<read_t<T>> found = single_row<T>(r);
                if (!found) {
                  throw document_not_found("model " + table_of<T>().model + " (table " +
                                           table_of<T>().name + "): no row with that primary key");
                }
                return std::move(*found);
              }};
}

/// The row with this primary key, or std::nullopt.
template <class T, class... K>
auto find_one_plan(K&&... key) {
  return plan{key_read<T>(std::forward<K>(key)...),
              [](const result& r) { return single_row<T>(r); }};
}

/// The column names of members Ms of T.
template <class T, auto... Ms>
std::vector<std::string> member_columns() {
  static_assert((std::is_same_v<member_class_t<Ms>, T> && ...),
                "coodie: the members named belong to another type than the model");
  return {std::string(model_info<T>::column_names[field_index<Ms>()])...};
}

/// The UPDATE of the named members' columns of obj's row, IF `when` says (never sent twice
/// when conditional).
template <class T, auto... Ms>
orm_request update_request(const T& obj, const write_options& w, std::string_view keyspace,
                           const condition<T>& when) {
  static_assert(sizeof...(Ms) > 0, "coodie: update names no member");
  static_assert(!is_counter_model<T>(),
                "coodie: the model is a counter table: change it with increment or decrement");
  const table_schema& t = table_of<T>();
  std::vector<dml::set_term> set;
  for (std::string& c : member_columns<T, Ms...>()) {
    set.push_back({std::move(c), {}});
  }
  orm_request rq = texted(t, dml::update(t, keyspace, set, using_of(w), {}, when.clause));
  apply(rq, w);
  bind_using(rq.values, w);
  (encode_field(rq.values, obj, field_index<Ms>(), w.skip_nulls.value_or(false)), ...);
  encode_key(rq.values, obj);
  if (when.clause.if_exists || !when.clause.terms.empty()) {
    check_no_timestamp(w, t, "update");
    rq.values.append(when.values);
    mark_conditional(rq);
  }
  return rq;
}

/// Writes only the named members' columns of obj's row.
template <class T, auto... Ms>
auto update_plan(const T& obj, members_t<Ms...>, const write_options& w,
                 std::string_view keyspace) {
  return plan{update_request<T, Ms...>(obj, w, keyspace, {}), no_answer{}};
}

/// Writes the named members' columns of obj's row if the condition holds: applied, or the row
/// as it is.
template <class T, auto... Ms>
auto conditional_update_plan(const T& obj, members_t<Ms...>, const condition<T>& when,
                             const write_options& w, std::string_view keyspace) {
  return plan{update_request<T, Ms...>(obj, w, keyspace, when), keyed_lwt_outcome(obj)};
}

/// Deletes obj's row.
template <class T>
auto remove_plan(const T& obj, const write_options& w = {}) {
  const table_schema& t = table_of<T>();
  check_no_ttl(w, t, "remove");
  orm_request rq = shaped(t, stmt_kind::remove, w.timestamp ? with_timestamp : std::uint8_t{0});
  apply(rq, w);
  bind_timestamp(rq.values, w);
  encode_key(rq.values, obj);
  return plan{std::move(rq), no_answer{}};
}

/// Deletes obj's row if the condition holds: applied, or the row as it is.
template <class T>
auto conditional_remove_plan(const T& obj, const condition<T>& when, const write_options& w,
                             std::string_view keyspace) {
  const table_schema& t = table_of<T>();
  check_no_ttl(w, t, "remove");
  check_no_timestamp(w, t, "remove");
  orm_request rq = texted(t, dml::remove(t, keyspace, {}, false, {}, when.clause));
  apply(rq, w);
  encode_key(rq.values, obj);
  rq.values.append(when.values);
  mark_conditional(rq);
  return plan{std::move(rq), keyed_lwt_outcome(obj)};
}

/// Deletes (nulls) the named members' columns of obj's row.
template <class T, auto... Ms>
auto remove_columns_plan(const T& obj, members_t<Ms...>, const write_options& w,
                         std::string_view keyspace) {
  static_assert(sizeof...(Ms) > 0, "coodie: remove_columns names no member");
  const table_schema& t = table_of<T>();
  check_no_ttl(w, t, "remove_columns");
  orm_request rq =
      texted(t, dml::remove(t, keyspace, member_columns<T, Ms...>(), w.timestamp.has_value()));
  apply(rq, w);
  bind_timestamp(rq.values, w);
  encode_key(rq.values, obj);
  return plan{std::move(rq), no_answer{}};
}

}  // namespace coodie::orm::detail
