// A column renamed or retyped while the application keeps running, in three migrations:
//   1. expand:   ALTER TABLE t ADD new_col new_type           (down: DROP new_col)
//   2. backfill: every row's old value copied into the new column over token ranges
//                (scan_table, checkpointed), written with the old cell's write time, so that a
//                value the application writes to the new column meanwhile is never overwritten
//   3. contract: ALTER TABLE t DROP old_col, destructive      (down: ADD old_col again, empty)
// Ship expand and backfill in one release, move the application to the new column (writing
// both while old and new versions run), and ship contract in a later release.
//
// Example:
//   auto m = coodie::migrate::expand_contract(
//       {.expand = "20261206_001", .backfill = "20261206_002", .contract = "20261220_001"},
//       {.table = "products", .from = "brand", .from_type = "text",
//        .to = "maker", .to_type = "text"});
//   program.migrations.push_back(m.expand);     // this release
//   program.migrations.push_back(m.backfill);
//   program.migrations.push_back(m.contract);   // a later release, with --allow-destructive
//
//   // A type change converts each value:
//   .convert = coodie::migrate::convert_with<std::int32_t, std::int64_t>(
//       [](std::int32_t v) { return std::int64_t{v} * 100; })
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "coodie/driver/result.hpp"
#include "coodie/driver/statement.hpp"
#include "coodie/migrate/migration.hpp"

namespace coodie::migrate {

/// Turns row column `from_column` (the old value, never null) into the new one, appended to out.
using column_converter =
    std::function<void(const row& r, std::size_t from_column, value_list& out)>;

/// A converter decoding From, applying f, and binding its result as To.
template <class From, class To, class F>
column_converter convert_with(F f) {
  return [f = std::move(f)](const row& r, std::size_t i, value_list& out) {
    out.add(static_cast<To>(f(r.get<From>(i))));
  };
}

struct column_change {
  std::string table = {};
  std::string from = {};
  /// The old column's CQL type: contract's down adds it back.
  std::string from_type = {};
  std::string to = {};
  std::string to_type = {};
  /// Empty: the old value's bytes are bound as they are (a rename, or a type that reads them
  /// the same way).
  column_converter convert = nullptr;
  /// The backfill's pace and parallelism (see scan_options).
  double rows_per_second = 0;
  std::size_t parallelism = 1;
};

struct expand_contract_ids {
  std::string expand = {};
  std::string backfill = {};
  std::string contract = {};
};

struct expand_contract_migrations {
  migration expand;
  migration backfill;
  migration contract;
};

/// The three migrations of a column change. Throws migration_error (refused) for an id that
/// is not YYYYMMDD_NNN or ids out of order, and usage_error for a bad table or column name.
expand_contract_migrations expand_contract(const expand_contract_ids& ids, column_change c);

}  // namespace coodie::migrate
