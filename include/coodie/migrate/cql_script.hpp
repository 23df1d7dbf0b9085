// CQL scripts as migrations are written: statements separated by semicolons, with `--`, `//`
// and `/* */` comments, 'string', $$string$$ and "identifier" literals (a semicolon inside any
// of them separates nothing), BEGIN BATCH ... APPLY BATCH kept whole, and the sections of a
// migration file marked by comment lines:
//
//   -- coodie:up
//   CREATE TABLE shop.products (id uuid PRIMARY KEY, name text);  -- the way forward
//   -- coodie:down
//   DROP TABLE shop.products;
//
// A file without markers is all up and has no way back (irreversible). Pure functions, no I/O.
//
// Example:
//   coodie::migrate::script s = coodie::migrate::parse_script(text, "20261206_001_products.cql");
//   for (const std::string& st : s.up) { session.execute(st); }
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coodie::migrate {

/// The statements of a migration file, comments left out, each trimmed and without its `;`.
struct script {
  std::vector<std::string> up;
  /// The down section's statements; std::nullopt when the file has no down marker (the
  /// migration cannot be rolled back). An empty down section rolls back by doing nothing.
  std::optional<std::vector<std::string>> down;
};

/// Splits a file into its sections and statements. Throws migration_error (refused) naming
/// `source` and the line for an unterminated string, identifier or comment, a section marker
/// inside a statement, a repeated marker, or statements before the first marker of a file that
/// has markers.
script parse_script(std::string_view text, std::string_view source);

/// The statements of CQL text with no section markers (as parse_script's up).
std::vector<std::string> split_statements(std::string_view text, std::string_view source);

/// True for a statement that can lose data or schema: DROP ..., TRUNCATE, DELETE, and ALTER
/// TABLE/TYPE ... DROP. Keywords are matched as words outside literals, in any case.
bool is_destructive(std::string_view statement);

/// True for a statement that changes the schema (CREATE, ALTER or DROP of anything): the
/// runner waits for the nodes to agree on the schema before and after it.
bool is_schema_change(std::string_view statement);

/// The SHA-256 of `text` in lower-case hex, line ends normalised (CRLF counts as LF), so that a
/// checkout that converts line ends does not change a migration's checksum.
std::string checksum(std::string_view text);

}  // namespace coodie::migrate
