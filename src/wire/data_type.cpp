// [option] type descriptions, CQL spellings of types, and fixed value sizes.
#include "coodie/wire/data_type.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "type_limits.hpp"

namespace coodie::wire {

namespace {

using wire::detail::max_type_depth;
using wire::detail::without_marshal_package;

bool is_known_simple_id(std::uint16_t id) noexcept {
  return (id >= 0x0001 && id <= 0x0015 && id != 0x000A);
}

data_type read_type(reader& r, int depth);

void read_params(reader& r, data_type& t, std::size_t n, int depth) {
  t.params.reserve(std::min(n, r.remaining() / 2));
  for (std::size_t i = 0; i < n; ++i) {
    t.params.push_back(read_type(r, depth + 1));
  }
}

data_type read_type(reader& r, int depth) {
  if (depth > max_type_depth) {
    throw_malformed(fmt::format("type nested deeper than {} levels", max_type_depth));
  }
  std::uint16_t id = r.u16();
  data_type t;
  if (is_known_simple_id(id)) {
    t.id = static_cast<type_id>(id);
    return t;
  }
  switch (static_cast<type_id>(id)) {
    case type_id::custom: {
      std::string_view cls = r.string();
      std::string_view short_name = without_marshal_package(cls);
      if (short_name.size() != cls.size() &&
          (short_name == "DurationType" || short_name.starts_with("VectorType"))) {
        data_type parsed = parse_marshal_class(cls);
        if (parsed.id == type_id::duration || parsed.id == type_id::vector) {
          return parsed;
        }
      }
      t.id = type_id::custom;
      t.custom_class = std::string(cls);
      return t;
    }
    case type_id::list:
    case type_id::set:
      t.id = static_cast<type_id>(id);
      read_params(r, t, 1, depth);
      return t;
    case type_id::map:
      t.id = type_id::map;
      read_params(r, t, 2, depth);
      return t;
    case type_id::udt: {
      t.id = type_id::udt;
      t.keyspace = std::string(r.string());
      t.name = std::string(r.string());
      std::uint16_t n = r.u16();
      std::size_t cap = std::min<std::size_t>(n, r.remaining() / 4);
      t.field_names.reserve(cap);
      t.params.reserve(cap);
      for (std::uint16_t i = 0; i < n; ++i) {
        t.field_names.emplace_back(r.string());
        t.params.push_back(read_type(r, depth + 1));
      }
      return t;
    }
    case type_id::tuple: {
      t.id = type_id::tuple;
      read_params(r, t, r.u16(), depth);
      return t;
    }
    default:
      throw_malformed(fmt::format("unknown [option] type id 0x{:04X}", id));
  }
}

const char* simple_cql_name(type_id id) noexcept {
  switch (id) {
    case type_id::ascii:
      return "ascii";
    case type_id::bigint:
      return "bigint";
    case type_id::blob:
      return "blob";
    case type_id::boolean:
      return "boolean";
    case type_id::counter:
      return "counter";
    case type_id::decimal:
      return "decimal";
    case type_id::double_:
      return "double";
    case type_id::float_:
      return "float";
    case type_id::int_:
      return "int";
    case type_id::timestamp:
      return "timestamp";
    case type_id::uuid:
      return "uuid";
    case type_id::varchar:
      return "text";
    case type_id::varint:
      return "varint";
    case type_id::timeuuid:
      return "timeuuid";
    case type_id::inet:
      return "inet";
    case type_id::date:
      return "date";
    case type_id::time:
      return "time";
    case type_id::smallint:
      return "smallint";
    case type_id::tinyint:
      return "tinyint";
    case type_id::duration:
      return "duration";
    default:
      return nullptr;
  }
}

void append_cql(std::string& out, const data_type& t);

void append_cql_params(std::string& out, const std::vector<data_type>& params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    append_cql(out, params[i]);
  }
}

void append_cql(std::string& out, const data_type& t) {
  if (const char* simple = simple_cql_name(t.id)) {
    out += simple;
    return;
  }
  switch (t.id) {
    case type_id::custom:
      out += '\'';
      out += t.custom_class;
      out += '\'';
      return;
    case type_id::list:
      out += "list<";
      break;
    case type_id::set:
      out += "set<";
      break;
    case type_id::map:
      out += "map<";
      break;
    case type_id::tuple:
      out += "tuple<";
      break;
    case type_id::vector:
      out += "vector<";
      append_cql_params(out, t.params);
      out += ", ";
      out += std::to_string(t.dimension);
      out += '>';
      return;
    case type_id::udt:
      out += t.name;
      return;
    default:
      out += fmt::format("unknown(0x{:04X})", static_cast<std::uint16_t>(t.id));
      return;
  }
  append_cql_params(out, t.params);
  out += '>';
}

}  // namespace

