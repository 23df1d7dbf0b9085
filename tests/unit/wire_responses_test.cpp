// Response readers on hand-built bodies: AUTHENTICATE, SUPPORTED, auth tokens, RESULT of every
// kind, EVENT, and the row walker.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/wire/messages.hpp"
#include "unit/wire_test_bytes.hpp"

namespace coodie::wire {
namespace {

using test::body;
using test::hex;
using test::to_hex;
using ::testing::HasSubstr;

TEST(WireResponses, Authenticate) {
  body b;
  b.string("org.apache.cassandra.auth.PasswordAuthenticator");
  EXPECT_EQ(read_authenticate(b), "org.apache.cassandra.auth.PasswordAuthenticator");
  EXPECT_THROW((void)read_authenticate(hex("00 05 61")), protocol_error);
}

TEST(WireResponses, Supported) {
  body b;
  b.short_(3)
      .string("CQL_VERSION")
      .short_(1)
      .string("3.4.7")
      .string("COMPRESSION")
      .short_(2)
      .string("snappy")
      .string("lz4")
      .string("PROTOCOL_VERSIONS")
      .short_(4)
      .string("3/v3")
      .string("4/v4")
      .string("5/v5")
      .string("6/v6-beta");
  supported_response s = read_supported(b);
  ASSERT_EQ(s.options.size(), 3u);
  EXPECT_EQ(s.values("CQL_VERSION"), (std::vector<std::string>{"3.4.7"}));
  EXPECT_EQ(s.values("COMPRESSION"), (std::vector<std::string>{"snappy", "lz4"}));
  EXPECT_EQ(s.values("PROTOCOL_VERSIONS").size(), 4u);
  EXPECT_TRUE(s.values("NOPE").empty());
}

TEST(WireResponses, AuthChallengeAndSuccessTokens) {
  body challenge;
  challenge.bytes("nonce");
  auto token = read_auth_token(challenge);
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(as_chars(*token), "nonce");

  body success;
  success.null_bytes();
  EXPECT_FALSE(read_auth_token(success).has_value());

  body empty;
  empty.bytes("");
  auto e = read_auth_token(empty);
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->empty());

  EXPECT_THROW((void)read_auth_token(hex("00 00 00 05 01")), protocol_error);
}

TEST(WireResult, Void) {
  result r = read_result(hex("00 00 00 01"));
  EXPECT_TRUE(std::holds_alternative<void_result>(r));
}

TEST(WireResult, SetKeyspace) {
  body b;
  b.int_(3).string("shop");
  result r = read_result(b);
  ASSERT_TRUE(std::holds_alternative<set_keyspace_result>(r));
  EXPECT_EQ(std::get<set_keyspace_result>(r).keyspace, "shop");
}

TEST(WireResult, UnknownKindIsMalformed) {
  try {
    (void)read_result(hex("00 00 00 09"));
    FAIL() << "expected protocol_error";
  } catch (const protocol_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("RESULT kind"));
  }
}

TEST(WireResult, SchemaChangeOfEveryTarget) {
  {
    body b;
    b.int_(5).string("CREATED").string("KEYSPACE").string("ks");
    auto s = std::get<schema_change_result>(read_result(b));
    EXPECT_EQ(s.change_type, "CREATED");
    EXPECT_EQ(s.target, "KEYSPACE");
    EXPECT_EQ(s.keyspace, "ks");
    EXPECT_EQ(s.name, "");
  }
  for (const char* target : {"TABLE", "TYPE"}) {
    body b;
    b.int_(5).string("UPDATED").string(target).string("ks").string("thing");
    auto s = std::get<schema_change_result>(read_result(b));
    EXPECT_EQ(s.change_type, "UPDATED");
    EXPECT_EQ(s.target, target);
    EXPECT_EQ(s.keyspace, "ks");
    EXPECT_EQ(s.name, "thing");
  }
  for (const char* target : {"FUNCTION", "AGGREGATE"}) {
    body b;
    b.int_(5).string("DROPPED").string(target).string("ks").string("f");
    b.short_(2).string("int").string("text");
    auto s = std::get<schema_change_result>(read_result(b));
    EXPECT_EQ(s.target, target);
    EXPECT_EQ(s.name, "f");
    EXPECT_EQ(s.arg_types, (std::vector<std::string>{"int", "text"}));
  }
  body bad;
  bad.int_(5).string("CREATED").string("TABLESPACE").string("ks");
  EXPECT_THROW((void)read_result(bad), protocol_error);
}

