#include "coodie/migrate/expand_contract.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "coodie/driver/identifiers.hpp"
#include "coodie/driver/session.hpp"
#include "coodie/error.hpp"
#include "coodie/migrate/cql_script.hpp"
#include "coodie/migrate/data.hpp"
#include "coodie/orm/type_text.hpp"
#include "state.hpp"

namespace coodie::migrate {
namespace {

/// A migration of statements built in code (resumed statement by statement, like a file's).
migration code_migration(const std::string& id, std::string description,
                         std::vector<std::string> up, std::vector<std::string> down,
                         bool destructive) {
  detail::check_id(id, "expand/contract migration");
  migration m;
  m.id = id;
  std::string text = "code\n" + id + '\n' + description + '\n';
  for (const std::string& st : up) {
    text += st + ";\n";
  }
  text += "down\n";
  for (const std::string& st : down) {
    text += st + ";\n";
  }
  m.checksum = checksum(text);
  m.description = std::move(description);
  m.source = "c++";
  m.up = std::move(up);
  m.down = std::move(down);
  m.destructive = destructive;
  return m;
}

/// A type given as CQL text, checked: any user type name is taken as one.
wire::data_type checked_type(const std::string& text, const std::string& what) {
  static const wire::data_type any_user_type = [] {
    wire::data_type t;
    t.id = wire::type_id::udt;
    return t;
  }();
  try {
    return parse_cql_type(text, [](std::string_view) { return &any_user_type; });
  } catch (const invalid_model& e) {
    throw usage_error("expand/contract: " + what + ": " + e.what());
  }
}

/// True when the column is one cell with one write time: not a non-frozen collection or user
/// type (tuples and frozen values are single cells).
bool single_cell(const std::string& type) {
  const wire::data_type t = checked_type(type, "from_type");
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  const bool frozen = lower.starts_with("frozen<");
  return frozen || !(wire::is_collection(t.id) || t.id == wire::type_id::udt);
}

std::string checkpoint_name(const column_change& c) {
  return "expand_contract " + c.table + "." + c.from + " to " + c.to;
}

/// Copies every row's old value into the new column, at the old cell's write time: a newer
/// value the application wrote to the new column wins over the copy.
void backfill(context& ctx, const column_change& c) {
  const std::vector<std::string> keys = primary_key_columns(ctx, c.table);
  const std::string table = quote_identifier(ctx.keyspace()) + '.' + quote_identifier(c.table);
  std::string where;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    where += (i == 0 ? " WHERE " : " AND ") + quote_identifier(keys[i]) + " = ?";
  }
  const bool timed = single_cell(c.from_type);
  // A dry run writes nothing, and its new column may not exist yet (the expand is pending).
  const prepared_statement set =
      ctx.dry_run()
          ? prepared_statement()
          : ctx.session().prepare("UPDATE " + table + (timed ? " USING TIMESTAMP ?" : "") +
                                  " SET " + quote_identifier(c.to) + " = ?" + where);
  std::vector<std::string> columns = keys;
  columns.push_back(c.from);
  scan_options o{.table = c.table,
                 .columns = columns,
                 .rows_per_second = c.rows_per_second,
                 .parallelism = c.parallelism,
                 .checkpoint = checkpoint_name(c)};
  if (timed) {
    o.write_times = {c.from};
  }
  // Cassandra hides cells older than a column's last drop: when the new column was dropped
  // before (a rolled-back expand), copies are written just after that drop.
  std::int64_t floor = 0;
  const result dropped = ctx.session().execute(
      statement("SELECT dropped_time FROM system_schema.dropped_columns WHERE keyspace_name = ? "
                "AND table_name = ? AND column_name = ?",
                ctx.keyspace(), c.table, c.to));
  if (!dropped.empty()) {
    const auto at = dropped.front().get<std::chrono::sys_time<std::chrono::milliseconds>>(0);
    floor =
        std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count() + 1000;
  }
  const std::size_t from = keys.size();
  scan_table(ctx, o, [&](const row& r) {
    if (r.is_null(from) || ctx.dry_run()) {
      return;
    }
    value_list v;
    if (timed) {
      v.add(std::max(r.get<std::int64_t>(from + 1), floor));
    }
    if (c.convert) {
      c.convert(r, from, v);
    } else {
      v.add_encoded(r.cell(from));
    }
    for (std::size_t i = 0; i < from; ++i) {
      v.add_encoded(r.cell(i));
    }
    ctx.session().execute(bound_statement(set, std::move(v)));
  });
}

}  // namespace

expand_contract_migrations expand_contract(const expand_contract_ids& ids, column_change c) {
  if (!(ids.expand < ids.backfill && ids.backfill < ids.contract)) {
    throw migration_error(migration_error::reason::refused,
                          "expand/contract of " + c.table + "." + c.from +
                              ": the ids must run expand, backfill, contract in that order");
  }
  check_name("table", c.table);
  (void)checked_type(c.from_type, "from_type");
  (void)checked_type(c.to_type, "to_type");
  check_name("column", c.from);
  check_name("column", c.to);
  const std::string table = quote_identifier(c.table);
  const std::string what = c.table + "." + c.from + " to " + c.to;
  migration expand =
      code_migration(ids.expand, "expand: add " + c.table + "." + c.to + " " + c.to_type,
                     {"ALTER TABLE " + table + " ADD " + quote_identifier(c.to) + ' ' + c.to_type},
                     {"ALTER TABLE " + table + " DROP " + quote_identifier(c.to)}, false);
  migration contract = code_migration(
      ids.contract, "contract: drop " + c.table + "." + c.from,
      {"ALTER TABLE " + table + " DROP " + quote_identifier(c.from)},
      {"ALTER TABLE " + table + " ADD " + quote_identifier(c.from) + ' ' + c.from_type}, true);
  // The backfill's checksum names what it copies: another change is another migration.
  migration fill = cpp_migration(
      {.id = ids.backfill,
       .description = "backfill " + what,
       .version = c.from_type + ' ' + c.to_type + (c.convert ? " converted" : " copied")},
      [c](context& ctx) { backfill(ctx, c); },
      // The expand's down drops the new column; the checkpoints go, so that the backfill
      // applied again copies every row again.
      [name = checkpoint_name(c)](context& ctx) { forget_checkpoints(ctx, name); });
  return {std::move(expand), std::move(fill), std::move(contract)};
}

}  // namespace coodie::migrate
