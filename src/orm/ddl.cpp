// DDL text for keyspaces, tables and indexes, plus the identifier helpers the diff shares.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>

#include "coodie/driver/identifiers.hpp"
#include "coodie/error.hpp"
#include "coodie/orm/schema.hpp"
#include "schema_detail.hpp"

namespace coodie {

namespace orm::detail {

std::string qualified_table(const table_schema& t, std::string_view keyspace) {
  check_name("table", t.name);
  std::string_view ks = t.keyspace_or(keyspace);
  if (ks.empty()) {
    return quote_identifier(t.name);
  }
  check_name("keyspace", ks);
  return quote_identifier(ks) + "." + quote_identifier(t.name);
}

std::string display_name(const table_schema& t, std::string_view keyspace) {
  std::string_view ks = t.keyspace_or(keyspace);
  return ks.empty() ? t.name : std::string(ks) + "." + t.name;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.remove_suffix(1);
  }
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// "Cap" -> Cap (doubled quotes undone); anything else as is.
std::string unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') {
    return std::string(s);
  }
  std::string out;
  s = s.substr(1, s.size() - 2);
  for (std::size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if (s[i] == '"' && i + 1 < s.size() && s[i + 1] == '"') {
      ++i;
    }
  }
  return out;
}

}  // namespace

index_target parse_index_target(std::string_view text) {
  text = trim(text);
  std::size_t open = text.find('(');
  if (open != std::string_view::npos && !text.empty() && text.back() == ')' &&
      (text.front() != '"')) {
    std::string fn = lower(trim(text.substr(0, open)));
    if (fn == "keys" || fn == "values" || fn == "entries" || fn == "full") {
      std::string_view inner = trim(text.substr(open + 1, text.size() - open - 2));
      return {fn, inner.empty() ? std::string() : unquote(inner)};
    }
    return {};
  }
  return {"", unquote(text)};
}

std::string render_index_target(const index_target& target) {
  std::string col = quote_identifier(target.column);
  return target.function.empty() ? col : target.function + "(" + col + ")";
}

std::string normal_index_target(std::string_view text) {
  index_target t = parse_index_target(text);
  if (t.column.empty()) {
    return std::string(trim(text));
  }
  if (t.function.empty() || t.function == "values") {
    return t.column;
  }
  return t.function + "(" + t.column + ")";
}

std::string normal_cql_type(std::string_view type) {
  std::string out;
  bool quoted = false;
  for (char c : type) {
    if (c == '"') {
      quoted = !quoted;
    }
    if (!quoted && std::isspace(static_cast<unsigned char>(c)) != 0) {
      continue;
    }
    out += quoted ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  // varchar is text: replace the whole word only.
  std::string result;
  std::size_t i = 0;
  while (i < out.size()) {
    bool word_start = i == 0 || out[i - 1] == '<' || out[i - 1] == ',';
    if (word_start && out.compare(i, 7, "varchar") == 0 &&
        (i + 7 == out.size() || out[i + 7] == '>' || out[i + 7] == ',')) {
      result += "text";
      i += 7;
    } else {
      result += out[i++];
    }
  }
  return result;
}

}  // namespace orm::detail

namespace ddl {

namespace {

std::string column_definition(const table_schema& t, const column_schema& c) {
  if (c.cql_type.empty()) {
    throw usage_error("model " + t.model + ": column " + c.name + " of table " + t.name +
                      " has no CQL type");
  }
  std::string out = quote_identifier(c.name) + " " + c.cql_type;
  if (c.kind == column_kind::static_column) {
    out += " STATIC";
  }
  return out;
}

void check_option(const table_schema& t, const table_option& o) {
  bool ok = !o.name.empty() && std::all_of(o.name.begin(), o.name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  });
  if (!ok) {
    throw usage_error("model " + t.model + ": table option name \"" + o.name + "\" of table " +
                      t.name + " is not a plain lower-case option name");
  }
  if (o.cql_literal.empty()) {
    throw usage_error("model " + t.model + ": table option " + o.name + " of table " + t.name +
                      " has no value");
  }
}

std::string join_options(const table_schema& t, std::span<const table_option> options) {
  std::string out;
  for (const table_option& o : options) {
    check_option(t, o);
    if (!out.empty()) {
      out += " AND ";
    }
    out += o.name + " = " + o.cql_literal;
  }
  return out;
}

std::string join_columns(const std::vector<const column_schema*>& cols) {
  std::string out;
  for (const column_schema* c : cols) {
    if (!out.empty()) {
      out += ", ";
    }
    out += quote_identifier(c->name);
  }
  return out;
}

}  // namespace