// RESULT Rows: global table spec ks.users, columns (id int, name text, tags list<text>), 2 rows.
body users_rows() {
  body b;
  b.int_(2)                                      // Rows
      .int_(metadata_flags::global_tables_spec)  // flags
      .int_(3)                                   // columns
      .string("ks")
      .string("users")
      .string("id")
      .option(0x0009)
      .string("name")
      .option(0x000D)
      .string("tags")
      .option(0x0020)
      .option(0x000D)
      .int_(2);  // rows
  // row 1: 1, 'ann', ['a', 'b']
  b.bytes(hex("00 00 00 01")).bytes("ann");
  b.bytes(test::body().int_(2).bytes("a").bytes("b").view());
  // row 2: 2, null, []
  b.bytes(hex("00 00 00 02")).null_bytes().bytes(hex("00 00 00 00"));
  return b;
}

TEST(WireResult, RowsWithGlobalTableSpec) {
  body b = users_rows();
  result res = read_result(b);
  ASSERT_TRUE(std::holds_alternative<rows_result>(res));
  const rows_result& rows = std::get<rows_result>(res);
  const result_metadata& m = rows.metadata;
  EXPECT_EQ(m.flags, metadata_flags::global_tables_spec);
  EXPECT_EQ(m.column_count, 3);
  EXPECT_FALSE(m.paging_state.has_value());
  ASSERT_EQ(m.columns.size(), 3u);
  for (const column_spec& c : m.columns) {
    EXPECT_EQ(c.keyspace, "ks");
    EXPECT_EQ(c.table, "users");
  }
  EXPECT_EQ(m.columns[0].name, "id");
  EXPECT_EQ(m.columns[0].type, simple_type(type_id::int_));
  EXPECT_EQ(m.columns[1].name, "name");
  EXPECT_EQ(m.columns[1].type, simple_type(type_id::varchar));
  EXPECT_EQ(m.columns[2].type, list_of(simple_type(type_id::varchar)));
  EXPECT_EQ(rows.row_count, 2);

  // Rows are views into the body.
  EXPECT_GE(rows.rows.data(), b.view().data());
  EXPECT_EQ(rows.rows.data() + rows.rows.size(), b.view().data() + b.view().size());

  row_reader rr(rows.rows, rows.row_count, m.column_count);
  EXPECT_EQ(rr.column_count(), 3);
  ASSERT_TRUE(rr.next_row());
  EXPECT_EQ(to_hex(rr.next_cell().bytes()), "00 00 00 01");
  EXPECT_EQ(as_chars(rr.next_cell().bytes()), "ann");
  EXPECT_EQ(rr.next_cell().bytes().size(), 4u + 5u + 5u);
  EXPECT_THROW((void)rr.next_cell(), protocol_error);  // only three columns
  ASSERT_TRUE(rr.next_row());
  EXPECT_EQ(to_hex(rr.next_cell().bytes()), "00 00 00 02");
  value_view name = rr.next_cell();
  EXPECT_TRUE(name.is_null());
  value_view tags = rr.next_cell();
  EXPECT_TRUE(tags.is_set());
  EXPECT_FALSE(rr.next_row());
  EXPECT_FALSE(rr.next_row());
}

