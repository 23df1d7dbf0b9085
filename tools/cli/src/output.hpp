// What the commands share (not installed): the settings every command takes, colours, times,
// and the JSON document a command prints with --json.
#pragma once

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "coodie/cli.hpp"
#include "coodie/driver/session.hpp"

namespace coodie::cli::detail {

/// Options every command takes.
struct settings {
  std::string uri;
  std::string keyspace;
  std::string migrations_dir = "migrations";
  bool migrations_dir_given = false;
  /// --models: a snapshot of the models, instead of the program's own.
  std::string models_file;
  /// Create the keyspace first (SimpleStrategy with this replication factor) when > 0.
  int create_keyspace_rf = 0;
  bool json = false;
  bool no_color = false;
  /// Colours are on: a terminal, no --no-color, no NO_COLOR, no --json.
  bool color = true;
  /// err is a terminal: progress is drawn in place.
  bool terminal = false;
};

enum class colour : std::uint8_t { green, red, yellow, cyan, dim, bold };

/// `text` in an ANSI colour when on, else as is.
std::string paint(bool on, colour c, std::string_view text);

/// 2026-12-06T03:10:22.123Z
std::string iso_time(std::chrono::sys_time<std::chrono::milliseconds> t);

/// The session: --uri, else the environment; --keyspace over both. Throws settings_error when no
/// keyspace is given anywhere. With create_keyspace_rf, creates the keyspace first when missing.
driver_session connect(const settings& s);

/// The CQL files of the migrations directory and the program's C++ migrations, by id. A missing
/// directory is refused when it was named on the command line, or when the program has no C++
/// migrations either.
std::vector<migrate::migration> load_migrations(const settings& s, const program& p);

/// Prints a JSON document on one line.
void print_json(std::ostream& out, const boost::json::value& v);

struct migrate_args {
  bool dry_run = false;
  bool allow_destructive = false;
  bool rollback = false;
  std::optional<std::string> target;
  std::size_t steps = 1;
  int lease_seconds = 30;
  int lock_wait_seconds = 120;
};

int run_migrate(const settings& s, const program& p, const migrate_args& a, std::ostream& out,
                std::ostream& err);
int run_schema_diff(const settings& s, const program& p, bool allow_destructive, std::ostream& out);
int run_makemigration(const settings& s, const program& p, const std::string& name,
                      bool allow_destructive, std::ostream& out, std::ostream& err);
int run_codegen(const settings& s, const std::string& output, const std::string& name_space,
                std::ostream& out);
int run_snapshot(const settings& s, const program& p, const std::string& output, std::ostream& out);
int run_status(const settings& s, const program& p, bool check, std::ostream& out,
               std::ostream& err);

}  // namespace coodie::cli::detail
