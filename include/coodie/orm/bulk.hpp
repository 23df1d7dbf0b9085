// Partition-aware bulk saving: any number of documents grouped by partition key, each group
// written as unlogged batches of at most max_batch_bytes (one partition per batch, so each is
// applied atomically by one replica set and never trips the server's batch warnings, which
// Cassandra gives batches over several partitions only), with at most `concurrency` requests
// in flight.
//
// Example:
//   coodie::bulk_save_result r = s.save_many(readings, {.concurrency = 32});
//   std::cout << r.rows << " rows in " << r.batches << " requests over " << r.partitions
//             << " partitions\n";
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "coodie/orm/batch.hpp"
#include "coodie/orm/detail/core.hpp"
#include "coodie/orm/detail/documents.hpp"
#include "coodie/orm/options.hpp"

namespace coodie {

/// How save_many writes.
struct bulk_save_options {
  /// The largest batch, in the server's measure as estimated from the bound values (each value's
  /// bytes plus 12 for its cell's timestamp and length). A row larger than this goes alone. The
  /// default stays under Cassandra's batch_size_warn_threshold (5 KiB); 0 writes row by row.
  std::size_t max_batch_bytes = 4096;
  /// Requests in flight at once (at least 1).
  std::size_t concurrency = 16;
  /// Each row's TTL, timestamp, consistency and timeout.
  write_options write = {};
};

/// What save_many wrote.
struct bulk_save_result {
  std::size_t rows = 0;
  std::size_t partitions = 0;
  /// Requests sent: batches, and single rows sent as plain writes.
  std::size_t batches = 0;
  /// The largest batch sent, in the estimate max_batch_bytes bounds.
  std::size_t largest_batch_bytes = 0;
  /// The server's warnings on any request, each once (a batch too large, for one).
  std::vector<std::string> warnings;
};

namespace orm::detail {

/// The estimate of a statement's size that bulk_save_options::max_batch_bytes bounds.
inline std::size_t estimated_bytes(const value_list& v) {
  return v.view().data.size() + 8 * static_cast<std::size_t>(v.size());
}

/// Groups the entries by partition (in order of first appearance) and cuts each group into
/// batches of at most max_bytes (a larger entry alone): the requests to send, each a list of
/// entry indexes.
std::vector<std::vector<std::size_t>> partition_batches(const batch_entries& entries,
                                                        std::size_t max_bytes,
                                                        std::size_t& partitions);

/// Sends the requests with at most `concurrency` in flight.
boost::asio::awaitable<bulk_save_result> run_save_many(std::shared_ptr<orm_core> c,
                                                       batch_entries entries, bulk_save_options o);

/// One save entry per document.
template <class T, class Range>
batch_entries save_entries(const Range& docs, const write_options& w) {
  batch_entries out;
  if constexpr (requires { docs.size(); }) {
    out.list.reserve(docs.size());
  }
  for (const T& d : docs) {
    out.add(d, save_request(d, w), false);
  }
  return out;
}

}  // namespace orm::detail

}  // namespace coodie