TEST(WireResult, RowReaderSkipsUnreadCells) {
  body b = users_rows();
  result res = read_result(b);
  const auto& rows = std::get<rows_result>(res);
  row_reader rr(rows.rows, rows.row_count, rows.metadata.column_count);
  ASSERT_TRUE(rr.next_row());  // read nothing of row 1
  ASSERT_TRUE(rr.next_row());
  EXPECT_EQ(to_hex(rr.next_cell().bytes()), "00 00 00 02");
  EXPECT_FALSE(rr.next_row());
}

TEST(WireResult, RowsWithPerColumnSpecsAndPagingState) {
  body b;
  b.int_(2)
      .int_(metadata_flags::has_more_pages)
      .int_(2)
      .bytes(hex("de ad be ef"))  // paging state
      .string("ks1")
      .string("t1")
      .string("a")
      .option(0x0002)
      .string("ks2")
      .string("t2")
      .string("b")
      .option(0x0004)
      .int_(1)
      .bytes(hex("00 00 00 00 00 00 00 2a"))
      .bytes(hex("01"));
  result res = read_result(b);
  const auto& rows = std::get<rows_result>(res);
  ASSERT_TRUE(rows.metadata.paging_state.has_value());
  EXPECT_EQ(to_hex(*rows.metadata.paging_state), "de ad be ef");
  ASSERT_EQ(rows.metadata.columns.size(), 2u);
  EXPECT_EQ(rows.metadata.columns[0].keyspace, "ks1");
  EXPECT_EQ(rows.metadata.columns[0].table, "t1");
  EXPECT_EQ(rows.metadata.columns[0].type.id, type_id::bigint);
  EXPECT_EQ(rows.metadata.columns[1].keyspace, "ks2");
  EXPECT_EQ(rows.metadata.columns[1].table, "t2");
  EXPECT_EQ(rows.metadata.columns[1].type.id, type_id::boolean);
  EXPECT_EQ(rows.row_count, 1);
}

TEST(WireResult, RowsWithNoMetadata) {
  body b;
  b.int_(2)
      .int_(metadata_flags::no_metadata | metadata_flags::has_more_pages)
      .int_(1)
      .bytes("ps")
      .int_(1)
      .bytes("x");
  result res = read_result(b);
  const auto& rows = std::get<rows_result>(res);
  EXPECT_TRUE(rows.metadata.columns.empty());
  EXPECT_EQ(rows.metadata.column_count, 1);
  EXPECT_EQ(as_chars(*rows.metadata.paging_state), "ps");
  row_reader rr(rows.rows, rows.row_count, rows.metadata.column_count);
  ASSERT_TRUE(rr.next_row());
  EXPECT_EQ(as_chars(rr.next_cell().bytes()), "x");
}

TEST(WireResult, RowsWithNestedTypes) {
  body b;
  b.int_(2).int_(metadata_flags::global_tables_spec).int_(6).string("ks").string("t");
  // address frozen<address> (street text, zip int)
  b.string("address").option(0x0030).string("ks").string("address").short_(2);
  b.string("street").option(0x000D).string("zip").option(0x0009);
  // pair tuple<int, text>
  b.string("pair").option(0x0031).short_(2).option(0x0009).option(0x000D);
  // scores map<text, frozen<list<double>>>
  b.string("scores").option(0x0021).option(0x000D).option(0x0020).option(0x0007);
  // embedding vector<float, 3> (custom class on v4)
  b.string("embedding")
      .option(0x0000)
      .string(
          "org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType , "
          "3)");
  // wait duration (custom class on v4)
  b.string("wait").option(0x0000).string("org.apache.cassandra.db.marshal.DurationType");
  // other custom
  b.string("blobby").option(0x0000).string("com.example.MyType");
  b.int_(0);

  result res = read_result(b);
  const auto& rows = std::get<rows_result>(res);
  const auto& cols = rows.metadata.columns;
  ASSERT_EQ(cols.size(), 6u);

  const data_type& udt = cols[0].type;
  EXPECT_EQ(udt.id, type_id::udt);
  EXPECT_EQ(udt.keyspace, "ks");
  EXPECT_EQ(udt.name, "address");
  EXPECT_EQ(udt.field_names, (std::vector<std::string>{"street", "zip"}));
  EXPECT_EQ(udt.params,
            (std::vector<data_type>{simple_type(type_id::varchar), simple_type(type_id::int_)}));
  EXPECT_EQ(to_cql(udt), "address");

  EXPECT_EQ(cols[1].type, tuple_of({simple_type(type_id::int_), simple_type(type_id::varchar)}));
  EXPECT_EQ(to_cql(cols[1].type), "tuple<int, text>");

  EXPECT_EQ(cols[2].type,
            map_of(simple_type(type_id::varchar), list_of(simple_type(type_id::double_))));
  EXPECT_EQ(to_cql(cols[2].type), "map<text, list<double>>");

  EXPECT_EQ(cols[3].type, vector_of(simple_type(type_id::float_), 3));
  EXPECT_EQ(to_cql(cols[3].type), "vector<float, 3>");
  EXPECT_EQ(fixed_value_size(cols[3].type), 12u);

  EXPECT_EQ(cols[4].type, simple_type(type_id::duration));
  EXPECT_EQ(cols[5].type.id, type_id::custom);
  EXPECT_EQ(cols[5].type.custom_class, "com.example.MyType");
  EXPECT_EQ(rows.row_count, 0);
}

