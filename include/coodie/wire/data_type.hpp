// CQL data types as the protocol describes them in result metadata ([option]), plus the two
// types Cassandra 5 sends as custom classes on protocol v4: duration and vector<T, N>.
//
// Example:
//   coodie::wire::reader r(option_bytes);
//   coodie::wire::data_type t = coodie::wire::read_data_type(r);
//   if (t.id == coodie::wire::type_id::vector) { auto dim = t.dimension; }
//   std::string cql = coodie::wire::to_cql(t);  // "vector<float, 3>", "map<text, list<int>>"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coodie/wire/codec.hpp"

namespace coodie::wire {

/// Protocol type ids ([option] id). `vector` is not a protocol id: it is what a custom
/// `org.apache.cassandra.db.marshal.VectorType(...)` option is parsed into.
enum class type_id : std::uint16_t {
  custom = 0x0000,
  ascii = 0x0001,
  bigint = 0x0002,
  blob = 0x0003,
  boolean = 0x0004,
  counter = 0x0005,
  decimal = 0x0006,
  double_ = 0x0007,
  float_ = 0x0008,
  int_ = 0x0009,
  timestamp = 0x000B,
  uuid = 0x000C,
  varchar = 0x000D,
  varint = 0x000E,
  timeuuid = 0x000F,
  inet = 0x0010,
  date = 0x0011,
  time = 0x0012,
  smallint = 0x0013,
  tinyint = 0x0014,
  duration = 0x0015,
  list = 0x0020,
  map = 0x0021,
  set = 0x0022,
  udt = 0x0030,
  tuple = 0x0031,
  vector = 0x7F00,
};

/// A CQL type tree.
struct data_type {
  type_id id = type_id::blob;
  /// Element types: list/set/vector [elem]; map [key, value]; tuple and udt: one per field.
  std::vector<data_type> params;
  /// custom: the Java class name as sent. udt: unused.
  std::string custom_class;
  /// udt only.
  std::string keyspace;
  std::string name;
  std::vector<std::string> field_names;
  /// vector only: the number of elements.
  std::int32_t dimension = 0;

  friend bool operator==(const data_type&, const data_type&) = default;
};

/// A list, set or map (not a vector, tuple or user type).
constexpr bool is_collection(type_id id) noexcept {
  return id == type_id::list || id == type_id::set || id == type_id::map;
}

/// Reads an [option] type description. Custom classes for duration and vector become
/// type_id::duration and type_id::vector; other custom classes stay custom.
data_type read_data_type(reader& r);
/// Writes a type as an [option] (vector and duration as the custom classes Cassandra uses).
void write_data_type(writer& w, const data_type& t);

/// Parses a Cassandra marshal class name, e.g.
/// "org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType , 3)".
/// Throws protocol_error on a name it cannot parse.
data_type parse_marshal_class(std::string_view name);

/// The Cassandra marshal class name of a type, the inverse of parse_marshal_class():
/// to_marshal_class(vector_of(simple_type(type_id::float_), 3)) ==
/// "org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType , 3)".
/// Custom types give their class name back. Throws codec_error on an invalid type id.
std::string to_marshal_class(const data_type& t);

/// The CQL spelling of a type: "int", "list<text>", "frozen<tuple<int, text>>" is not produced
/// (no freezing info in protocol metadata), "vector<float, 3>", a udt's name.
std::string to_cql(const data_type& t);

/// The fixed encoded size of a value of this type, or 0 when it is variable (used by vectors).
std::size_t fixed_value_size(const data_type& t) noexcept;

// Convenience constructors.
inline data_type simple_type(type_id id) {
  data_type t;
  t.id = id;
  return t;
}
data_type list_of(data_type elem);
data_type set_of(data_type elem);
data_type map_of(data_type key, data_type value);
data_type tuple_of(std::vector<data_type> elems);
data_type vector_of(data_type elem, std::int32_t dimension);

}  // namespace coodie::wire
