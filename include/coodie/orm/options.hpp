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
};

/// Options of one read.
struct read_options {
  std::optional<consistency> cl = std::nullopt;
  std::optional<std::chrono::milliseconds> timeout = std::nullopt;
};

/// The outcome of an insert-if-not-exists: applied, or the row that was there.
template <class T>
struct insert_result {
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
