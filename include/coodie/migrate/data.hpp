// Data migrations: every row of a table, read over the token ring split into ranges, each range
// read page by page to its end (no row past a range's first page is skipped), with a checkpoint
// per finished range (a killed run resumes at the ranges it had not finished), a rate limit
// and bounded parallelism. Called from a C++ migration's step, through its context.
//
// Example (a C++ migration backfilling a column):
//   void backfill(coodie::migrate::context& ctx) {
//     coodie::prepared_statement set = ctx.session().prepare(
//         "UPDATE products SET slug = ? WHERE id = ?");
//     coodie::migrate::scan_table(ctx, {.table = "products", .columns = {"id", "name"},
//                                       .checkpoint = "backfill_slugs", .rows_per_second = 5000},
//         [&](const coodie::row& r) {
//           if (!ctx.dry_run()) {
//             ctx.session().execute(set.bind(slug_of(r.get<std::string>(1)),
//                                            r.get<coodie::uuid>(0)));
//           }
//         });
//   }
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "coodie/driver/result.hpp"
#include "coodie/migrate/migration.hpp"

namespace coodie::migrate {

/// How far a scan is.
struct scan_progress {
  std::uint64_t rows = 0;  ///< rows handed to the callback in this run
  std::size_t ranges_done = 0;
  std::size_t ranges_total = 0;
  std::size_t ranges_resumed = 0;  ///< finished by an earlier run (checkpoints), skipped
  double rows_per_second = 0;      ///< measured over this run
  std::chrono::seconds eta{0};     ///< from the ranges left and this run's pace (0: unknown)
};

struct scan_options {
  /// The table, in the context's keyspace.
  std::string table = {};
  /// The columns each row holds, in this order; empty: every column (SELECT *).
  std::vector<std::string> columns = {};
  /// Columns whose write time (WRITETIME(c), microseconds) each row holds after `columns`
  /// (which must then be given).
  std::vector<std::string> write_times = {};
  /// Token ranges per node the ring is split into (the node count read from system.peers).
  std::size_t ranges_per_node = 3;
  std::int32_t page_size = 1000;
  /// At most this many rows a second handed to the callback (0: no limit).
  double rows_per_second = 0;
  /// Ranges read at once, each on its own thread; the callback is then called concurrently.
  std::size_t parallelism = 1;
  /// Names the scan's checkpoints (coodie_data_checkpoints): a run resumes after the ranges an
  /// earlier run of the same name finished. Empty: no checkpoints, every run reads everything.
  /// A dry run reads checkpoints and writes none.
  std::string checkpoint = {};
  /// Called after each page (and at the end), from the thread that read it.
  std::function<void(const scan_progress&)> on_progress = nullptr;
};

/// Hands every row of the table to `f`, range by range. A row is handed again only when its
/// range was not finished in an earlier run (so a callback must tolerate that: at most
/// `parallelism` ranges' worth after a kill). Checks the migration lock between pages.
/// Throws what `f` throws (after the ranges in flight stop), migration_error (refused) for a
/// table that does not exist, and the server's error for a column it lacks.
scan_progress scan_table(const context& ctx, const scan_options& o,
                         const std::function<void(const row&)>& f);

/// Removes the checkpoints of a scan (to read everything again); nothing in a dry run or when
/// no scan ever checkpointed.
void forget_checkpoints(const context& ctx, const std::string& checkpoint);

/// The table's primary key columns (partition key, then clustering), in key order, unquoted.
/// Throws migration_error (refused) when the table does not exist in the context's keyspace.
std::vector<std::string> primary_key_columns(const context& ctx, const std::string& table);

}  // namespace coodie::migrate
