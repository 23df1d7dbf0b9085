// Batches of document operations: any models, one BATCH request. A logged batch applies all of
// its statements or none; an unlogged one saves the batch log's cost (use it for one partition);
// a counter batch holds counter changes only. A batch with conditional statements (insert,
// update or remove with a condition) is one lightweight transaction on one partition of one
// table, and answers each conditional statement.
//
// Example:
//   coodie::write_batch b = s.batch();                        // logged
//   b.save(order);
//   for (const Line& l : lines) b.save(l, {.ttl = 86400});
//   b.update(customer, {coodie::set_add<&Customer::orders>({order.id})});
//   s.execute(b);                                             // co_await s.execute(b) on aio
//
//   coodie::write_batch cas = s.batch();
//   coodie::batch_slot<Seat> claim = cas.update(seat, coodie::members<&Seat::holder>,
//                                               coodie::when(coodie::col<&Seat::holder> == ""));
//   cas.save(booking);                                        // same partition as the seat
//   coodie::batch_result r = s.execute(cas);
//   if (!r.applied()) std::cout << "held by " << r[claim].existing->holder;
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "coodie/driver/result.hpp"
#include "coodie/error.hpp"
#include "coodie/orm/detail/changes.hpp"
#include "coodie/orm/detail/core.hpp"
#include "coodie/orm/detail/documents.hpp"
#include "coodie/orm/detail/encode.hpp"
#include "coodie/orm/detail/guards.hpp"
#include "coodie/orm/detail/plan.hpp"
#include "coodie/orm/filter.hpp"
#include "coodie/orm/options.hpp"
#include "coodie/orm/updates.hpp"

namespace coodie {

enum class batch_kind : std::uint8_t {
  logged,    ///< all statements apply or none (the batch log); the default
  unlogged,  ///< no batch log: atomic only within one partition
  counter,   ///< counter changes only
};

/// Options of a whole batch (each statement keeps its own TTL and timestamp).
struct batch_options {
  /// The batch's timestamp, for statements without their own (microseconds since the epoch);
  /// refused for a conditional batch, whose timestamp Paxos picks.
  std::optional<std::int64_t> timestamp = std::nullopt;
  std::optional<consistency> cl = std::nullopt;
  /// A conditional batch's Paxos consistency: serial or local_serial.
  std::optional<consistency> serial_cl = std::nullopt;
  std::optional<std::chrono::milliseconds> timeout = std::nullopt;
  /// Trace the batch (see write_options::tracing).
  std::optional<bool> tracing = std::nullopt;
};

/// The place of a conditional statement in a batch, to read its outcome from the batch_result.
template <class T>
struct batch_slot {
  std::size_t index = 0;
};

namespace orm::detail {

/// One statement of a batch: its request, where its partition key values are, and (for a
/// conditional statement) its whole primary key.
struct batch_entry {
  orm_request request;
  std::size_t partition_begin = 0;  ///< in batch_entries::partitions
  std::size_t partition_end = 0;
  value_list key;  ///< a conditional statement's whole primary key, encoded (to find its row)
  bool conditional = false;
  prepared_statement prepared;  ///< found (or prepared) before sending
};

/// The statements of a batch or of a bulk save, and the partition key values of each, encoded
/// one after the other in one buffer so that an entry costs no allocation of its own.
struct batch_entries {
  std::vector<batch_entry> list;
  wire::byte_buffer partitions;
  value_list scratch;  ///< reused to encode each entry's partition key

