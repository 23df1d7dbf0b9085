// What the seed programs share: the keyspace, writing generated rows in chunks with the
// `coodie` command line's progress bar, and the figures of the run (rows/s, CPU per row).
//
// Example (in demo::seed_main's function, demo/app.hpp):
//   db.sync_table<Product>();
//   demo::seed_rows<Product>(db, cfg.count, "products", [&](std::size_t i) { return make(i); });
//
//   demo::seed_progress p(rows.size(), "sessions");  // rows written one by one
//   for (std::size_t i = 0; i < rows.size(); ++i) {
//     db.save(rows[i].session, {.ttl = rows[i].ttl});
//     p.update(i + 1);
//   }
//   p.done();
#pragma once

#include <chrono>
#include <cstddef>
#include <iostream>
#include <string>
#include <vector>

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

/// The progress of a seed: the `coodie` command line's progress bar on a terminal, and at done()
/// the line "wrote N unit in T s: R unit/s, C us of client CPU each" on std::cerr.
class seed_progress {
 public:
  seed_progress(std::size_t total, std::string unit);
  void update(std::size_t done) { bar_.update(done); }
  void done();

 private:
  std::size_t total_;
  std::string unit_;
  coodie::cli::progress_bar bar_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::microseconds cpu0_ = cpu_time();
};

/// Writes `total` rows made by gen(i), i in [0, total), with save_many in chunks of `chunk`,
/// with a seed_progress.
template <class T, class Gen>
void seed_rows(coodie::sync::session& db, std::size_t total, const std::string& unit, Gen gen,
               std::size_t chunk = 5000, coodie::bulk_save_options o = {.concurrency = 32}) {
  seed_progress progress(total, unit);
  std::vector<T> rows;
  rows.reserve(std::min(chunk, total));
  for (std::size_t i = 0; i < total;) {
    rows.clear();
    for (; i < total && rows.size() < chunk; ++i) {
      rows.push_back(gen(i));
    }
    db.save_many(rows, o);
    progress.update(i);
  }
  progress.done();
}

}  // namespace demo
