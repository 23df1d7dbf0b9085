// The `coodie` command line as a library: the standalone `coodie` program is
// `return coodie::cli::main(argc, argv);`, and an application builds its own management program
// the same way, handing over what only it has (its C++ migrations):
//
//   #include "coodie/cli.hpp"
//   int main(int argc, char** argv) {
//     coodie::cli::program p{.models = coodie::migrate::models<Product, Review>()};
//     p.migrations.push_back(coodie::migrate::cpp_migration(
//         {.id = "20261206_002", .description = "backfill slugs"}, backfill_slugs));
//     return coodie::cli::main(argc, argv, std::move(p));
//   }
//
// Commands: `migrate` (apply, --dry-run, --target, --allow-destructive, --rollback --steps N),
// `status`, `makemigration --name NAME` (a migration file from the models' difference with the
// live keyspace), `schema-diff` (that difference, printed), `snapshot --output FILE` (the
// models as JSON, which the standalone `coodie` reads with --models FILE) and `codegen` (C++
// models written from the live keyspace). `coodie --help` and
// `coodie <command> --help` describe each option. The
// connection comes from --uri, else the environment (COODIE_URI, COODIE_HOSTS, COODIE_USERNAME,
// COODIE_PASSWORD, COODIE_KEYSPACE, ...: session_options::from_env), and --keyspace.
//
// Exit codes, for scripts (exit_code below): 0 done; 1 a migration or request failed; 2 usage
// (arguments, settings); 3 refused, nothing changed (or `status`: a migration needs attention);
// 4 locked (another runner holds the lock past --lock-wait, or the lock was lost); 5 cannot
// connect or authenticate; 6 work is pending (`status --check`: migrations; `schema-diff`:
// differences); 7 makemigration wrote a file to review: TODOs in it, or drops left out of it
// (without --allow-destructive; with nothing else to write, that is 3).
#pragma once

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "coodie/migrate/migration.hpp"
#include "coodie/migrate/models.hpp"

namespace coodie::cli {

enum class exit_code : int {
  ok = 0,
  failed = 1,
  usage = 2,
  refused = 3,
  locked = 4,
  connection = 5,
  pending = 6,
  needs_review = 7,
};

/// What an application hands to its management program.
struct program {
  /// C++ migrations, run in id order together with the CQL files of --migrations-dir.
  std::vector<migrate::migration> migrations = {};
  /// The application's models (coodie::migrate::models<Product, Review>()), for makemigration,
  /// schema-diff and snapshot; --models FILE reads a snapshot instead.
  migrate::model_set models = {};
  /// The program's name in --help.
  std::string name = "coodie";
};

/// Parses the arguments, runs the command, prints to out (results) and err (progress,
/// warnings, errors), and returns the exit code. Never throws; a password never appears in
/// what it prints.
int main(int argc, const char* const* argv, program p, std::ostream& out, std::ostream& err);
/// The same on std::cout and std::cerr.
int main(int argc, const char* const* argv, program p = {});

/// A one-line progress bar for long work, redrawn in place on a terminal:
///   [##########..........]  50%  12/24 statements  3.1/s  ETA 4s  20261206_003
/// Off a terminal it prints nothing until done() (then one summary line), so logs stay clean.
class progress_bar {
 public:
  /// `total` may be 0 when unknown (then no percentage or ETA). `unit` names what is counted.
  progress_bar(std::ostream& err, bool terminal, std::size_t total, std::string unit);
  /// Moves to `done` items, with a note (what is being worked on) shown after the figures.
  void update(std::size_t done, std::string_view note = {});
  void set_total(std::size_t total) { total_ = total; }
  /// Ends the bar's line.
  void done();
  /// The line as drawn (for tests and logs).
  [[nodiscard]] std::string line(std::string_view note) const;

 private:
  std::ostream* err_;
  bool terminal_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::string unit_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace coodie::cli
