#include "coodie/migrate/codegen.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "blocking.hpp"
#include "coodie/error.hpp"
#include "coodie/orm/type_text.hpp"
#include "state.hpp"

namespace coodie::migrate {
namespace {

using wire::type_id;

/// C++ keywords and alternative tokens: not usable as member names.
constexpr std::array<std::string_view, 92> keywords{
    "alignas",       "alignof",     "and",
    "and_eq",        "asm",         "auto",
    "bitand",        "bitor",       "bool",
    "break",         "case",        "catch",
    "char",          "char8_t",     "char16_t",
    "char32_t",      "class",       "compl",
    "concept",       "const",       "consteval",
    "constexpr",     "constinit",   "const_cast",
    "continue",      "co_await",    "co_return",
    "co_yield",      "decltype",    "default",
    "delete",        "do",          "double",
    "dynamic_cast",  "else",        "enum",
    "explicit",      "export",      "extern",
    "false",         "float",       "for",
    "friend",        "goto",        "if",
    "inline",        "int",         "long",
    "mutable",       "namespace",   "new",
    "noexcept",      "not",         "not_eq",
    "nullptr",       "operator",    "or",
    "or_eq",         "private",     "protected",
    "public",        "register",    "reinterpret_cast",
    "requires",      "return",      "short",
    "signed",        "sizeof",      "static",
    "static_assert", "static_cast", "struct",
    "switch",        "template",    "this",
    "thread_local",  "throw",       "true",
    "try",           "typedef",     "typeid",
    "typename",      "union",       "unsigned",
    "using",         "virtual",     "void",
    "volatile",      "wchar_t",     "while",
    "xor",           "xor_eq"};

/// A live name as it goes into a C++ string literal or comment: refused when it holds a quote,
/// a backslash or a control character (no CQL schema needs them).
const std::string& literal_safe(const std::string& name) {
  for (char c : name) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      throw invalid_model("codegen: the name \"" + name +
                          "\" holds a quote, backslash or control character");
    }
  }
  return name;
}

/// A member name for a column or field: the name itself when it is a C++ identifier (and not a
/// keyword), else a sanitised one (the declaration then names the column).
std::string member_name(const std::string& column) {
  std::string out;
  for (char c : column) {
    out += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out.front())) != 0 ||
      std::find(keywords.begin(), keywords.end(), out) != keywords.end()) {
    out = "col_" + out;
  }
  return out;
}

/// products → Products, line_item → LineItem.
std::string struct_name(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out.front())) != 0) {
    out = "T" + out;
  }
  return out;
}

std::string cpp_type(const wire::data_type& t) {
  auto inner = [&](std::size_t i) { return cpp_type(t.params.at(i)); };
  switch (t.id) {
    case type_id::ascii:
    case type_id::varchar:
      return "std::string";
    case type_id::bigint:
    case type_id::counter:
      return "std::int64_t";
    case type_id::blob:
      return "coodie::blob";
    case type_id::boolean:
      return "bool";
    case type_id::date:
      return "coodie::date";
    case type_id::decimal:
      return "coodie::decimal";
    case type_id::double_:
      return "double";
    case type_id::duration:
      return "coodie::duration";
    case type_id::float_:
      return "float";
    case type_id::inet:
      return "coodie::inet";
    case type_id::int_:
      return "std::int32_t";
    case type_id::smallint:
      return "std::int16_t";
    case type_id::tinyint:
      return "std::int8_t";
    case type_id::time:
      return "coodie::time_of_day";
    case type_id::timestamp:
      return "std::chrono::sys_time<std::chrono::milliseconds>";
    case type_id::timeuuid:
      return "coodie::timeuuid";
    case type_id::uuid:
      return "coodie::uuid";
    case type_id::varint:
      return "coodie::varint";
    case type_id::list:
      return "std::vector<" + inner(0) + ">";
    case type_id::set:
      return "std::set<" + inner(0) + ">";
    case type_id::map:
      return "std::map<" + inner(0) + ", " + inner(1) + ">";
    case type_id::vector:
      return "std::array<" + inner(0) + ", " + std::to_string(t.dimension) + ">";
    case type_id::udt:
      return struct_name(t.name);
    case type_id::tuple: {
      std::string out = "std::tuple<";
      for (std::size_t i = 0; i < t.params.size(); ++i) {
        out += (i == 0 ? "" : ", ") + inner(i);
      }
      return out + ">";
    }
    default:
      throw invalid_model("codegen: no C++ type for CQL type " + wire::to_cql(t));
  }
}

/// The member's type: nullable scalars and user types as std::optional.
std::string member_type(const wire::data_type& t, bool nullable) {
  const std::string base = cpp_type(t);
  const bool collection = wire::is_collection(t.id) || t.id == type_id::counter;
  return nullable && !collection ? "std::optional<" + base + ">" : base;
}

