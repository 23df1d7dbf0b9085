// Members to bind markers and row cells to members, with no intermediate row objects: a page of
// rows decodes straight from the frame into the models' members, the column types checked once
// per page. Internal to the ODM; the fronts (coodie/orm/session.hpp) use it.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/pfr/core.hpp>

#include "coodie/driver/result.hpp"
#include "coodie/driver/statement.hpp"
#include "coodie/orm/mapping.hpp"
#include "coodie/orm/selectors.hpp"
#include "coodie/orm/statements.hpp"

namespace coodie::orm::detail {

/// The member of T that projection member type V reads a function of (V a coodie::selected of a
/// member of T), or -1 when V is a plain member.
template <class T, class V>
consteval int selector_of() {
  if constexpr (is_selected<V>) {
    static_assert(std::is_same_v<member_class_t<V::member>, T>,
                  "coodie: a selected member (writetime_of, sum_of, ...) names a member of "
                  "another model");
    constexpr std::size_t f = field_index<V::member>();
    static_assert(model_info<T>::column_of[f] >= 0,
                  "coodie: a selected member names a skipped member");
    constexpr role k = model_info<T>::decl.members[f].kind;
    static_assert((V::fn != dml::selector::writetime && V::fn != dml::selector::ttl) ||
                      (k != role::partition_key && k != role::clustering),
                  "coodie: writetime_of and ttl_of read a regular or static column, not a key");
    static_assert(!dml::is_similarity(V::fn) || is_float_vector<field_type_t<T, f>>,
                  "coodie: a similarity (similarity_cosine_of, ...) reads a vector column, a "
                  "std::array<float, N> member");
    return static_cast<int>(f);
  } else {
    return -1;
  }
}

/// How rows of model T are read into R: T itself, or a projection struct whose members are
/// named like columns of T.
template <class T, class R>
struct row_target {
  using info = model_info<T>;
  static constexpr std::size_t fields = field_count<R>;

  /// For each member of R that is a coodie::selected<M, ...>, the member M of T it reads a
  /// function of; -1 for the other members.
  static constexpr std::array<int, fields> selector_field = [] {
    std::array<int, fields> out{};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((out[I] = selector_of<T, field_type_t<R, I>>()), ...);
    }
    (std::make_index_sequence<fields>{});
    return out;
  }();
  /// For each member of R, the member of T it reads, or -1 when it reads nothing.
  static constexpr std::array<int, fields> model_field = [] {
    std::array<int, fields> out{};
    for (std::size_t i = 0; i < fields; ++i) {
      if constexpr (std::is_same_v<T, R>) {
        out[i] = info::column_of[i] >= 0 ? static_cast<int>(i) : -1;
      } else if (selector_field[i] >= 0) {
        out[i] = selector_field[i];
      } else {
        std::size_t f = info::field_of_column(field_names<R>[i]);
        if (f == info::field_count) {  // also accept T's member name for a renamed column
          for (std::size_t j = 0; j < info::field_count; ++j) {
            if (field_names<T>[j] == field_names<R>[i] && info::column_of[j] >= 0) {
              f = j;
            }
          }
        }
        out[i] = f == info::field_count ? -2 : static_cast<int>(f);
      }
    }
    return out;
  }();
  static_assert(
      [] {
        for (int f : model_field) {
          if (f == -2) {
            return false;
          }
        }
        return true;
      }(),
      "coodie: a member of the projection struct is not a column of the model");

  /// True when every member of R reads a column (so decoding overwrites the whole of R).
  static constexpr bool reads_every_member = [] {
    for (int f : model_field) {
      if (f < 0) {
        return false;
      }
    }
    return true;
  }();

  /// The selected columns (or functions of them), in R's member order.
  static std::vector<dml::select_column> columns() {
    std::vector<dml::select_column> out;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if constexpr (model_field[I] >= 0) {
              using V = field_type_t<R, I>;
              dml::selector fn = dml::selector::column;
              if constexpr (is_selected<V>) {
                fn = V::fn;
              }
              out.emplace_back(
                  std::string(info::column_names[static_cast<std::size_t>(model_field[I])]), fn);
            }
          }(),
          ...);
    }
    (std::make_index_sequence<fields>{});
    return out;
  }

  /// Checks once per page that each result column can be read into its member.
  static void check(const std::vector<wire::column_spec>& cols) {
    std::size_t c = 0;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (check_one<I>(cols, c), ...);
    }
    (std::make_index_sequence<fields>{});
    if (c != cols.size()) {
      throw codec_error("model " + info::schema().model + ": the result has " +
                        std::to_string(cols.size()) + " columns, " + std::to_string(c) +
                        " were expected");
    }
  }

  /// Reads the current row's cells into out.
  static void decode(wire::row_reader& rr, const std::vector<wire::column_spec>& cols, R& out) {
    std::size_t c = 0;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (decode_one<I>(rr, cols, c, out), ...);
    }
    (std::make_index_sequence<fields>{});
  }

 private:
  template <std::size_t I>
  static void check_one(const std::vector<wire::column_spec>& cols, std::size_t& c) {
    if constexpr (model_field[I] >= 0) {
      using M = field_type_t<R, I>;
      if (c >= cols.size() || !cql_traits<M>::accepts(cols[c].type)) {
        throw codec_error(
            "model " + info::schema().model + ", column " +
            std::string(info::column_names[static_cast<std::size_t>(model_field[I])]) + ": " +
            (c >= cols.size() ? std::string("missing from the result")
                              : "the live type " + wire::to_cql(cols[c].type) +
                                    " cannot be read into " + wire::detail::type_name<M>()));
      }
      ++c;
    }
  }
  template <std::size_t I>
  static void decode_one(wire::row_reader& rr, const std::vector<wire::column_spec>& cols,
                         std::size_t& c, R& out) {
    if constexpr (model_field[I] >= 0) {
      wire::value_view cell = rr.next_cell();
      if constexpr (std::is_same_v<field_type_t<R, I>, std::int64_t>) {
        // A counter no update has touched yet reads as null: its count is 0.
        if (cell.is_null() && cols[c].type.id == wire::type_id::counter) {
          boost::pfr::get<I>(out) = 0;
          ++c;
          return;
        }
      }
      try {
        wire::detail::decode_value_unchecked(cell, &cols[c].type, boost::pfr::get<I>(out));
      } catch (const error& e) {
        throw codec_error(
            "model " + info::schema().model + ", column " +
            std::string(info::column_names[static_cast<std::size_t>(model_field[I])]) + ": " +
            e.what());
      }
      ++c;
    }
  }
};

/// The rows of a result, or nullptr when it has none.
inline const wire::rows_result* rows_of(const result& r) {
  return r.data() ? std::get_if<wire::rows_result>(&r.data()->parsed) : nullptr;
}

/// Appends every row of the page to out (one reservation, then decoding in place).
template <class T, class R>
void decode_page(const result& r, std::vector<R>& out) {
  const wire::rows_result* rs = rows_of(r);
  if (rs == nullptr || rs->row_count == 0) {
    return;
  }
  const auto& cols = rs->metadata.columns;
  row_target<T, R>::check(cols);
  out.reserve(out.size() + static_cast<std::size_t>(rs->row_count));
  wire::row_reader rr(rs->rows, rs->row_count, rs->metadata.column_count);
  while (rr.next_row()) {
    R& item = out.emplace_back();
    row_target<T, R>::decode(rr, cols, item);
  }
}

}  // namespace coodie::orm::detail
