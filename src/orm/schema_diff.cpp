// The live table from system_schema rows, and the diff between it and a model's table_schema.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>

#include "coodie/error.hpp"
#include "coodie/orm/schema.hpp"
#include "schema_detail.hpp"

namespace coodie {

namespace {

bool is_key(column_kind k) {
  return k == column_kind::partition_key || k == column_kind::clustering;
}

std::string model_of(const table_schema& t) {
  return t.model.empty() ? std::string("the model") : "model " + t.model;
}

/// ((a, b), c ASC, d DESC)
std::string render_key(const table_schema& t) {
  std::string out = "((";
  std::vector<const column_schema*> pk = t.partition_key();
  for (std::size_t i = 0; i < pk.size(); ++i) {
    out += (i == 0 ? "" : ", ") + pk[i]->name;
  }
  out += ")";
  for (const column_schema* c : t.clustering_key()) {
    out += ", " + c->name + (c->clustering_order == order::desc ? " DESC" : " ASC");
  }
  return out + ")";
}

/// The first column where the primary keys differ, or std::nullopt when they are the same.
std::optional<std::string> first_key_difference(const table_schema& desired,
                                                const table_schema& live) {
  std::vector<const column_schema*> dk = desired.primary_key();
  std::vector<const column_schema*> lk = live.primary_key();
  for (std::size_t i = 0; i < std::max(dk.size(), lk.size()); ++i) {
    if (i >= dk.size()) {
      return lk[i]->name;
    }
    if (i >= lk.size()) {
      return dk[i]->name;
    }
    const column_schema& d = *dk[i];
    const column_schema& l = *lk[i];
    if (d.name != l.name || d.kind != l.kind ||
        (d.kind == column_kind::clustering && d.clustering_order != l.clustering_order)) {
      return d.name;
    }
  }
  return std::nullopt;
}

/// The normal form of an index class: "" for a native index, else the lower-case class name.
std::string normal_class(std::string_view cls) {
  std::size_t dot = cls.rfind('.');
  std::string c(dot == std::string_view::npos ? cls : cls.substr(dot + 1));
  std::transform(c.begin(), c.end(), c.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (c == "sai") {
    return "storageattachedindex";
  }
  if (c == "legacy_local_table" || c == "cassandraindex") {
    return "";
  }
  return c;
}

/// A model index without a class takes the server's default kind, so any live class satisfies it.
bool class_satisfies(std::string_view desired, std::string_view live) {
  return desired.empty() || normal_class(desired) == normal_class(live);
}

/// Each option the model gives has the live value, compared without case (the server stores
/// similarity_function as given; COSINE and cosine are one function). A vector index created
/// without similarity_function has the server's default, cosine.
bool options_satisfy(const std::map<std::string, std::string>& desired,
                     const std::map<std::string, std::string>& live) {
  static const std::string server_default_similarity = "cosine";
  for (const auto& [name, value] : desired) {
    auto l = live.find(name);
    const std::string* have = l != live.end() ? &l->second : nullptr;
    if (have == nullptr && name == "similarity_function") {
      have = &server_default_similarity;
    }
    if (have == nullptr ||
        !std::equal(value.begin(), value.end(), have->begin(), have->end(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return false;
    }
  }
  return true;
}

bool index_satisfies(const index_schema& desired, const index_schema& live) {
  return class_satisfies(desired.custom_class, live.custom_class) &&
         options_satisfy(desired.options, live.options);
}

std::string describe_class(const index_schema& i) {
  std::string out =
      i.custom_class.empty() ? std::string("the default index class") : i.custom_class;
  for (const auto& [name, value] : i.options) {
    out += " with " + name + " " + value;
  }
  return out;
}

std::string type_message(const std::string& where, const column_schema& d, const column_schema& l) {
  return "column " + where + "." + d.name + ": the model's type is " + d.cql_type +
         " but the live table's is " + l.cql_type + "; coodie does not change a column's type";
}

}  // namespace

std::string_view to_string(difference_kind k) noexcept {
  switch (k) {
    case difference_kind::type_changed:
      return "type_changed";
    case difference_kind::key_changed:
      return "key_changed";
    case difference_kind::static_changed:
      return "static_changed";
    case difference_kind::column_not_in_model:
      return "column_not_in_model";
    case difference_kind::index_not_in_model:
      return "index_not_in_model";
    case difference_kind::index_changed:
      return "index_changed";
    case difference_kind::index_name_differs:
      return "index_name_differs";
    case difference_kind::field_changed:
      return "field_changed";
    case difference_kind::field_not_in_model:
      return "field_not_in_model";
    case difference_kind::field_order_differs:
      return "field_order_differs";
    case difference_kind::column_not_in_view:
      return "column_not_in_view";
  }
  return "unknown";
}

existing_table make_existing_table(std::string_view keyspace, std::string_view table,
                                   std::span<const system_column_row> columns,
                                   std::span<const system_index_row> indexes,
                                   std::map<std::string, option_value> options) {
  existing_table out;
  out.schema.keyspace = std::string(keyspace);
  out.schema.name = std::string(table);
  std::string where = out.schema.keyspace + "." + out.schema.name;
  for (const system_column_row& r : columns) {
    column_schema c;
    c.name = r.column_name;
    c.cql_type = r.type;
    c.position = r.position;
    if (r.kind == "partition_key") {
      c.kind = column_kind::partition_key;
    } else if (r.kind == "clustering") {
      c.kind = column_kind::clustering;
    } else if (r.kind == "static") {
      c.kind = column_kind::static_column;
    } else if (r.kind == "regular") {
      c.kind = column_kind::regular;
    } else {
      throw schema_error("column " + where + "." + r.column_name + " has kind \"" + r.kind +
                             "\", which coodie does not know",
                         where, r.column_name);
    }
    if (r.clustering_order == "desc") {
      c.clustering_order = order::desc;
    } else if (r.clustering_order != "asc" && r.clustering_order != "none") {
      throw schema_error("column " + where + "." + r.column_name + " has clustering order \"" +
                             r.clustering_order + "\", which coodie does not know",
                         where, r.column_name);
    }
    if (!is_key(c.kind)) {
      c.position = -1;
    }
    out.schema.columns.push_back(std::move(c));
  }
  for (const system_index_row& r : indexes) {
    index_schema i;
    i.name = r.index_name;
    auto target = r.options.find("target");
    i.column = target == r.options.end() ? std::string()
                                         : orm::detail::normal_index_target(target->second);
    if (r.kind == "CUSTOM") {
      auto cls = r.options.find("class_name");
      i.custom_class = cls == r.options.end() ? std::string() : cls->second;
      for (const auto& [name, value] : r.options) {
        if (name != "class_name" && name != "target") {
          i.options.emplace(name, value);
        }
      }
    }
    out.schema.indexes.push_back(std::move(i));
  }
  for (const auto& [name, value] : options) {
    if (!std::holds_alternative<std::monostate>(value)) {
      out.schema.options.push_back({name, to_cql_literal(value)});
    }
  }
  out.options = std::move(options);
  return out;
}

sync_plan plan_table_sync(const table_schema& desired, std::string_view keyspace,
                          const std::optional<existing_table>& existing,
                          const sync_options& options) {
  for (const index_schema& i : desired.indexes) {
    if (i.name.empty()) {  // the model names its indexes (<table>_<column>_idx by default)
      throw usage_error(model_of(desired) + ": an index of table " + desired.name + " on " +
                        i.column + " has no name");
    }
  }
  sync_plan plan;
  if (!existing) {
    plan.creates_table = true;
    plan.statements.push_back(ddl::create_table(desired, keyspace));
    for (const index_schema& i : desired.indexes) {
      plan.statements.push_back(ddl::create_index(desired, i, keyspace));
    }
    return plan;
  }
  const table_schema& live = existing->schema;
  const std::string where = orm::detail::display_name(desired, keyspace);
  // A table and a view share one namespace: neither is altered as the other.
  if (desired.view_of.empty() != live.view_of.empty()) {
    throw usage_error(model_of(desired) + ": " + where + " is a " +
                      (live.view_of.empty() ? "table" : "materialized view") +
                      " on the server, but the model declares a " +
                      (desired.view_of.empty() ? "table" : "materialized view"));
  }
  if (!desired.view_of.empty() && desired.view_of != live.view_of) {
    throw usage_error(model_of(desired) + ": the materialized view " + where +
                      " on the server is over " + live.view_of +
                      ", but the model declares it over " + desired.view_of);
  }
  auto report = [&](difference_kind k, std::string column, std::string message) {
    plan.differences.push_back({k, where, std::move(column), std::move(message)});
  };

  // The primary key: any change is reported, never applied.
  if (std::optional<std::string> col = first_key_difference(desired, live)) {
    report(difference_kind::key_changed, *col,
           "table " + where + ": the primary key differs at column " + *col + ": " +
               model_of(desired) + " has PRIMARY KEY " + render_key(desired) +
               " but the live table has PRIMARY KEY " + render_key(live) +
               "; coodie does not change a primary key");
  }

  // Columns.
  std::vector<std::string> adds;
  for (const column_schema& d : desired.columns) {
    const column_schema* l = live.find(d.name);
    if (l == nullptr) {
      if (is_key(d.kind)) {  // a missing key column is part of key_changed
        continue;
      }
      if (desired.view_of.empty()) {
        adds.push_back(ddl::alter_add_column(desired, d, keyspace));
      } else {
        report(difference_kind::column_not_in_view, d.name,
               "column " + where + "." + d.name + " of " + model_of(desired) +
                   " is missing from the live view; a view cannot gain a column: drop the view "
                   "and sync it again");
      }
      continue;
    }
    if (orm::detail::normal_cql_type(d.cql_type) != orm::detail::normal_cql_type(l->cql_type)) {
      report(difference_kind::type_changed, d.name, type_message(where, d, *l));
    }
    bool d_static = d.kind == column_kind::static_column;
    bool l_static = l->kind == column_kind::static_column;
    if (d_static != l_static && !is_key(d.kind) && !is_key(l->kind)) {
      report(difference_kind::static_changed, d.name,
             "column " + where + "." + d.name + ": " + model_of(desired) + " declares it " +
                 (d_static ? "STATIC" : "not STATIC") + " but the live column is " +
                 (l_static ? "STATIC" : "not STATIC") + "; coodie does not change that");
    }
  }
  for (const column_schema& l : live.columns) {
    if (desired.find(l.name) == nullptr && !is_key(l.kind)) {
      report(difference_kind::column_not_in_model, l.name,
             "column " + where + "." + l.name + " (" + l.cql_type +
                 ") exists in the live table but not in " + model_of(desired) +
                 "; coodie does not drop columns");
    }
  }

  // Indexes, matched by name.
  std::vector<std::string> drops;
  std::vector<std::string> creates;
  std::set<std::string> accounted;  // live indexes the model names or that stand for one of its
  for (const index_schema& d : desired.indexes) {
    accounted.insert(d.name);
  }
  std::string_view ks = desired.keyspace_or(keyspace);
  for (const index_schema& d : desired.indexes) {
    std::string target = orm::detail::normal_index_target(d.column);
    auto same_name = std::find_if(live.indexes.begin(), live.indexes.end(),
                                  [&](const index_schema& l) { return l.name == d.name; });
    if (same_name != live.indexes.end()) {
      if (same_name->column != target || !index_satisfies(d, *same_name)) {
        report(difference_kind::index_changed, d.name,
               "index " + d.name + " of " + where + ": " + model_of(desired) + " has it on " +
                   target + " using " + describe_class(d) + " but the live index is on " +
                   same_name->column + " using " + describe_class(*same_name) +
                   "; coodie does not rebuild indexes");
      }
      continue;
    }
    auto same_target =
        std::find_if(live.indexes.begin(), live.indexes.end(), [&](const index_schema& l) {
          return accounted.count(l.name) == 0 && l.column == target && index_satisfies(d, l);
        });
    if (same_target != live.indexes.end()) {
      accounted.insert(same_target->name);
      if (!options.drop_removed_indexes) {
        report(difference_kind::index_name_differs, d.name,
               "index " + d.name + " of " + model_of(desired) + " exists on " + where + " (" +
                   target + ") as " + same_target->name +
                   "; sync with drop_removed_indexes to replace it");
        continue;
      }
      drops.push_back(ddl::drop_index(ks, same_target->name));
    }
    creates.push_back(ddl::create_index(desired, d, keyspace));
  }
  for (const index_schema& l : live.indexes) {
    if (accounted.count(l.name) != 0) {
      continue;
    }
    if (options.drop_removed_indexes) {
      drops.push_back(ddl::drop_index(ks, l.name));
    } else {
      report(difference_kind::index_not_in_model, l.name,
             "index " + l.name + " on " + where + " (" + l.column +
                 ") exists in the live table but not in " + model_of(desired) +
                 "; sync with drop_removed_indexes to drop it");
    }
  }

  // Options: only those the model sets, compared by meaning.
  std::vector<table_option> changed;
  for (const table_option& o : desired.options) {
    std::optional<option_value> want = parse_option_literal(o.cql_literal);
    if (!want) {
      throw usage_error(model_of(desired) + ": option " + o.name + " of table " + where + " is " +
                        o.cql_literal + ", not a CQL constant or map of constants");
    }
    auto have = existing->options.find(o.name);
    if (have == existing->options.end() || !option_matches(o.name, *want, have->second)) {
      changed.push_back(o);
    }
  }

  plan.statements = std::move(adds);
  plan.statements.insert(plan.statements.end(), drops.begin(), drops.end());
  plan.statements.insert(plan.statements.end(), creates.begin(), creates.end());
  if (!changed.empty()) {
    plan.statements.push_back(ddl::alter_options(desired, changed, keyspace));
  }
  return plan;
}

}  // namespace coodie
