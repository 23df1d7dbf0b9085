// Frame headers, response prefixes and LZ4 bodies.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "coodie/wire/frame.hpp"
#include "unit/wire_test_bytes.hpp"

namespace coodie::wire {
namespace {

using test::hex;
using ::testing::HasSubstr;

TEST(WireFrameHeader, DecodesAResponseHeader) {
  byte_buffer b = hex("84 0a ff ff 0c 00 00 01 00");
  frame_header h = decode_header(b);
  EXPECT_EQ(h.version, 0x84);
  EXPECT_TRUE(h.is_response());
  EXPECT_EQ(h.flags, 0x0a);
  EXPECT_EQ(h.stream, -1);
  EXPECT_EQ(h.op, opcode::event);
  EXPECT_EQ(h.length, 256u);
}

TEST(WireFrameHeader, DecodesReadyWithEmptyBody) {
  byte_buffer b = hex("84 00 00 00 02 00 00 00 00");
  frame_header h = decode_header(b);
  EXPECT_EQ(h.op, opcode::ready);
  EXPECT_EQ(h.length, 0u);
  EXPECT_STREQ(to_string(h.op), "READY");
}

TEST(WireFrameHeader, EncodesAndDecodesRoundTrip) {
  frame_header h;
  h.version = 0x04;
  h.flags = frame_flags::compression | frame_flags::tracing;
  h.stream = 32767;
  h.op = opcode::batch;
  h.length = 0x01020304;
  std::array<std::byte, header_size> raw{};
  encode_header(h, raw);
  EXPECT_EQ(test::to_hex(raw), "04 03 7f ff 0d 01 02 03 04");
  frame_header back = decode_header(raw);
  EXPECT_EQ(back.version, h.version);
  EXPECT_EQ(back.flags, h.flags);
  EXPECT_EQ(back.stream, h.stream);
  EXPECT_EQ(back.op, h.op);
  EXPECT_EQ(back.length, h.length);
  EXPECT_FALSE(back.is_response());
}

TEST(WireFrameHeader, RejectsOtherProtocolVersions) {
  for (const char* text : {"83 00 00 00 00 00 00 00 00", "85 00 00 00 00 00 00 00 00",
                           "05 00 00 00 05 00 00 00 00", "00 00 00 00 02 00 00 00 00"}) {
    byte_buffer b = hex(text);
    EXPECT_THROW((void)decode_header(b), protocol_error) << text;
  }
}

TEST(WireFrameHeader, RejectsUnknownOpcodes) {
  for (const char* text :
       {"84 00 00 00 04 00 00 00 00", "84 00 00 00 11 00 00 00 00", "84 00 00 00 ff 00 00 00 00"}) {
    byte_buffer b = hex(text);
    try {
      (void)decode_header(b);
      ADD_FAILURE() << "accepted " << text;
    } catch (const protocol_error& e) {
      EXPECT_THAT(e.what(), HasSubstr("opcode"));
    }
  }
}

TEST(WireFrameHeader, RejectsOversizedLength) {
  byte_buffer b = hex("84 00 00 01 08 10 00 00 01");  // 256 MiB + 1
  EXPECT_THROW((void)decode_header(b), protocol_error);
  byte_buffer ok = hex("84 00 00 01 08 10 00 00 00");  // exactly 256 MiB
  EXPECT_EQ(decode_header(ok).length, max_body_size);
  byte_buffer small = hex("84 00 00 01 08 00 00 04 01");
  EXPECT_THROW((void)decode_header(small, 1024), protocol_error);
  EXPECT_EQ(decode_header(small, 1025).length, 1025u);
}

TEST(WireFrameHeader, RejectsShortHeader) {
  byte_buffer b = hex("84 00 00 01 08 00 00 00");
  EXPECT_THROW((void)decode_header(b), protocol_error);
}

TEST(WireFrameHeader, BeginEndFrameAndSetStream) {
  byte_buffer out = hex("aa");  // frames append after existing bytes
  std::size_t at = begin_frame(out, opcode::query, 5, frame_flags::tracing);
  EXPECT_EQ(at, 1u);
  out.push_back(std::byte{0x42});
  out.push_back(std::byte{0x43});
  end_frame(out, at);
  EXPECT_EQ(test::to_hex(out), "aa 04 02 00 05 07 00 00 00 02 42 43");
  set_stream(std::span(out).subspan(at), -2);
  EXPECT_EQ(test::to_hex(out), "aa 04 02 ff fe 07 00 00 00 02 42 43");
}

TEST(WireOpcode, Names) {
  EXPECT_STREQ(to_string(opcode::auth_success), "AUTH_SUCCESS");
  EXPECT_STREQ(to_string(opcode::register_), "REGISTER");
  EXPECT_STREQ(to_string(static_cast<opcode>(0x04)), "UNKNOWN");
}

frame_header response_with_flags(std::uint8_t flags) {
  frame_header h;
  h.version = 0x84;
  h.flags = flags;
  h.op = opcode::result;
  return h;
}

TEST(WireResponsePrefix, NoFlagsReadsNothing) {
  byte_buffer b = hex("00 00 00 01");
  reader r(b);
  response_prefix p = read_response_prefix(response_with_flags(0), r);
  EXPECT_FALSE(p.tracing_id.has_value());
  EXPECT_TRUE(p.warnings.empty());
  EXPECT_TRUE(p.custom_payload.empty());
  EXPECT_EQ(r.position(), 0u);
}

TEST(WireResponsePrefix, ReadsTracingWarningsAndPayloadInOrder) {
  test::body b;
  b.hex("00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff")  // tracing id
      .short_(2)
      .string("Aggregation query used without partition key")
      .string("w2")  // warnings
      .short_(1)
      .string("k")
      .bytes("v")  // custom payload
      .int_(1);    // the message: RESULT Void
  reader r(b);
  response_prefix p = read_response_prefix(
      response_with_flags(frame_flags::tracing | frame_flags::warning |
                          frame_flags::custom_payload | frame_flags::compression),
      r);
  ASSERT_TRUE(p.tracing_id.has_value());
  EXPECT_EQ(test::to_hex(*p.tracing_id), "00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff");
  EXPECT_EQ(p.warnings,
            (std::vector<std::string>{"Aggregation query used without partition key", "w2"}));
  ASSERT_EQ(p.custom_payload.size(), 1u);
  EXPECT_EQ(p.custom_payload[0].first, "k");
  ASSERT_TRUE(p.custom_payload[0].second.has_value());
  EXPECT_EQ(test::to_hex(*p.custom_payload[0].second), "76");
  EXPECT_EQ(r.remaining(), 4u);
}

TEST(WireResponsePrefix, WarningsOnly) {
  test::body b;
  b.short_(1).string("careful").int_(1);
  reader r(b);
  response_prefix p = read_response_prefix(response_with_flags(frame_flags::warning), r);
  EXPECT_FALSE(p.tracing_id.has_value());
  EXPECT_EQ(p.warnings, (std::vector<std::string>{"careful"}));
  EXPECT_EQ(r.remaining(), 4u);
}

TEST(WireResponsePrefix, TruncatedTracingIdThrows) {
  byte_buffer b = hex("00 11 22");
  reader r(b);
  EXPECT_THROW((void)read_response_prefix(response_with_flags(frame_flags::tracing), r),
               protocol_error);
}

TEST(WireLz4, RoundTrip) {
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += "SELECT * FROM ks.t WHERE id = ?;";
  }
  byte_buffer compressed = hex("ee");  // appends after existing bytes
  lz4_compress(as_bytes(text), compressed);
  ASSERT_GT(compressed.size(), 5u);
  EXPECT_LT(compressed.size(), text.size());
  // 4-byte big-endian uncompressed length first.
  EXPECT_EQ(test::to_hex(std::span(compressed).subspan(1, 4)), "00 00 19 00");
  byte_buffer back = hex("dd");
  lz4_decompress(std::span(compressed).subspan(1), back);
  ASSERT_EQ(back.size(), text.size() + 1);
  EXPECT_EQ(as_chars(std::span(back).subspan(1)), text);
}

TEST(WireLz4, RoundTripOfEmptyAndIncompressibleBodies) {
  byte_buffer compressed;
  lz4_compress({}, compressed);
  byte_buffer back;
  lz4_decompress(compressed, back);
  EXPECT_TRUE(back.empty());

  byte_buffer noise;
  std::uint32_t x = 12345;
  for (int i = 0; i < 1000; ++i) {
    x = x * 1103515245u + 12345u;
    noise.push_back(static_cast<std::byte>(x >> 24));
  }
  compressed.clear();
  lz4_compress(noise, compressed);
  lz4_decompress(compressed, back);
  EXPECT_EQ(back, noise);
}

TEST(WireLz4, EmptyBodyWithoutBlockIsAccepted) {
  byte_buffer b = hex("00 00 00 00");
  byte_buffer out;
  lz4_decompress(b, out);
  EXPECT_TRUE(out.empty());
}

TEST(WireLz4, RejectsMalformedInput) {
  byte_buffer out;
  // Too short for the length prefix.
  EXPECT_THROW(lz4_decompress(hex("00 00"), out), protocol_error);
  // Announces 16 bytes, block is garbage.
  EXPECT_THROW(lz4_decompress(hex("00 00 00 10 ff ff ff ff"), out), protocol_error);
  // A valid block of "abcd" (token 0x40: 4 literals), but the length prefix lies.
  EXPECT_THROW(lz4_decompress(hex("00 00 00 05 40 61 62 63 64"), out), protocol_error);
  EXPECT_THROW(lz4_decompress(hex("00 00 00 03 40 61 62 63 64"), out), protocol_error);
  // The same block with the right length decodes.
  lz4_decompress(hex("00 00 00 04 40 61 62 63 64"), out);
  EXPECT_EQ(as_chars(out), "abcd");
  // Nonzero length with no block.
  out.clear();
  EXPECT_THROW(lz4_decompress(hex("00 00 00 04"), out), protocol_error);
  EXPECT_TRUE(out.empty());
}

TEST(WireLz4, EnforcesTheSizeLimit) {
  std::string text(5000, 'a');
  byte_buffer compressed;
  lz4_compress(as_bytes(text), compressed);
  byte_buffer out;
  EXPECT_THROW(lz4_decompress(compressed, out, 4999), protocol_error);
  EXPECT_TRUE(out.empty());
  lz4_decompress(compressed, out, 5000);
  EXPECT_EQ(out.size(), 5000u);
}

TEST(WireLz4, RejectsAnAnnouncedSizeTheBlockCannotReach) {
  // 2 GiB announced from 2 block bytes: refused before any allocation.
  byte_buffer out;
  try {
    lz4_decompress(hex("7f ff ff ff 00 00"), out, 0xffffffffu);
    FAIL() << "expected protocol_error";
  } catch (const protocol_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("LZ4"));
  }
}

}  // namespace
}  // namespace coodie::wire
