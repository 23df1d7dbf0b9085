// Migrations: CQL files named YYYYMMDD_NNN_description.cql (see cql_script.hpp for their
// sections), and C++ migrations that an application registers in its own program for data
// migrations and logic. Both are values of one type, ordered by id.
//
// Example:
//   std::vector<coodie::migrate::migration> all =
//       coodie::migrate::load_directory("migrations");            // the CQL files
//   all.push_back(coodie::migrate::cpp_migration(
//       {.id = "20261206_002", .description = "backfill product slugs"},
//       [](coodie::migrate::context& ctx) {
//         ctx.execute("UPDATE products SET slug = 'widget' WHERE id = 1");
//       }));
//   coodie::migrate::sort_migrations(all);  // by id; a repeated id is refused
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coodie/driver/session.hpp"

namespace coodie::migrate {

class context;

/// A C++ migration's step: what it does to the database through the context.
using step_function = std::function<void(context&)>;

/// One migration. A CQL file's steps are its statements; a C++ migration's are functions.
struct migration {
  /// YYYYMMDD_NNN: the order migrations run in.
  std::string id;
  std::string description;
  /// SHA-256 hex of the file (line ends normalised); for a C++ migration, of its id, description
  /// and version. An applied migration whose checksum changed is refused.
  std::string checksum;
  /// The file's path, or "c++".
  std::string source;
  std::vector<std::string> up;
  /// std::nullopt: the migration cannot be rolled back.
  std::optional<std::vector<std::string>> down;
  /// A C++ migration's steps (then up and down are empty). An empty run_down: irreversible.
  step_function run_up;
  step_function run_down;
  /// Declared or found destructive (DROP, TRUNCATE, DELETE, ALTER ... DROP in up): applied only
  /// with allow_destructive.
  bool destructive = false;

  [[nodiscard]] bool is_cpp() const noexcept { return static_cast<bool>(run_up); }
  [[nodiscard]] bool reversible() const noexcept {
    return is_cpp() ? static_cast<bool>(run_down) : down.has_value();
  }
};

/// What a C++ migration declares about itself.
struct cpp_migration_info {
  std::string id = {};  ///< YYYYMMDD_NNN
  std::string description = {};
  /// Part of the checksum: change it when the migration's code changes in a way that matters
  /// to a database that already applied it (which then refuses it, as for an edited file).
  std::string version = "1";
  /// The migration removes data or schema: applied only with allow_destructive.
  bool destructive = false;
};

/// A C++ migration. Throws migration_error (refused) for an id that is not YYYYMMDD_NNN or an
/// empty up. A failed C++ migration is run again from its start: write it so that running it
/// twice does no harm (IF NOT EXISTS, upserts, checkpoints).
migration cpp_migration(cpp_migration_info info, step_function up, step_function down = {});

/// Reads one migration file. Throws migration_error (refused) naming the file when its name is
/// not YYYYMMDD_NNN_description.cql or its text does not parse (cql_script.hpp).
migration load_file(const std::filesystem::path& file);

/// Reads every *.cql file of a directory (not its subdirectories), sorted by id. Other files
/// are ignored; a .cql file with a malformed name is refused rather than silently skipped.
/// Throws migration_error (refused) when the directory does not exist.
std::vector<migration> load_directory(const std::filesystem::path& dir);

/// Sorts by id; throws migration_error (refused) naming both sources when two share an id.
void sort_migrations(std::vector<migration>& all);

/// "20261206_001" for a valid id (YYYYMMDD_NNN with a real month and day), else std::nullopt.
/// Accepts the id alone or a file name starting with it ("20261206_001_add_brand.cql").
std::optional<std::string> parse_id(std::string_view name);

/// What a C++ migration works with: the session, the keyspace, and statements that the runner
/// orders, waits on and (in a dry run) only records.
class context {
 public:
  /// What the runner gives a context: how a statement runs, how the lock is checked, where
  /// progress goes.
  struct hooks {
    std::function<void(std::string_view)> run;
    std::function<void()> check_lock = nullptr;
    std::function<void(std::string_view)> progress = nullptr;
  };
  context(driver_session& session, std::string keyspace, bool dry_run, hooks h)
      : session_(&session),
        keyspace_(std::move(keyspace)),
        dry_run_(dry_run),
        hooks_(std::move(h)) {}

  /// The runner's session, for reads and for writes of your own (check dry_run() first).
  [[nodiscard]] driver_session& session() const noexcept { return *session_; }
  /// The keyspace migrations run in (the session's keyspace too).
  [[nodiscard]] const std::string& keyspace() const noexcept { return keyspace_; }
  [[nodiscard]] bool dry_run() const noexcept { return dry_run_; }
  /// Runs one CQL statement as a CQL migration's statement runs: schema agreement waited for
  /// before and after a schema change; in a dry run it is printed and not run.
  void execute(std::string_view cql) const { hooks_.run(cql); }
  /// Throws migration_error (locked) when the runner may have lost its lock: long work calls it
  /// between steps (scan_table does, between pages).
  void check_lock() const {
    if (hooks_.check_lock) {
      hooks_.check_lock();
    }
  }
  /// A line of progress for the runner's display ("12,000 rows, 5/12 ranges").
  void progress(std::string_view what) const {
    if (hooks_.progress) {
      hooks_.progress(what);
    }
  }

 private:
  driver_session* session_;
  std::string keyspace_;
  bool dry_run_;
  hooks hooks_;
};

}  // namespace coodie::migrate
