// An application's management program with one C++ data migration: it reads every row of
// `events` with scan_table and appends "k v" to the file COODIE_TEST_LOG, at
// COODIE_TEST_RATE rows a second, so that a test can kill it mid-way and count what a resumed
// run processed.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "coodie/cli.hpp"
#include "coodie/migrate/data.hpp"

int main(int argc, char** argv) {
  const char* log = std::getenv("COODIE_TEST_LOG");
  const char* rate = std::getenv("COODIE_TEST_RATE");
  const std::string log_file = log != nullptr ? log : "events.log";
  const double limit = rate != nullptr ? std::stod(rate) : 0;
  coodie::cli::program p{.name = "data-app"};
  p.migrations.push_back(coodie::migrate::cpp_migration(
      {.id = "20261201_001", .description = "log every event"},
      [log_file, limit](coodie::migrate::context& ctx) {
        std::ofstream out(log_file, std::ios::app);
        const coodie::migrate::scan_progress done = coodie::migrate::scan_table(
            ctx,
            {.table = "events",
             .columns = {"k", "v"},
             .ranges_per_node = 3,
             .page_size = 500,
             .rows_per_second = limit,
             .checkpoint = "log_events"},
            [&out](const coodie::row& r) {
              out << r.get<std::int32_t>(0) << ' ' << r.get<std::int64_t>(1) << '\n' << std::flush;
            });
        std::cerr << "scan: rows " << done.rows << " ranges " << done.ranges_done << '/'
                  << done.ranges_total << " resumed " << done.ranges_resumed << " rate "
                  << done.rows_per_second << '\n';
      }));
  return coodie::cli::main(argc, argv, std::move(p));
}