/// The live types parsed, each after the types it uses (a type whose fields name a type not
/// parsed yet waits for a later pass).
std::vector<wire::data_type> parse_types(const std::vector<live_type>& types) {
  std::vector<wire::data_type> done;
  const user_type_lookup lookup = [&done](std::string_view name) -> const wire::data_type* {
    auto it = std::find_if(done.begin(), done.end(),
                           [&](const wire::data_type& t) { return t.name == name; });
    return it == done.end() ? nullptr : &*it;
  };
  std::vector<const live_type*> left;
  for (const live_type& t : types) {
    left.push_back(&t);
  }
  while (!left.empty()) {
    const std::size_t before = left.size();
    for (auto it = left.begin(); it != left.end();) {
      wire::data_type t;
      t.id = type_id::udt;
      t.name = (*it)->name;
      t.field_names = (*it)->fields.field_names;
      try {
        for (const std::string& f : (*it)->fields.field_types) {
          t.params.push_back(parse_cql_type(f, lookup));
        }
      } catch (const invalid_model&) {
        ++it;  // uses a type not parsed yet
        continue;
      }
      done.push_back(std::move(t));
      it = left.erase(it);
    }
    if (left.size() == before) {
      throw invalid_model("codegen: user type " + left.front()->name +
                          " uses a type that is not in the keyspace");
    }
  }
  return done;
}

class renderer {
 public:
  renderer(const codegen_options& o, std::vector<wire::data_type> types)
      : o_(o), types_(std::move(types)) {}

  void type(const wire::data_type& t) {
    const std::string name = struct_name(t.name);
    body_ += "struct " + name + " {\n";
    std::string decl = "template <>\ninline constexpr auto coodie::udt<" + o_.name_space +
                       "::" + name + "> =\n    coodie::user_type(\"" + literal_safe(t.name) + "\")";
    for (std::size_t i = 0; i < t.field_names.size(); ++i) {
      const std::string m = member_name(t.field_names[i]);
      body_ += "  " + member_type(t.params[i], true) + ' ' + m + "{};\n";
      if (m != t.field_names[i]) {
        decl += "\n        .field<&" + o_.name_space + "::" + name + "::" + m + ">(\"" +
                literal_safe(t.field_names[i]) + "\")";
      }
    }
    body_ +=
        "  friend bool operator==(const " + name + "&, const " + name + "&) = default;\n};\n\n";
    decls_ += decl + ";\n";
  }

  void table(const existing_table& live) {
    const table_schema& t = live.schema;
    std::string name = struct_name(t.name);
    if (std::any_of(types_.begin(), types_.end(),
                    [&](const wire::data_type& u) { return struct_name(u.name) == name; })) {
      name += "Row";  // a user type of the same name has the plain struct name
    }
    const std::string q = o_.name_space + "::" + name + "::";
    models_.push_back(name);
    std::vector<const column_schema*> columns;
    for (const column_schema& c : t.columns) {
      columns.push_back(&c);
    }
    // Keys first, in key order; then static and regular columns as system_schema lists them.
    std::stable_sort(columns.begin(), columns.end(), [](const auto* a, const auto* b) {
      const int ka = static_cast<int>(a->kind);
      const int kb = static_cast<int>(b->kind);
      return ka != kb ? ka < kb : (ka < 2 && a->position < b->position);
    });
    std::string partition;
    std::string decl;
    std::vector<const column_schema*> clustering;
    body_ += "struct " + name + " {\n";
    for (const column_schema* c : columns) {
      const wire::data_type type = parse_cql_type(c->cql_type, lookup());
      const std::string m = member_name(c->name);
      const bool key = c->kind == column_kind::partition_key || c->kind == column_kind::clustering;
      body_ += "  " + member_type(type, !key) + ' ' + m + "{};\n";
      if (c->kind == column_kind::partition_key) {
        partition += (partition.empty() ? "&" : ", &") + q + m;
      } else if (c->kind == column_kind::clustering) {
        clustering.push_back(c);
      } else if (c->kind == column_kind::static_column) {
        decl += "\n        .static_column<&" + q + m + ">()";
      }
      if (m != c->name) {
        decl += "\n        .column<&" + q + m + ">(\"" + literal_safe(c->name) + "\")";
      }
      decl += choices(*c, type, q + m);
    }
    body_ += "};\n\n";
    std::string head = "template <>\ninline constexpr auto coodie::model<" + o_.name_space +
                       "::" + name + "> =\n    coodie::table(\"" + literal_safe(t.name) +
                       "\")\n        .partition_key<" + partition + ">()";
    for (const column_schema* c : clustering) {
      head += "\n        .clustering_key<&" + q + member_name(c->name) + ">(" +
              (c->clustering_order == order::desc ? "coodie::desc" : "coodie::asc") + ")";
    }
    decls_ += head + decl + indexes(t, q) + ";\n";
  }

