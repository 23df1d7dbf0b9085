// Helpers for the value-mapping tests: a C++ value's encoding as hex text, hex text decoded into a
// C++ value, round trips, and the message of the codec_error an operation throws.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "coodie/wire/traits.hpp"
#include "unit/wire_test_bytes.hpp"

namespace coodie::wire::test {

/// v written as a whole [value] (length and content).
template <class T>
byte_buffer encoded(const T& v) {
  byte_buffer b;
  writer w(b);
  encode_value(v, w);
  return b;
}
/// v written as a whole [value] of the CQL type t.
template <class T>
byte_buffer encoded_as(const T& v, const data_type& t) {
  byte_buffer b;
  writer w(b);
  encode_value(v, t, w);
  return b;
}

/// The whole [value] as hex: value_hex(std::int32_t{7}) is "00 00 00 04 00 00 00 07".
template <class T>
std::string value_hex(const T& v) {
  return to_hex(encoded(v));
}
/// The whole [value] of the CQL type t as hex.
template <class T>
std::string value_hex_as(const T& v, const data_type& t) {
  return to_hex(encoded_as(v, t));
}
/// The content only, without its length: content_hex(std::int32_t{7}) is "00 00 00 07".
template <class T>
std::string content_hex(const T& v) {
  const byte_buffer b = encoded(v);
  return to_hex(bytes_view(b).subspan(4));
}
/// The content of a [value] of the CQL type t, without its length.
template <class T>
std::string content_hex_as(const T& v, const data_type& t) {
  const byte_buffer b = encoded_as(v, t);
  return to_hex(bytes_view(b).subspan(4));
}

/// Content given as hex, decoded into a new T.
template <class T>
T decode_hex(std::string_view h) {
  const byte_buffer b = hex(h);
  return decode_value<T>(value_view(bytes_view(b)));
}
/// Content of the CQL type t given as hex, decoded into a new T.
template <class T>
T decode_hex_as(std::string_view h, const data_type& t) {
  const byte_buffer b = hex(h);
  return decode_value<T>(value_view(bytes_view(b)), t);
}

/// v written as a [value] and read back; the read must use every byte written.
template <class T>
T round_trip(const T& v) {
  const byte_buffer b = encoded(v);
  reader r(b);
  T out = decode_value<T>(r.value());
  EXPECT_TRUE(r.empty());
  return out;
}

/// The message of the codec_error that f() throws; a test failure, and "", when it throws none.
template <class F>
std::string codec_error_message(F&& f) {
  try {
    (void)std::forward<F>(f)();
  } catch (const codec_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no codec_error thrown";
  return "";
}

/// Decoding the content h into a T throws a codec_error whose message contains message_part.
template <class T>
void expect_codec_error(std::string_view h, std::string_view message_part) {
  EXPECT_THAT(codec_error_message([&] { return decode_hex<T>(h); }),
              ::testing::HasSubstr(std::string(message_part)))
      << "decoding " << h;
}

}  // namespace coodie::wire::test
