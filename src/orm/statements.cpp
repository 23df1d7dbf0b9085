#include "coodie/orm/statements.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "coodie/driver/identifiers.hpp"
#include "coodie/error.hpp"

namespace coodie::dml {

namespace {

/// Each relation and its CQL spelling, the one table both directions read.
constexpr std::pair<op, std::string_view> relations[] = {
    {op::eq, "="},
    {op::lt, "<"},
    {op::le, "<="},
    {op::gt, ">"},
    {op::ge, ">="},
    {op::in, "IN"},
    {op::contains, "CONTAINS"},
    {op::contains_key, "CONTAINS KEY"},
    {op::ne, "!="},
};

/// ` IF EXISTS`, ` IF a = ? AND ...` or nothing.
std::string if_clause(const write_condition& when) {
  if (when.if_exists) {
    return " IF EXISTS";
  }
  return when.terms.empty() ? std::string() : " IF " + where_clause(when.terms);
}

/// Appends ` <relation> ?` (appended piece by piece: GCC 12 at -O3 warns falsely of an overlap
/// in `" " + std::string(text) + " ?"`).
void append_op(std::string& out, op o) {
  std::string_view text = "=";
  for (const auto& [rel, spelled] : relations) {
    if (rel == o) {
      text = spelled;
    }
  }
  out += ' ';
  out += text;
  out += " ?";
}

std::string column_list(const table_schema& t, const std::vector<std::string>& columns) {
  std::string out;
  auto add = [&](std::string_view c) {
    if (!out.empty()) {
      out += ", ";
    }
    out += quote_identifier(c);
  };
  if (columns.empty()) {
    for (const column_schema& c : t.columns) {
      add(c.name);
    }
  } else {
    for (const std::string& c : columns) {
      add(c);
    }
  }
  return out;
}

/// `a, WRITETIME(b), SUM(c), similarity_cosine(v, ?)`.
std::string select_list(const std::vector<select_column>& columns) {
  static constexpr std::string_view functions[] = {"",
                                                   "WRITETIME",
                                                   "TTL",
                                                   "COUNT",
                                                   "SUM",
                                                   "AVG",
                                                   "MIN",
                                                   "MAX",
                                                   "similarity_cosine",
                                                   "similarity_euclidean",
                                                   "similarity_dot_product"};
  std::string out;
  for (const select_column& c : columns) {
    out += out.empty() ? "" : ", ";
    if (c.fn == selector::column) {
      out += quote_identifier(c.name);
    } else {
      out += functions[static_cast<std::size_t>(c.fn)];
      out += '(';
      out += quote_identifier(c.name);
      out += is_similarity(c.fn) ? ", ?)" : ")";
    }
  }
  return out;
}

std::string key_where(const table_schema& t) {
  std::string out;
  for (const column_schema* c : t.primary_key()) {
    out += out.empty() ? "" : " AND ";
    out += quote_identifier(c->name);
    out += " = ?";
  }
  return out;
}

std::string using_clause(write_using u) {
  if (u.ttl && u.timestamp) {
    return " USING TTL ? AND TIMESTAMP ?";
  }
  if (u.ttl) {
    return " USING TTL ?";
  }
  if (u.timestamp) {
    return " USING TIMESTAMP ?";
  }
  return {};
}

}  // namespace

op parse_op(std::string_view text) {
  std::string words;  // upper case, single spaces
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      if (!words.empty() && words.back() != ' ') {
        words += ' ';
      }
    } else {
      words += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  if (!words.empty() && words.back() == ' ') {
    words.pop_back();
  }
  for (const auto& [rel, spelled] : relations) {
    if (words == spelled) {
      return rel;
    }
  }
  std::string known;
  for (const auto& [rel, spelled] : relations) {
    known += (known.empty() ? "" : ", ") + std::string(spelled);
  }
  throw usage_error("unknown relation \"" + std::string(text) + "\" (use " + known + ")");
}

std::string qualified_name(const table_schema& t, std::string_view keyspace) {
  std::string_view ks = t.keyspace_or(keyspace);
  if (ks.empty()) {
    throw usage_error("model " + t.model + " (table " + t.name +
                      ") has no keyspace: declare one, or connect with a keyspace");
  }
  return quote_identifier(ks) + "." + quote_identifier(t.name);
}

std::string insert(const table_schema& t, std::string_view keyspace, write_using u,
                   bool if_not_exists) {
  std::string out =
      "INSERT INTO " + qualified_name(t, keyspace) + " (" + column_list(t, {}) + ") VALUES (";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    out += i == 0 ? "?" : ", ?";
  }
  out += ')';
  if (if_not_exists) {
    out += " IF NOT EXISTS";
  }
  out += using_clause(u);
  return out;
}

