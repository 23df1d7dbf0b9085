// Table option values: parsing the model's CQL literals, rendering system_schema's typed values,
// and comparing the two by meaning.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "coodie/driver/identifiers.hpp"
#include "coodie/orm/schema.hpp"

namespace coodie {

namespace {

using option_map = std::map<std::string, std::string>;

class literal_parser {
 public:
  explicit literal_parser(std::string_view text) : s_(text) {}

  std::optional<option_value> parse_all() {
    std::optional<option_value> v = value();
    skip_ws();
    if (!v || pos_ != s_.size()) {
      return std::nullopt;
    }
    return v;
  }

 private:
  void skip_ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])) != 0) {
      ++pos_;
    }
  }
  bool eat(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  std::optional<std::string> string_literal() {
    skip_ws();
    if (s_.substr(pos_, 2) == "$$") {
      std::size_t end = s_.find("$$", pos_ + 2);
      if (end == std::string_view::npos) {
        return std::nullopt;
      }
      std::string out(s_.substr(pos_ + 2, end - pos_ - 2));
      pos_ = end + 2;
      return out;
    }
    if (pos_ >= s_.size() || s_[pos_] != '\'') {
      return std::nullopt;
    }
    std::string out;
    for (++pos_; pos_ < s_.size(); ++pos_) {
      if (s_[pos_] == '\'') {
        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '\'') {
          out += '\'';
          ++pos_;
          continue;
        }
        ++pos_;
        return out;
      }
      out += s_[pos_];
    }
    return std::nullopt;
  }

  /// A bare word: a number or true/false, returned as written.
  std::string word() {
    skip_ws();
    std::size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) != 0 || s_[pos_] == '.' ||
            s_[pos_] == '-' || s_[pos_] == '+' || s_[pos_] == '_')) {
      ++pos_;
    }
    return std::string(s_.substr(start, pos_ - start));
  }

  /// A constant inside a map, as text (the way system_schema stores map values).
  std::optional<std::string> map_constant() {
    if (auto str = string_literal()) {
      return str;
    }
    std::string w = word();
    if (w.empty()) {
      return std::nullopt;
    }
    std::optional<option_value> v = parse_word(w);
    if (!v) {
      return std::nullopt;
    }
    if (const bool* b = std::get_if<bool>(&*v)) {
      return std::string(*b ? "true" : "false");
    }
    return w;
  }

  static std::optional<option_value> parse_word(const std::string& w) {
    std::string l = w;
    std::transform(l.begin(), l.end(), l.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (l == "true" || l == "false") {
      return option_value(l == "true");
    }
    double d = 0;
    const char* first = w.data();
    if (!w.empty() && w[0] == '+') {
      ++first;
    }
    auto [end, ec] = std::from_chars(first, w.data() + w.size(), d);
    if (ec != std::errc() || end != w.data() + w.size()) {
      return std::nullopt;
    }
    return option_value(d);
  }

  std::optional<option_value> value() {
    skip_ws();
    if (pos_ >= s_.size()) {
      return std::nullopt;
    }
    if (s_[pos_] == '{') {
      ++pos_;
      option_map m;
      if (eat('}')) {
        return std::optional<option_value>(std::in_place, std::in_place_type<option_map>);
      }
      do {
        std::optional<std::string> key = string_literal();
        if (!key || !eat(':')) {
          return std::nullopt;
        }
        std::optional<std::string> val = map_constant();
        if (!val) {
          return std::nullopt;
        }
        m[*key] = *val;
      } while (eat(','));
      if (!eat('}')) {
        return std::nullopt;
      }
      return std::optional<option_value>(std::in_place, std::in_place_type<option_map>,
                                         std::move(m));
    }
    if (auto str = string_literal()) {
      return option_value(std::move(*str));
    }
    std::string w = word();
    if (w.empty()) {
      return std::nullopt;
    }
    if (w == "null" || w == "NULL") {
      return option_value(std::monostate{});
    }
    return parse_word(w);
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return upper(a) == upper(b);
}

std::optional<double> as_number(std::string_view s) {
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return d;
}

bool same_number(double a, double b) {
  return a == b || std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

/// 'LeveledCompactionStrategy' and 'org.apache.cassandra.db.compaction.LeveledCompactionStrategy'
/// name the same class.
bool same_class(std::string_view a, std::string_view b) {
  auto last = [](std::string_view s) {
    std::size_t dot = s.rfind('.');
    return dot == std::string_view::npos ? s : s.substr(dot + 1);
  };
  return last(a) == last(b);
}

/// Two map values (both text): numbers by value, else case-insensitively.
bool same_map_value(std::string_view key, std::string_view desired, std::string_view live) {
  if (key == "class") {
    return same_class(desired, live);
  }
  std::optional<double> d = as_number(desired);
  std::optional<double> l = as_number(live);
  if (d && l) {
    return same_number(*d, *l);
  }
  return iequals(desired, live);
}

/// speculative_retry and additional_write_policy: '99PERCENTILE' is stored as '99p'.
std::string retry_normal_form(std::string_view s) {
  const std::string u = upper(s);
  constexpr std::string_view word = "PERCENTILE";
  std::string out;
  for (std::size_t i = 0; i < u.size();) {
    if (u.compare(i, word.size(), word) == 0) {
      out.push_back('P');
      i += word.size();
    } else {
      out.push_back(u[i++]);
    }
  }
  return out;
}

/// Options system_schema.tables leaves null while they hold the server default, and that
/// default; map keys the server drops when they are at their default.
struct null_default {
  std::string_view option;
  std::string_view key;  ///< empty: the option itself
  std::string_view value;
};
constexpr std::array<null_default, 6> null_defaults{{
    {"cdc", "", "false"},
    {"allow_auto_snapshot", "", "true"},
    {"incremental_backups", "", "true"},
    {"memtable", "", "default"},
    {"compression", "enabled", "true"},
    {"compaction", "enabled", "true"},
}};

bool is_null_default(std::string_view option, std::string_view key, std::string_view value) {
  return std::any_of(null_defaults.begin(), null_defaults.end(), [&](const null_default& n) {
    return n.option == option && n.key == key && iequals(n.value, value);
  });
}

std::string scalar_text(const option_value& v) {
  if (const bool* b = std::get_if<bool>(&v)) {
    return *b ? "true" : "false";
  }
  if (const std::string* s = std::get_if<std::string>(&v)) {
    return *s;
  }
  if (std::holds_alternative<double>(v)) {
    return to_cql_literal(v);
  }
  return {};
}

}  // namespace

std::optional<option_value> parse_option_literal(std::string_view literal) {
  return literal_parser(literal).parse_all();
}

std::string to_cql_literal(const option_value& v) {
  struct visitor {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(double d) const {
      if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 1e15) {
        return std::to_string(static_cast<long long>(d));
      }
      std::array<char, 64> buf{};
      auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
      return std::string(buf.data(), end);
    }
    std::string operator()(const std::string& s) const { return quote_literal(s); }
    std::string operator()(const option_map& m) const {
      std::string out = "{";
      for (const auto& [k, val] : m) {
        out += (out.size() == 1 ? "" : ", ") + quote_literal(k) + ": " + quote_literal(val);
      }
      return out + "}";
    }
  };
  return std::visit(visitor{}, v);
}

