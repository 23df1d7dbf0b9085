// Cassandra marshal class names ("org.apache.cassandra.db.marshal.VectorType(...)"): the parser
// of the syntax of Cassandra's TypeParser, and the inverse that spells a type as a class name.
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "coodie/wire/data_type.hpp"
#include "digits.hpp"
#include "type_limits.hpp"

namespace coodie::wire {

namespace {

using wire::detail::marshal_package;
using wire::detail::max_type_depth;
using wire::detail::without_marshal_package;

struct simple_marshal {
  std::string_view name;
  type_id id;
};

constexpr simple_marshal simple_marshals[] = {
    {"AsciiType", type_id::ascii},
    {"LongType", type_id::bigint},
    {"BytesType", type_id::blob},
    {"BooleanType", type_id::boolean},
    {"CounterColumnType", type_id::counter},
    {"DecimalType", type_id::decimal},
    {"DoubleType", type_id::double_},
    {"FloatType", type_id::float_},
    {"Int32Type", type_id::int_},
    {"TimestampType", type_id::timestamp},
    {"DateType", type_id::timestamp},
    {"UUIDType", type_id::uuid},
    {"UTF8Type", type_id::varchar},
    {"IntegerType", type_id::varint},
    {"TimeUUIDType", type_id::timeuuid},
    {"InetAddressType", type_id::inet},
    {"SimpleDateType", type_id::date},
    {"TimeType", type_id::time},
    {"ShortType", type_id::smallint},
    {"ByteType", type_id::tinyint},
    {"DurationType", type_id::duration},
};

// A recursive-descent parser of the syntax of Cassandra's TypeParser.
class marshal_parser {
 public:
  explicit marshal_parser(std::string_view text) noexcept : s_(text) {}

  data_type parse_all() {
    data_type t = parse(0);
    skip_blank();
    if (pos_ != s_.size()) {
      fail("unexpected characters after the type");
    }
    return t;
  }

 private:
  static bool is_identifier_char(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '+' || c == '.' || c == '_' || c == '&';
  }
  static bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\n'; }

  [[noreturn]] void fail(std::string_view why) const {
    throw protocol_error(
        fmt::format("cannot parse marshal class '{}' at char {}: {}", s_, pos_, why));
  }

  void skip_blank() noexcept {
    while (pos_ < s_.size() && is_blank(s_[pos_])) {
      ++pos_;
    }
  }
  bool peek(char c) const noexcept { return pos_ < s_.size() && s_[pos_] == c; }
  void expect(char c) {
    skip_blank();
    if (!peek(c)) {
      fail(fmt::format("expected '{}'", c));
    }
    ++pos_;
  }
  std::string_view identifier() {
    skip_blank();
    std::size_t start = pos_;
    while (pos_ < s_.size() && is_identifier_char(s_[pos_])) {
      ++pos_;
    }
    if (pos_ == start) {
      fail("expected a name");
    }
    return s_.substr(start, pos_ - start);
  }

  std::string hex_decode(std::string_view hex) const {
    if (hex.size() % 2 != 0) {
      fail("odd-length hex name");
    }
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      int hi = coodie::wire::detail::hex_value(hex[i]);
      int lo = coodie::wire::detail::hex_value(hex[i + 1]);
      if (hi < 0 || lo < 0) {
        fail("invalid hex digit in a name");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
  }

  // '(' type {',' type} ')' — the '(' already consumed; at least one parameter.
  std::vector<data_type> type_params(int depth) {
    std::vector<data_type> out;
    skip_blank();
    if (peek(')')) {
      ++pos_;
      return out;
    }
    while (true) {
      out.push_back(parse(depth + 1));
      skip_blank();
      if (peek(',')) {
        ++pos_;
        continue;
      }
      expect(')');
      return out;
    }
  }

  // Skips a balanced parameter list of a class we do not interpret; '(' already consumed.
  void skip_params() {
    int open = 1;
    while (pos_ < s_.size() && open > 0) {
      if (s_[pos_] == '(') {
        ++open;
      } else if (s_[pos_] == ')') {
        --open;
      }
      ++pos_;
    }
    if (open != 0) {
      fail("unbalanced parentheses");
    }
  }

  data_type parse(int depth) {
    if (depth > max_type_depth) {
      fail(fmt::format("type nested deeper than {} levels", max_type_depth));
    }
    skip_blank();
    std::size_t start = pos_;
    std::string_view full = identifier();
    std::size_t name_end = pos_;
    bool ours = full.find('.') == std::string_view::npos || full.starts_with(marshal_package);
    std::string_view name = ours ? without_marshal_package(full) : std::string_view{};
    skip_blank();
    bool has_params = peek('(');
    if (has_params) {
      ++pos_;
    }

    for (const simple_marshal& m : simple_marshals) {
      if (name == m.name) {
        if (has_params) {
          fail(fmt::format("{} takes no parameters", m.name));
        }
        return simple_type(m.id);
      }
    }

    auto with_params = [&](type_id id, std::size_t min, std::size_t max) {
      if (!has_params) {
        fail(fmt::format("{} needs type parameters", name));
      }
      data_type t;
      t.id = id;
      t.params = type_params(depth);
      if (t.params.size() < min || t.params.size() > max) {
        fail(min == max
                 ? fmt::format("{} takes {} type parameter(s), got {}", name, min, t.params.size())
                 : fmt::format("{} takes at least {} type parameter(s), got {}", name, min,
                               t.params.size()));
      }
      return t;
    };

    if (name == "ListType") {
      return with_params(type_id::list, 1, 1);
    }
    if (name == "SetType") {
      return with_params(type_id::set, 1, 1);
    }
    if (name == "MapType") {
      return with_params(type_id::map, 2, 2);
    }
    if (name == "TupleType") {
      return with_params(type_id::tuple, 1, std::numeric_limits<std::uint16_t>::max());
    }
    if (name == "FrozenType" || name == "ReversedType") {
      data_type t = with_params(type_id::custom, 1, 1);
      return std::move(t.params.front());
    }
    if (name == "VectorType") {
      return vector_params(depth, has_params);
    }
    if (name == "UserType") {
      return user_type_params(depth, has_params);
    }
    // A class we do not interpret (another package, CompositeType, ...): keep its whole text.
    std::size_t end = name_end;
    if (has_params) {
      skip_params();
      end = pos_;
    }
    data_type t;
    t.id = type_id::custom;
    t.custom_class = std::string(s_.substr(start, end - start));
    return t;
  }

  data_type vector_params(int depth, bool has_params) {
    if (!has_params) {
      fail("VectorType needs an element type and a dimension");
    }
    data_type t;
    t.id = type_id::vector;
    t.params.push_back(parse(depth + 1));
    expect(',');
    std::string_view digits = identifier();
    std::int32_t dim = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), dim);
    if (ec != std::errc{} || end != digits.data() + digits.size() || dim <= 0) {
      fail("vector dimension must be a positive 32-bit integer");
    }
    t.dimension = dim;
    expect(')');
    return t;
  }

