// An operation of the ODM as a value: the statement (its text, or for a model's fixed
// statements its shape, from which the text is built once per session), the bound values, the
// request options and idempotence, and the function that reads the server's answer. Building a
// plan needs no server, so every operation's CQL and values are unit-tested; one `run` per
// front (coodie/orm/detail/core.hpp) executes any plan through one prepare path. Internal to the
// ODM.
//
// Example (what the unit tests do):
//   auto p = coodie::orm::detail::save_plan(product, {.ttl = 60});
//   p.request.cql("shop");  // INSERT INTO shop.products (...) VALUES (...) USING TTL ?
//   p.request.values.size();
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "coodie/driver/result.hpp"
#include "coodie/driver/statement.hpp"
#include "coodie/error.hpp"
#include "coodie/orm/options.hpp"
#include "coodie/orm/statements.hpp"
#include "coodie/orm/table_schema.hpp"
#include "coodie/wire/data_type.hpp"

namespace coodie::orm::detail {

/// The fixed statements of a model, named by shape so that once prepared their text is never
/// built again: the kind and the optional clauses (with_ttl and the other flags below); for a
/// change (an UPDATE of assignments, collection operations or counter deltas), its SET terms.
enum class stmt_kind : std::uint8_t { insert, select_by_key, remove, change };
/// The optional clauses of a fixed statement, as bits of stmt_key::flags.
inline constexpr std::uint8_t with_ttl = 1U;
inline constexpr std::uint8_t with_timestamp = 2U;
inline constexpr std::uint8_t if_not_exists = 4U;
/// The most SET terms a change's shape holds; a longer change is sent by its text.
inline constexpr std::size_t max_shaped_terms = 6;
/// One SET term of a change's shape: the column's index in the model's table, and what the
/// term does (a dml::set_op).
inline constexpr std::uint32_t shaped_term(std::size_t column, dml::set_op action) noexcept {
  return (static_cast<std::uint32_t>(column) << 8U) | static_cast<std::uint32_t>(action);
}
struct stmt_key {
  const table_schema* table = nullptr;
  stmt_kind kind = stmt_kind::insert;
  std::uint8_t flags = 0;
  std::uint8_t term_count = 0;                          ///< a change's SET terms
  std::array<std::uint32_t, max_shaped_terms> terms{};  ///< each a shaped_term
  bool operator==(const stmt_key&) const = default;
};
struct stmt_key_hash {
  std::size_t operator()(const stmt_key& k) const noexcept {
    std::size_t h = std::hash<const void*>()(k.table) ^ (static_cast<std::size_t>(k.kind) << 8U) ^
                    k.flags ^ (static_cast<std::size_t>(k.term_count) << 16U);
    for (std::size_t i = 0; i < k.term_count; ++i) {
      h = h * 1099511628211U ^ k.terms[i];
    }
    return h;
  }
};

/// The CQL text of a fixed statement (the models without a keyspace of their own use
/// `keyspace`).
std::string shape_text(const stmt_key& key, std::string_view keyspace);

/// One request of the ODM: a statement, its values encoded, and its options.
struct orm_request {
  std::string text;               ///< empty for a fixed statement (see shape)
  std::optional<stmt_key> shape;  ///< a model's fixed statement
  value_list values;
  statement_options options;
  const table_schema* table = nullptr;  ///< to check the prepared variables' types
  /// A write that may be sent twice once it carries a client timestamp (the session's
  /// generator, or USING TIMESTAMP): set for plain writes, never for conditional or counter
  /// writes. Reads set options.idempotent directly.
  bool idempotent_with_timestamp = false;

