// `coodie makemigration`, `coodie schema-diff` and `coodie snapshot`: the models against the
// live keyspace.
#include <fstream>
#include <iterator>
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "coodie/error.hpp"
#include "coodie/migrate/codegen.hpp"
#include "coodie/migrate/runner.hpp"
#include "coodie/migrate/schema_diff.hpp"
#include "output.hpp"

namespace coodie::cli::detail {
namespace {

migrate::model_set load_models(const settings& s, const program& p) {
  if (s.models_file.empty()) {
    if (p.models.empty()) {
      throw settings_error(
          "no models: give --models FILE, a snapshot that the application's own management "
          "program writes with its `snapshot` command");
    }
    return p.models;
  }
  std::error_code ec;
  std::ifstream in(s.models_file, std::ios::binary);
  if (!std::filesystem::is_regular_file(s.models_file, ec) || !in) {
    throw settings_error("--models " + s.models_file + ": cannot be read");
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return migrate::from_snapshot(text, s.models_file);
  } catch (const invalid_model& e) {
    throw settings_error(e.what());  // a bad --models argument: a usage error (exit 2)
  }
}

boost::json::array to_json(const std::vector<migrate::schema_change>& changes) {
  boost::json::array out;
  for (const migrate::schema_change& c : changes) {
    boost::json::object o{{"object", c.object}, {"destructive", c.destructive}};
    if (!c.up.empty()) {
      o["up"] = c.up;
    }
    o["down"] = c.down ? boost::json::value(*c.down) : boost::json::value(nullptr);
    if (!c.note.empty()) {
      o["note"] = c.note;
    }
    out.push_back(std::move(o));
  }
  return out;
}

boost::json::object to_json(std::string_view command, const std::string& keyspace,
                            const migrate::schema_diff& d) {
  return {{"command", command},
          {"keyspace", keyspace},
          {"differences", d.changes.size() + d.todos.size() + d.skipped.size()},
          {"changes", to_json(d.changes)},
          {"todos", to_json(d.todos)},
          {"skipped", to_json(d.skipped)}};
}

/// The difference for a person: statements, TODOs, what was left out.
void print_human(const settings& s, const migrate::schema_diff& d, std::ostream& out) {
  for (const migrate::schema_change& c : d.changes) {
    out << paint(s.color, c.destructive ? colour::red : colour::green, "  + ") << c.up << ";\n";
  }
  for (const migrate::schema_change& c : d.todos) {
    out << paint(s.color, colour::yellow, "  ! TODO ") << c.note << '\n';
  }
  for (const migrate::schema_change& c : d.skipped) {
    out << paint(s.color, colour::dim, "  - left out (--allow-destructive): ") << c.note << '\n';
  }
}

/// makemigration diffs against the live keyspace: a migration not applied yet would be written
/// again into the new file.
void refuse_unapplied(driver_session& db, const settings& s, const program& p) {
  std::error_code ec;
  const bool dir = std::filesystem::is_directory(s.migrations_dir, ec);
  if (!dir && p.migrations.empty()) {
    return;
  }
  settings files = s;
  files.migrations_dir_given = files.migrations_dir_given && dir;  // makemigration creates it
  migrate::runner r(db, load_migrations(files, p));
  for (const migrate::migration_status& m : r.status()) {
    if (m.state != migrate::state::applied && m.state != migrate::state::unknown) {
      throw migration_error(migration_error::reason::refused,
                            "migration " + m.id + " (" + m.source + ") is " +
                                std::string(migrate::to_string(m.state)) +
                                ": apply it first (coodie migrate), or the new file would "
                                "repeat its changes",
                            m.id);
    }
  }
}

std::string now_text() {
  return iso_time(std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

}  // namespace

int run_schema_diff(const settings& s, const program& p, bool allow_destructive,
                    std::ostream& out) {
  const migrate::model_set models = load_models(s, p);
  driver_session db = connect(s);
  const migrate::schema_diff d = migrate::diff_schema(db, models, allow_destructive);
  if (s.json) {
    print_json(out, to_json("schema-diff", db.keyspace(), d));
  } else if (d.empty()) {
    out << "No difference: " << db.keyspace() << " matches the models\n";
  } else {
    out << db.keyspace() << " differs from the models:\n";
    print_human(s, d, out);
  }
  return static_cast<int>(d.empty() ? exit_code::ok : exit_code::pending);
}

int run_makemigration(const settings& s, const program& p, const std::string& name,
                      bool allow_destructive, std::ostream& out, std::ostream& err) {
  const migrate::model_set models = load_models(s, p);
  driver_session db = connect(s);
  refuse_unapplied(db, s, p);
  const migrate::schema_diff d = migrate::diff_schema(db, models, allow_destructive);
  std::string file;
  if (!d.changes.empty() || !d.todos.empty()) {
    std::filesystem::create_directories(s.migrations_dir);
    const auto path = migrate::next_migration_file(
        s.migrations_dir, name,
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
    std::ofstream written(path, std::ios::binary);
    written << migrate::render_migration(d, name, now_text());
    if (!written.flush()) {
      throw settings_error("cannot write " + path.string());
    }
    file = path.string();
  }
  for (const migrate::schema_change& c : d.todos) {
    err << paint(s.color, colour::yellow, "warning: ") << "TODO in the file: " << c.note << '\n';
  }
  for (const migrate::schema_change& c : d.skipped) {
    err << paint(s.color, colour::yellow, "warning: ")
        << "left out (give --allow-destructive to write it): " << c.note << '\n';
  }
  if (s.json) {
    boost::json::object o = to_json("makemigration", db.keyspace(), d);
    o["file"] = file.empty() ? boost::json::value(nullptr) : boost::json::value(file);
    print_json(out, o);
  } else if (file.empty()) {
    out << "No schema changes: " << db.keyspace() << " matches the models"
        << (d.skipped.empty() ? "" : " (but for what was left out)") << '\n';
  } else {
    out << "Wrote " << file << " (" << d.changes.size() << " statement"
        << (d.changes.size() == 1 ? "" : "s") << ", " << d.todos.size() << " TODO"
        << (d.todos.size() == 1 ? "" : "s") << "):\n";
    print_human(s, d, out);
  }
  if (!d.skipped.empty()) {
    err << paint(s.color, colour::red, "error: ")
        << "destructive changes were left out; give --allow-destructive to write them\n";
    // Nothing written: refused. A file written without them: to review, like TODOs.
    return static_cast<int>(file.empty() ? exit_code::refused : exit_code::needs_review);
  }
  return static_cast<int>(d.todos.empty() ? exit_code::ok : exit_code::needs_review);
}

int run_snapshot(const settings& s, const program& p, const std::string& output,
                 std::ostream& out) {
  const migrate::model_set models = load_models(s, p);
  std::ofstream file(output, std::ios::binary);
  file << migrate::to_snapshot(models) << '\n';
  if (!file) {
    throw settings_error("--output " + output + ": cannot be written");
  }
  if (s.json) {
    print_json(out, boost::json::object{{"command", "snapshot"},
                                        {"file", output},
                                        {"tables", models.tables.size()},
                                        {"types", models.types.size()}});
  } else {
    out << "Wrote " << output << " (" << models.tables.size() << " tables, " << models.types.size()
        << " user types)\n";
  }
  return static_cast<int>(exit_code::ok);
}

int run_codegen(const settings& s, const std::string& output, const std::string& name_space,
                std::ostream& out) {
  driver_session db = connect(s);
  const std::string header =
      migrate::generate_models(db, {.name_space = name_space, .generated_at = now_text()});
  if (output.empty() || output == "-") {
    if (s.json) {
      print_json(out, boost::json::object{{"command", "codegen"}, {"header", header}});
    } else {
      out << header;
    }
    return static_cast<int>(exit_code::ok);
  }
  std::ofstream file(output, std::ios::binary);
  file << header;
  if (!file) {
    throw settings_error("--output " + output + ": cannot be written");
  }
  if (s.json) {
    print_json(out, boost::json::object{{"command", "codegen"}, {"file", output}});
  } else {
    out << "Wrote " << output << " (models of keyspace " << db.keyspace() << ", namespace "
        << name_space << ")\n";
  }
  return static_cast<int>(exit_code::ok);
}

}  // namespace coodie::cli::detail
