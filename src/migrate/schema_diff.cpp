#include "coodie/migrate/schema_diff.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "blocking.hpp"
#include "coodie/error.hpp"
#include "coodie/migrate/migration.hpp"
#include "coodie/orm/schema.hpp"
#include "coodie/orm/type_schema.hpp"
#include "state.hpp"

namespace coodie::migrate {
namespace {

/// v in decimal, zero-padded to width digits.
std::string padded(int v, std::size_t width) {
  std::string s = std::to_string(v);
  return std::string(s.size() < width ? width - s.size() : 0, '0') + s;
}

/// The live names of a keyspace's tables or types that no model has.
std::vector<std::string> unmodelled(driver_session& s, const std::string& ks, std::string_view what,
                                    const std::set<std::string>& known) {
  std::vector<std::string> out = detail::live_names(s, ks, what);
  std::erase_if(out, [&](const std::string& name) { return known.contains(name); });
  return out;
}

class differ {
 public:
  differ(driver_session& s, bool allow_destructive)
      : s_(s), ks_(s.keyspace()), allow_(allow_destructive) {}

  void type(const wire::data_type& t) {
    const std::string ks = t.keyspace.empty() ? ks_ : t.keyspace;
    std::optional<existing_type> live = detail::run_blocking(s_, async_read_type(s_, ks, t.name));
    sync_plan p = plan_type_sync(t, "", live);
    for (std::string& st : p.statements) {
      if (st.starts_with("CREATE TYPE")) {
        add({.object = "type " + t.name, .up = std::move(st), .down = ddl::drop_type(t, "")});
      } else {
        add({.object = "type " + t.name,
             .up = std::move(st),
             .note = "Cassandra cannot drop a field of a user type"});
      }
    }
    todo(p.differences);
  }

  void table(const table_schema& t) {
    const std::string ks(t.keyspace_or(ks_));
    std::optional<existing_table> live = detail::run_blocking(s_, async_read_table(s_, ks, t.name));
    sync_plan p = plan_table_sync(t, "", live, {.drop_removed_indexes = allow_});
    for (std::string& st : p.statements) {
      add(classify(t, live, std::move(st)));
    }
    for (const schema_difference& d : p.differences) {
      const column_schema* c = live ? live->schema.find(d.column) : nullptr;
      // A view's columns are its SELECT's: reported, never altered.
      if (d.kind == difference_kind::column_not_in_model && c != nullptr && t.view_of.empty()) {
        table_schema one = live->schema;
        one.keyspace = t.keyspace;
        one.columns = {*c};
        drop({.object = "column " + t.name + '.' + d.column,
              .up = ddl::alter_drop_column(t, d.column, ""),
              .down = ddl::alter_add_column(one, *c, ""),
              .destructive = true,
              .note = d.message});
      } else if (d.kind == difference_kind::index_not_in_model) {
        out_.skipped.push_back(
            {.object = "index " + d.column, .destructive = true, .note = d.message});
      } else {
        todo({d});
      }
    }
  }

  /// Views, tables and types of the keyspace that no model has; a view is dropped before the
  /// tables, since the server drops no table that still has one.
  void leftovers(const model_set& m) {
    std::set<std::string> tables;
    std::set<std::string> types;
    for (const table_schema& t : m.tables) {
      if (t.keyspace.empty() || t.keyspace == ks_) {
        tables.insert(t.name);
      }
    }
    for (const wire::data_type& t : m.types) {
      if (t.keyspace.empty() || t.keyspace == ks_) {
        types.insert(t.name);
      }
    }
    for (const std::string& name : unmodelled(s_, ks_, "views", tables)) {
      table_schema v;
      v.name = name;
      v.view_of = "?";  // a view: DROP MATERIALIZED VIEW
      drop({.object = "view " + name,
            .up = ddl::drop_table(v, ""),
            .destructive = true,
            .note = "view " + name + " is not among the models"});
    }
    for (const std::string& name : unmodelled(s_, ks_, "tables", tables)) {
      table_schema t;
      t.name = name;
      drop({.object = "table " + name,
            .up = ddl::drop_table(t, ""),
            .destructive = true,
            .note = "table " + name + " is not among the models; its rows cannot be restored"});
    }
    for (const std::string& name : unmodelled(s_, ks_, "types", types)) {
      wire::data_type t;
      t.id = wire::type_id::udt;
      t.name = name;
      drop({.object = "type " + name,
            .up = ddl::drop_type(t, ""),
            .destructive = true,
            .note = "type " + name + " is not among the models"});
    }
  }

  schema_diff result() && { return std::move(out_); }