data_type read_data_type(reader& r) {
  return read_type(r, 0);
}

void write_data_type(writer& w, const data_type& t) {
  switch (t.id) {
    case type_id::custom:
      w.u16(0x0000);
      w.string(t.custom_class);
      return;
    case type_id::vector:
    case type_id::duration: {
      w.u16(0x0000);
      w.string(to_marshal_class(t));
      return;
    }
    case type_id::list:
    case type_id::set:
      w.u16(static_cast<std::uint16_t>(t.id));
      if (t.params.size() != 1) {
        throw codec_error("a list or set type needs exactly one element type");
      }
      write_data_type(w, t.params.front());
      return;
    case type_id::map:
      w.u16(static_cast<std::uint16_t>(t.id));
      if (t.params.size() != 2) {
        throw codec_error("a map type needs a key and a value type");
      }
      write_data_type(w, t.params[0]);
      write_data_type(w, t.params[1]);
      return;
    case type_id::udt:
      if (t.params.size() != t.field_names.size() ||
          t.params.size() > std::numeric_limits<std::uint16_t>::max()) {
        throw codec_error("a user type needs one name per field and at most 65535 fields");
      }
      w.u16(static_cast<std::uint16_t>(t.id));
      w.string(t.keyspace);
      w.string(t.name);
      w.u16(static_cast<std::uint16_t>(t.params.size()));
      for (std::size_t i = 0; i < t.params.size(); ++i) {
        w.string(t.field_names[i]);
        write_data_type(w, t.params[i]);
      }
      return;
    case type_id::tuple:
      if (t.params.size() > std::numeric_limits<std::uint16_t>::max()) {
        throw codec_error("a tuple type has at most 65535 elements");
      }
      w.u16(static_cast<std::uint16_t>(t.id));
      w.u16(static_cast<std::uint16_t>(t.params.size()));
      for (const data_type& p : t.params) {
        write_data_type(w, p);
      }
      return;
    default:
      w.u16(static_cast<std::uint16_t>(t.id));
      return;
  }
}

std::string to_cql(const data_type& t) {
  std::string out;
  append_cql(out, t);
  return out;
}

std::size_t fixed_value_size(const data_type& t) noexcept {
  switch (t.id) {
    case type_id::boolean:
    case type_id::tinyint:
      return 1;
    case type_id::smallint:
      return 2;
    case type_id::int_:
    case type_id::float_:
    case type_id::date:
      return 4;
    case type_id::bigint:
    case type_id::double_:
    case type_id::counter:
    case type_id::timestamp:
    case type_id::time:
      return 8;
    case type_id::uuid:
    case type_id::timeuuid:
      return 16;
    case type_id::vector: {
      if (t.params.empty() || t.dimension <= 0) {
        return 0;
      }
      std::size_t total = 0;
      if (__builtin_mul_overflow(fixed_value_size(t.params.front()),
                                 static_cast<std::size_t>(t.dimension), &total)) {
        return std::numeric_limits<std::size_t>::max();  // no such value can exist anyway
      }
      return total;
    }
    default:
      return 0;
  }
}

data_type list_of(data_type elem) {
  data_type t;
  t.id = type_id::list;
  t.params.push_back(std::move(elem));
  return t;
}

data_type set_of(data_type elem) {
  data_type t;
  t.id = type_id::set;
  t.params.push_back(std::move(elem));
  return t;
}

data_type map_of(data_type key, data_type value) {
  data_type t;
  t.id = type_id::map;
  t.params.reserve(2);
  t.params.push_back(std::move(key));
  t.params.push_back(std::move(value));
  return t;
}

data_type tuple_of(std::vector<data_type> elems) {
  data_type t;
  t.id = type_id::tuple;
  t.params = std::move(elems);
  return t;
}

data_type vector_of(data_type elem, std::int32_t dimension) {
  data_type t;
  t.id = type_id::vector;
  t.params.push_back(std::move(elem));
  t.dimension = dimension;
  return t;
}

}  // namespace coodie::wire
