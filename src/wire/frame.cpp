// Protocol v4 frame headers, response prefixes and LZ4 body compression.
#include "coodie/wire/frame.hpp"

#include <limits>

#include <fmt/format.h>
#include <lz4.h>

namespace coodie::wire {

namespace {

bool is_known_opcode(std::uint8_t op) noexcept {
  return op <= 0x10 && op != 0x04;
}

}  // namespace

const char* to_string(opcode op) noexcept {
  switch (op) {
    case opcode::error:
      return "ERROR";
    case opcode::startup:
      return "STARTUP";
    case opcode::ready:
      return "READY";
    case opcode::authenticate:
      return "AUTHENTICATE";
    case opcode::options:
      return "OPTIONS";
    case opcode::supported:
      return "SUPPORTED";
    case opcode::query:
      return "QUERY";
    case opcode::result:
      return "RESULT";
    case opcode::prepare:
      return "PREPARE";
    case opcode::execute:
      return "EXECUTE";
    case opcode::register_:
      return "REGISTER";
    case opcode::event:
      return "EVENT";
    case opcode::batch:
      return "BATCH";
    case opcode::auth_challenge:
      return "AUTH_CHALLENGE";
    case opcode::auth_response:
      return "AUTH_RESPONSE";
    case opcode::auth_success:
      return "AUTH_SUCCESS";
  }
  return "UNKNOWN";
}

frame_header decode_header(bytes_view header, std::uint32_t max_body) {
  if (header.size() < header_size) {
    throw_truncated("frame header", header_size, header.size());
  }
  frame_header h;
  h.version = std::to_integer<std::uint8_t>(header[0]);
  if ((h.version & 0x7F) != protocol_version) {
    throw protocol_error(
        fmt::format("unsupported protocol version in frame header: 0x{:02X} (coodie speaks v{})",
                    h.version, protocol_version));
  }
  h.flags = std::to_integer<std::uint8_t>(header[1]);
  h.stream = static_cast<std::int16_t>(reader::load_be<std::uint16_t>(header.subspan(2, 2)));
  auto op = std::to_integer<std::uint8_t>(header[4]);
  if (!is_known_opcode(op)) {
    throw protocol_error(fmt::format("unknown opcode 0x{:02X} in frame header", op));
  }
  h.op = static_cast<opcode>(op);
  h.length = reader::load_be<std::uint32_t>(header.subspan(5, 4));
  if (h.length > max_body) {
    throw protocol_error(fmt::format("{} frame announces a body of {} bytes, above the limit of {}",
                                     to_string(h.op), h.length, max_body));
  }
  return h;
}

void encode_header(const frame_header& h, std::span<std::byte, header_size> out) noexcept {
  auto stream = static_cast<std::uint16_t>(h.stream);
  out[0] = std::byte{h.version};
  out[1] = std::byte{h.flags};
  out[2] = static_cast<std::byte>(stream >> 8);
  out[3] = static_cast<std::byte>(stream);
  out[4] = static_cast<std::byte>(h.op);
  out[5] = static_cast<std::byte>(h.length >> 24);
  out[6] = static_cast<std::byte>(h.length >> 16);
  out[7] = static_cast<std::byte>(h.length >> 8);
  out[8] = static_cast<std::byte>(h.length);
}

std::size_t begin_frame(byte_buffer& out, opcode op, std::int16_t stream, std::uint8_t flags) {
  std::size_t at = out.size();
  out.resize(at + header_size);
  frame_header h;
  h.version = protocol_version;
  h.flags = flags;
  h.stream = stream;
  h.op = op;
  h.length = 0;
  encode_header(h, std::span<std::byte, header_size>(out.data() + at, header_size));
  return at;
}

void end_frame(byte_buffer& out, std::size_t at) {
  std::size_t body = out.size() - at - header_size;
  if (body > max_body_size) {
    throw codec_error(fmt::format("request body of {} bytes exceeds the protocol limit of {}", body,
                                  max_body_size));
  }
  auto n = static_cast<std::uint32_t>(body);
  out[at + 5] = static_cast<std::byte>(n >> 24);
  out[at + 6] = static_cast<std::byte>(n >> 16);
  out[at + 7] = static_cast<std::byte>(n >> 8);
  out[at + 8] = static_cast<std::byte>(n);
}

void set_stream(std::span<std::byte> frame, std::int16_t stream) noexcept {
  if (frame.size() >= 4) {
    auto s = static_cast<std::uint16_t>(stream);
    frame[2] = static_cast<std::byte>(s >> 8);
    frame[3] = static_cast<std::byte>(s);
  }
}

response_prefix read_response_prefix(const frame_header& h, reader& r) {
  response_prefix p;
  if ((h.flags & frame_flags::tracing) != 0 && h.is_response()) {
    bytes_view id = r.raw(16, "tracing id");
    p.tracing_id.emplace();
    std::memcpy(p.tracing_id->data(), id.data(), 16);
  }
  if ((h.flags & frame_flags::warning) != 0) {
    p.warnings = r.string_list();
  }
  if ((h.flags & frame_flags::custom_payload) != 0) {
    p.custom_payload = r.bytes_map();
  }
  return p;
}

void lz4_compress(bytes_view body, byte_buffer& out) {
  if (body.size() > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE)) {
    throw codec_error(fmt::format("cannot LZ4-compress a body of {} bytes (limit {})", body.size(),
                                  LZ4_MAX_INPUT_SIZE));
  }
  const int src_size = static_cast<int>(body.size());
  const int bound = LZ4_compressBound(src_size);
  std::size_t at = out.size();
  out.resize(at + 4 + static_cast<std::size_t>(bound));
  auto n = static_cast<std::uint32_t>(body.size());
  out[at] = static_cast<std::byte>(n >> 24);
  out[at + 1] = static_cast<std::byte>(n >> 16);
  out[at + 2] = static_cast<std::byte>(n >> 8);
  out[at + 3] = static_cast<std::byte>(n);
  const int written =
      LZ4_compress_default(reinterpret_cast<const char*>(body.data()),
                           reinterpret_cast<char*>(out.data() + at + 4), src_size, bound);
  if (written <= 0) {
    out.resize(at);
    throw codec_error("LZ4 compression failed");
  }
  out.resize(at + 4 + static_cast<std::size_t>(written));
}

