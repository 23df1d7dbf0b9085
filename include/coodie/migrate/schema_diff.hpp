// The models against the live keyspace: what makemigration writes into a migration file and
// what schema-diff reports. Built on the schema sync's own plans (plan_table_sync,
// plan_type_sync), so a generated migration does what sync_table would, plus what sync never
// does: drops, only when allowed, and TODOs for what no statement can do safely.
//
// Example:
//   coodie::migrate::schema_diff d =
//       coodie::migrate::diff_schema(session, coodie::migrate::models<Product>(), false);
//   if (!d.empty()) {
//     std::ofstream(coodie::migrate::next_migration_file("migrations", "add brand", today))
//         << coodie::migrate::render_migration(d, "add brand", "2026-12-06T10:00:00Z");
//   }
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coodie/driver/session.hpp"
#include "coodie/migrate/models.hpp"

namespace coodie::migrate {

/// One step toward the models.
struct schema_change {
  /// What it changes: "table products", "column products.brand", "type address", ...
  std::string object = {};
  /// The statement (unqualified names: the keyspace the migration runs in), or empty for a TODO.
  std::string up = {};
  /// The statement that undoes it; std::nullopt when nothing can (the migration then has no
  /// down section, and note says why).
  std::optional<std::string> down = std::nullopt;
  /// Drops a column, index, table or type: generated only with allow_destructive.
  bool destructive = false;
  /// Why it is a TODO, skipped or irreversible (empty for a plain change).
  std::string note = {};
};

struct schema_diff {
  /// The statements to apply, in order (types before the tables that use them).
  std::vector<schema_change> changes = {};
  /// What no statement does safely (a key or type change): done by hand, written as TODOs.
  std::vector<schema_change> todos = {};
  /// Destructive changes left out because allow_destructive was off.
  std::vector<schema_change> skipped = {};

  [[nodiscard]] bool empty() const noexcept {
    return changes.empty() && todos.empty() && skipped.empty();
  }
};

/// Compares the models with the session's keyspace (a model's declared keyspace wins): missing
/// types, fields, tables, columns, indexes and options become statements; live columns,
/// indexes, tables and types that no model has become drops with allow_destructive, else
/// skipped; key and type changes become TODOs. The state tables (coodie_*) are left out.
schema_diff diff_schema(driver_session& s, const model_set& models, bool allow_destructive);

/// The migration file's text: a header, the up section, the TODOs as comments, and a down
/// section undoing the changes in reverse order (left out, with the reason, when one of them
/// cannot be undone). `generated_at` goes into the header.
std::string render_migration(const schema_diff& d, std::string_view name,
                             std::string_view generated_at);

/// dir/YYYYMMDD_NNN_slug.cql for today, NNN one past the highest of today's files. The slug
/// is the name in lower case with runs of other characters as '_'. Throws migration_error
/// (refused) for a name with no letter or digit, or past 999 migrations in a day.
std::filesystem::path next_migration_file(const std::filesystem::path& dir, std::string_view name,
                                          std::chrono::sys_days today);

}  // namespace coodie::migrate
