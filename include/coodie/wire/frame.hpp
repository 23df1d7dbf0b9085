// CQL native protocol v4 frames: the 9-byte header, the response prefixes (tracing id, warnings,
// custom payload) and LZ4 body compression.
//
// Example:
//   coodie::wire::byte_buffer buf;
//   std::size_t at = coodie::wire::begin_frame(buf, coodie::wire::opcode::options);
//   coodie::wire::end_frame(buf, at);            // a complete OPTIONS frame, stream 0
//   auto h = coodie::wire::decode_header(std::span(buf).first(coodie::wire::header_size));
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "coodie/wire/codec.hpp"

namespace coodie::wire {

inline constexpr std::uint8_t protocol_version = 4;
inline constexpr std::size_t header_size = 9;
/// The largest body a frame may announce (the spec's 256 MiB).
inline constexpr std::uint32_t max_body_size = 256u * 1024u * 1024u;

enum class opcode : std::uint8_t {
  error = 0x00,
  startup = 0x01,
  ready = 0x02,
  authenticate = 0x03,
  options = 0x05,
  supported = 0x06,
  query = 0x07,
  result = 0x08,
  prepare = 0x09,
  execute = 0x0A,
  register_ = 0x0B,
  event = 0x0C,
  batch = 0x0D,
  auth_challenge = 0x0E,
  auth_response = 0x0F,
  auth_success = 0x10,
};

/// Name of an opcode ("RESULT"), or "UNKNOWN".
const char* to_string(opcode op) noexcept;

namespace frame_flags {
inline constexpr std::uint8_t compression = 0x01;
inline constexpr std::uint8_t tracing = 0x02;
inline constexpr std::uint8_t custom_payload = 0x04;
inline constexpr std::uint8_t warning = 0x08;
inline constexpr std::uint8_t use_beta = 0x10;
}  // namespace frame_flags

struct frame_header {
  std::uint8_t version = protocol_version;  ///< 0x04 request, 0x84 response
  std::uint8_t flags = 0;
  std::int16_t stream = 0;
  opcode op = opcode::options;
  std::uint32_t length = 0;  ///< body length

  [[nodiscard]] bool is_response() const noexcept { return (version & 0x80) != 0; }
};

/// Decodes a header from exactly header_size bytes. Throws protocol_error on a version other than
/// 4 (request or response), an unknown opcode, or a length above `max_body`.
frame_header decode_header(bytes_view header, std::uint32_t max_body = max_body_size);
/// Writes header_size bytes at `out`.
void encode_header(const frame_header& h, std::span<std::byte, header_size> out) noexcept;

/// Appends a request header (length 0) and returns its offset in `out`.
std::size_t begin_frame(byte_buffer& out, opcode op, std::int16_t stream = 0,
                        std::uint8_t flags = 0);
/// Sets the length field of the frame that begin_frame() started at `at`.
void end_frame(byte_buffer& out, std::size_t at);
/// Rewrites the stream id of an encoded frame.
void set_stream(std::span<std::byte> frame, std::int16_t stream) noexcept;

/// The parts of a response body that precede the message proper.
struct response_prefix {
  std::optional<std::array<std::byte, 16>> tracing_id;
  std::vector<std::string> warnings;
  std::vector<std::pair<std::string, std::optional<byte_buffer>>> custom_payload;
};

/// Reads the prefixes that the header's flags announce from `r`, leaving `r` at the message.
response_prefix read_response_prefix(const frame_header& h, reader& r);

/// Appends an LZ4-compressed v4 body (4-byte big-endian uncompressed length, then an LZ4 block).
void lz4_compress(bytes_view body, byte_buffer& out);
/// Appends the decompressed body. Throws protocol_error on malformed input or when the announced
/// size exceeds `max_size`.
void lz4_decompress(bytes_view compressed, byte_buffer& out,
                    std::uint32_t max_size = max_body_size);

}  // namespace coodie::wire