  /// The statement's text, built from the shape when it has one.
  [[nodiscard]] std::string cql(std::string_view keyspace) const {
    return shape ? shape_text(*shape, keyspace) : text;
  }
};

/// A request and the function that reads its answer (a `const result&`) into the operation's
/// value.
template <class Read>
struct plan {
  orm_request request;
  Read read;
};
template <class Read>
plan(orm_request, Read) -> plan<Read>;

/// Reads nothing: the answer of a plain write.
struct no_answer {
  void operator()(const result&) const noexcept {}
};

/// A request for a fixed statement of table t.
inline orm_request shaped(const table_schema& t, stmt_kind kind, std::uint8_t flags = 0) {
  orm_request rq;
  rq.table = &t;
  rq.shape = stmt_key{&t, kind, flags};
  return rq;
}
/// A request for a statement built as text.
inline orm_request texted(const table_schema& t, std::string text) {
  orm_request rq;
  rq.table = &t;
  rq.text = std::move(text);
  return rq;
}

/// A write's consistency and timeout; a plain write is idempotent when it carries a timestamp
/// (see settle_idempotence). Not plain: conditional writes (mark_conditional), counters, and
/// tables with a non-frozen list (Cassandra keys list elements by a time it picks per write, so
/// a resent overwrite appends the elements again). Call after rq.table is set. Not inlined: see
/// bind_timestamp.
[[gnu::noinline]] inline void apply(orm_request& rq, const write_options& w) {
  // value_or, not *: see bind_timestamp.
  const consistency paxos = w.serial_cl.value_or(consistency::serial);
  if (paxos != consistency::serial && paxos != consistency::local_serial) {
    throw usage_error("model " + (rq.table != nullptr ? rq.table->model : std::string("?")) +
                      ": serial_cl is the consistency of Paxos, serial or local_serial");
  }
  rq.options.cl = w.cl;
  rq.options.serial_cl = w.serial_cl;
  rq.options.timeout = w.timeout;
  rq.options.tracing = w.tracing;
  const bool plain =
      rq.table == nullptr || (!rq.table->is_counter_table() && !rq.table->has_unfrozen_list());
  rq.options.idempotent = plain && w.timestamp.has_value();
  rq.idempotent_with_timestamp = plain;
}
/// A read's consistency and timeout; reads are always idempotent.
inline void apply(orm_request& rq, const read_options& r) {
  rq.options.cl = r.cl;
  rq.options.timeout = r.timeout;
  rq.options.tracing = r.tracing;
  rq.options.idempotent = true;
}
/// A conditional write (IF ...) is never sent twice: a retry could report "not applied" for
/// its own first attempt.
/// Refuses a timestamp on a conditional write: Paxos picks the write's timestamp, and the server
/// refuses a statement that gives one.
inline void check_no_timestamp(const write_options& w, const table_schema& t, const char* op) {
  if (w.timestamp) {
    throw usage_error("model " + t.model + ": a conditional " + op +
                      " takes no timestamp (the server picks it for a lightweight transaction)");
  }
}

inline void mark_conditional(orm_request& rq) {
  rq.options.idempotent = false;
  rq.options.conditional = true;
  rq.idempotent_with_timestamp = false;
}

/// Refuses a TTL on a delete, which CQL has no place for (it would be dropped silently).
inline void check_no_ttl(const write_options& w, const table_schema& t, const char* op) {
  if (w.ttl.has_value()) {
    throw usage_error(std::string(op) + " of model " + t.model +
                      " takes no TTL: a DELETE has no USING TTL");
  }
}

inline dml::write_using using_of(const write_options& w) {
  return {w.ttl.has_value(), w.timestamp.has_value()};
}
/// The USING clauses of w as stmt_key flags (with_ttl, with_timestamp).
inline std::uint8_t using_flags(const write_options& w) {
  return static_cast<std::uint8_t>((w.ttl.has_value() ? with_ttl : 0U) |
                                   (w.timestamp.has_value() ? with_timestamp : 0U));
}
// value_or, not *: GCC 12 at -O3 warns falsely of a disengaged optional read through *; and not
// inlined, since inlined into a caller that set another member of a defaulted write_options
// (write_batch's skip_nulls) GCC 12 at -O3 still warns that the optional may be uninitialized.
[[gnu::noinline]] inline void bind_timestamp(value_list& v, const write_options& w) {
  if (w.timestamp.has_value()) {
    v.add_as(w.timestamp.value_or(0), wire::simple_type(wire::type_id::bigint));
  }
}
/// Binds USING TTL ? AND TIMESTAMP ? (what using_of(w) put in the text).
[[gnu::noinline]] inline void bind_using(value_list& v, const write_options& w) {
  if (w.ttl.has_value()) {
    v.add_as(w.ttl.value_or(0), wire::simple_type(wire::type_id::int_));
  }
  bind_timestamp(v, w);
}

}  // namespace coodie::orm::detail