  data_type user_type_params(int depth, bool has_params) {
    if (!has_params) {
      fail("UserType needs a keyspace, a name and fields");
    }
    data_type t;
    t.id = type_id::udt;
    t.keyspace = std::string(identifier());
    expect(',');
    t.name = hex_decode(identifier());
    while (true) {
      skip_blank();
      if (peek(')')) {
        ++pos_;
        return t;
      }
      expect(',');
      if (t.params.size() >= std::numeric_limits<std::uint16_t>::max()) {
        fail("too many fields");
      }
      t.field_names.push_back(hex_decode(identifier()));
      expect(':');
      t.params.push_back(parse(depth + 1));
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

void append_marshal_class(std::string& out, const data_type& t, bool frozen_context);

void append_marshal_params(std::string& out, const std::vector<data_type>& params) {
  out += '(';
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    append_marshal_class(out, params[i], false);
  }
  out += ')';
}

void append_hex(std::string& out, std::string_view s) {
  constexpr char digits[] = "0123456789abcdef";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    out += digits[u >> 4];
    out += digits[u & 0x0F];
  }
}

// `frozen_context`: the type is a vector element, which Cassandra freezes and spells with a
// FrozenType(...) wrapper when it is a collection or a user type.
void append_marshal_class(std::string& out, const data_type& t, bool frozen_context) {
  bool wrap = frozen_context && (is_collection(t.id) || t.id == type_id::udt);
  if (wrap) {
    out += marshal_package;
    out += "FrozenType(";
  }
  switch (t.id) {
    case type_id::custom:
      out += t.custom_class;
      break;
    case type_id::list:
      out += marshal_package;
      out += "ListType";
      append_marshal_params(out, t.params);
      break;
    case type_id::set:
      out += marshal_package;
      out += "SetType";
      append_marshal_params(out, t.params);
      break;
    case type_id::map:
      out += marshal_package;
      out += "MapType";
      append_marshal_params(out, t.params);
      break;
    case type_id::tuple:
      out += marshal_package;
      out += "TupleType";
      append_marshal_params(out, t.params);
      break;
    case type_id::udt:
      out += marshal_package;
      out += "UserType(";
      out += t.keyspace;
      out += ',';
      append_hex(out, t.name);
      for (std::size_t i = 0; i < t.params.size(); ++i) {
        out += ',';
        append_hex(out, i < t.field_names.size() ? t.field_names[i] : std::string_view{});
        out += ':';
        append_marshal_class(out, t.params[i], false);
      }
      out += ')';
      break;
    case type_id::vector:
      out += marshal_package;
      out += "VectorType(";
      if (!t.params.empty()) {
        append_marshal_class(out, t.params.front(), true);
      }
      out += " , ";
      out += std::to_string(t.dimension);
      out += ')';
      break;
    default: {
      bool found = false;
      for (const simple_marshal& m : simple_marshals) {
        // DateType is the legacy alias; TimestampType is what Cassandra uses for timestamp.
        if (m.id == t.id && m.name != "DateType") {
          out += marshal_package;
          out += m.name;
          found = true;
          break;
        }
      }
      if (!found) {
        throw codec_error(
            fmt::format("type id 0x{:04X} has no marshal class", static_cast<std::uint16_t>(t.id)));
      }
      break;
    }
  }
  if (wrap) {
    out += ')';
  }
}

}  // namespace

data_type parse_marshal_class(std::string_view name) {
  return marshal_parser(name).parse_all();
}

std::string to_marshal_class(const data_type& t) {
  std::string out;
  append_marshal_class(out, t, false);
  return out;
}

}  // namespace coodie::wire
