// What a run will do, decided from the migrations and the state table before anything runs
// (not installed). Pure: unit-tested without a server.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "coodie/migrate/runner.hpp"
#include "state.hpp"

namespace coodie::migrate::detail {

/// Each migration of the program and each row of the state table, merged by id.
std::vector<migration_status> merge_status(const std::vector<migration>& migrations,
                                           const std::map<std::string, state_row>& rows);

struct run_plan {
  migrate::direction direction = migrate::direction::up;
  /// In run order.
  std::vector<const migration*> steps;
  std::vector<std::string> warnings;
};

/// The migrations to apply (or, toward an older target, to roll back), refusing with
/// migration_error (refused) what must not run: a changed applied migration, a stopped rollback
/// when going up, an unknown target, a resumed migration whose applied statements changed, a
/// destructive migration without allow_destructive, an irreversible one going down.
run_plan plan_apply(const std::vector<migration>& migrations,
                    const std::map<std::string, state_row>& rows, const apply_options& o);

/// The last `steps` migrations that have a state row, newest first; refused when fewer exist or
/// one of them is unknown to the program, changed, or irreversible.
run_plan plan_rollback(const std::vector<migration>& migrations,
                       const std::map<std::string, state_row>& rows, std::size_t steps);

}  // namespace coodie::migrate::detail
