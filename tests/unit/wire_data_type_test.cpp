// [option] types, marshal class names as Cassandra sends them, CQL spellings and fixed sizes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/wire/data_type.hpp"
#include "unit/wire_test_bytes.hpp"

namespace coodie::wire {
namespace {

using test::body;
using test::hex;
using test::to_hex;
using ::testing::HasSubstr;

constexpr std::string_view pkg = "org.apache.cassandra.db.marshal.";

std::string m(std::string_view short_name) {
  return std::string(pkg) + std::string(short_name);
}

data_type read_one(bytes_view b) {
  reader r(b);
  data_type t = read_data_type(r);
  EXPECT_TRUE(r.empty());
  return t;
}

byte_buffer write_one(const data_type& t) {
  byte_buffer out;
  writer w(out);
  write_data_type(w, t);
  return out;
}

TEST(WireDataType, ReadsEverySimpleId) {
  const std::pair<std::uint16_t, type_id> ids[] = {
      {0x0001, type_id::ascii},     {0x0002, type_id::bigint},   {0x0003, type_id::blob},
      {0x0004, type_id::boolean},   {0x0005, type_id::counter},  {0x0006, type_id::decimal},
      {0x0007, type_id::double_},   {0x0008, type_id::float_},   {0x0009, type_id::int_},
      {0x000B, type_id::timestamp}, {0x000C, type_id::uuid},     {0x000D, type_id::varchar},
      {0x000E, type_id::varint},    {0x000F, type_id::timeuuid}, {0x0010, type_id::inet},
      {0x0011, type_id::date},      {0x0012, type_id::time},     {0x0013, type_id::smallint},
      {0x0014, type_id::tinyint},   {0x0015, type_id::duration},
  };
  for (auto [raw, id] : ids) {
    body b;
    b.option(raw);
    EXPECT_EQ(read_one(b), simple_type(id)) << raw;
    if (id != type_id::duration) {
      EXPECT_EQ(to_hex(write_one(simple_type(id))), to_hex(b)) << raw;
    }
  }
  // On v4 duration is written the way Cassandra sends it: as a custom class.
  body custom;
  custom.option(0x0000).string("org.apache.cassandra.db.marshal.DurationType");
  EXPECT_EQ(to_hex(write_one(simple_type(type_id::duration))), to_hex(custom));
}

TEST(WireDataType, RejectsUnknownIds) {
  for (std::uint16_t id : {0x000A, 0x0016, 0x0023, 0x0032, 0x7F00, 0xFFFF}) {
    body b;
    b.option(id);
    reader r(b);
    EXPECT_THROW((void)read_data_type(r), protocol_error) << id;
  }
}

TEST(WireDataType, CollectionsTupleUdtRoundTrip) {
  body b;
  // map<text, frozen<tuple<int, set<uuid>>>>
  b.option(0x0021).option(0x000D).option(0x0031).short_(2).option(0x0009).option(0x0022).option(
      0x000C);
  data_type expected =
      map_of(simple_type(type_id::varchar),
             tuple_of({simple_type(type_id::int_), set_of(simple_type(type_id::uuid))}));
  EXPECT_EQ(read_one(b), expected);
  EXPECT_EQ(to_hex(write_one(expected)), to_hex(b));
  EXPECT_EQ(to_cql(expected), "map<text, tuple<int, set<uuid>>>");

  body u;
  u.option(0x0030).string("ks").string("pt").short_(2).string("x").option(0x0007).string("tags");
  u.option(0x0020).option(0x000D);
  data_type udt = read_one(u);
  EXPECT_EQ(udt.id, type_id::udt);
  EXPECT_EQ(udt.keyspace, "ks");
  EXPECT_EQ(udt.name, "pt");
  EXPECT_EQ(udt.field_names, (std::vector<std::string>{"x", "tags"}));
  EXPECT_EQ(udt.params[1], list_of(simple_type(type_id::varchar)));
  EXPECT_EQ(to_hex(write_one(udt)), to_hex(u));
}

TEST(WireDataType, CustomVectorAndDurationOptions) {
  body v;
  v.option(0x0000).string(m("VectorType(") + m("FloatType") + " , 5)");
  data_type vt = read_one(v);
  EXPECT_EQ(vt, vector_of(simple_type(type_id::float_), 5));
  EXPECT_EQ(to_hex(write_one(vt)), to_hex(v));

  body d;
  d.option(0x0000).string(m("DurationType"));
  EXPECT_EQ(read_one(d), simple_type(type_id::duration));

  body c;
  c.option(0x0000).string(m("CompositeType(") + m("Int32Type") + "," + m("UTF8Type") + ")");
  data_type ct = read_one(c);
  EXPECT_EQ(ct.id, type_id::custom);
  EXPECT_EQ(ct.custom_class, m("CompositeType(") + m("Int32Type") + "," + m("UTF8Type") + ")");
  EXPECT_EQ(to_hex(write_one(ct)), to_hex(c));
  EXPECT_EQ(to_cql(ct), "'" + ct.custom_class + "'");

  body bad;
  bad.option(0x0000).string(m("VectorType(") + m("FloatType") + " , 0)");
  reader r(bad);
  EXPECT_THROW((void)read_data_type(r), protocol_error);
}

TEST(WireDataType, DeepNestingIsRejectedNotOverflowed) {
  byte_buffer deep;
  for (int i = 0; i < 100000; ++i) {
    deep.push_back(std::byte{0x00});
    deep.push_back(std::byte{0x20});  // list<list<...
  }
  reader r(deep);
  EXPECT_THROW((void)read_data_type(r), protocol_error);
  std::string text;
  for (int i = 0; i < 100000; ++i) {
    text += "ListType(";
  }
  EXPECT_THROW((void)parse_marshal_class(text), protocol_error);
}

TEST(WireDataType, TruncatedOptionsThrow) {
  for (const char* text : {"", "00", "00 20", "00 21 00 0d", "00 30 00 02 6b", "00 31 00 02 00 09",
                           "00 00 00 10 6f 72 67"}) {
    byte_buffer b = hex(text);
    reader r(b);
    EXPECT_THROW((void)read_data_type(r), protocol_error) << text;
  }
}

TEST(WireMarshal, EverySimpleClass) {
  const std::pair<std::string_view, type_id> classes[] = {
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
  for (auto [name, id] : classes) {
    EXPECT_EQ(parse_marshal_class(m(name)), simple_type(id)) << name;
    EXPECT_EQ(parse_marshal_class(name), simple_type(id)) << name;  // short form
    if (name != "DateType") {
      EXPECT_EQ(to_marshal_class(simple_type(id)), m(name));
    }
  }
}

TEST(WireMarshal, VectorClassNamesExactlyAsCassandraSendsThem) {
  EXPECT_EQ(parse_marshal_class(
                "org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal."
                "FloatType , 5)"),
            vector_of(simple_type(type_id::float_), 5));
  EXPECT_EQ(parse_marshal_class(
                "org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal."
                "UTF8Type , 2)"),
            vector_of(simple_type(type_id::varchar), 2));
  EXPECT_EQ(parse_marshal_class("org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra."
                                "db.marshal.FrozenType(org.apache.cassandra.db.marshal.ListType("
                                "org.apache.cassandra.db.marshal.Int32Type)) , 3)"),
            vector_of(list_of(simple_type(type_id::int_)), 3));
  // Cassandra's TypeParser tolerates other spacing; so do we.
  EXPECT_EQ(parse_marshal_class("VectorType(FloatType,1024)"),
            vector_of(simple_type(type_id::float_), 1024));
  EXPECT_EQ(parse_marshal_class("  VectorType ( FloatType ,  7 )  "),
            vector_of(simple_type(type_id::float_), 7));
  // And the inverse spells it with " , ".
  EXPECT_EQ(to_marshal_class(vector_of(simple_type(type_id::float_), 5)),
            "org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType"
            " , 5)");
  EXPECT_EQ(to_marshal_class(vector_of(list_of(simple_type(type_id::int_)), 3)),
            m("VectorType(") + m("FrozenType(") + m("ListType(") + m("Int32Type))") + " , 3)");
}

TEST(WireMarshal, RejectsBadVectorDimensions) {
  for (const char* text :
       {"VectorType(FloatType , 0)", "VectorType(FloatType , -3)", "VectorType(FloatType , x)",
        "VectorType(FloatType , 99999999999)", "VectorType(FloatType)", "VectorType(FloatType , 3",
        "VectorType", "VectorType(FloatType , 3, 4)"}) {
    EXPECT_THROW((void)parse_marshal_class(text), protocol_error) << text;
  }
}

TEST(WireMarshal, CollectionsFrozenReversedTuple) {
  EXPECT_EQ(parse_marshal_class(m("ListType(") + m("Int32Type)")),
            list_of(simple_type(type_id::int_)));
  EXPECT_EQ(parse_marshal_class(m("SetType(") + m("UTF8Type)")),
            set_of(simple_type(type_id::varchar)));
  EXPECT_EQ(parse_marshal_class(m("MapType(") + m("UTF8Type,") + m("FrozenType(") + m("ListType(") +
                                m("DoubleType)))")),
            map_of(simple_type(type_id::varchar), list_of(simple_type(type_id::double_))));
  EXPECT_EQ(parse_marshal_class(m("ReversedType(") + m("TimeUUIDType)")),
            simple_type(type_id::timeuuid));
  EXPECT_EQ(
      parse_marshal_class(m("TupleType(") + m("Int32Type,") + m("UTF8Type,") + m("BooleanType)")),
      tuple_of({simple_type(type_id::int_), simple_type(type_id::varchar),
                simple_type(type_id::boolean)}));
  EXPECT_THROW((void)parse_marshal_class(m("MapType(") + m("UTF8Type)")), protocol_error);
  EXPECT_THROW((void)parse_marshal_class(m("ListType")), protocol_error);
  EXPECT_THROW((void)parse_marshal_class(m("Int32Type(") + m("UTF8Type)")), protocol_error);
}

TEST(WireMarshal, UserType) {
  // UserType(ks, hex("address"), hex("street"):UTF8Type, hex("zip"):Int32Type)
  data_type t = parse_marshal_class(m("UserType(ks,61646472657373,737472656574:") + m("UTF8Type,") +
                                    "7a6970:" + m("Int32Type)"));
  EXPECT_EQ(t.id, type_id::udt);
  EXPECT_EQ(t.keyspace, "ks");
  EXPECT_EQ(t.name, "address");
  EXPECT_EQ(t.field_names, (std::vector<std::string>{"street", "zip"}));
  EXPECT_EQ(t.params,
            (std::vector<data_type>{simple_type(type_id::varchar), simple_type(type_id::int_)}));
  EXPECT_EQ(to_marshal_class(t), m("UserType(ks,61646472657373,737472656574:") + m("UTF8Type,") +
                                     "7a6970:" + m("Int32Type)"));
  EXPECT_EQ(parse_marshal_class(to_marshal_class(t)), t);
  EXPECT_THROW((void)parse_marshal_class(m("UserType(ks,6a6")), protocol_error);
  EXPECT_THROW((void)parse_marshal_class(m("UserType(ks,zz)")), protocol_error);
  EXPECT_THROW((void)parse_marshal_class(m("UserType(ks,61,62)")), protocol_error);
}

TEST(WireMarshal, UnknownClassesStayCustom) {
  data_type t = parse_marshal_class("com.example.MyType");
  EXPECT_EQ(t.id, type_id::custom);
  EXPECT_EQ(t.custom_class, "com.example.MyType");
  data_type d = parse_marshal_class(m("DynamicCompositeType(a=>") + m("BytesType)"));
  EXPECT_EQ(d.id, type_id::custom);
  EXPECT_EQ(d.custom_class, m("DynamicCompositeType(a=>") + m("BytesType)"));
  data_type nested = parse_marshal_class(m("ListType(com.example.Foo(x))"));
  EXPECT_EQ(nested.id, type_id::list);
  EXPECT_EQ(nested.params[0].custom_class, "com.example.Foo(x)");
  // Blanks around a custom name are not part of it (found by fuzzing).
  data_type vec = parse_marshal_class(m("VectorType( com.example.Foo , 3)"));
  EXPECT_EQ(vec, vector_of(parse_marshal_class("com.example.Foo"), 3));
  EXPECT_EQ(vec.params[0].custom_class, "com.example.Foo");
}

TEST(WireMarshal, RejectsGarbage) {
  for (const char* text : {"", "   ", "(", ")", "Int32Type)", "ListType(Int32Type", "ListType(,)",
                           "Int32Type Int32Type", "com.example.Foo((", "ListType(Int32Type,,)"}) {
    try {
      (void)parse_marshal_class(text);
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const protocol_error& e) {
      EXPECT_THAT(e.what(), HasSubstr("marshal class"));
    }
  }
}

TEST(WireDataType, CqlSpellings) {
  EXPECT_EQ(to_cql(simple_type(type_id::varchar)), "text");
  EXPECT_EQ(to_cql(simple_type(type_id::timeuuid)), "timeuuid");
  EXPECT_EQ(to_cql(list_of(map_of(simple_type(type_id::int_), simple_type(type_id::blob)))),
            "list<map<int, blob>>");
  EXPECT_EQ(to_cql(vector_of(simple_type(type_id::float_), 3)), "vector<float, 3>");
  EXPECT_EQ(to_cql(vector_of(simple_type(type_id::varchar), 2)), "vector<text, 2>");
  EXPECT_EQ(to_cql(simple_type(type_id::duration)), "duration");
}

TEST(WireDataType, FixedValueSizes) {
  EXPECT_EQ(fixed_value_size(simple_type(type_id::int_)), 4u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::float_)), 4u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::bigint)), 8u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::double_)), 8u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::counter)), 8u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::timestamp)), 8u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::time)), 8u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::uuid)), 16u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::timeuuid)), 16u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::smallint)), 2u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::tinyint)), 1u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::boolean)), 1u);
  EXPECT_EQ(fixed_value_size(simple_type(type_id::date)), 4u);
  for (type_id id : {type_id::varchar, type_id::ascii, type_id::blob, type_id::varint,
                     type_id::decimal, type_id::inet, type_id::duration, type_id::custom}) {
    EXPECT_EQ(fixed_value_size(simple_type(id)), 0u);
  }
  EXPECT_EQ(fixed_value_size(list_of(simple_type(type_id::int_))), 0u);
  EXPECT_EQ(fixed_value_size(vector_of(simple_type(type_id::float_), 5)), 20u);
  EXPECT_EQ(fixed_value_size(vector_of(simple_type(type_id::uuid), 2)), 32u);
  EXPECT_EQ(fixed_value_size(vector_of(vector_of(simple_type(type_id::double_), 2), 3)), 48u);
  EXPECT_EQ(fixed_value_size(vector_of(simple_type(type_id::varchar), 5)), 0u);
}

}  // namespace
}  // namespace coodie::wire