 private:
  /// A statement of the table's plan with the statement that undoes it, found by building each
  /// statement the plan can hold and comparing.
  schema_change classify(const table_schema& t, const std::optional<existing_table>& live,
                         std::string st) {
    const std::string object = (t.view_of.empty() ? "table " : "view ") + t.name;
    if (st == ddl::create_table(t, "")) {
      return {.object = object, .up = std::move(st), .down = ddl::drop_table(t, "")};
    }
    for (const index_schema& i : t.indexes) {
      if (st == ddl::create_index(t, i, "")) {
        return {.object = "index " + i.name,
                .up = std::move(st),
                .down = ddl::drop_index(t.keyspace, i.name)};
      }
    }
    for (const column_schema& c : t.columns) {
      const bool key = c.kind == column_kind::partition_key || c.kind == column_kind::clustering;
      if (!key && st == ddl::alter_add_column(t, c, "")) {
        return {.object = "column " + t.name + '.' + c.name,
                .up = std::move(st),
                .down = ddl::alter_drop_column(t, c.name, "")};
      }
    }
    if (live) {
      table_schema was = live->schema;
      was.keyspace = t.keyspace;
      for (const index_schema& i : was.indexes) {
        if (st == ddl::drop_index(t.keyspace, i.name)) {
          return {.object = "index " + i.name,
                  .up = std::move(st),
                  .down = ddl::create_index(was, i, ""),
                  .destructive = true};
        }
      }
      if (st.starts_with("ALTER ") && st.find(" WITH ") != std::string::npos) {
        std::vector<table_option> before;
        for (const table_option& o : t.options) {
          auto it = live->options.find(o.name);
          if (it != live->options.end() && !std::holds_alternative<std::monostate>(it->second)) {
            before.push_back({.name = o.name, .cql_literal = to_cql_literal(it->second)});
          }
        }
        std::optional<std::string> down;
        if (!before.empty()) {
          down = ddl::alter_options(t, before, "");
        }
        return {.object = object + " options", .up = std::move(st), .down = std::move(down)};
      }
    }
    return {.object = object, .up = std::move(st), .note = "no statement known to undo it"};
  }

  void add(schema_change c) { out_.changes.push_back(std::move(c)); }
  void drop(schema_change c) { (allow_ ? out_.changes : out_.skipped).push_back(std::move(c)); }
  void todo(const std::vector<schema_difference>& ds) {
    for (const schema_difference& d : ds) {
      out_.todos.push_back({.object = d.table + (d.column.empty() ? "" : "." + d.column),
                            .note = std::string(to_string(d.kind)) + ": " + d.message});
    }
  }

  driver_session& s_;
  std::string ks_;
  bool allow_;
  schema_diff out_;
};

}  // namespace

schema_diff diff_schema(driver_session& s, const model_set& models, bool allow_destructive) {
  differ d(s, allow_destructive);
  for (const wire::data_type& t : models.types) {
    d.type(t);
  }
  // A view after every table: its base may come later in the model set.
  for (const bool views : {false, true}) {
    for (const table_schema& t : models.tables) {
      if (t.view_of.empty() != views) {
        d.table(t);
      }
    }
  }
  d.leftovers(models);
  return std::move(d).result();
}

namespace {

/// Text for a comment line: no line break can end the comment and start a statement.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  return out;
}

}  // namespace

std::string render_migration(const schema_diff& d, std::string_view name,
                             std::string_view generated_at) {
  std::string out = "-- " + one_line(name) + "\n-- Generated by coodie makemigration on " +
                    std::string(generated_at) +
                    ". Review it; `coodie migrate --dry-run` shows what will run.\n";
  for (const schema_change& c : d.skipped) {
    out += "-- Left out (destructive; makemigration --allow-destructive writes it): " +
           one_line(c.note) + '\n';
  }
  out += "-- coodie:up\n";
  for (const schema_change& c : d.changes) {
    out += c.up + ";\n";
  }
  for (const schema_change& c : d.todos) {
    out += "-- TODO (no safe statement does this; do it by hand or in a new table): " +
           one_line(c.note) + '\n';
  }
  std::string irreversible;
  for (const schema_change& c : d.changes) {
    if (!c.down) {
      irreversible += "\n--   " + one_line(c.object + ": " + c.note);
    }
  }
  if (!irreversible.empty()) {
    return out + "-- No down section: these changes cannot be undone:" + irreversible + '\n';
  }
  out += "-- coodie:down\n";
  for (auto it = d.changes.rbegin(); it != d.changes.rend(); ++it) {
    out += *it->down + ";\n";
  }
  return out;
}

std::filesystem::path next_migration_file(const std::filesystem::path& dir, std::string_view name,
                                          std::chrono::sys_days today) {
  std::string slug;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!slug.empty() && slug.back() != '_') {
      slug += '_';
    }
  }
  while (!slug.empty() && slug.back() == '_') {
    slug.pop_back();
  }
  if (slug.empty()) {
    throw migration_error(
        migration_error::reason::refused,
        "the migration name \"" + std::string(name) + "\" has no letter or digit to name its file");
  }
  const std::chrono::year_month_day ymd(today);
  const std::string date = padded(static_cast<int>(ymd.year()), 4) +
                           padded(static_cast<int>(static_cast<unsigned>(ymd.month())), 2) +
                           padded(static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
  int last = 0;
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) {
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      const std::string f = e.path().filename().string();
      if (parse_id(f) && f.substr(0, 8) == date) {
        last = std::max(last, std::stoi(f.substr(9, 3)));
      }
    }
  }
  if (last >= 999) {
    throw migration_error(migration_error::reason::refused,
                          "999 migrations dated " + date + " exist already");
  }
  return dir / (date + '_' + padded(last + 1, 3) + '_' + slug + ".cql");
}

}  // namespace coodie::migrate
