#include "coodie/driver/identifiers.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "coodie/error.hpp"

namespace coodie {

namespace {

// Cassandra's reserved keywords (unreserved ones such as "key" or "type" need no quotes, but
// quoting one is always harmless). Upper case.
constexpr std::array<std::string_view, 66> reserved = {
    "ADD",       "ALLOW",   "ALTER",       "AND",    "APPLY",        "ASC",      "AUTHORIZE",
    "BATCH",     "BEGIN",   "BETWEEN",     "BY",     "COLUMNFAMILY", "CREATE",   "DEFAULT",
    "DELETE",    "DESC",    "DESCRIBE",    "DROP",   "ENTRIES",      "EXECUTE",  "FROM",
    "FULL",      "GRANT",   "IF",          "IN",     "INDEX",        "INFINITY", "INSERT",
    "INTO",      "IS",      "KEYSPACE",    "LIMIT",  "MATERIALIZED", "MBEAN",    "MBEANS",
    "MODIFY",    "NAN",     "NORECURSIVE", "NOT",    "NULL",         "OF",       "ON",
    "OR",        "ORDER",   "PRIMARY",     "RENAME", "REPLACE",      "REVOKE",   "SCHEMA",
    "SELECT",    "SET",     "TABLE",       "TO",     "TOKEN",        "TRUNCATE", "UNLOGGED",
    "UNSET",     "UPDATE",  "USE",         "USING",  "VIEW",         "WHERE",    "WITH",
    "KEYSPACES", "ORDERED", "PER",
};

}  // namespace

bool is_reserved_keyword(std::string_view name) noexcept {
  if (name.empty() || name.size() > 16) {
    return false;
  }
  std::string upper(name);
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return std::find(reserved.begin(), reserved.end(), upper) != reserved.end();
}

std::string quote_identifier(std::string_view name) {
  if (name.empty()) {
    throw usage_error("an identifier cannot be empty");
  }
  // An unquoted identifier begins with a letter: "_x" and "2x" are quoted.
  bool plain = name.size() <= 48 && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) {
    if (c == '\0') {
      throw usage_error("an identifier cannot contain a NUL character");
    }
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (plain && !is_reserved_keyword(name)) {
    return std::string(name);
  }
  std::string out = "\"";
  for (char c : name) {
    out.push_back(c);
    if (c == '"') {
      out.push_back('"');
    }
  }
  out.push_back('"');
  return out;
}

void check_name(std::string_view what, std::string_view name) {
  bool ok = !name.empty() && name.size() <= 48;
  for (char c : name) {
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (!ok) {
    std::string shown;
    for (char c : name.substr(0, 64)) {
      shown.push_back(std::isprint(static_cast<unsigned char>(c)) != 0 ? c : '?');
    }
    throw usage_error("invalid " + std::string(what) + " name \"" + shown +
                      "\": use 1 to 48 letters, digits or underscores");
  }
}

std::string quote_literal(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  for (char c : text) {
    out += c;
    if (c == '\'') {
      out += '\'';
    }
  }
  out += '\'';
  return out;
}

}  // namespace coodie
