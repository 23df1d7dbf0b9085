#include <array>
#include <cctype>
#include <utility>

#include "coodie/error.hpp"
#include "coodie/orm/type_text.hpp"

namespace coodie {
namespace {

using wire::type_id;

constexpr std::array<std::pair<std::string_view, type_id>, 21> simple_types{{
    {"ascii", type_id::ascii},         {"bigint", type_id::bigint},
    {"blob", type_id::blob},           {"boolean", type_id::boolean},
    {"counter", type_id::counter},     {"date", type_id::date},
    {"decimal", type_id::decimal},     {"double", type_id::double_},
    {"duration", type_id::duration},   {"float", type_id::float_},
    {"inet", type_id::inet},           {"int", type_id::int_},
    {"smallint", type_id::smallint},   {"text", type_id::varchar},
    {"varchar", type_id::varchar},     {"time", type_id::time},
    {"timestamp", type_id::timestamp}, {"timeuuid", type_id::timeuuid},
    {"tinyint", type_id::tinyint},     {"uuid", type_id::uuid},
    {"varint", type_id::varint},
}};

class parser {
 public:
  parser(std::string_view text, const user_type_lookup& user_type)
      : text_(text), user_type_(user_type) {}

  wire::data_type whole() {
    wire::data_type t = type();
    skip_space();
    if (i_ != text_.size()) {
      fail("unexpected text after the type");
    }
    return t;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw invalid_model("CQL type \"" + std::string(text_) + "\": " + what);
  }

  void skip_space() {
    while (i_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[i_])) != 0) {
      ++i_;
    }
  }

  void expect(char c) {
    skip_space();
    if (i_ >= text_.size() || text_[i_] != c) {
      fail(std::string("expected '") + c + "'");
    }
    ++i_;
  }

  /// A name: letters, digits and '_', or a quoted identifier ("" inside for one ").
  std::string name() {
    skip_space();
    std::string out;
    if (i_ < text_.size() && text_[i_] == '"') {
      for (++i_; i_ < text_.size(); ++i_) {
        if (text_[i_] == '"') {
          if (i_ + 1 < text_.size() && text_[i_ + 1] == '"') {
            out += '"';
            ++i_;
            continue;
          }
          ++i_;
          return out;
        }
        out += text_[i_];
      }
      fail("unterminated quoted name");
    }
    while (i_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[i_])) != 0 || text_[i_] == '_')) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(text_[i_])));
      ++i_;
    }
    if (out.empty()) {
      fail("expected a type name");
    }
    return out;
  }

  std::vector<wire::data_type> arguments() {
    std::vector<wire::data_type> out;
    expect('<');
    out.push_back(type());
    skip_space();
    while (i_ < text_.size() && text_[i_] == ',') {
      ++i_;
      out.push_back(type());
      skip_space();
    }
    expect('>');
    return out;
  }

  wire::data_type type() {
    skip_space();
    const bool quoted = i_ < text_.size() && text_[i_] == '"';
    const std::string n = name();
    skip_space();
    const bool has_args = i_ < text_.size() && text_[i_] == '<';
    if (!quoted && n == "frozen") {
      std::vector<wire::data_type> inner = arguments();
      if (inner.size() != 1) {
        fail("frozen<> takes one type");
      }
      return std::move(inner.front());
    }
    if (!quoted && (n == "list" || n == "set" || n == "map" || n == "tuple") && has_args) {
      std::vector<wire::data_type> args = arguments();
      if ((n == "map" && args.size() != 2) || ((n == "list" || n == "set") && args.size() != 1)) {
        fail(n + "<> takes " + (n == "map" ? "two types" : "one type"));
      }
      if (n == "list") {
        return wire::list_of(std::move(args.front()));
      }
      if (n == "set") {
        return wire::set_of(std::move(args.front()));
      }
      return n == "map" ? wire::map_of(std::move(args[0]), std::move(args[1]))
                        : wire::tuple_of(std::move(args));
    }
    if (!quoted && n == "vector" && has_args) {
      expect('<');
      wire::data_type elem = type();
      expect(',');
      skip_space();
      std::size_t end = i_;
      while (end < text_.size() && std::isdigit(static_cast<unsigned char>(text_[end])) != 0) {
        ++end;
      }
      if (end == i_ || end - i_ > 6) {
        fail("a vector's dimension must be a number");
      }
      const int dim = std::stoi(std::string(text_.substr(i_, end - i_)));
      i_ = end;
      expect('>');
      return wire::vector_of(std::move(elem), dim);
    }
    if (!quoted) {
      for (const auto& [spelled, id] : simple_types) {
        if (n == spelled) {
          return wire::simple_type(id);
        }
      }
    }
    const wire::data_type* udt = user_type_ ? user_type_(n) : nullptr;
    if (udt == nullptr) {
      fail("unknown type " + n);
    }
    return *udt;
  }

  std::string_view text_;
  const user_type_lookup& user_type_;
  std::size_t i_ = 0;
};

}  // namespace

wire::data_type parse_cql_type(std::string_view text, const user_type_lookup& user_type) {
  return parser(text, user_type).whole();
}

}  // namespace coodie
