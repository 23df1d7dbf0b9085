#include "coodie/migrate/models.hpp"

#include <algorithm>
#include <array>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "coodie/error.hpp"
#include "coodie/orm/schema.hpp"
#include "coodie/orm/type_text.hpp"

namespace coodie::migrate {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 4> kinds{"partition_key", "clustering", "static", "regular"};

/// Reads a snapshot, naming the place of anything missing or wrong.
class reader {
 public:
  explicit reader(std::string_view source) : source_(source) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw invalid_model("model snapshot " + std::string(source_) + ": " + what);
  }

  const json::value& at(const json::object& o, std::string_view key, const std::string& where) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr) {
      fail(where + " has no \"" + std::string(key) + "\"");
    }
    return *v;
  }
  std::string text(const json::object& o, std::string_view key, const std::string& where) {
    const json::value& v = at(o, key, where);
    if (!v.is_string()) {
      fail(where + ": \"" + std::string(key) + "\" is not text");
    }
    return std::string(v.get_string());
  }
  const json::array& array(const json::object& o, std::string_view key, const std::string& where) {
    const json::value& v = at(o, key, where);
    if (!v.is_array()) {
      fail(where + ": \"" + std::string(key) + "\" is not an array");
    }
    return v.get_array();
  }
  const json::object& object(const json::value& v, const std::string& where) {
    if (!v.is_object()) {
      fail(where + " is not an object");
    }
    return v.get_object();
  }

 private:
  std::string_view source_;
};

}  // namespace

void model_set::add(const table_schema& t) {
  for (const table_schema& have : tables) {
    if (have.name != t.name || have.keyspace != t.keyspace) {
      continue;
    }
    if (have.model == t.model) {
      return;  // a polymorphic table, named again by one of its subtypes
    }
    throw usage_error("models " + have.model + " and " + t.model + " both declare table " +
                      (t.keyspace.empty() ? "" : t.keyspace + ".") + t.name +
                      "; a table has one model (a polymorphic base and its subtypes share it)");
  }
  for (const wire::data_type& u : user_types_of(t)) {
    if (std::none_of(types.begin(), types.end(), [&](const wire::data_type& have) {
          return have.name == u.name && have.keyspace == u.keyspace;
        })) {
      types.push_back(u);
    }
  }
  tables.push_back(t);
}

std::string to_snapshot(const model_set& m) {
  json::array types;
  for (const wire::data_type& t : m.types) {
    json::array fields;
    for (std::size_t i = 0; i < t.field_names.size(); ++i) {
      fields.push_back(
          json::object{{"name", t.field_names[i]}, {"type", cql_type_text(t.params[i], true)}});
    }
    types.push_back(
        json::object{{"keyspace", t.keyspace}, {"name", t.name}, {"fields", std::move(fields)}});
  }
  json::array tables;
  for (const table_schema& t : m.tables) {
    json::array columns;
    for (const column_schema& c : t.columns) {
      columns.push_back(
          json::object{{"name", c.name},
                       {"type", c.cql_type},
                       {"kind", kinds[static_cast<std::size_t>(c.kind)]},
                       {"position", c.position},
                       {"order", c.clustering_order == order::desc ? "desc" : "asc"}});
    }
    json::array indexes;
    for (const index_schema& i : t.indexes) {
      json::object options;
      for (const auto& [name, value] : i.options) {
        options[name] = value;
      }
      indexes.push_back(json::object{{"name", i.name},
                                     {"column", i.column},
                                     {"class", i.custom_class},
                                     {"options", std::move(options)}});
    }
    json::array options;
    for (const table_option& o : t.options) {
      options.push_back(json::object{{"name", o.name}, {"value", o.cql_literal}});
    }
    tables.push_back(json::object{{"model", t.model},
                                  {"keyspace", t.keyspace},
                                  {"name", t.name},
                                  {"columns", std::move(columns)},
                                  {"indexes", std::move(indexes)},
                                  {"options", std::move(options)},
                                  {"view_of", t.view_of}});
  }
  return json::serialize(json::object{
      {"coodie_snapshot", 1}, {"types", std::move(types)}, {"tables", std::move(tables)}});
}

