// Binding a model's values, with no server: an integer literal against a floating-point column
// encodes as that column's type; text that is not UTF-8 and a value too large for a frame are
// refused while binding, naming the model and column; a row's values take one buffer and a
// batch given its size adds statements without moving them.
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
struct Listed {
  std::int32_t id = 0;
  std::vector<std::int32_t> l;
};
struct FrozenListed {
  std::int32_t id = 0;
  std::vector<std::int32_t> l;
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

template <>
inline constexpr auto coodie::model<orm_filter_test::Listed> =
    coodie::table("listed").partition_key<&orm_filter_test::Listed::id>();
template <>
inline constexpr auto coodie::model<orm_filter_test::FrozenListed> =
    coodie::table("frozen_listed")
        .partition_key<&orm_filter_test::FrozenListed::id>()
        .frozen<&orm_filter_test::FrozenListed::l>();

namespace {

using coodie::col;
using orm_filter_test::FrozenListed;
using orm_filter_test::Listed;
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
  coodie::value_list v;
  try {
    coodie::orm::detail::encode_all(v, n);
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

/// Whether a write of model T with these options goes out marked idempotent.
template <class T>
bool resent_ok(coodie::write_options w, bool client_timestamps = true, bool conditional = false) {
  coodie::session_options o;
  o.client_timestamps = client_timestamps;
  coodie::orm::detail::orm_core core(o, true);  // lazy: never connects here
  coodie::orm::detail::orm_request rq;
  rq.table = &coodie::schema_of<T>();
  coodie::orm::detail::apply(rq, w);
  if (conditional) {
    coodie::orm::detail::mark_conditional(rq);
  }
  coodie::orm::detail::settle_idempotence(core, rq);
  return rq.options.idempotent;
}

TEST(OrmBinding, WhichWritesMayBeSentTwice) {
  // A plain write carries the session's client timestamp: sending it again changes nothing.
  EXPECT_TRUE(resent_ok<Priced>({}));
  // Without client timestamps, only a write with its own timestamp.
  EXPECT_FALSE(resent_ok<Priced>({}, false));
  EXPECT_TRUE(resent_ok<Priced>({.timestamp = 5}, false));
  // Conditional writes never: a second attempt could report "not applied" for the first.
  EXPECT_FALSE(resent_ok<Priced>({}, true, true));
  // A non-frozen list gets its elements again from a resent overwrite; a frozen one does not.
  EXPECT_FALSE(resent_ok<Listed>({}));
  EXPECT_FALSE(resent_ok<Listed>({.timestamp = 5}));
  EXPECT_TRUE(resent_ok<FrozenListed>({}));
  // Reads always may.
  coodie::orm::detail::orm_request read;
  coodie::orm::detail::apply(read, coodie::read_options{});
  EXPECT_TRUE(read.options.idempotent);
}

TEST(OrmBinding, ATypicalRowEncodesIntoOneBufferAndABatchAddsWithoutMoving) {
  coodie::value_list v;
  v.add(std::int32_t{7});
  const std::byte* buffer = v.view().data.data();
  v.add(std::string("a name of a dozen"));
  v.add(2.5);
  v.add(std::string(60, 'x'));
  EXPECT_EQ(v.view().data.data(), buffer);  // no regrowth within a typical row's 128 bytes
  EXPECT_EQ(v.size(), 4u);
  EXPECT_EQ(v.view().data.size(), (4u + 4) + (4 + 17) + (4 + 8) + (4 + 60));
  v.add(std::string(300, 'y'));  // a larger value still fits, in a grown buffer
  EXPECT_EQ(v.view().data.size(), 105u + 4 + 300);

  coodie::batch b(coodie::wire::batch_type::unlogged);
  b.reserve(10);
  b.add(coodie::statement("INSERT INTO ks.t (k) VALUES (?)", 0));
  const coodie::batch::entry* first = b.entries().data();
  for (int i = 1; i < 10; ++i) {
    b.add(coodie::statement("INSERT INTO ks.t (k) VALUES (?)", i));
  }
  EXPECT_EQ(b.entries().data(), first);
  EXPECT_EQ(b.size(), 10u);
}

}  // namespace