std::string create_keyspace(const keyspace_options& k) {
  check_name("keyspace", k.name);
  std::string replication;
  if (k.strategy == keyspace_options::strategy::simple) {
    if (k.replication_factor < 1) {
      throw usage_error("keyspace " + k.name + ": replication factor " +
                        std::to_string(k.replication_factor) + " is not at least 1");
    }
    replication = "{'class': 'SimpleStrategy', 'replication_factor': " +
                  std::to_string(k.replication_factor) + "}";
  } else {
    if (k.datacenters.empty()) {
      throw usage_error("keyspace " + k.name +
                        ": NetworkTopologyStrategy needs at least one datacenter");
    }
    replication = "{'class': 'NetworkTopologyStrategy'";
    std::set<std::string> seen;
    for (const auto& [dc, rf] : k.datacenters) {
      if (dc.empty() || !seen.insert(dc).second) {
        throw usage_error("keyspace " + k.name + ": datacenter name \"" + dc +
                          "\" is empty or given twice");
      }
      if (rf < 1) {
        throw usage_error("keyspace " + k.name + ": replication factor " + std::to_string(rf) +
                          " of datacenter " + dc + " is not at least 1");
      }
      replication += ", " + quote_literal(dc) + ": " + std::to_string(rf);
    }
    replication += "}";
  }
  return "CREATE KEYSPACE IF NOT EXISTS " + quote_identifier(k.name) +
         " WITH replication = " + replication +
         " AND durable_writes = " + (k.durable_writes ? "true" : "false");
}

std::string drop_keyspace(std::string_view name) {
  check_name("keyspace", name);
  return "DROP KEYSPACE IF EXISTS " + quote_identifier(name);
}

namespace {

/// `PRIMARY KEY ((a, b), c)`.
std::string key_clause(const table_schema& t) {
  std::vector<const column_schema*> pk = t.partition_key();
  std::vector<const column_schema*> ck = t.clustering_key();
  if (pk.empty()) {
    throw usage_error("model " + t.model + ": table " + t.name + " has no partition key column");
  }
  std::string out = "PRIMARY KEY (";
  out += pk.size() == 1 ? quote_identifier(pk[0]->name) : "(" + join_columns(pk) + ")";
  if (!ck.empty()) {
    out += ", " + join_columns(ck);
  }
  return out + ")";
}

/// ` WITH CLUSTERING ORDER BY (c ASC) AND <options>`, or nothing.
std::string with_clause(const table_schema& t) {
  std::vector<const column_schema*> ck = t.clustering_key();
  std::string with;
  if (!ck.empty()) {
    with = "CLUSTERING ORDER BY (";
    for (std::size_t i = 0; i < ck.size(); ++i) {
      with += (i == 0 ? "" : ", ") + quote_identifier(ck[i]->name) +
              (ck[i]->clustering_order == order::desc ? " DESC" : " ASC");
    }
    with += ")";
  }
  std::string opts = join_options(t, t.options);
  if (!opts.empty()) {
    with += (with.empty() ? "" : " AND ") + opts;
  }
  return with.empty() ? with : " WITH " + with;
}

}  // namespace

std::string create_table(const table_schema& t, std::string_view keyspace) {
  if (!t.view_of.empty()) {
    return create_view(t, keyspace);
  }
  std::string table = orm::detail::qualified_table(t, keyspace);
  const bool clustered = !t.clustering_key().empty();
  std::set<std::string_view> names;
  std::string out = "CREATE TABLE IF NOT EXISTS " + table + " (";
  for (const column_schema& c : t.columns) {
    if (!names.insert(c.name).second) {
      throw usage_error("model " + t.model + ": table " + t.name + " declares column " + c.name +
                        " twice");
    }
    if (c.kind == column_kind::static_column && !clustered) {
      throw usage_error("model " + t.model + ": column " + c.name + " of table " + t.name +
                        " is STATIC but the table has no clustering column");
    }
    out += column_definition(t, c) + ", ";
  }
  return out + key_clause(t) + ")" + with_clause(t);
}