model_set from_snapshot(std::string_view text, std::string_view source) {
  reader r(source);
  json::value doc;
  try {
    doc = json::parse(text);
  } catch (const std::exception& e) {
    r.fail(std::string("not JSON: ") + e.what());
  }
  const json::object& root = r.object(doc, "the document");
  if (root.if_contains("coodie_snapshot") == nullptr) {
    r.fail("not a coodie model snapshot (no \"coodie_snapshot\")");
  }
  model_set m;
  user_type_lookup lookup = [&m](std::string_view name) -> const wire::data_type* {
    for (const wire::data_type& t : m.types) {
      if (t.name == name) {
        return &t;
      }
    }
    return nullptr;
  };
  for (const json::value& tv : r.array(root, "types", "the document")) {
    const json::object& to = r.object(tv, "a type");
    wire::data_type t;
    t.id = wire::type_id::udt;
    t.name = r.text(to, "name", "a type");
    t.keyspace = r.text(to, "keyspace", "type " + t.name);
    for (const json::value& fv : r.array(to, "fields", "type " + t.name)) {
      const json::object& fo = r.object(fv, "a field of type " + t.name);
      t.field_names.push_back(r.text(fo, "name", "a field of type " + t.name));
      t.params.push_back(parse_cql_type(r.text(fo, "type", "type " + t.name), lookup));
    }
    m.types.push_back(std::move(t));
  }
  for (const json::value& tv : r.array(root, "tables", "the document")) {
    const json::object& to = r.object(tv, "a table");
    table_schema t;
    t.name = r.text(to, "name", "a table");
    const std::string where = "table " + t.name;
    t.model = r.text(to, "model", where);
    t.keyspace = r.text(to, "keyspace", where);
    if (to.contains("view_of")) {  // snapshots before views have none
      t.view_of = r.text(to, "view_of", where);
    }
    for (const json::value& cv : r.array(to, "columns", where)) {
      const json::object& co = r.object(cv, "a column of " + where);
      column_schema c;
      c.name = r.text(co, "name", "a column of " + where);
      const std::string col = where + ", column " + c.name;
      c.cql_type = r.text(co, "type", col);
      c.type = parse_cql_type(c.cql_type, lookup);
      const std::string kind = r.text(co, "kind", col);
      auto k = std::find(kinds.begin(), kinds.end(), kind);
      if (k == kinds.end()) {
        r.fail(col + ": unknown kind " + kind);
      }
      c.kind = static_cast<column_kind>(k - kinds.begin());
      const json::value& pos = r.at(co, "position", col);
      if (!pos.is_int64()) {
        r.fail(col + ": \"position\" is not a number");
      }
      c.position = static_cast<int>(pos.get_int64());
      c.clustering_order = r.text(co, "order", col) == "desc" ? order::desc : order::asc;
      t.columns.push_back(std::move(c));
    }
    for (const json::value& iv : r.array(to, "indexes", where)) {
      const json::object& io = r.object(iv, "an index of " + where);
      index_schema i{.name = r.text(io, "name", "an index of " + where),
                     .column = r.text(io, "column", "an index of " + where),
                     .custom_class = r.text(io, "class", "an index of " + where),
                     .options = {}};
      if (io.contains("options")) {  // snapshots before vector indexes have none
        for (const auto& [name, value] : r.object(io.at("options"), "the options of " + i.name)) {
          if (!value.is_string()) {
            r.fail("index " + i.name + ": option " + std::string(name) + " is not text");
          }
          i.options.emplace(std::string(name), std::string(value.get_string()));
        }
      }
      t.indexes.push_back(std::move(i));
    }
    for (const json::value& ov : r.array(to, "options", where)) {
      const json::object& oo = r.object(ov, "an option of " + where);
      table_option o{.name = r.text(oo, "name", "an option of " + where),
                     .cql_literal = r.text(oo, "value", "an option of " + where)};
      // Both reach DDL text: a name of [a-z_] and a literal that parses, nothing else.
      if (o.name.empty() ||
          o.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos ||
          !parse_option_literal(o.cql_literal)) {
        r.fail(where + ": option " + o.name + " = " + o.cql_literal +
               " is not an option name and a CQL literal");
      }
      t.options.push_back(std::move(o));
    }
    m.tables.push_back(std::move(t));
  }
  return m;
}

}  // namespace coodie::migrate