void lz4_decompress(bytes_view compressed, byte_buffer& out, std::uint32_t max_size) {
  reader r(compressed);
  auto n = reader::load_be<std::uint32_t>(r.raw(4, "LZ4 uncompressed length"));
  if (n > max_size || n > static_cast<std::uint32_t>(std::numeric_limits<int>::max())) {
    throw protocol_error(fmt::format(
        "LZ4 body announces {} uncompressed bytes, above the limit of {}", n, max_size));
  }
  bytes_view block = r.rest();
  if (n == 0 && block.empty()) {
    return;  // an empty body with no block at all
  }
  // An LZ4 sequence of k input bytes expands to fewer than 255 * k output bytes, so a block that
  // announces more is malformed; checking first keeps a lying length from allocating much.
  if (static_cast<std::uint64_t>(n) > 255u * static_cast<std::uint64_t>(block.size()) ||
      block.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw protocol_error(fmt::format(
        "malformed LZ4 body: {} compressed bytes cannot expand to the announced {} bytes",
        block.size(), n));
  }
  std::size_t at = out.size();
  out.resize(at + n);
  const int got = LZ4_decompress_safe(reinterpret_cast<const char*>(block.data()),
                                      reinterpret_cast<char*>(out.data() + at),
                                      static_cast<int>(block.size()), static_cast<int>(n));
  if (got < 0 || static_cast<std::uint32_t>(got) != n) {
    out.resize(at);
    throw protocol_error(fmt::format(
        "malformed LZ4 body: the block does not decompress to the announced {} bytes", n));
  }
}

}  // namespace coodie::wire
