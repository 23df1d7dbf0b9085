// The options of the ODM's calls, and the shapes of their answers that are not models: what a
// write or a read may set per call, an insert-if-not-exists outcome, a page of a query, and the
// members an update names.
//
// Example:
//   s.save(p, {.ttl = 3600, .cl = coodie::consistency::local_quorum});
//   auto page = s.find<Product>().options({.timeout = std::chrono::seconds(2)}).page();
//   s.update(p, coodie::members<&Product::price>);
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coodie/driver/statement.hpp"

namespace coodie {

/// Options of one write. TTL and timestamp are bound values (USING TTL ? AND TIMESTAMP ?). A
/// delete takes no TTL (usage_error).
struct write_options {
  std::optional<std::int32_t> ttl = std::nullopt;        ///< seconds; 0 removes a default TTL
  std::optional<std::int64_t> timestamp = std::nullopt;  ///< microseconds since the epoch
  std::optional<consistency> cl = std::nullopt;
  /// Bounds the request (request_timeout_error after it); the session's request_timeout when
  /// unset. A statement's first PREPARE, shared by every caller of that statement, runs under
  /// the session's request_timeout.
  std::optional<std::chrono::milliseconds> timeout = std::nullopt;
  /// The consistency of a conditional write's Paxos phase (serial or local_serial); the
  /// session's default_serial_consistency when unset.
  std::optional<consistency> serial_cl = std::nullopt;
  /// Trace this write (session_options::on_response_notes receives the trace id; s.trace(id)
  /// reads it). Unset: session_options::tracing.
  std::optional<bool> tracing = std::nullopt;
  /// Bind the members that would write a null (std::nullopt, an empty non-frozen collection) as
  /// unset, so the columns keep what they had and no tombstone is written: save, insert and
  /// update of members. An explicit change (assign, a collection operation) and remove_columns
  /// write what they say. Unset: session_options::guardrails.skip_nulls.
  std::optional<bool> skip_nulls = std::nullopt;
};

/// Options of one read.
struct read_options {
  std::optional<consistency> cl = std::nullopt;
  std::optional<std::chrono::milliseconds> timeout = std::nullopt;
  /// Trace the reads (see write_options::tracing).
  std::optional<bool> tracing = std::nullopt;
};

/// The outcome of a conditional write (insert-if-not-exists, an update or delete with
/// coodie::if_exists or coodie::when): applied, or the row as it is, decoded into the model
/// (only the columns the server returned are set; none when the row does not exist, or when T
/// is a polymorphic subtype and the row is of another kind).
///   coodie::lwt_result<Account> r = s.update(a, coodie::members<&Account::balance>,
///                                            coodie::when(coodie::col<&Account::balance> == 10));
///   if (!r.applied && r.existing) std::cout << "balance is now " << r.existing->balance;
template <class T>
struct lwt_result {
  bool applied = false;
  std::optional<T> existing;
};

/// One page of a query and the token of the next one (absent on the last page). The token is
/// an opaque string, safe in a URL, that page() accepts back.
template <class R>
struct page_of {
  std::vector<R> items;
  std::optional<std::string> next;
};

/// The members whose columns an update writes: `coodie::members<&Product::price, &Product::name>`.
template <auto... Ms>
struct members_t {};
template <auto... Ms>
inline constexpr members_t<Ms...> members{};

}  // namespace coodie