  std::string finish(const std::string& keyspace) const {
    std::string out =
        "// C++ models of keyspace " + keyspace + ", generated by coodie codegen" +
        (o_.generated_at.empty() ? "" : " on " + o_.generated_at) +
        ".\n// Regenerate rather than edit: `coodie codegen -k " + keyspace +
        "`.\n#pragma once\n\n#include <array>\n#include <chrono>\n#include "
        "<cstdint>\n#include <map>\n#include <optional>\n#include <set>\n#include "
        "<string>\n#include <tuple>\n#include <vector>\n\n#include "
        "\"coodie/coodie.hpp\"\n#include \"coodie/migrate/models.hpp\"\n\nnamespace " +
        o_.name_space + " {\n\n" + body_ + "}  // namespace " + o_.name_space + "\n\n" + decls_ +
        "\nnamespace " + o_.name_space +
        " {\n\n/// Every table of the keyspace, with the user types they use.\n"
        "inline coodie::migrate::model_set all_models() {\n  return "
        "coodie::migrate::models<";
    for (std::size_t i = 0; i < models_.size(); ++i) {
      out += (i == 0 ? "" : ", ") + models_[i];
    }
    return out + ">();\n}\n\n}  // namespace " + o_.name_space + "\n";
  }

 private:
  user_type_lookup lookup() const {
    return [this](std::string_view n) -> const wire::data_type* {
      auto it = std::find_if(types_.begin(), types_.end(),
                             [&](const wire::data_type& t) { return t.name == n; });
      return it == types_.end() ? nullptr : &*it;
    };
  }

  /// What the C++ type alone does not say: ascii, counter, frozen, unfrozen.
  static std::string choices(const column_schema& c, const wire::data_type& t,
                             const std::string& member) {
    const bool frozen = c.cql_type.starts_with("frozen<");
    if (t.id == type_id::ascii) {
      return "\n        .type<&" + member + ">(coodie::cql::ascii)";
    }
    if (t.id == type_id::counter) {
      return "\n        .type<&" + member + ">(coodie::cql::counter)";
    }
    if (frozen && wire::is_collection(t.id)) {
      return "\n        .frozen<&" + member + ">()";
    }
    if (!frozen && t.id == type_id::udt) {
      return "\n        .unfrozen<&" + member + ">()";
    }
    return {};
  }

  static std::string indexes(const table_schema& t, const std::string& q) {
    std::string out;
    for (const index_schema& i : t.indexes) {
      const column_schema* c = t.find(i.column);
      // CREATE INDEX makes an SAI index where the node's default_secondary_index says so.
      std::string cls = i.custom_class.substr(i.custom_class.rfind('.') + 1);
      std::transform(cls.begin(), cls.end(), cls.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      const bool sai = cls == "sai" || cls == "storageattachedindex";
      const bool native = cls.empty() || cls == "legacy_local_table" || cls == "cassandraindex";
      if (c == nullptr || (!native && !sai)) {
        out += "\n        // index " + literal_safe(i.name) + " on " + literal_safe(i.column) +
               (i.custom_class.empty() ? "" : " using " + i.custom_class) +
               ": not expressible in a model";
        continue;
      }
      out += std::string("\n        .") + (sai ? "sai_index" : "index") + "<&" + q +
             member_name(c->name) + ">(\"" + literal_safe(i.name) + "\")";
    }
    return out;
  }

  const codegen_options& o_;
  std::vector<wire::data_type> types_;
  std::string body_;
  std::string decls_;
  std::vector<std::string> models_;
};

}  // namespace

std::string render_models(const std::string& keyspace, const std::vector<existing_table>& tables,
                          const std::vector<live_type>& types, const codegen_options& o) {
  std::vector<wire::data_type> parsed = parse_types(types);
  renderer r(o, parsed);
  for (const wire::data_type& t : parsed) {
    r.type(t);
  }
  for (const existing_table& t : tables) {
    r.table(t);
  }
  return r.finish(keyspace);
}

std::string generate_models(driver_session& s, const codegen_options& o) {
  const std::string ks = s.keyspace();
  std::vector<live_type> types;
  for (std::string& name : detail::live_names(s, ks, "types")) {
    if (std::optional<existing_type> t = detail::run_blocking(s, async_read_type(s, ks, name))) {
      types.push_back({.name = std::move(name), .fields = std::move(*t)});
    }
  }
  std::vector<existing_table> tables;
  for (const std::string& name : detail::live_names(s, ks, "tables")) {
    if (std::optional<existing_table> t = detail::run_blocking(s, async_read_table(s, ks, name))) {
      tables.push_back(std::move(*t));
    }
  }
  return render_models(ks, tables, types, o);
}

}  // namespace coodie::migrate