std::string select_by_key(const table_schema& t, std::string_view keyspace,
                          const std::vector<std::string>& columns) {
  return "SELECT " + column_list(t, columns) + " FROM " + qualified_name(t, keyspace) + " WHERE " +
         key_where(t);
}

std::string update(const table_schema& t, std::string_view keyspace,
                   const std::vector<set_term>& set, write_using u,
                   const std::vector<where_term>& where, const write_condition& when) {
  if (set.empty()) {
    throw usage_error("an update of model " + t.model + " sets no column");
  }
  std::string out = "UPDATE " + qualified_name(t, keyspace) + using_clause(u) + " SET ";
  for (std::size_t i = 0; i < set.size(); ++i) {
    out += i == 0 ? "" : ", ";
    const std::string c = quote_identifier(set[i].column);
    switch (set[i].action) {
      case set_op::assign:
        out += c;
        if (!set[i].field.empty()) {
          out += '.';
          out += quote_identifier(set[i].field);
        }
        out += " = ?";
        break;
      case set_op::add:
        out += c + " = " + c + " + ?";
        break;
      case set_op::subtract:
        out += c + " = " + c + " - ?";
        break;
      case set_op::prepend:
        out += c + " = ? + " + c;
        break;
      case set_op::element:
        out += c + "[?] = ?";
        break;
    }
  }
  out += " WHERE ";
  out += where.empty() ? key_where(t) : where_clause(where);
  out += if_clause(when);
  return out;
}

std::string remove(const table_schema& t, std::string_view keyspace,
                   const std::vector<std::string>& columns, bool timestamp,
                   const std::vector<where_term>& where, const write_condition& when) {
  std::string out = "DELETE ";
  if (!columns.empty()) {
    out += column_list(t, columns);
    out += ' ';
  }
  out += "FROM " + qualified_name(t, keyspace);
  if (timestamp) {
    out += " USING TIMESTAMP ?";
  }
  out += " WHERE ";
  out += where.empty() ? key_where(t) : where_clause(where);
  out += if_clause(when);
  return out;
}

std::string where_clause(const std::vector<where_term>& terms) {
  std::string out;
  for (const where_term& w : terms) {
    out += out.empty() ? "" : " AND ";
    if (w.token) {
      out += "TOKEN(";
      for (std::size_t i = 0; i < w.columns.size(); ++i) {
        out += i == 0 ? "" : ", ";
        out += quote_identifier(w.columns[i]);
      }
      out += ')';
    } else if (w.columns.size() > 1) {  // (a, b) > (?, ?)
      std::string markers;
      out += '(';
      for (std::size_t i = 0; i < w.columns.size(); ++i) {
        out += i == 0 ? "" : ", ";
        out += quote_identifier(w.columns[i]);
        markers += i == 0 ? "?" : ", ?";
      }
      out += ')';
      append_op(out, w.relation);
      out.back() = '(';
      out += markers;
      out += ')';
      continue;
    } else {
      out += quote_identifier(w.columns.at(0));
    }
    append_op(out, w.relation);
  }
  return out;
}

std::string select(const table_schema& t, std::string_view keyspace, const select_spec& q) {
  std::string out = "SELECT ";
  if (q.distinct) {
    out += "DISTINCT ";
  }
  if (q.count) {
    out += "COUNT(*)";
  } else if (q.distinct && q.columns.empty()) {
    std::vector<std::string> pk;
    for (const column_schema* c : t.partition_key()) {
      pk.push_back(c->name);
    }
    out += column_list(t, pk);
  } else if (q.columns.empty()) {
    out += column_list(t, {});
  } else {
    out += select_list(q.columns);
  }
  out += " FROM " + qualified_name(t, keyspace);
  if (!q.where.empty()) {
    out += " WHERE " + where_clause(q.where);
  }
  if (!q.group_by.empty()) {
    out += " GROUP BY ";
    for (std::size_t i = 0; i < q.group_by.size(); ++i) {
      out += i == 0 ? "" : ", ";
      out += quote_identifier(q.group_by[i]);
    }
  }
  if (!q.ann_of.empty()) {
    out += " ORDER BY " + quote_identifier(q.ann_of) + " ANN OF ?";
  } else if (!q.order_by.empty()) {
    out += " ORDER BY ";
    for (std::size_t i = 0; i < q.order_by.size(); ++i) {
      out += i == 0 ? "" : ", ";
      out += quote_identifier(q.order_by[i].first);
      out += q.order_by[i].second == order::desc ? " DESC" : " ASC";
    }
  }
  if (q.per_partition_limit) {
    out += " PER PARTITION LIMIT ?";
  }
  if (q.limit) {
    out += " LIMIT ?";
  }
  if (q.allow_filtering) {
    out += " ALLOW FILTERING";
  }
  return out;
}

