// ERROR bodies of every code of the v4 spec become the matching coodie exception, fields filled.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/wire/messages.hpp"
#include "unit/wire_test_bytes.hpp"

namespace coodie::wire {
namespace {

using test::body;
using test::hex;
using ::testing::HasSubstr;

// Rethrows the exception read_error built and returns it as E (fails the test if it is not an E).
template <class E>
E rethrow_as(const body& b) {
  std::exception_ptr p = read_error(b);
  try {
    std::rethrow_exception(p);
  } catch (const E& e) {
    return e;
  } catch (const std::exception& other) {
    ADD_FAILURE() << "wrong exception type: " << other.what();
  }
  throw std::logic_error("unreachable");
}

body error_body(std::int32_t code, std::string_view message) {
  body b;
  b.int_(code).string(message);
  return b;
}

TEST(WireErrors, ServerError) {
  auto e = rethrow_as<server_error>(error_body(0x0000, "boom"));
  EXPECT_EQ(e.code(), 0x0000);
  EXPECT_EQ(e.server_message(), "boom");
  EXPECT_STREQ(e.what(), "Server_error (0x0000): boom");
  EXPECT_FALSE(e.is_retryable());
}

TEST(WireErrors, ProtocolErrorFromServer) {
  auto e = rethrow_as<server_error>(error_body(
      0x000A, "Invalid or unsupported protocol version (5); supported versions are (3/v3, 4/v4)"));
  EXPECT_EQ(e.code(), 0x000A);
  EXPECT_THAT(e.what(), HasSubstr("Protocol_error (0x000A): Invalid or unsupported"));
}

TEST(WireErrors, BadCredentials) {
  auto e = rethrow_as<authentication_error>(error_body(0x0100, "Provided username is incorrect"));
  EXPECT_EQ(e.code(), 0x0100);
  EXPECT_STREQ(e.what(), "Bad_credentials (0x0100): Provided username is incorrect");
}

TEST(WireErrors, Unavailable) {
  body b = error_body(0x1000, "Cannot achieve consistency level QUORUM");
  b.short_(0x0004).int_(2).int_(1);
  auto e = rethrow_as<unavailable_error>(b);
  EXPECT_EQ(e.code(), 0x1000);
  EXPECT_EQ(e.cl(), consistency::quorum);
  EXPECT_EQ(e.required(), 2);
  EXPECT_EQ(e.alive(), 1);
  EXPECT_TRUE(e.is_retryable());
  EXPECT_STREQ(e.what(), "Unavailable (0x1000): Cannot achieve consistency level QUORUM");
}

TEST(WireErrors, OverloadedBootstrappingTruncate) {
  auto o = rethrow_as<overloaded_error>(error_body(0x1001, "overloaded"));
  EXPECT_TRUE(o.is_retryable());
  auto b = rethrow_as<is_bootstrapping_error>(error_body(0x1002, "bootstrapping"));
  EXPECT_TRUE(b.is_retryable());
  auto t = rethrow_as<truncate_error>(error_body(0x1003, "truncate"));
  EXPECT_EQ(t.code(), 0x1003);
}

TEST(WireErrors, WriteTimeout) {
  body b = error_body(0x1100, "Operation timed out");
  b.short_(0x0006).int_(1).int_(2).string("BATCH_LOG");
  auto e = rethrow_as<write_timeout_error>(b);
  EXPECT_EQ(e.info().cl, consistency::local_quorum);
  EXPECT_EQ(e.info().received, 1);
  EXPECT_EQ(e.info().block_for, 2);
  EXPECT_EQ(e.write_type(), "BATCH_LOG");
  EXPECT_TRUE(e.is_retryable());
}

TEST(WireErrors, ACasWriteTimeoutIsItsOwnType) {
  body b = error_body(0x1100, "Operation timed out");
  b.short_(0x0008).int_(0).int_(2).string("CAS");
  auto e = rethrow_as<cas_write_unknown_error>(b);
  EXPECT_EQ(e.write_type(), "CAS");
  EXPECT_EQ(e.info().block_for, 2);
  EXPECT_FALSE(e.is_retryable()) << "whether it applied is unknown: resending may apply it twice";
  body simple = error_body(0x1100, "Operation timed out");
  simple.short_(0x0004).int_(0).int_(2).string("SIMPLE");
  try {
    std::rethrow_exception(read_error(simple));
  } catch (const cas_write_unknown_error&) {
    ADD_FAILURE() << "only write type CAS is the outcome-unknown error";
  } catch (const write_timeout_error& plain) {
    EXPECT_EQ(plain.write_type(), "SIMPLE");
  }
}

TEST(WireErrors, ReadTimeout) {
  body b = error_body(0x1200, "Operation timed out");
  b.short_(0x0001).int_(0).int_(1).byte(1);
  auto e = rethrow_as<read_timeout_error>(b);
  EXPECT_EQ(e.info().cl, consistency::one);
  EXPECT_EQ(e.info().received, 0);
  EXPECT_EQ(e.info().block_for, 1);
  EXPECT_TRUE(e.data_present());
  EXPECT_TRUE(e.is_retryable());
}

TEST(WireErrors, ReadFailure) {
  body b = error_body(0x1300, "Operation failed");
  b.short_(0x0005).int_(2).int_(3).int_(1).byte(0);
  auto e = rethrow_as<read_failure_error>(b);
  EXPECT_EQ(e.info().cl, consistency::all);
  EXPECT_EQ(e.info().received, 2);
  EXPECT_EQ(e.info().block_for, 3);
  EXPECT_EQ(e.failures(), 1);
  EXPECT_FALSE(e.data_present());
  EXPECT_FALSE(e.is_retryable());
}

TEST(WireErrors, FunctionFailure) {
  body b = error_body(0x1400, "execution of ks.f failed");
  b.string("ks").string("f").short_(2).string("int").string("text");
  auto e = rethrow_as<function_failure_error>(b);
  EXPECT_EQ(e.keyspace(), "ks");
  EXPECT_EQ(e.function(), "f");
  EXPECT_EQ(e.arg_types(), (std::vector<std::string>{"int", "text"}));
}

TEST(WireErrors, WriteFailure) {
  body b = error_body(0x1500, "Operation failed");
  b.short_(0x0004).int_(1).int_(2).int_(1).string("SIMPLE");
  auto e = rethrow_as<write_failure_error>(b);
  EXPECT_EQ(e.info().cl, consistency::quorum);
  EXPECT_EQ(e.info().received, 1);
  EXPECT_EQ(e.info().block_for, 2);
  EXPECT_EQ(e.failures(), 1);
  EXPECT_EQ(e.write_type(), "SIMPLE");
}

TEST(WireErrors, CdcWriteFailureAndCasWriteUnknownStayServerErrors) {
  auto cdc = rethrow_as<server_error>(error_body(0x1600, "cdc full"));
  EXPECT_EQ(cdc.code(), 0x1600);
  EXPECT_THAT(cdc.what(), HasSubstr("CDC_write_failure (0x1600)"));
  body cas = error_body(0x1700, "CAS unknown");
  cas.short_(0x0008).int_(0).int_(1);
  auto e = rethrow_as<server_error>(cas);
  EXPECT_EQ(e.code(), 0x1700);
}

TEST(WireErrors, SyntaxUnauthorizedInvalidConfig) {
  auto s = rethrow_as<syntax_error>(error_body(0x2000, "line 1:0 no viable alternative"));
  EXPECT_EQ(s.code(), 0x2000);
  auto u = rethrow_as<unauthorized_error>(error_body(0x2100, "no permission"));
  EXPECT_EQ(u.code(), 0x2100);
  auto i = rethrow_as<invalid_query_error>(error_body(0x2200, "unconfigured table t"));
  EXPECT_STREQ(i.what(), "Invalid (0x2200): unconfigured table t");
  EXPECT_EQ(i.server_message(), "unconfigured table t");
  EXPECT_FALSE(i.is_retryable());
  EXPECT_FALSE(i.poisons_connection());
  auto c = rethrow_as<config_error>(error_body(0x2300, "bad config"));
  EXPECT_EQ(c.code(), 0x2300);
}

TEST(WireErrors, AlreadyExists) {
  body table = error_body(0x2400, "Cannot add already existing table");
  table.string("ks").string("users");
  auto t = rethrow_as<already_exists_error>(table);
  EXPECT_EQ(t.keyspace(), "ks");
  EXPECT_EQ(t.table(), "users");
  body keyspace = error_body(0x2400, "Cannot add existing keyspace");
  keyspace.string("ks").string("");
  auto k = rethrow_as<already_exists_error>(keyspace);
  EXPECT_EQ(k.table(), "");
}

TEST(WireErrors, UnpreparedKeepsTheRawId) {
  body b = error_body(0x2500, "Prepared query with ID 00ff not found");
  b.short_bytes(std::string_view("\x00\xff\x10", 3));
  auto e = rethrow_as<unprepared_error>(b);
  EXPECT_EQ(e.statement_id(), std::string("\x00\xff\x10", 3));
}

TEST(WireErrors, UnknownCodeIsAPlainServerError) {
  auto e = rethrow_as<server_error>(error_body(0x7777, "new"));
  EXPECT_EQ(e.code(), 0x7777);
  EXPECT_THAT(e.what(), HasSubstr("(0x7777): new"));
}

TEST(WireErrors, ThrowErrorThrowsTheSubclass) {
  body b = error_body(0x2200, "bad");
  EXPECT_THROW(throw_error(b), invalid_query_error);
}

TEST(WireErrors, MalformedBodiesThrowProtocolError) {
  EXPECT_THROW((void)read_error(hex("00 00")), protocol_error);
  EXPECT_THROW((void)read_error(hex("00 00 22 00 00 05 61")), protocol_error);
  body unavailable = error_body(0x1000, "x");
  unavailable.short_(4).int_(2);  // alive missing
  EXPECT_THROW((void)read_error(unavailable), protocol_error);
  body unprepared = error_body(0x2500, "x");
  unprepared.short_(10).hex("01 02");
  EXPECT_THROW((void)read_error(unprepared), protocol_error);
}

TEST(WireConsistency, Names) {
  EXPECT_EQ(to_string(consistency::any), "ANY");
  EXPECT_EQ(to_string(consistency::local_quorum), "LOCAL_QUORUM");
  EXPECT_EQ(to_string(consistency::each_quorum), "EACH_QUORUM");
  EXPECT_EQ(to_string(consistency::local_serial), "LOCAL_SERIAL");
  EXPECT_EQ(to_string(consistency::local_one), "LOCAL_ONE");
  EXPECT_EQ(to_string(static_cast<consistency>(0x0042)), "UNKNOWN(66)");
}

}  // namespace
}  // namespace coodie::wire
