#include "coodie/orm/mapping.hpp"

#include <charconv>
#include <string>

#include "coodie/driver/identifiers.hpp"
#include "coodie/orm/type_text.hpp"

namespace coodie::orm::detail {

namespace {

std::string render_option(const option_decl& o) {
  switch (o.type) {
    case option_decl::kind::integer:
      return std::to_string(o.integer);
    case option_decl::kind::floating: {
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, o.floating);
      return std::string(buf, r.ptr);
    }
    case option_decl::kind::boolean:
      return o.boolean ? "true" : "false";
    case option_decl::kind::text:
      return quote_literal(o.text);
    case option_decl::kind::map: {
      std::string out = "{";
      for (std::size_t i = 0; i < o.map.size; ++i) {
        if (i > 0) {
          out += ", ";
        }
        out += quote_literal(o.map.entries[i].first);
        out += ": ";
        out += quote_literal(o.map.entries[i].second);
      }
      out += '}';
      return out;
    }
  }
  return {};
}

void check_option_name(std::string_view model, std::string_view name) {
  bool ok = !name.empty();
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || c == '_');
  }
  if (!ok) {
    throw invalid_model("model " + std::string(model) + ": invalid table option name \"" +
                        std::string(name) + "\"");
  }
}

/// The member's CQL type once the declaration's choice is applied.
wire::data_type chosen_type(std::string_view model, const column_seed& c) {
  wire::data_type t = c.natural;
  if (c.decl.has_choice) {
    const wire::type_id to = c.decl.choice;
    bool collection_swap = (to == wire::type_id::list || to == wire::type_id::set) &&
                           (t.id == wire::type_id::list || t.id == wire::type_id::set);
    if (collection_swap) {
      t.id = to;
    } else if (to != wire::type_id::list && to != wire::type_id::set) {
      t = wire::simple_type(to);
    }
    if (!c.accepts(t)) {
      throw invalid_model("model " + std::string(model) + ", member " + std::string(c.member) +
                          ": its C++ type cannot be stored as " + wire::to_cql(t) +
                          " (natural CQL type: " + wire::to_cql(c.natural) + ")");
    }
  }
  return t;
}

}  // namespace

std::string snake_case(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool upper = c >= 'A' && c <= 'Z';
    if (upper && i > 0) {
      char prev = name[i - 1];
      bool prev_lower_or_digit = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9');
      bool prev_upper = prev >= 'A' && prev <= 'Z';
      bool next_lower = i + 1 < name.size() && name[i + 1] >= 'a' && name[i + 1] <= 'z';
      if (prev_lower_or_digit || (prev_upper && next_lower)) {
        out.push_back('_');
      }
    }
    out.push_back(upper ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

table_schema build_schema(std::string_view model, const table_common& common,
                          std::vector<column_seed> columns, const index_decl* indexes,
                          std::size_t index_count) {
  table_schema t;
  t.model = std::string(model);
  t.name = common.table_name.empty() ? snake_case(model) : std::string(common.table_name);
  t.keyspace = std::string(common.keyspace_name);
  try {
    check_name("table", t.name);
    if (!t.keyspace.empty()) {
      check_name("keyspace", t.keyspace);
    }
  } catch (const usage_error& e) {
    throw invalid_model("model " + t.model + ": " + e.what());
  }
  t.columns.reserve(columns.size());
  for (const column_seed& c : columns) {
    column_schema col;
    col.member = c.member;
    col.name = std::string(c.rename.empty() ? c.member : c.rename);
    col.type = chosen_type(model, c);
    // A user type column is frozen (written whole) unless declared unfrozen.
    col.cql_type = cql_type_text(
        col.type, (c.decl.frozen || col.type.id == wire::type_id::udt) && !c.decl.unfrozen);
    switch (c.decl.kind) {
      case role::partition_key:
        col.kind = column_kind::partition_key;
        col.position = c.decl.key_position;
        break;
      case role::clustering:
        col.kind = column_kind::clustering;
        col.position = c.decl.key_position;
        col.clustering_order = c.decl.clustering_order;
        break;
      case role::static_column:
        col.kind = column_kind::static_column;
        break;
      case role::regular:
        break;
    }
    for (const column_schema& other : t.columns) {
      if (other.name == col.name) {
        throw invalid_model("model " + t.model + ": two members map to column " + col.name);
      }
    }
    t.columns.push_back(std::move(col));
  }
  for (std::size_t i = 0; i < index_count; ++i) {
    const index_decl& d = indexes[i];
    index_schema idx;
    for (const column_schema& col : t.columns) {
      if (col.member == d.member) {
        idx.column = col.name;
      }
    }
    if (idx.column.empty()) {
      throw invalid_model("model " + t.model + ": an index names a member that is not a column");
    }
    idx.name = d.name.empty() ? t.name + "_" + idx.column + "_idx" : std::string(d.name);
    try {
      check_name("index", idx.name);
    } catch (const usage_error& e) {
      throw invalid_model("model " + t.model + ": " + e.what());
    }
    if (d.storage_attached) {
      idx.custom_class = "StorageAttachedIndex";
    }
    static constexpr const char* functions[] = {"", "COSINE", "EUCLIDEAN", "DOT_PRODUCT"};
    if (d.similarity_function != similarity::none) {
      idx.options.emplace("similarity_function",
                          functions[static_cast<std::size_t>(d.similarity_function)]);
    }
    t.indexes.push_back(std::move(idx));
  }
  for (std::size_t i = 0; i < common.option_count; ++i) {
    const option_decl& o = common.options[i];
    check_option_name(t.model, o.name);
    t.options.push_back(table_option{std::string(o.name), render_option(o)});
  }
  return t;
}

}  // namespace coodie::orm::detail
