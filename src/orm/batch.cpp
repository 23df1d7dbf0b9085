// Batches of document operations: the kind checks made as statements are added, the checks of a
// conditional batch, and the one path that prepares every statement and sends the BATCH.
#include "coodie/orm/batch.hpp"

#include <algorithm>

#include <boost/asio/use_awaitable.hpp>

#include "coodie/orm/bulk.hpp"
#include "coodie/orm/detail/guards.hpp"

#include "coodie/driver/session.hpp"

namespace coodie {

void write_batch::check_kind(const table_schema& t, bool counter) const {
  if (counter && kind_ != batch_kind::counter) {
    throw usage_error("model " + t.model +
                      ": a counter change belongs in a counter batch (batch_kind::counter)");
  }
  if (!counter && kind_ == batch_kind::counter) {
    throw usage_error("model " + t.model +
                      ": a counter batch holds counter changes only (increment, decrement)");
  }
}

namespace orm::detail {

namespace {

/// A conditional batch is one Paxos round: one partition of one table, its timestamp Paxos's.
void check_conditional(const batch_entries& entries, const batch_options& o) {
  const batch_entry& front = entries.list.front();
  const table_schema& first = *front.request.table;
  if (o.timestamp) {
    throw usage_error("model " + first.model +
                      ": a conditional batch takes no timestamp (Paxos picks it)");
  }
  const wire::bytes_view partition = entries.partition(front);
  for (const batch_entry& e : entries.list) {
    if (e.request.table != &first) {
      throw usage_error("a conditional batch writes one table; it holds models " + first.model +
                        " and " + e.request.table->model);
    }
    if (!std::ranges::equal(entries.partition(e), partition)) {
      throw usage_error("model " + first.model +
                        ": a conditional batch writes one partition; its statements name several");
    }
  }
}

/// "model M" or "model M and others": the models of a batch, for a guardrail's message.
std::string models_of(const batch_entries& entries) {
  const table_schema* first = entries.list.front().request.table;
  const bool one_model =
      std::all_of(entries.list.begin(), entries.list.end(),
                  [&](const batch_entry& e) { return e.request.table == first; });
  return "model " + first->model + (one_model ? "" : " and others");
}

/// The partitions (of any table) the entries write.
std::size_t partition_count(const batch_entries& entries) {
  std::vector<const batch_entry*> partitions;  // one entry per (table, partition)
  for (const batch_entry& e : entries.list) {
    const bool seen = std::any_of(partitions.begin(), partitions.end(), [&](const batch_entry* p) {
      return p->request.table == e.request.table &&
             std::ranges::equal(entries.partition(*p), entries.partition(e));
    });
    if (!seen) {
      partitions.push_back(&e);
    }
  }
  return partitions.size();
}

/// The batch_partitions and batch_size guardrails.
void guard_batch(const session_options& o, batch_kind kind, const batch_entries& entries) {
  const guardrail_policy& g = o.guardrails;
  if (kind == batch_kind::logged && g.batch_partitions != guard::allow) {
    const std::size_t n = partition_count(entries);
    if (n > g.max_batch_partitions) {
      apply_guard(o, g.batch_partitions,
                  "a logged batch (" + models_of(entries) + ") writes " + std::to_string(n) +
                      " partitions, more than max_batch_partitions (" +
                      std::to_string(g.max_batch_partitions) + ")");
    }
  }
  if (g.batch_size == guard::allow) {
    return;
  }
  std::size_t bytes = 0;
  for (const batch_entry& e : entries.list) {
    bytes += estimated_bytes(e.request.values);
  }
  if (bytes > g.max_batch_bytes) {
    apply_guard(o, g.batch_size,
                "a batch (" + models_of(entries) + ") binds about " + std::to_string(bytes) +
                    " bytes, more than max_batch_bytes (" + std::to_string(g.max_batch_bytes) +
                    ")");
  }
}

/// The checks made before anything is sent.
void check_batch(const orm_core& c, write_batch& b, const batch_options& o) {
  batch_entries& entries = b.entries();
  if (entries.list.empty()) {
    throw usage_error("a batch with no statement");
  }
  if (o.serial_cl && *o.serial_cl != consistency::serial &&
      *o.serial_cl != consistency::local_serial) {
    throw usage_error("a batch's serial_cl is the consistency of Paxos, serial or local_serial");
  }
  if (b.conditional()) {
    check_conditional(entries, o);
  }
  guard_batch(c.options(), b.kind(), entries);
  if (b.keyspace() != c.default_keyspace()) {
    // A shape's text names the session's keyspace: these statements carry the batch's instead.
    for (batch_entry& e : entries.list) {
      if (e.request.shape) {
        e.request.text = shape_text(*e.request.shape, b.keyspace());
        e.request.shape.reset();
      }
    }
  }
}

/// Finds each statement's prepared statement this session has (a run of statements of one shape
/// looks it up once); true when none is left to prepare.
bool look_up_all(orm_core& c, batch_entries& entries) {
  bool all = true;
  const batch_entry* previous = nullptr;
  for (batch_entry& e : entries.list) {
    if (previous != nullptr && previous->prepared && e.request.shape &&
        e.request.shape == previous->request.shape) {
      e.prepared = previous->prepared;
    } else if (!e.prepared) {
      e.prepared = lookup(c, e.request);
    }
    all = all && e.prepared;
    previous = &e;
  }
  return all;
}

/// Prepares the statements look_up_all did not find.
boost::asio::awaitable<void> prepare_missing(std::shared_ptr<orm_core> c, batch_entries* entries) {
  for (batch_entry& e : entries->list) {
    if (!e.prepared) {
      e.prepared = co_await prepare_awaiting(c, e.request.text, e.request.table, e.request.shape);
    }
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

/// The BATCH request of the prepared entries, with the batch's options; `keys` gets the whole
/// key of each statement of a conditional batch.
coodie::batch bind_batch(const orm_core& c, write_batch& b, const batch_options& o,
                         std::vector<value_list>& keys) {
  coodie::batch sent(wire_kind(b.kind()));
  sent.reserve(b.size());
  bool idempotent = !b.conditional() && b.kind() != batch_kind::counter;
  if (b.conditional()) {
    keys.reserve(b.size());
  }
  for (batch_entry& e : b.entries().list) {
    if (o.timestamp) {
      e.request.options.timestamp = o.timestamp;
    }
    settle_idempotence(c, e.request);
    idempotent = idempotent && e.request.options.idempotent;
    sent.add(bound_statement(std::move(e.prepared), std::move(e.request.values)));
    if (b.conditional()) {
      keys.push_back(std::move(e.key));
    }
  }
  statement_options& so = sent.options();
  so.cl = o.cl;
  so.serial_cl = o.serial_cl;
  so.timestamp = o.timestamp;
  so.timeout = o.timeout;
  so.idempotent = idempotent;
  so.conditional = b.conditional();
  so.tracing = o.tracing;
  return sent;
}

/// Binds the batch and starts sending it: the request is written at once, so the statements
/// and their values are freed here, while they are in the cache, not after the answer.
boost::asio::awaitable<result> send_batch(coodie::driver_session& db, const orm_core& c,
                                          write_batch b, const batch_options& o,
                                          std::vector<value_list>& keys) {
  const coodie::batch sent = bind_batch(c, b, o, keys);
  return db.async_execute(sent, boost::asio::use_awaitable);
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
  check_batch(*c, b, o);
  coodie::driver_session* db = c->connected();
  if (db == nullptr) {
    db = co_await c->async_db(c);
  }
  if (!look_up_all(*c, b.entries())) {
    co_await prepare_missing(c, &b.entries());
  }
  std::vector<value_list> keys;
  boost::asio::awaitable<result> answer = send_batch(*db, *c, std::move(b), o, keys);
  result r = co_await std::move(answer);
  co_return batch_result(std::move(r), std::move(keys));
}

batch_result run_batch_blocking(const std::shared_ptr<orm_core>& c, write_batch& b,
                                const batch_options& o) {
  check_batch(*c, b, o);
  coodie::driver_session* db = c->connected();
  if (db == nullptr) {
    db = &c->db();
  }
  if (!look_up_all(*c, b.entries())) {
    sync_mode::run_coro(c, prepare_missing(c, &b.entries()));
  }
  std::vector<value_list> keys;
  result r = db->execute(bind_batch(*c, b, o, keys));
  return batch_result(std::move(r), std::move(keys));
}

}  // namespace orm::detail

}  // namespace coodie