std::string create_view(const table_schema& v, std::string_view keyspace) {
  if (v.view_of.empty()) {
    throw usage_error("model " + v.model + ": " + v.name + " is a table, not a view");
  }
  check_name("table", v.view_of);
  table_schema base = v;  // the base table lives in the view's keyspace
  base.name = v.view_of;
  std::string names;
  std::string not_null;
  for (const column_schema& c : v.columns) {
    names += (names.empty() ? "" : ", ") + quote_identifier(c.name);
  }
  for (const column_schema* c : v.primary_key()) {
    not_null += (not_null.empty() ? "" : " AND ") + quote_identifier(c->name) + " IS NOT NULL";
  }
  return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + orm::detail::qualified_table(v, keyspace) +
         " AS SELECT " + names + " FROM " + orm::detail::qualified_table(base, keyspace) +
         " WHERE " + not_null + " " + key_clause(v) + with_clause(v);
}

std::string drop_table(const table_schema& t, std::string_view keyspace) {
  return (t.view_of.empty() ? "DROP TABLE IF EXISTS " : "DROP MATERIALIZED VIEW IF EXISTS ") +
         orm::detail::qualified_table(t, keyspace);
}

std::string truncate(const table_schema& t, std::string_view keyspace) {
  if (!t.view_of.empty()) {
    throw usage_error("model " + t.model + ": " + t.name +
                      " is a materialized view; truncate its base table " + t.view_of);
  }
  return "TRUNCATE TABLE " + orm::detail::qualified_table(t, keyspace);
}

std::string create_index(const table_schema& t, const index_schema& index,
                         std::string_view keyspace) {
  std::string table = orm::detail::qualified_table(t, keyspace);
  if (index.name.empty()) {
    throw usage_error("model " + t.model + ": an index of table " + t.name + " on " + index.column +
                      " has no name");
  }
  check_name("index", index.name);
  orm::detail::index_target target = orm::detail::parse_index_target(index.column);
  if (target.column.empty() || t.find(target.column) == nullptr) {
    throw usage_error("model " + t.model + ": index " + index.name + " of table " + t.name +
                      " targets \"" + index.column + "\", which is not a column of the table");
  }
  std::string on = " ON " + table + " (" + orm::detail::render_index_target(target) + ")";
  if (index.custom_class.empty()) {
    return "CREATE INDEX IF NOT EXISTS " + quote_identifier(index.name) + on;
  }
  std::string out = "CREATE CUSTOM INDEX IF NOT EXISTS " + quote_identifier(index.name) + on +
                    " USING " + quote_literal(index.custom_class);
  std::string with;
  for (const auto& [name, value] : index.options) {
    with += (with.empty() ? "" : ", ") + quote_literal(name) + ": " + quote_literal(value);
  }
  return with.empty() ? out : out + " WITH OPTIONS = {" + with + "}";
}

std::string drop_index(std::string_view keyspace, std::string_view name) {
  check_name("index", name);
  if (keyspace.empty()) {
    return "DROP INDEX IF EXISTS " + quote_identifier(name);
  }
  check_name("keyspace", keyspace);
  return "DROP INDEX IF EXISTS " + quote_identifier(keyspace) + "." + quote_identifier(name);
}

std::string alter_drop_column(const table_schema& t, std::string_view column,
                              std::string_view keyspace) {
  return "ALTER TABLE " + orm::detail::qualified_table(t, keyspace) + " DROP " +
         quote_identifier(column);
}

std::string alter_add_column(const table_schema& t, const column_schema& column,
                             std::string_view keyspace) {
  std::string table = orm::detail::qualified_table(t, keyspace);
  if (column.kind == column_kind::partition_key || column.kind == column_kind::clustering) {
    throw usage_error("model " + t.model + ": column " + column.name + " of table " + t.name +
                      " is a primary key column, which ALTER TABLE cannot add");
  }
  if (column.kind == column_kind::static_column && t.clustering_key().empty()) {
    throw usage_error("model " + t.model + ": column " + column.name + " of table " + t.name +
                      " is STATIC but the table has no clustering column");
  }
  return "ALTER TABLE " + table + " ADD " + column_definition(t, column);
}

std::string alter_options(const table_schema& t, std::span<const table_option> options,
                          std::string_view keyspace) {
  std::string table = orm::detail::qualified_table(t, keyspace);
  if (options.empty()) {
    throw usage_error("model " + t.model + ": ALTER TABLE " + t.name + " WITH needs an option");
  }
  return (t.view_of.empty() ? "ALTER TABLE " : "ALTER MATERIALIZED VIEW ") + table + " WITH " +
         join_options(t, options);
}

}  // namespace ddl

}  // namespace coodie
