// What the seed programs share: the keyspace, writing generated rows in chunks with the
// `coodie` command line's progress bar, and the figures of the run (rows/s, CPU per row).
//
// Example:
//   demo::settings cfg = demo::parse_settings(argc, argv, {.name = "catalog-seed", ...});
//   demo::ensure_keyspace(cfg);                 // --fresh drops it first; --drop only drops it
//   coodie::sync::session db = coodie::sync::connect(cfg.db);
//   db.sync_table<Product>();
//   demo::seed_rows<Product>(db, cfg.count, "products", [&](std::size_t i) { return make(i); });
#pragma once

#include <chrono>
#include <cstddef>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include "coodie/cli.hpp"
#include "coodie/orm/session.hpp"
#include "demo/settings.hpp"

namespace demo {

/// Creates the keyspace of cfg.db (SimpleStrategy, one replica) when missing, on a short
/// session of its own; with cfg.fresh or cfg.drop drops it first. Returns false after --drop
/// (the program should stop).
bool ensure_keyspace(const settings& cfg);

/// The process's CPU time (user + system) so far.
std::chrono::microseconds cpu_time();

/// Prints "wrote N unit in T s: R unit/s, C µs of client CPU each" to std::cerr.
void report_rate(std::size_t n, const std::string& unit, std::chrono::steady_clock::duration took,
                 std::chrono::microseconds cpu);

/// Writes `total` rows made by gen(i), i in [0, total), with save_many in chunks of `chunk`,
/// drawing the progress bar on a terminal; then reports the rate.
template <class T, class Gen>
void seed_rows(coodie::sync::session& db, std::size_t total, const std::string& unit, Gen gen,
               std::size_t chunk = 5000, coodie::bulk_save_options o = {.concurrency = 32}) {
  coodie::cli::progress_bar bar(std::cerr, isatty(2) != 0, total, unit);
  const auto start = std::chrono::steady_clock::now();
  const auto cpu0 = cpu_time();
  std::vector<T> rows;
  rows.reserve(std::min(chunk, total));
  for (std::size_t i = 0; i < total;) {
    rows.clear();
    for (; i < total && rows.size() < chunk; ++i) {
      rows.push_back(gen(i));
    }
    db.save_many(rows, o);
    bar.update(i);
  }
  bar.done();
  report_rate(total, unit, std::chrono::steady_clock::now() - start, cpu_time() - cpu0);
}

}  // namespace demo