  /// The encoded partition key values of e.
  [[nodiscard]] wire::bytes_view partition(const batch_entry& e) const noexcept {
    return wire::bytes_view(partitions)
        .subspan(e.partition_begin, e.partition_end - e.partition_begin);
  }
  /// Appends an entry for obj's statement `rq`: its partition key values, and when it is
  /// conditional its whole primary key.
  template <class T>
  batch_entry& add(const T& obj, orm_request&& rq, bool conditional) {
    constexpr std::size_t partition_count = model_info<T>::decl.partition_count;
    scratch.clear();
    for (std::size_t i = 0; i < partition_count; ++i) {
      member_encoders<T>[key_fields<T>[i]](scratch, obj);
    }
    value_list key;
    if (conditional) {
      for (std::size_t i : key_fields<T>) {
        member_encoders<T>[i](key, obj);
      }
    }
    const wire::bytes_view bytes = scratch.view().data;
    if (partitions.empty()) {  // room for a typical batch: no regrowth, no moves
      partitions.reserve(16 * bytes.size());
      list.reserve(16);
    }
    const std::size_t begin = partitions.size();
    partitions.insert(partitions.end(), bytes.begin(), bytes.end());
    batch_entry& e = list.emplace_back();
    e.request = std::move(rq);
    e.partition_begin = begin;
    e.partition_end = partitions.size();
    e.key = std::move(key);
    e.conditional = conditional;
    return e;
  }
};

/// The two lists hold the same encoded values.
inline bool same_bytes(const value_list& a, const value_list& b) {
  const wire::bound_values x = a.view();
  const wire::bound_values y = b.view();
  return x.count == y.count &&
         std::equal(x.data.begin(), x.data.end(), y.data.begin(), y.data.end());
}

/// The encoded cells of the row's columns named `columns` (empty when one is missing).
std::optional<value_list> row_key(const result& r, const row& rw,
                                  const std::vector<const column_schema*>& columns);

}  // namespace orm::detail

/// What a batch answered: applied (always, unless it had conditions that did not hold), and for
/// each conditional statement its row as it is when the batch did not apply.
class batch_result {
 public:
  batch_result() = default;
  batch_result(result r, std::vector<value_list> keys) : r_(std::move(r)), keys_(std::move(keys)) {}

  /// False only for a conditional batch whose conditions did not all hold (nothing applied).
  [[nodiscard]] bool applied() const { return r_.empty() || r_.front().get<bool>(0); }

  /// The outcome of the conditional statement at `slot`: applied, or not and the row it checked
  /// as the server read it (`existing` empty when that row does not exist).
  template <class T>
  [[nodiscard]] lwt_result<T> operator[](batch_slot<T> slot) const {
    lwt_result<T> out;
    out.applied = applied();
    if (out.applied) {
      return out;
    }
    const value_list& want = keys_.at(slot.index);
    for (row rw : r_) {
      std::optional<value_list> got = orm::detail::row_key(r_, rw, orm::detail::key_columns<T>());
      if (got && orm::detail::same_bytes(*got, want)) {
        if (!orm::detail::holds_own_kind<T>(r_, rw)) {
          break;  // a row of another subtype: no T stands for it
        }
        T existing{};
        orm::detail::decode_answer_row(r_, rw, existing);
        out.existing = std::move(existing);
        break;
      }
    }
    return out;
  }

  /// The server's answer as it came (its warnings, for one).
  [[nodiscard]] const result& raw() const noexcept { return r_; }

 private:
  result r_;
  std::vector<value_list> keys_;
};

/// A batch under construction: made by a session (`s.batch(kind)`, which gives the keyspace of
/// models without one of their own), filled with document operations, run by `s.execute(b)`.
/// Each add builds its statement at once: a counter change in a batch that is not a counter
/// batch, or any other write in a counter batch, is a usage_error there, before anything is
/// sent.
class write_batch {
 public:
  /// A batch for models without a keyspace of their own in `keyspace`; `options` (a session's)
  /// gives the guardrails and skip_nulls default checked as statements are added.
  write_batch(batch_kind kind, std::string keyspace,
              std::shared_ptr<const session_options> options = nullptr)
      : kind_(kind), keyspace_(std::move(keyspace)), options_(std::move(options)) {}

