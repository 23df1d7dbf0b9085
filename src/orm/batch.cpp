// Batches of document operations: the kind checks made as statements are added, the checks of a
// conditional batch, and the one path that prepares every statement and sends the BATCH.
#include "coodie/orm/batch.hpp"

#include <algorithm>

#include <boost/asio/use_awaitable.hpp>

#include "coodie/orm/bulk.hpp"
#include "coodie/orm/detail/guards.hpp"

#include "coodie/driver/session.hpp"

namespace coodie {

void write_batch::check_kind(const table_schema& t) const {
  if (t.is_counter_table() && kind_ != batch_kind::counter) {
    throw usage_error("model " + t.model +
                      ": a counter change belongs in a counter batch (batch_kind::counter)");
  }
  if (!t.is_counter_table() && kind_ == batch_kind::counter) {
    throw usage_error("model " + t.model +
                      ": a counter batch holds counter changes only (increment, decrement)");
  }
}

namespace orm::detail {

namespace {

/// A conditional batch is one Paxos round: one partition of one table, its timestamp Paxos's.
void check_conditional(const std::vector<batch_entry>& entries, const batch_options& o) {
  const table_schema& first = *entries.front().request.table;
  if (o.timestamp) {
    throw usage_error("model " + first.model +
                      ": a conditional batch takes no timestamp (Paxos picks it)");
  }
  for (const batch_entry& e : entries) {
    if (e.request.table != &first) {
      throw usage_error("a conditional batch writes one table; it holds models " + first.model +
                        " and " + e.request.table->model);
    }
    if (!same_bytes(e.partition, entries.front().partition)) {
      throw usage_error("model " + first.model +
                        ": a conditional batch writes one partition; its statements name several");
    }
  }
}

/// The batch_partitions and batch_size guardrails.
void guard_batch(const session_options& o, batch_kind kind,
                 const std::vector<batch_entry>& entries) {
  const guardrail_policy& g = o.guardrails;
  std::size_t bytes = 0;
  std::vector<const batch_entry*> partitions;  // one entry per (table, partition)
  for (const batch_entry& e : entries) {
    bytes += estimated_bytes(e.request.values);
    const bool seen = std::any_of(partitions.begin(), partitions.end(), [&](const batch_entry* p) {
      return p->request.table == e.request.table && same_bytes(p->partition, e.partition);
    });
    if (!seen) {
      partitions.push_back(&e);
    }
  }
  const bool one_model = std::all_of(entries.begin(), entries.end(), [&](const batch_entry& e) {
    return e.request.table == entries.front().request.table;
  });
  const std::string models =
      "model " + entries.front().request.table->model + (one_model ? "" : " and others");
  if (kind == batch_kind::logged && partitions.size() > g.max_batch_partitions) {
    apply_guard(o, g.batch_partitions,
                "a logged batch (" + models + ") writes " + std::to_string(partitions.size()) +
                    " partitions, more than max_batch_partitions (" +
                    std::to_string(g.max_batch_partitions) + ")");
  }
  if (bytes > g.max_batch_bytes) {
    apply_guard(o, g.batch_size,
                "a batch (" + models + ") binds about " + std::to_string(bytes) +
                    " bytes, more than max_batch_bytes (" + std::to_string(g.max_batch_bytes) +
                    ")");
  }
}

wire::batch_type wire_kind(batch_kind k) {
  switch (k) {
    case batch_kind::unlogged:
      return wire::batch_type::unlogged;
    case batch_kind::counter:
      return wire::batch_type::counter;
    case batch_kind::logged:
      break;
  }
  return wire::batch_type::logged;
}

}  // namespace

std::optional<value_list> row_key(const result& r, const row& rw,
                                  const std::vector<const column_schema*>& columns) {
  value_list out;
  for (const column_schema* c : columns) {
    std::size_t i = 0;
    while (i < r.columns().size() && r.columns()[i].name != c->name) {
      ++i;
    }
    if (i == r.columns().size()) {
      return std::nullopt;
    }
    out.add_encoded(rw.cell(i));
  }
  return out;
}

boost::asio::awaitable<batch_result> run_batch(std::shared_ptr<orm_core> c, write_batch b,
                                               batch_options o) {
  std::vector<batch_entry>& entries = b.entries();
  if (entries.empty()) {
    throw usage_error("a batch with no statement");
  }
  if (o.serial_cl && *o.serial_cl != consistency::serial &&
      *o.serial_cl != consistency::local_serial) {
    throw usage_error("a batch's serial_cl is the consistency of Paxos, serial or local_serial");
  }
  if (b.conditional()) {
    check_conditional(entries, o);
  }
  guard_batch(c->options(), b.kind(), entries);
  coodie::driver_session* db = c->connected();
  if (db == nullptr) {
    db = co_await c->async_db(c);
  }
  coodie::batch sent(wire_kind(b.kind()));
  bool idempotent = !b.conditional() && b.kind() != batch_kind::counter;
  std::vector<value_list> keys;
  keys.reserve(entries.size());
  for (batch_entry& e : entries) {
    prepared_statement ps = lookup(*c, e.request);
    if (!ps) {
      ps = co_await prepare_awaiting(c, e.request.text, e.request.table, e.request.shape);
    }
    if (o.timestamp) {
      e.request.options.timestamp = o.timestamp;
    }
    settle_idempotence(*c, e.request);
    idempotent = idempotent && e.request.options.idempotent;
    sent.add(bound_statement(std::move(ps), std::move(e.request.values)));
    keys.push_back(std::move(e.key));
  }
  statement_options& so = sent.options();
  so.cl = o.cl;
  so.serial_cl = o.serial_cl;
  so.timestamp = o.timestamp;
  so.timeout = o.timeout;
  so.idempotent = idempotent;
  so.conditional = b.conditional();
  so.tracing = o.tracing;
  result r = co_await db->async_execute(sent, boost::asio::use_awaitable);
  co_return batch_result(std::move(r), std::move(keys));
}

}  // namespace orm::detail

}  // namespace coodie
