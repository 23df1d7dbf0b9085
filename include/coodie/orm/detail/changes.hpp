// The plans of the single-row changes: an update of assignments and collection operations
// (`s.update(obj, {...})`) and a counter's increment or decrement. Pure functions of the model,
// the key object, the changes and the options, unit-tested without a server. Internal to the
// ODM; the fronts run them.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "coodie/error.hpp"
#include "coodie/orm/detail/encode.hpp"
#include "coodie/orm/detail/plan.hpp"
#include "coodie/orm/options.hpp"
#include "coodie/orm/statements.hpp"
#include "coodie/orm/updates.hpp"

namespace coodie::orm::detail {

/// The UPDATE of obj's row by the changes: USING values, then each change's, then the key. A
/// change of at most max_shaped_terms whole columns is named by its shape, so that once prepared
/// its text is never built again; others carry their text. The values are moved out of `set`.
template <class T>
orm_request change_request(const T& obj, std::span<assignment<T>> set, const write_options& w,
                           std::string_view keyspace) {
  const table_schema& t = table_of<T>();
  if (set.empty()) {
    throw usage_error("an update of model " + t.model + " changes no column");
  }
  const bool shaped_ok = set.size() <= max_shaped_terms &&
                         std::all_of(set.begin(), set.end(), [&](const assignment<T>& a) {
                           return a.field.empty() && a.column_index < t.columns.size() &&
                                  t.columns[a.column_index].name == a.column;
                         });
  orm_request rq;
  if (shaped_ok) {
    rq = shaped(t, stmt_kind::change, using_flags(w));
    stmt_key& k = *rq.shape;
    for (const assignment<T>& a : set) {
      k.terms[k.term_count++] = shaped_term(a.column_index, a.action);
    }
  } else {
    std::vector<dml::set_term> terms;
    terms.reserve(set.size());
    for (const assignment<T>& a : set) {
      terms.push_back({a.column, a.field, a.action});
    }
    rq = texted(t, dml::update(t, keyspace, terms, using_of(w)));
  }
  apply(rq, w);
  bind_using(rq.values, w);
  for (assignment<T>& a : set) {
    if (rq.values.size() == 0) {
      rq.values = std::move(a.value);  // its buffer, not a copy
    } else {
      rq.values.append(a.value);
    }
  }
  encode_key(rq.values, obj);
  return rq;
}

/// Changes obj's row (its key members name it) by assignments and collection operations.
template <class T>
auto change_plan(const T& obj, std::type_identity_t<std::vector<assignment<T>>> set,
                 const write_options& w, std::string_view keyspace) {
  static_assert(!is_counter_model<T>(),
                "coodie: the model is a counter table: change it with increment or decrement");
  return plan{change_request(obj, std::span(set), w, keyspace), no_answer{}};
}

/// Adds each delta to its counter of obj's row (subtracts it when `down`). The server refuses a
/// TTL and a timestamp on counters: both are refused here before sending. Never sent twice.
template <class T>
auto counter_plan(const T& obj, std::type_identity_t<counter_change<T>> by, bool down,
                  const write_options& w, std::string_view keyspace) {
  check_writable<T>();
  static_assert(is_counter_model<T>(),
                "coodie: increment and decrement change the counters of a counter model");
  const table_schema& t = table_of<T>();
  const char* op = down ? "a decrement" : "an increment";
  if (w.ttl) {
    throw usage_error(std::string(op) + " of model " + t.model +
                      " takes no TTL: the server refuses a TTL on counters");
  }
  if (w.timestamp) {
    throw usage_error(std::string(op) + " of model " + t.model +
                      " takes no timestamp: the server refuses USING TIMESTAMP on counters");
  }
  if (down) {
    for (assignment<T>& a : by.terms) {
      a.action = dml::set_op::subtract;
    }
  }
  return plan{change_request(obj, std::span(by.terms.data(), by.terms.size()), w, keyspace),
              no_answer{}};
}

}  // namespace coodie::orm::detail
