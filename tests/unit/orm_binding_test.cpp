// Binding a model's values, with no server: an integer literal against a floating-point column
// encodes as that column's type; text that is not UTF-8 and a value too large for a frame are
// refused while binding, naming the model and column.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/filter.hpp"
#include "coodie/orm/session.hpp"

namespace orm_filter_test {
struct Priced {
  std::int32_t id = 0;
  double price = 0;
  float ratio = 0;
};
struct Note {
  std::int32_t id = 0;
  std::string body;
  coodie::blob data;
};
}  // namespace orm_filter_test

template <>
inline constexpr auto coodie::model<orm_filter_test::Priced> =
    coodie::table("priced").partition_key<&orm_filter_test::Priced::id>();

template <>
inline constexpr auto coodie::model<orm_filter_test::Note> =
    coodie::table("notes").partition_key<&orm_filter_test::Note::id>();

namespace {

using coodie::col;
using orm_filter_test::Note;
using orm_filter_test::Priced;

std::vector<std::byte> bytes_of(const coodie::filter<Priced>& f) {
  coodie::wire::bound_values v = f.value.view();
  EXPECT_EQ(v.count, 1);
  return {v.data.begin(), v.data.end()};
}

TEST(OrmFilter, IntegerLiteralsEncodeAsTheFloatingPointColumn) {
  EXPECT_EQ(bytes_of(col<&Priced::price> > 0), bytes_of(col<&Priced::price> > 0.0));
  EXPECT_EQ(bytes_of(col<&Priced::price> <= 12), bytes_of(col<&Priced::price> <= 12.0));
  EXPECT_EQ(bytes_of(col<&Priced::price> == -7), bytes_of(col<&Priced::price> == -7.0));
  // A 16-bit integer fits a float's mantissa exactly.
  EXPECT_EQ(bytes_of(col<&Priced::ratio> >= std::int16_t{3}),
            bytes_of(col<&Priced::ratio> >= 3.0F));
  // 8 bytes for a double, 4 for a float, after the 4-byte length.
  EXPECT_EQ(bytes_of(col<&Priced::price> > 0).size(), 12U);
  EXPECT_EQ(bytes_of(col<&Priced::ratio> > std::int8_t{1}).size(), 8U);
}

/// The codec_error message of binding every column of n, or "" when it binds.
std::string bind_error(const Note& n) {
  coodie::detail::value_list v;
  try {
    coodie::detail::encode_all(v, n);
  } catch (const coodie::codec_error& e) {
    return e.what();
  }
  return {};
}

TEST(OrmBinding, TextMustBeUtf8) {
  EXPECT_EQ(bind_error(Note{1, "plain ascii, then \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", {}}), "");
  for (const char* bad : {"\xff", "ab\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                          "\xe2\x82", "0123456789\x80"}) {
    std::string msg = bind_error(Note{1, bad, {}});
    EXPECT_NE(msg.find("Note"), std::string::npos) << msg;
    EXPECT_NE(msg.find("column body"), std::string::npos) << msg;
    EXPECT_NE(msg.find("invalid UTF-8"), std::string::npos) << msg;
  }
}

TEST(OrmBinding, ValuesLargerThanAFrameAreRefusedBeforeCopying) {
  const std::size_t too_big = coodie::wire::max_body_size + 1;
  std::string msg = bind_error(Note{1, std::string(too_big, 'x'), {}});
  EXPECT_NE(msg.find("column body"), std::string::npos) << msg.substr(0, 200);
  EXPECT_NE(msg.find("larger than"), std::string::npos) << msg.substr(0, 200);
  msg = bind_error(Note{1, "", coodie::blob(too_big)});
  EXPECT_NE(msg.find("column data"), std::string::npos) << msg.substr(0, 200);
}

}  // namespace