bool option_matches(std::string_view name, const option_value& desired, const option_value& live) {
  if (std::holds_alternative<std::monostate>(desired)) {
    return std::holds_alternative<std::monostate>(live);
  }
  if (std::holds_alternative<std::monostate>(live)) {
    std::string d = scalar_text(desired);
    return !d.empty() && is_null_default(name, "", d);
  }
  if (const auto* dm = std::get_if<option_map>(&desired)) {
    const auto* lm = std::get_if<option_map>(&live);
    if (lm == nullptr) {
      return false;
    }
    return std::all_of(dm->begin(), dm->end(), [&](const auto& kv) {
      auto it = lm->find(kv.first);
      if (it == lm->end()) {
        return is_null_default(name, kv.first, kv.second);
      }
      return same_map_value(kv.first, kv.second, it->second);
    });
  }
  if (std::holds_alternative<option_map>(live)) {
    return false;
  }
  // Scalars: numbers by value, booleans by value, text exactly (retry policies normalised).
  if (const double* dd = std::get_if<double>(&desired)) {
    if (const double* ld = std::get_if<double>(&live)) {
      return same_number(*dd, *ld);
    }
    std::optional<double> l = as_number(scalar_text(live));
    return l && same_number(*dd, *l);
  }
  if (const bool* db = std::get_if<bool>(&desired)) {
    if (const bool* lb = std::get_if<bool>(&live)) {
      return *db == *lb;
    }
    return iequals(scalar_text(live), *db ? "true" : "false");
  }
  const std::string& ds = std::get<std::string>(desired);
  if (const double* ld = std::get_if<double>(&live)) {
    std::optional<double> d = as_number(ds);
    return d && same_number(*d, *ld);
  }
  std::string ls = scalar_text(live);
  if (name == "speculative_retry" || name == "additional_write_policy") {
    return retry_normal_form(ds) == retry_normal_form(ls);
  }
  if (name == "read_repair") {
    return iequals(ds, ls);
  }
  return ds == ls;
}

}  // namespace coodie
