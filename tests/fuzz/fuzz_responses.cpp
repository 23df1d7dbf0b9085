// libFuzzer target over every decoder of coodie::wire. The first byte picks the decoder, the rest
// is its input. Decoders may only fail with a coodie::error; any other exception, a crash, a
// sanitizer report or a broken round trip is a bug.
//
//   scripts/fuzz 60    # builds the `fuzz` preset, runs from a scratch copy of the seeds
// or by hand, keeping new inputs out of the checked-in seeds (tests/fuzz/make_corpus.py):
//   cmake --preset fuzz && cmake --build --preset fuzz --target fuzz_responses
//   build/fuzz/tests/fuzz/fuzz_responses -max_total_time=60 build/fuzz/work tests/fuzz/corpus
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <variant>
#include <vector>

#include "coodie/error.hpp"
#include "coodie/wire/codec.hpp"
#include "coodie/wire/data_type.hpp"
#include "coodie/wire/frame.hpp"
#include "coodie/wire/messages.hpp"
#include "coodie/wire/token.hpp"

namespace {

using namespace coodie::wire;

// Enough to reach every code path without letting one input run for long.
constexpr std::uint32_t max_fuzz_body = 1u << 16;
constexpr std::int32_t max_rows_walked = 1 << 16;

[[noreturn]] void bug(const char* what) {
  std::fprintf(stderr, "fuzz_responses: %s\n", what);
  std::abort();
}

// Written types must read back as the same type.
void check_type(const data_type& t) {
  (void)to_cql(t);
  (void)fixed_value_size(t);
  byte_buffer out;
  writer w(out);
  try {
    write_data_type(w, t);
  } catch (const coodie::codec_error&) {
    return;  // e.g. a marshal class longer than a [string] can hold
  }
  reader r(out);
  if (read_data_type(r) != t || !r.empty()) {
    bug("data type does not survive write_data_type/read_data_type");
  }
}

void check_columns(const std::vector<column_spec>& columns) {
  for (const column_spec& c : columns) {
    check_type(c.type);
  }
}

void walk_rows(const rows_result& rows) {
  check_columns(rows.metadata.columns);
  row_reader rr(rows.rows, rows.row_count, rows.metadata.column_count);
  std::int32_t walked = 0;
  while (walked++ < max_rows_walked && rr.next_row()) {
    for (std::int32_t c = 0; c < rr.column_count(); ++c) {
      value_view v = rr.next_cell();
      if (v.is_unset()) {
        bug("a row cell decoded as unset");
      }
    }
  }
}

void decode_result(bytes_view body) {
  result res = read_result(body);
  if (const auto* rows = std::get_if<rows_result>(&res)) {
    walk_rows(*rows);
  } else if (const auto* prepared = std::get_if<prepared_result>(&res)) {
    check_columns(prepared->variables);
    check_columns(prepared->result.columns);
  }
}

void decode_error(bytes_view body) {
  std::exception_ptr e = read_error(body);
  try {
    std::rethrow_exception(e);
  } catch (const coodie::server_error& se) {
    (void)se.what();
    (void)se.is_retryable();
  }
}

// A whole frame: header, optional LZ4 body, prefixes, then the message its opcode names.
void decode_frame(bytes_view input) {
  frame_header h = decode_header(input.first(std::min(input.size(), header_size)), max_fuzz_body);
  bytes_view body = input.subspan(header_size);
  if (body.size() > h.length) {
    body = body.first(h.length);
  }
  byte_buffer decompressed;
  if ((h.flags & frame_flags::compression) != 0) {
    lz4_decompress(body, decompressed, max_fuzz_body);
    body = decompressed;
  }
  reader r(body);
  (void)read_response_prefix(h, r);
  bytes_view message = r.rest();
  switch (h.op) {
    case opcode::error:
      decode_error(message);
      break;
    case opcode::authenticate:
      (void)read_authenticate(message);
      break;
    case opcode::supported:
      (void)read_supported(message).values("COMPRESSION");
      break;
    case opcode::result:
      decode_result(message);
      break;
    case opcode::event:
      (void)read_event(message);
      break;
    case opcode::auth_challenge:
    case opcode::auth_success:
      (void)read_auth_token(message);
      break;
    default:
      break;
  }
}

void decode_marshal(bytes_view input) {
  data_type t = parse_marshal_class(as_chars(input));
  std::string again;
  try {
    again = to_marshal_class(t);
  } catch (const coodie::codec_error&) {
    return;
  }
  if (parse_marshal_class(again) != t) {
    bug("marshal class does not survive to_marshal_class/parse_marshal_class");
  }
  check_type(t);
}

void decode_lz4(bytes_view input) {
  byte_buffer out;
  lz4_decompress(input, out, max_fuzz_body);
  byte_buffer again;
  lz4_compress(out, again);
  byte_buffer back;
  lz4_decompress(again, back, max_fuzz_body);
  if (back != out) {
    bug("LZ4 round trip changed the body");
  }
}

void run(std::uint8_t selector, bytes_view input) {
  switch (selector % 12) {
    case 0:
      decode_frame(input);
      break;
    case 1: {
      if (input.empty()) {
        return;
      }
      frame_header h;
      h.version = 0x84;
      h.flags = std::to_integer<std::uint8_t>(input[0]);
      reader r(input.subspan(1));
      (void)read_response_prefix(h, r);
      break;
    }
    case 2:
      decode_result(input);
      break;
    case 3:
      decode_error(input);
      break;
    case 4:
      (void)read_event(input);
      break;
    case 5:
      (void)read_supported(input);
      break;
    case 6:
      (void)read_authenticate(input);
      break;
    case 7:
      (void)read_auth_token(input);
      break;
    case 8:
      decode_lz4(input);
      break;
    case 9:
      decode_marshal(input);
      break;
    case 10: {
      reader r(input);
      check_type(read_data_type(r));
      break;
    }
    case 11:
      (void)murmur3_token(input);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  bytes_view input(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  try {
    run(data[0], input);
  } catch (const coodie::error&) {
    // Malformed input reported the way it must be.
  }
  return 0;
}
