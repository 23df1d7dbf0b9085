// Request writers, byte for byte against frames spelled out from the v4 spec.
#include <gtest/gtest.h>

#include "coodie/wire/messages.hpp"
#include "unit/wire_test_bytes.hpp"

namespace coodie::wire {
namespace {

using test::body;
using test::hex;
using test::to_hex;

TEST(WireRequests, Startup) {
  byte_buffer out;
  write_startup(out, 1, {{"CQL_VERSION", "3.0.0"}});
  body expected;
  expected.hex("04 00 00 01 01 00 00 00 16")
      .hex("00 01")
      .hex("00 0b")
      .raw("CQL_VERSION")
      .hex("00 05")
      .raw("3.0.0");
  EXPECT_EQ(to_hex(out), to_hex(expected));
}

TEST(WireRequests, StartupWithCompression) {
  byte_buffer out;
  write_startup(out, 0, {{"CQL_VERSION", "3.0.0"}, {"COMPRESSION", "lz4"}});
  body expected;
  expected.hex("04 00 00 00 01 00 00 00 28")
      .hex("00 02")
      .hex("00 0b")
      .raw("CQL_VERSION")
      .hex("00 05")
      .raw("3.0.0")
      .hex("00 0b")
      .raw("COMPRESSION")
      .hex("00 03")
      .raw("lz4");
  EXPECT_EQ(to_hex(out), to_hex(expected));
}

TEST(WireRequests, Options) {
  byte_buffer out;
  write_options(out, 0);
  EXPECT_EQ(to_hex(out), "04 00 00 00 05 00 00 00 00");
}

TEST(WireRequests, AuthResponse) {
  byte_buffer out;
  std::string_view plain("\0cassandra\0cassandra", 20);
  write_auth_response(out, 3, as_bytes(plain));
  body expected;
  expected.hex("04 00 00 03 0f 00 00 00 18 00 00 00 14").raw(plain);
  EXPECT_EQ(to_hex(out), to_hex(expected));

  byte_buffer null_token;
  write_auth_response(null_token, 3, std::nullopt);
  EXPECT_EQ(to_hex(null_token), "04 00 00 03 0f 00 00 00 04 ff ff ff ff");
}

TEST(WireRequests, QueryWithDefaults) {
  byte_buffer out;
  write_query(out, 1, "SELECT 1", {}, {});
  body expected;
  // [long string] query, consistency LOCAL_ONE, flags 0.
  expected.hex("04 00 00 01 07 00 00 00 0f").hex("00 00 00 08").raw("SELECT 1").hex("00 0a 00");
  EXPECT_EQ(to_hex(out), to_hex(expected));
}

TEST(WireRequests, QueryWithEveryParameter) {
  byte_buffer values = hex("00 00 00 01 2a ff ff ff ff");
  byte_buffer paging = hex("70 73");
  query_parameters p;
  p.cl = consistency::quorum;
  p.skip_metadata = true;
  p.page_size = 100;
  p.paging_state = paging;
  p.serial_consistency = consistency::local_serial;
  p.timestamp = 1234567890;
  byte_buffer out;
  write_query(out, 0x0102, "q", p, {.count = 2, .data = values});
  body expected;
  expected.hex("04 00 01 02 07 00 00 00 27")
      .hex("00 00 00 01")
      .raw("q")
      .hex("00 04")                       // QUORUM
      .hex("3f")                          // values|skip_metadata|page_size|paging|serial|timestamp
      .hex("00 02")                       // two values
      .hex("00 00 00 01 2a ff ff ff ff")  // 42 and null
      .hex("00 00 00 64")                 // page size
      .hex("00 00 00 02 70 73")           // paging state
      .hex("00 09")                       // LOCAL_SERIAL
      .hex("00 00 00 00 49 96 02 d2");    // timestamp
  EXPECT_EQ(to_hex(out), to_hex(expected));
}

TEST(WireRequests, QueryRejectsDataWithoutCountAndLeavesBufferIntact) {
  byte_buffer values = hex("00 00 00 00");
  byte_buffer out = hex("aa");
  EXPECT_THROW(write_query(out, 0, "q", {}, {.count = 0, .data = values}), usage_error);
  EXPECT_EQ(to_hex(out), "aa");
}

TEST(WireRequests, Prepare) {
  byte_buffer out;
  write_prepare(out, 7, "SELECT * FROM t");
  body expected;
  expected.hex("04 00 00 07 09 00 00 00 13 00 00 00 0f").raw("SELECT * FROM t");
  EXPECT_EQ(to_hex(out), to_hex(expected));
}

TEST(WireRequests, Execute) {
  byte_buffer id = hex("01 02 03");
  byte_buffer values = hex("00 00 00 04 00 00 00 07");
  query_parameters p;
  p.cl = consistency::one;
  byte_buffer out;
  write_execute(out, 9, id, p, {.count = 1, .data = values});
  EXPECT_EQ(to_hex(out),
            "04 00 00 09 0a 00 00 00 12 "  // header
            "00 03 01 02 03 "              // [short bytes] id
            "00 01 01 "                    // ONE, flags: values
            "00 01 00 00 00 04 00 00 00 07");
}

TEST(WireRequests, ExecuteWithSkipMetadataAndPaging) {
  byte_buffer id = hex("ab");
  query_parameters p;
  p.cl = consistency::local_quorum;
  p.skip_metadata = true;
  p.page_size = 5000;
  byte_buffer out;
  write_execute(out, 0, id, p, {});
  EXPECT_EQ(to_hex(out), "04 00 00 00 0a 00 00 00 0a 00 01 ab 00 06 06 00 00 13 88");
}

TEST(WireRequests, BatchWithStringAndPreparedEntries) {
  byte_buffer id = hex("61 62");
  byte_buffer values = hex("ff ff ff fe");  // unset
  batch_entry entries[] = {
      {.is_prepared = false, .cql = "INSERT", .id = {}, .values = {}},
      {.is_prepared = true, .cql = {}, .id = id, .values = {.count = 1, .data = values}},
  };
  batch_parameters p;
  p.cl = consistency::quorum;
  p.serial_consistency = consistency::serial;
  p.timestamp = 1;
  byte_buffer out;
  write_batch(out, 4, batch_type::logged, entries, p);
  body expected;
  expected.hex("04 00 00 04 0d 00 00 00 28")
      .hex("00")     // logged
      .hex("00 02")  // two statements
      .hex("00 00 00 00 06")
      .raw("INSERT")
      .hex("00 00")                                    // kind string, query, no values
      .hex("01 00 02 61 62 00 01 ff ff ff fe")         // kind prepared, id, one unset value
      .hex("00 04 30 00 08 00 00 00 00 00 00 00 01");  // QUORUM, flags, SERIAL, timestamp
  EXPECT_EQ(to_hex(out), to_hex(expected));
}

TEST(WireRequests, CounterBatchWithDefaults) {
  batch_entry entries[] = {{.is_prepared = false, .cql = "U", .id = {}, .values = {}}};
  byte_buffer out;
  write_batch(out, 0, batch_type::counter, entries, {});
  EXPECT_EQ(to_hex(out), "04 00 00 00 0d 00 00 00 0e 02 00 01 00 00 00 00 01 55 00 00 00 0a 00");
}

TEST(WireRequests, BatchRejectsTooManyEntries) {
  std::vector<batch_entry> entries(
      65536, batch_entry{.is_prepared = false, .cql = "x", .id = {}, .values = {}});
  byte_buffer out;
  EXPECT_THROW(write_batch(out, 0, batch_type::unlogged, entries, {}), codec_error);
  EXPECT_TRUE(out.empty());
}

TEST(WireRequests, Register) {
  byte_buffer out;
  write_register(out, 0, {"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"});
  body expected;
  expected.hex("04 00 00 00 0b 00 00 00 31 00 03")
      .hex("00 0f")
      .raw("TOPOLOGY_CHANGE")
      .hex("00 0d")
      .raw("STATUS_CHANGE")
      .hex("00 0d")
      .raw("SCHEMA_CHANGE");
  EXPECT_EQ(to_hex(out), to_hex(expected));
}

TEST(WireRequests, FramesAppendOneAfterAnother) {
  byte_buffer out;
  write_options(out, 1);
  write_options(out, 2);
  EXPECT_EQ(to_hex(out), "04 00 00 01 05 00 00 00 00 04 00 00 02 05 00 00 00 00");
}

}  // namespace
}  // namespace coodie::wire
