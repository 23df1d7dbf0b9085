// Rows of a CQL statement written by hand, read into a model or any aggregate struct by column
// name: each member reads the column of its name (a model's: its column's name), every member
// must find its column, and columns no member names are left alone. Internal to the ODM; the
// fronts' query<R>() runs it.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/pfr/core.hpp>

#include "coodie/driver/result.hpp"
#include "coodie/error.hpp"
#include "coodie/orm/detail/core.hpp"
#include "coodie/orm/detail/plan.hpp"
#include "coodie/orm/mapping.hpp"

namespace coodie::orm::detail {

template <class R>
inline constexpr bool declared_model =
    !std::is_same_v<std::remove_cvref_t<decltype(coodie::model<R>)>, undeclared_model>;

/// The column each member of R reads: a model's column names (skipped members read nothing),
/// else the member names.
template <class R>
consteval std::array<std::string_view, field_count<R>> raw_names() {
  std::array<std::string_view, field_count<R>> out{};
  for (std::size_t i = 0; i < field_count<R>; ++i) {
    if constexpr (declared_model<R>) {
      out[i] = model_info<R>::column_of[i] >= 0 ? model_info<R>::column_names[i] : "";
    } else {
      out[i] = field_names<R>[i];
    }
  }
  return out;
}

template <class R>
std::string raw_what() {
  if constexpr (declared_model<R>) {
    return "model " + model_info<R>::schema().model;
  } else {
    return "the rows of a CQL query";
  }
}

/// Appends every row of r to out, by column name; codec_error naming the member when its column
/// is missing or its value does not fit.
template <class R>
void decode_by_name(const result& r, std::vector<R>& out) {
  if (!r.has_rows()) {
    return;
  }
  static constexpr auto names = raw_names<R>();
  std::array<std::size_t, field_count<R>> column_of{};
  for (std::size_t f = 0; f < names.size(); ++f) {
    column_of[f] = r.columns().size();
    for (std::size_t i = 0; i < r.columns().size() && !names[f].empty(); ++i) {
      if (r.columns()[i].name == names[f]) {
        column_of[f] = i;
      }
    }
    if (!names[f].empty() && column_of[f] == r.columns().size()) {
      throw codec_error(raw_what<R>() + ": the result has no column " + std::string(names[f]) +
                        " for member " + std::string(field_names<R>[f]));
    }
  }
  out.reserve(out.size() + r.size());
  for (row rw : r) {
    R obj{};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if constexpr (!names[I].empty()) {
              try {
                rw.get_to(column_of[I], boost::pfr::get<I>(obj));
              } catch (const error& e) {
                throw codec_error(raw_what<R>() + ", column " + std::string(names[I]) + ": " +
                                  e.what());
              }
            }
          }(),
          ...);
    }
    (std::make_index_sequence<field_count<R>>{});
    out.push_back(std::move(obj));
  }
}

/// Every page of the statement's rows, read into R by column name. The statement is prepared
/// first, and each value encoded as its bind marker's type (codec_error naming the marker when it
/// does not fit, usage_error when the counts differ): nothing is sent unchecked.
template <class R, class... A>
boost::asio::awaitable<std::vector<R>> raw_all(std::shared_ptr<orm_core> c, std::string cql,
                                               std::tuple<A...> args) {
  orm_request rq;
  rq.text = std::move(cql);
  rq.options.page_size = 5000;
  prepared_statement ps = lookup(*c, rq);
  if (!ps) {
    ps = co_await prepare_awaiting(c, rq.text, nullptr);
  }
  const std::vector<wire::column_spec>& markers = ps.variables();
  ps.check_bound(sizeof...(A), "raw query ");
  std::apply(
      [&](const auto&... a) {
        std::size_t i = 0;
        (
            [&] {
              try {
                rq.values.add_as(a, markers[i].type);
              } catch (const codec_error& e) {
                throw codec_error("value " + std::to_string(i + 1) + " (marker " + markers[i].name +
                                  ") of a CQL query: " + e.what());
              }
              ++i;
            }(),
            ...);
      },
      args);
  std::vector<R> out;
  for (;;) {
    // A named plan: GCC 12 destroys a temporary aggregate inside co_await twice.
    plan one{rq, [](const result& res) { return res; }};
    result r = co_await aio_mode::run(c, std::move(one));
    decode_by_name<R>(r, out);
    std::optional<page_state> next = r.paging_state();
    if (!next) {
      break;
    }
    rq.options.paging_state = std::move(*next);
  }
  co_return out;
}

}  // namespace coodie::orm::detail
