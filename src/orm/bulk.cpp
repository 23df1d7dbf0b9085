// Partition-aware bulk saving: the grouping of rows into per-partition batches under a size
// bound, and the sender that keeps a bounded number of requests in flight.
#include "coodie/orm/bulk.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "coodie/driver/session.hpp"

namespace coodie::orm::detail {

std::vector<std::vector<std::size_t>> partition_batches(const batch_entries& entries,
                                                        std::size_t max_bytes,
                                                        std::size_t& partitions) {
  // Each partition's entries, in order of first appearance.
  std::unordered_map<std::string_view, std::size_t> group_of;
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < entries.list.size(); ++i) {
    const wire::bytes_view key = entries.partition(entries.list[i]);
    const std::string_view k(reinterpret_cast<const char*>(key.data()), key.size());
    auto [it, fresh] = group_of.try_emplace(k, groups.size());
    if (fresh) {
      groups.emplace_back();
    }
    groups[it->second].push_back(i);
  }
  partitions = groups.size();
  std::vector<std::vector<std::size_t>> out;
  for (const std::vector<std::size_t>& g : groups) {
    std::vector<std::size_t> current;
    std::size_t bytes = 0;
    for (std::size_t i : g) {
      const std::size_t size = estimated_bytes(entries.list[i].request.values);
      if (!current.empty() && bytes + size > max_bytes) {
        out.push_back(std::move(current));
        current.clear();
        bytes = 0;
      }
      current.push_back(i);
      bytes += size;
    }
    if (!current.empty()) {
      out.push_back(std::move(current));
    }
  }
  return out;
}

namespace {

/// What the senders share; touched only on their strand.
struct bulk_state {
  batch_entries entries;
  std::vector<std::vector<std::size_t>> requests;
  prepared_statement statement;
  statement_options options;
  coodie::driver_session* db = nullptr;
  std::size_t next = 0;
  std::size_t running = 0;
  std::exception_ptr error;
  bulk_save_result result;
  std::unique_ptr<boost::asio::steady_timer> done;
};

void note_warnings(bulk_save_result& out, const result& r) {
  for (const std::string& w : r.warnings()) {
    if (std::find(out.warnings.begin(), out.warnings.end(), w) == out.warnings.end()) {
      out.warnings.push_back(w);
    }
  }
}

/// Sends requests one after the other until none is left or one failed.
boost::asio::awaitable<void> sender(std::shared_ptr<bulk_state> st) {
  while (st->next < st->requests.size() && !st->error) {
    const std::vector<std::size_t>& rq = st->requests[st->next++];
    std::size_t bytes = 0;
    result r;
    if (rq.size() == 1) {
      batch_entry& e = st->entries.list[rq.front()];
      bytes = estimated_bytes(e.request.values);
      bound_statement b(st->statement, std::move(e.request.values));
      b.options() = st->options;
      r = co_await st->db->async_execute(b, boost::asio::use_awaitable);
    } else {
      coodie::batch b(wire::batch_type::unlogged);
      for (std::size_t i : rq) {
        value_list& v = st->entries.list[i].request.values;
        bytes += estimated_bytes(v);
        b.add(bound_statement(st->statement, std::move(v)));
      }
      b.options() = st->options;
      r = co_await st->db->async_execute(b, boost::asio::use_awaitable);
    }
    ++st->result.batches;
    st->result.largest_batch_bytes = std::max(st->result.largest_batch_bytes, bytes);
    note_warnings(st->result, r);
  }
}

/// Runs `workers` senders and waits for the last, all on the calling strand, which makes every
/// change to the state (a sender may even end before this coroutine waits: the timer is then
/// already expired).
boost::asio::awaitable<void> wait_all(std::shared_ptr<bulk_state> st, std::size_t workers) {
  auto strand = co_await boost::asio::this_coro::executor;
  st->done = std::make_unique<boost::asio::steady_timer>(strand);
  st->done->expires_at(boost::asio::steady_timer::time_point::max());
  st->running = workers;
  for (std::size_t i = 0; i < workers; ++i) {
    boost::asio::co_spawn(strand, sender(st), [st](std::exception_ptr e) {
      if (e && !st->error) {
        st->error = e;
      }
      if (--st->running == 0) {
        // Expired rather than cancelled: a wait that begins after this still ends at once.
        st->done->expires_at(boost::asio::steady_timer::time_point::min());
      }
    });
  }
  if (st->running > 0) {
    boost::system::error_code ec;
    co_await st->done->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
}

}  // namespace

boost::asio::awaitable<bulk_save_result> run_save_many(std::shared_ptr<orm_core> c,
                                                       batch_entries entries, bulk_save_options o) {
  auto st = std::make_shared<bulk_state>();
  st->result.rows = entries.list.size();
  if (entries.list.empty()) {
    co_return st->result;
  }
  st->db = c->connected();
  if (st->db == nullptr) {
    st->db = co_await c->async_db(c);
  }
  orm_request& first = entries.list.front().request;
  st->statement = lookup(*c, first);
  if (!st->statement) {
    st->statement = co_await prepare_awaiting(c, first.text, first.table, first.shape);
  }
  settle_idempotence(*c, first);
  st->options = first.options;
  st->requests = partition_batches(entries, o.max_batch_bytes, st->result.partitions);
  st->entries = std::move(entries);

  const std::size_t workers =
      std::min(std::max<std::size_t>(o.concurrency, 1), st->requests.size());
  auto strand = boost::asio::make_strand(co_await boost::asio::this_coro::executor);
  co_await boost::asio::co_spawn(strand, wait_all(st, workers), boost::asio::use_awaitable);
  if (st->error) {
    std::rethrow_exception(st->error);
  }
  co_return st->result;
}

}  // namespace coodie::orm::detail
