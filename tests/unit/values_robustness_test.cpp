// Decoding arbitrary bytes: every decoder either succeeds or throws codec_error, never reads out of
// bounds (run under the ASan+UBSan preset) and never allocates more than the input justifies.
#include <gtest/gtest.h>

#include <random>

#include "coodie/wire/traits.hpp"

namespace coodie::wire {
namespace {

template <class T>
void decode_or_codec_error(bytes_view content, const data_type* source) {
  T out{};
  try {
    if (source != nullptr) {
      decode_value(value_view(content), *source, out);
    } else {
      decode_value(value_view(content), out);
    }
  } catch (const codec_error&) {
    // expected for most inputs
  }
}

TEST(ValuesRobustness, RandomBytesDecodeOrThrowCodecError) {
  std::mt19937 rng(20240517);  // fixed seed: reproducible
  const data_type text = simple_type(type_id::varchar);
  const data_type udt = [&] {
    data_type t;
    t.id = type_id::udt;
    t.name = "u";
    t.field_names = {"a", "b"};
    t.params = {simple_type(type_id::int_), text};
    return t;
  }();
  const data_type vec_text = vector_of(text, 3);
  const data_type vec_float = vector_of(simple_type(type_id::float_), 2);
  byte_buffer buf;
  for (int i = 0; i < 5000; ++i) {
    buf.resize(rng() % 48);
    for (std::byte& b : buf) {
      // bias toward small lengths and 0xff so that counts and lengths are sometimes plausible
      unsigned r = rng() % 8;
      b = static_cast<std::byte>(r < 3 ? 0 : r < 5 ? rng() % 8 : r < 6 ? 0xff : rng() % 256);
    }
    const bytes_view in(buf);
    decode_or_codec_error<std::vector<std::string>>(in, nullptr);
    decode_or_codec_error<std::map<std::int32_t, std::vector<std::string>>>(in, nullptr);
    decode_or_codec_error<std::set<std::int64_t>>(in, nullptr);
    decode_or_codec_error<std::tuple<std::optional<std::int32_t>, std::optional<std::string>>>(
        in, &udt);
    decode_or_codec_error<std::array<std::string, 3>>(in, nullptr);
    decode_or_codec_error<std::vector<std::string>>(in, &vec_text);
    decode_or_codec_error<std::vector<float>>(in, &vec_float);
    decode_or_codec_error<duration>(in, nullptr);
    decode_or_codec_error<decimal>(in, nullptr);
    decode_or_codec_error<varint>(in, nullptr);
    decode_or_codec_error<inet>(in, nullptr);
    decode_or_codec_error<timeuuid>(in, nullptr);
    decode_or_codec_error<time_of_day>(in, nullptr);
    decode_or_codec_error<std::chrono::sys_time<std::chrono::milliseconds>>(in, nullptr);
    decode_or_codec_error<std::chrono::system_clock::time_point>(in, nullptr);
  }
}

}  // namespace
}  // namespace coodie::wire