  /// Upsert of every column of obj.
  template <class T>
  write_batch& save(const T& obj, write_options w = {}) {
    guard_write<T>(obj, w, "save");
    return add(obj, orm::detail::save_request(obj, w), false);
  }
  /// INSERT ... IF NOT EXISTS: makes the batch conditional.
  template <class T>
  batch_slot<T> insert(const T& obj, write_options w = {}) {
    guard_write<T>(obj, w, "insert");
    add(obj, orm::detail::insert_plan(obj, w).request, true);
    return {entries_.list.size() - 1};
  }
  /// Writes the named members' columns of obj's row.
  template <class T, auto... Ms>
  write_batch& update(const T& obj, members_t<Ms...> m, write_options w = {}) {
    guard_write<T, Ms...>(obj, w, "update");
    return add(obj, orm::detail::update_plan(obj, m, w, keyspace_).request, false);
  }
  /// Writes the named members' columns if the condition holds: makes the batch conditional.
  template <class T, auto... Ms>
  batch_slot<T> update(const T& obj, members_t<Ms...> m, std::type_identity_t<condition<T>> when,
                       write_options w = {}) {
    guard_write<T, Ms...>(obj, w, "update");
    add(obj, orm::detail::conditional_update_plan(obj, m, when, w, keyspace_).request, true);
    return {entries_.list.size() - 1};
  }
  /// Changes obj's row by assignments and collection operations (coodie/orm/updates.hpp).
  template <class T>
  write_batch& update(const T& obj, std::type_identity_t<std::vector<assignment<T>>> set,
                      write_options w = {}) {
    return add(obj, orm::detail::change_plan(obj, std::move(set), w, keyspace_).request, false);
  }
  /// Deletes obj's row.
  template <class T>
  write_batch& remove(const T& obj, write_options w = {}) {
    return add(obj, orm::detail::remove_plan(obj, w).request, false);
  }
  /// Deletes obj's row if the condition holds: makes the batch conditional.
  template <class T>
  batch_slot<T> remove(const T& obj, std::type_identity_t<condition<T>> when,
                       write_options w = {}) {
    add(obj, orm::detail::conditional_remove_plan(obj, when, w, keyspace_).request, true);
    return {entries_.list.size() - 1};
  }
  /// Deletes (nulls) the named members' columns of obj's row.
  template <class T, auto... Ms>
  write_batch& remove_columns(const T& obj, members_t<Ms...> m, write_options w = {}) {
    return add(obj, orm::detail::remove_columns_plan(obj, m, w, keyspace_).request, false);
  }
  /// Adds to counters of obj's row (a counter batch only).
  template <class T>
  write_batch& increment(const T& obj, std::type_identity_t<counter_change<T>> by,
                         write_options w = {}) {
    return add(obj, orm::detail::counter_plan(obj, std::move(by), false, w, keyspace_).request,
               false);
  }
  /// Subtracts from counters of obj's row (a counter batch only).
  template <class T>
  write_batch& decrement(const T& obj, std::type_identity_t<counter_change<T>> by,
                         write_options w = {}) {
    return add(obj, orm::detail::counter_plan(obj, std::move(by), true, w, keyspace_).request,
               false);
  }

  [[nodiscard]] batch_kind kind() const noexcept { return kind_; }
  /// The keyspace of its models without one of their own.
  [[nodiscard]] const std::string& keyspace() const noexcept { return keyspace_; }
  [[nodiscard]] std::size_t size() const noexcept { return entries_.list.size(); }
  [[nodiscard]] bool empty() const noexcept { return entries_.list.empty(); }
  [[nodiscard]] bool conditional() const noexcept { return conditional_; }
  /// The session options it was made with (nullptr when made without a session).
  [[nodiscard]] const session_options* options() const noexcept { return options_.get(); }
  /// The statements, in order (internal: what execute sends).
  [[nodiscard]] orm::detail::batch_entries& entries() noexcept { return entries_; }

 private:
  template <class T, auto... Ms>
  void guard_write(const T& obj, write_options& w, const char* op) const {
    if (options_) {
      orm::detail::guard_write(*options_, obj, w, op, {orm::detail::field_index<Ms>()...});
    }
  }
  template <class T>
  write_batch& add(const T& obj, orm::detail::orm_request&& rq, bool conditional) {
    check_kind(*rq.table, orm::detail::is_counter_model<T>());
    const statement_options& so = rq.options;
    if (so.cl || so.serial_cl || so.timeout || so.tracing) {
      throw usage_error("model " + rq.table->model +
                        ": a statement of a batch takes its TTL and timestamp only; consistency, "
                        "serial consistency, timeout and tracing are the batch's (batch_options)");
    }
    if (entries_.list.empty()) {
      entries_.list.reserve(16);
    }
    entries_.add(obj, std::move(rq), conditional);
    conditional_ = conditional_ || conditional;
    return *this;
  }
  void check_kind(const table_schema& t, bool counter) const;

  batch_kind kind_;
  std::string keyspace_;
  std::shared_ptr<const session_options> options_;
  orm::detail::batch_entries entries_;
  bool conditional_ = false;
};

namespace orm::detail {
/// Sends the batch: every statement prepared (once per session), then one BATCH request.
/// usage_error before sending for an empty batch, a conditional batch over several partitions
/// or tables or with a batch timestamp, and a serial consistency that is not serial.
boost::asio::awaitable<batch_result> run_batch(std::shared_ptr<orm_core> c, write_batch b,
                                               batch_options o);
/// The same, blocking: no coroutine once every statement is prepared.
batch_result run_batch_blocking(const std::shared_ptr<orm_core>& c, write_batch& b,
                                const batch_options& o);
}  // namespace orm::detail

}  // namespace coodie