std::string filtering_reason(const table_schema& t, const std::vector<where_term>& terms,
                             const std::vector<index_schema>* live_indexes) {
  const std::vector<index_schema>& indexes = live_indexes != nullptr ? *live_indexes : t.indexes;
  // Restrictions per column, and whether a token range covers the partition key.
  std::map<std::string, std::vector<op>> by_column;
  bool token = false;
  for (const where_term& w : terms) {
    if (w.token) {
      token = true;
    } else {
      by_column[w.columns.at(0)].push_back(w.relation);
    }
  }
  auto index_of = [&](const std::string& column) -> const index_schema* {
    for (const index_schema& i : indexes) {
      if (i.column == column) {
        return &i;
      }
    }
    return nullptr;
  };
  auto equality = [](const std::vector<op>& ops) {
    return std::all_of(ops.begin(), ops.end(), [](op o) { return o == op::eq || o == op::in; });
  };
  // An index serves a restriction: equality or CONTAINS on a native index; SAI also ranges.
  auto index_serves = [&](const std::string& column, const std::vector<op>& ops) {
    const index_schema* idx = index_of(column);
    if (idx == nullptr) {
      return false;
    }
    return std::all_of(ops.begin(), ops.end(), [&](op o) {
      if (o == op::in) {
        return false;
      }
      if (o == op::lt || o == op::le || o == op::gt || o == op::ge) {
        return !idx->custom_class.empty();
      }
      return o != op::contains_key;
    });
  };
  const std::vector<const column_schema*> pk = t.partition_key();
  bool pk_full = !pk.empty();
  for (const column_schema* c : pk) {
    auto it = by_column.find(c->name);
    pk_full = pk_full && it != by_column.end() && equality(it->second);
  }
  std::vector<std::string> indexed_used;
  for (const column_schema* c : pk) {
    auto it = by_column.find(c->name);
    if (it != by_column.end() && !pk_full) {
      if (index_serves(c->name, it->second)) {
        indexed_used.push_back(c->name);
        continue;
      }
      return "partition key column " + c->name +
             " is restricted but the partition key is not restricted in full by = or IN";
    }
  }
  // Clustering columns: a prefix of equalities, then at most one slice, under a full partition
  // key (or a token range, where Cassandra also allows a clustering prefix).
  bool prefix_open = true;
  for (const column_schema* c : t.clustering_key()) {
    auto it = by_column.find(c->name);
    if (it == by_column.end()) {
      prefix_open = false;
      continue;
    }
    bool eq = equality(it->second);
    bool slice = std::all_of(it->second.begin(), it->second.end(), [](op o) {
      return o == op::lt || o == op::le || o == op::gt || o == op::ge;
    });
    if (!pk_full && !index_serves(c->name, it->second)) {
      return "clustering column " + c->name + " is restricted without the whole partition key";
    }
    if (!pk_full) {
      indexed_used.push_back(c->name);
      continue;
    }
    if (!prefix_open || !(eq || slice)) {
      if (index_serves(c->name, it->second)) {
        indexed_used.push_back(c->name);
        continue;
      }
      return "clustering column " + c->name +
             " is restricted but a clustering column before it is not restricted by =";
    }
    if (slice) {
      prefix_open = false;
    }
  }
  for (const auto& [column, ops] : by_column) {
    const column_schema* c = t.find(column);
    if (c == nullptr) {
      throw invalid_model("model " + t.model + " has no column " + column);
    }
    if (c->kind != column_kind::regular && c->kind != column_kind::static_column) {
      continue;
    }
    if (!index_serves(column, ops)) {
      return "column " + column + " is not part of the primary key and has no index that " +
             "serves this restriction";
    }
    indexed_used.push_back(column);
  }
  (void)token;
  // Native secondary indexes answer one restriction; SAI indexes intersect.
  if (indexed_used.size() > 1) {
    for (const std::string& column : indexed_used) {
      if (index_of(column)->custom_class.empty()) {
        return "column " + column + " has a secondary index, but several indexed columns are " +
               "restricted and a native index serves only one of them";
      }
    }
  }
  return {};
}

}  // namespace coodie::dml