TEST(WireResult, RowsRejectNegativeCounts) {
  body neg_columns;
  neg_columns.int_(2).int_(0).int_(-1);
  EXPECT_THROW((void)read_result(neg_columns), protocol_error);
  body neg_rows;
  neg_rows.int_(2).int_(metadata_flags::no_metadata).int_(1).int_(-1);
  EXPECT_THROW((void)read_result(neg_rows), protocol_error);
}

TEST(WireResult, RowsRejectACountTheBodyCannotHold) {
  body b;
  b.int_(2).int_(metadata_flags::no_metadata).int_(3).int_(0x7fffffff).bytes("x");
  EXPECT_THROW((void)read_result(b), protocol_error);
}

TEST(WireResult, EveryStrictPrefixOfARowsBodyThrows) {
  body full = users_rows();
  bytes_view all = full.view();
  auto walk = [](bytes_view b) {
    result res = read_result(b);
    const auto& rows = std::get<rows_result>(res);
    row_reader rr(rows.rows, rows.row_count, rows.metadata.column_count);
    std::size_t cells = 0;
    while (rr.next_row()) {
      for (int c = 0; c < rr.column_count(); ++c) {
        (void)rr.next_cell();
        ++cells;
      }
    }
    return cells;
  };
  EXPECT_EQ(walk(all), 6u);
  for (std::size_t n = 0; n < all.size(); ++n) {
    EXPECT_THROW((void)walk(all.first(n)), protocol_error) << "prefix of " << n << " bytes";
  }
}

TEST(WireResult, RowReaderOnTruncatedRows) {
  byte_buffer rows = hex("00 00 00 04 01 02");
  row_reader rr(rows, 1, 1);
  ASSERT_TRUE(rr.next_row());
  EXPECT_THROW((void)rr.next_cell(), protocol_error);
  // Skipping the unread rest of a truncated row throws too.
  byte_buffer rows2 = hex("00 00 00 01 01 00 00 00 09");
  row_reader rr2(rows2, 2, 2);
  ASSERT_TRUE(rr2.next_row());
  (void)rr2.next_cell();
  EXPECT_THROW((void)rr2.next_row(), protocol_error);
}

