// The migration runner: applies pending migrations in id order, rolls back the last ones, or
// moves to a target, one runner at a time per keyspace, and keeps a state table
// (coodie_migrations) true to what was applied, statement by statement.
//
// - One writer: a lock row taken with a lightweight transaction, held for a lease that a
//   heartbeat renews; a runner that dies loses it after one lease and the next takes over.
// - Schema agreement is waited for before and after each schema-changing statement.
// - An applied migration whose file changed, a destructive migration without
//   allow_destructive, an unknown target or an irreversible rollback is refused before anything
//   runs. A failed statement stops the run; the state table records how many statements of that
//   migration were applied, and the next run resumes at the failed one (its file may be fixed,
//   as long as the statements already applied are unchanged).
// - Unqualified table names in migrations resolve against the session's keyspace, which is also
//   where the state and lock tables live.
//
// Example:
//   coodie::driver_session s = coodie::driver_session::connect(opts);  // opts.keyspace = "shop"
//   coodie::migrate::runner r(s, coodie::migrate::load_directory("migrations"), {});
//   coodie::migrate::run_report done = r.apply({.target = "20261206_002"});
//   for (const coodie::migrate::migration_status& m : r.status()) { ... }
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coodie/driver/session.hpp"
#include "coodie/migrate/migration.hpp"

namespace coodie::migrate {

/// Where a migration stands.
enum class state : std::uint8_t {
  pending,       ///< not applied
  applied,       ///< applied, and its file is unchanged
  changed,       ///< applied, but its file's checksum differs from the applied one
  running,       ///< a runner stopped in it (killed): some statements may be applied
  failed,        ///< a statement failed; steps_done statements were applied
  rolling_back,  ///< a rollback stopped in it; steps_done down statements were run
  unknown,       ///< in the state table, but no migration of this program has its id
};

/// "pending", "applied", ...
std::string_view to_string(state s) noexcept;

struct migration_status {
  std::string id = {};
  std::string description = {};
  /// The file (or "c++"); for an unknown migration, the source the state table recorded.
  std::string source = {};
  migrate::state state = migrate::state::pending;
  /// The migration's checksum now, and the one recorded when it was applied.
  std::string checksum = {};
  std::string applied_checksum = {};
  std::optional<std::chrono::sys_time<std::chrono::milliseconds>> applied_at = {};
  std::int64_t duration_ms = 0;
  std::string applied_by = {};
  std::int32_t steps_done = 0;
  /// The failure that stopped it (failed, rolling_back).
  std::string error = {};
};

enum class direction : std::uint8_t { up, down };

/// What the runner reports while it works (for a progress display).
struct event {
  enum class kind : std::uint8_t {
    waiting_for_lock,  ///< detail: the holder
    started,           ///< a migration begins; steps: its statement count (0 for C++)
    statement,         ///< detail: the statement, about to run (or, dry run, to be run)
    finished,          ///< a migration is done
    progress,          ///< detail: a C++ migration's progress line (context::progress)
  };
  kind what = kind::started;
  migrate::direction direction = migrate::direction::up;
  std::string migration = {};
  std::string detail = {};
  /// 1-based statement number and the migration's statement count (0: a C++ migration's).
  std::size_t step = 0;
  std::size_t steps = 0;
  /// 1-based position of the migration in the run, and the run's migration count.
  std::size_t index = 0;
  std::size_t count = 0;
};

struct runner_options {
  /// The lock's lease: a runner that stops renewing it loses it after this long (whole seconds,
  /// at least 1). Renewed every third of it.
  std::chrono::seconds lease{30};
  /// How long to wait for a lock another runner holds.
  std::chrono::milliseconds lock_wait{std::chrono::minutes(2)};
  /// How long the nodes may take to agree on the schema around each schema change.
  std::chrono::milliseconds agreement_timeout{std::chrono::seconds(30)};
  /// Who applies: recorded as applied_by and as the lock's owner. Empty: user@host:pid.
  std::string owner = {};
  std::function<void(const event&)> on_event = nullptr;
};

struct apply_options {
  /// Print what would run, change nothing (no lock, no state table).
  bool dry_run = false;
  /// Migrate up to and including this id, or, when it is applied and later ones are too, roll
  /// those back down to it. Unset: apply every pending migration.
  std::optional<std::string> target = std::nullopt;
  /// Apply migrations that drop or delete (migration::destructive).
  bool allow_destructive = false;
};

/// What a run did (or, in a dry run, would do).
struct run_report {
  struct entry {
    std::string id = {};
    std::string description = {};
    /// The statements run (for a C++ migration, those it ran through its context).
    std::vector<std::string> statements = {};
    std::int64_t duration_ms = 0;
  };
  migrate::direction direction = migrate::direction::up;
  bool dry_run = false;
  std::vector<entry> migrations = {};
  /// Things to know that did not stop the run (an applied migration this program lacks).
  std::vector<std::string> warnings = {};
};

class runner {
 public:
  /// The session must outlive the runner and have a keyspace (session_options::keyspace):
  /// migrations and the state table live there. Throws migration_error (refused) when it has
  /// none or two migrations share an id.
  runner(driver_session& s, std::vector<migration> migrations, runner_options o = {});

  /// Every migration of this program and every one the state table knows, by id.
  [[nodiscard]] std::vector<migration_status> status() const;

  /// Who holds the migration lock now (std::nullopt: nobody). A `running` migration while the
  /// lock is held is in progress; without it, its runner stopped (was killed).
  [[nodiscard]] std::optional<std::string> lock_holder() const;

  /// Applies pending migrations (or moves to o.target). Throws migration_error: refused
  /// (nothing ran), locked, or failed (the state table says how far it got).
  run_report apply(const apply_options& o = {});

  /// Rolls back the last `steps` applied migrations, newest first. Refused (nothing runs) when
  /// one of them cannot be rolled back, or fewer are applied.
  run_report rollback(std::size_t steps, bool dry_run = false);

 private:
  run_report run(const apply_options& o, std::optional<std::size_t> rollback_steps);

  driver_session* s_;
  std::string keyspace_;
  std::vector<migration> migrations_;
  runner_options o_;
};

}  // namespace coodie::migrate
