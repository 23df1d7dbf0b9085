// The command line's arguments (CLI11), its commands, and the exit code of each outcome.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <regex>
#include <sstream>

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>

#include "coodie/error.hpp"
#include "output.hpp"

namespace coodie::cli {
namespace {

using detail::colour;
using detail::paint;

std::string_view kind_of(exit_code c) {
  switch (c) {
    case exit_code::failed:
      return "failed";
    case exit_code::usage:
      return "usage";
    case exit_code::refused:
      return "refused";
    case exit_code::locked:
      return "locked";
    case exit_code::connection:
      return "connection";
    default:
      return "error";
  }
}

/// The text with the password of any URI in it ("scheme://user:password@") masked.
std::string redact(const std::string& text) {
  static const std::regex password(R"((://[^:/@\s]*:)[^@\s]*@)");
  return std::regex_replace(text, password, "$1***@");
}

/// Prints the error (as JSON on out with --json, else on err) and returns its exit code.
int report(const detail::settings& s, std::string_view command, exit_code code,
           const std::string& message, const std::string& migration, std::ostream& out,
           std::ostream& err) {
  if (s.json) {
    boost::json::object e{{"kind", kind_of(code)}, {"message", message}};
    if (!migration.empty()) {
      e["migration"] = migration;
    }
    detail::print_json(out, boost::json::object{{"command", command}, {"error", std::move(e)}});
  } else {
    err << paint(s.color, colour::red, "error: ") << message << '\n';
  }
  return static_cast<int>(code);
}

/// Runs a command, turning each kind of failure into its exit code.
template <class F>
int guarded(const detail::settings& s, std::string_view command, std::ostream& out,
            std::ostream& err, F&& f) {
  try {
    return f();
  } catch (const migration_error& e) {
    const exit_code c = e.why() == migration_error::reason::refused  ? exit_code::refused
                        : e.why() == migration_error::reason::locked ? exit_code::locked
                                                                     : exit_code::failed;
    return report(s, command, c, e.what(), e.migration(), out, err);
  } catch (const usage_error& e) {  // settings, names, arguments the library refused
    return report(s, command, exit_code::usage, e.what(), {}, out, err);
  } catch (const authentication_error& e) {
    return report(s, command, exit_code::connection, e.what(), {}, out, err);
  } catch (const connection_error& e) {
    return report(s, command, exit_code::connection, e.what(), {}, out, err);
  } catch (const std::exception& e) {
    return report(s, command, exit_code::failed, e.what(), {}, out, err);
  }
}

void add_connection_options(CLI::App& app, detail::settings& s) {
  app.add_option("--uri", s.uri,
                 "Connection URI: cassandra://[user[:password]@]host[:port][,...][/keyspace]"
                 "[?name=value&...]. Default: the environment (COODIE_URI, COODIE_HOSTS, "
                 "COODIE_USERNAME, COODIE_PASSWORD, COODIE_KEYSPACE, ...)");
  app.add_option("--keyspace,-k", s.keyspace,
                 "Keyspace of the migrations and their state table (over the URI's)");
  app.add_option("--migrations-dir,-d", s.migrations_dir,
                 "Directory of the YYYYMMDD_NNN_description.cql files")
      ->capture_default_str();
  app.add_option("--create-keyspace", s.create_keyspace_rf,
                 "Create the keyspace first when missing (SimpleStrategy with this replication "
                 "factor); for other replication, create it yourself")
      ->check(CLI::Range(1, 100));
  app.add_option("--models", s.models_file,
                 "A snapshot of the models (JSON, from the application's `snapshot` command), for "
                 "makemigration and schema-diff");
  app.add_flag("--json", s.json, "Print the result as one JSON document on stdout");
  app.add_flag("--no-color", s.no_color, "No colours (also when NO_COLOR is set)");
}

}  // namespace

int main(int argc, const char* const* argv, program p, std::ostream& out, std::ostream& err) {
  detail::settings s;
  const bool on_terminal = &err == &std::cerr && isatty(STDERR_FILENO) == 1;
  CLI::App app(
      "Migrations for Cassandra and ScyllaDB keyspaces: apply, roll back, status, and "
      "migrations written from the models.",
      p.name);
  app.require_subcommand(1);
  app.fallthrough();
  add_connection_options(app, s);
  app.footer(
      "Exit codes: 0 done, 1 failed, 2 usage, 3 refused (nothing changed), 4 locked, 5 cannot "
      "connect, 6 pending (status --check: migrations; schema-diff: differences), 7 "
      "makemigration wrote a file to review (TODOs, or drops left out).");

  detail::migrate_args ma;
  int lease = ma.lease_seconds;
  CLI::App* migrate = app.add_subcommand(
      "migrate", "Apply pending migrations in id order (or roll back, or move to a target)");
  migrate->add_flag("--dry-run", ma.dry_run, "Print the statements; change nothing");
  migrate->add_option("--target", ma.target,
                      "Migrate up to this id (YYYYMMDD_NNN), or back down to it when it is "
                      "applied and later ones are too");
  migrate->add_flag(
      "--allow-destructive", ma.allow_destructive,
      "Apply migrations that drop or delete (DROP, TRUNCATE, DELETE, ALTER ... DROP)");
  CLI::Option* rollback =
      migrate->add_flag("--rollback", ma.rollback, "Roll back the last applied migrations");
  migrate->add_option("--steps", ma.steps, "How many migrations --rollback rolls back")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->needs(rollback);
  migrate->add_option("--lease", lease, "Seconds the migration lock lasts without renewal")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  migrate
      ->add_option("--lock-wait", ma.lock_wait_seconds,
                   "Seconds to wait for a lock another runner holds")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  rollback->excludes(migrate->get_option("--target"));

  bool check = false;
  CLI::App* status = app.add_subcommand("status", "Show every migration and where it stands");
  status->add_flag("--check", check, "Exit with 6 when migrations are pending");

  std::string name;
  bool make_destructive = false;
  CLI::App* make = app.add_subcommand(
      "makemigration", "Write a migration file that brings the keyspace to the models");
  make->add_option("--name,-n", name, "What the migration does; names the file")->required();
  make->add_flag("--allow-destructive", make_destructive,
                 "Also drop the columns, indexes, tables and types no model has");

  bool diff_destructive = false;
  CLI::App* diff =
      app.add_subcommand("schema-diff", "Show how the keyspace differs from the models");
  diff->add_flag("--allow-destructive", diff_destructive,
                 "Show the drops makemigration --allow-destructive would write");

  std::string output = "models.json";
  CLI::App* snap = app.add_subcommand(
      "snapshot", "Write the program's models as JSON, for the standalone coodie's --models");
  snap->add_option("--output,-o", output, "The file to write")->capture_default_str();

  std::string header;
  std::string name_space = "models";
  CLI::App* gen = app.add_subcommand(
      "codegen", "Write C++ models (structs and declarations) of the keyspace's tables and types");
  gen->add_option("--output,-o", header, "The header to write (default: standard output)");
  gen->add_option("--namespace", name_space, "The C++ namespace of the models")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 echoes a misplaced argument, which may be a URI with a password: masked first.
    std::ostringstream help;
    std::ostringstream error;
    const int code = app.exit(e, help, error);
    out << redact(help.str());
    err << redact(error.str());
    return code == 0 ? 0 : static_cast<int>(exit_code::usage);
  }
  ma.lease_seconds = lease;
  s.migrations_dir_given = app.count("--migrations-dir") > 0;
  const char* no_color = std::getenv("NO_COLOR");
  s.color = !s.no_color && !s.json && (no_color == nullptr || *no_color == '\0') && on_terminal;
  s.terminal = on_terminal;
  if (migrate->parsed()) {
    return guarded(s, "migrate", out, err, [&] { return detail::run_migrate(s, p, ma, out, err); });
  }
  if (make->parsed()) {
    return guarded(s, "makemigration", out, err, [&] {
      return detail::run_makemigration(s, p, name, make_destructive, out, err);
    });
  }
  if (diff->parsed()) {
    return guarded(s, "schema-diff", out, err,
                   [&] { return detail::run_schema_diff(s, p, diff_destructive, out); });
  }
  if (gen->parsed()) {
    return guarded(s, "codegen", out, err,
                   [&] { return detail::run_codegen(s, header, name_space, out); });
  }
  if (snap->parsed()) {
    return guarded(s, "snapshot", out, err,
                   [&] { return detail::run_snapshot(s, p, output, out); });
  }
  return guarded(s, "status", out, err, [&] { return detail::run_status(s, p, check, out, err); });
}

int main(int argc, const char* const* argv, program p) {
  return main(argc, argv, std::move(p), std::cout, std::cerr);
}

}  // namespace coodie::cli