TEST(WireResult, Prepared) {
  body b;
  b.int_(4).short_bytes("\x01\x02\x03\x04");
  // bind metadata: global spec, 2 markers, pk_count 1 -> index 1
  b.int_(metadata_flags::global_tables_spec).int_(2).int_(1).short_(1);
  b.string("ks").string("t").string("name").option(0x000D).string("id").option(0x000C);
  // result metadata: 1 column
  b.int_(metadata_flags::global_tables_spec).int_(1).string("ks").string("t");
  b.string("value").option(0x0009);
  result res = read_result(b);
  ASSERT_TRUE(std::holds_alternative<prepared_result>(res));
  const auto& p = std::get<prepared_result>(res);
  EXPECT_EQ(to_hex(p.id), "01 02 03 04");
  EXPECT_EQ(p.flags, metadata_flags::global_tables_spec);
  EXPECT_EQ(p.pk_indexes, (std::vector<std::uint16_t>{1}));
  ASSERT_EQ(p.variables.size(), 2u);
  EXPECT_EQ(p.variables[0].name, "name");
  EXPECT_EQ(p.variables[0].keyspace, "ks");
  EXPECT_EQ(p.variables[1].name, "id");
  EXPECT_EQ(p.variables[1].type.id, type_id::uuid);
  ASSERT_EQ(p.result.columns.size(), 1u);
  EXPECT_EQ(p.result.columns[0].name, "value");
  EXPECT_EQ(p.result.column_count, 1);
}

TEST(WireResult, PreparedNonSelectHasEmptyResultMetadata) {
  body b;
  b.int_(4).short_bytes("id");
  b.int_(0).int_(1).int_(1).short_(0);  // per-column spec, pk index 0
  b.string("ks").string("t").string("k").option(0x0009);
  b.int_(metadata_flags::no_metadata).int_(0);
  result res = read_result(b);
  const auto& p = std::get<prepared_result>(res);
  EXPECT_EQ(p.pk_indexes, (std::vector<std::uint16_t>{0}));
  ASSERT_EQ(p.variables.size(), 1u);
  EXPECT_EQ(p.variables[0].table, "t");
  EXPECT_TRUE(p.result.columns.empty());
  EXPECT_EQ(p.result.column_count, 0);
  EXPECT_EQ(p.result.flags, metadata_flags::no_metadata);
}

TEST(WireEvent, TopologyChange) {
  body b;
  b.string("TOPOLOGY_CHANGE").string("NEW_NODE").hex("04 7f 00 00 02").int_(9042);
  event e = read_event(b);
  EXPECT_EQ(e.type, "TOPOLOGY_CHANGE");
  EXPECT_EQ(e.change, "NEW_NODE");
  EXPECT_EQ(to_hex(e.address), "7f 00 00 02");
  EXPECT_EQ(e.port, 9042);
}

TEST(WireEvent, StatusChangeWithIpv6) {
  body b;
  b.string("STATUS_CHANGE").string("DOWN");
  b.hex("10 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01").int_(19042);
  event e = read_event(b);
  EXPECT_EQ(e.type, "STATUS_CHANGE");
  EXPECT_EQ(e.change, "DOWN");
  EXPECT_EQ(e.address.size(), 16u);
  EXPECT_EQ(e.port, 19042);
}

TEST(WireEvent, SchemaChange) {
  body b;
  b.string("SCHEMA_CHANGE").string("CREATED").string("TABLE").string("ks").string("users");
  event e = read_event(b);
  EXPECT_EQ(e.type, "SCHEMA_CHANGE");
  EXPECT_EQ(e.schema.change_type, "CREATED");
  EXPECT_EQ(e.schema.target, "TABLE");
  EXPECT_EQ(e.schema.keyspace, "ks");
  EXPECT_EQ(e.schema.name, "users");
}

TEST(WireEvent, RejectsUnknownTypeAndBadAddress) {
  body unknown;
  unknown.string("WEATHER_CHANGE");
  EXPECT_THROW((void)read_event(unknown), protocol_error);
  body bad;
  bad.string("STATUS_CHANGE").string("UP").hex("05 01 02 03 04 05").int_(1);
  EXPECT_THROW((void)read_event(bad), protocol_error);
  body truncated;
  truncated.string("STATUS_CHANGE").string("UP").hex("04 01 02 03 04 00 00");
  EXPECT_THROW((void)read_event(truncated), protocol_error);
}

}  // namespace
}  // namespace coodie::wire
