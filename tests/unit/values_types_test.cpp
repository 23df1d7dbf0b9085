// The value types of coodie/wire/values.hpp (uuid, timeuuid, date, time_of_day, duration, inet)
// and the timestamp mapping of system_clock time points: text forms, generation, wire bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "coodie/wire/traits.hpp"
#include "unit/values_test_support.hpp"

namespace coodie::wire {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::year;
using namespace test;
using ::testing::HasSubstr;

// --- uuid ---------------------------------------------------------------------------------------

TEST(ValuesUuid, ParsesAndFormatsCanonicalLowercase) {
  uuid u = uuid::parse("123E4567-E89B-12D3-A456-426614174000");
  EXPECT_EQ(u.to_string(), "123e4567-e89b-12d3-a456-426614174000");
  EXPECT_EQ(u.version(), 1);
  EXPECT_EQ(content_hex(u), "12 3e 45 67 e8 9b 12 d3 a4 56 42 66 14 17 40 00");
  EXPECT_EQ(round_trip(u), u);
  EXPECT_TRUE(uuid().is_nil());
  EXPECT_EQ(uuid().to_string(), "00000000-0000-0000-0000-000000000000");
}

TEST(ValuesUuid, RejectsMalformedText) {
  for (std::string_view bad :
       {"", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400",
        "123e4567-e89b-12d3-a456-4266141740000", "123e4567-e89b-12d3-a456_426614174000",
        "g23e4567-e89b-12d3-a456-426614174000"}) {
    EXPECT_FALSE(uuid::try_parse(bad).has_value()) << bad;
    EXPECT_THROW((void)uuid::parse(bad), codec_error) << bad;
  }
}

TEST(ValuesUuid, RandomIsVersion4AndDistinct) {
  std::unordered_set<uuid> seen;
  for (int i = 0; i < 10000; ++i) {
    uuid u = uuid::random();
    ASSERT_EQ(u.version(), 4);
    ASSERT_EQ(std::to_integer<int>(u.bytes()[8]) & 0xC0, 0x80);  // RFC 4122 variant
    ASSERT_TRUE(seen.insert(u).second);
  }
}

TEST(ValuesUuid, OrdersByBytesAndHashes) {
  uuid a = uuid::parse("00000000-0000-0000-0000-000000000001");
  uuid b = uuid::parse("00000000-0000-0000-0000-000000000002");
  EXPECT_LT(a, b);
  EXPECT_NE(std::hash<uuid>{}(a), std::hash<uuid>{}(b));
}

TEST(ValuesUuid, RejectsWrongSizes) {
  EXPECT_THROW((void)decode_hex<uuid>("00 01 02"), codec_error);
  EXPECT_THROW((void)decode_hex<uuid>(""), codec_error);
  EXPECT_THROW((void)decode_hex<timeuuid>("00"), codec_error);
}

TEST(ValuesUuid, UuidReadsTimeuuidColumnsAndBindsOnlyVersion1ToThem) {
  const data_type timeuuid_type = simple_type(type_id::timeuuid);
  EXPECT_TRUE(cql_traits<uuid>::accepts(timeuuid_type));
  EXPECT_FALSE(cql_traits<timeuuid>::accepts(simple_type(type_id::uuid)));
  uuid v1 = timeuuid::now().as_uuid();
  EXPECT_EQ(content_hex_as(v1, timeuuid_type), to_hex(v1.bytes()));
  EXPECT_THROW((void)content_hex_as(uuid::random(), timeuuid_type), codec_error);
  EXPECT_EQ(decode_hex_as<uuid>(to_hex(v1.bytes()), timeuuid_type), v1);
}

// --- timeuuid -----------------------------------------------------------------------------------

TEST(ValuesTimeuuid, NowIsVersion1WithRandomMulticastNode) {
  timeuuid t = timeuuid::now();
  EXPECT_EQ(t.as_uuid().version(), 1);
  EXPECT_EQ(std::to_integer<int>(t.bytes()[8]) & 0xC0, 0x80);
  EXPECT_EQ(std::to_integer<int>(t.bytes()[10]) & 0x01, 0x01);  // multicast bit of the node
  auto drift = t.timestamp() - std::chrono::system_clock::now();
  EXPECT_LT(std::chrono::abs(drift), 10s);
}

TEST(ValuesTimeuuid, NowIsStrictlyMonotonicAndDistinctOver100kCalls) {
  std::vector<timeuuid> ids;
  ids.reserve(100000);
  for (int i = 0; i < 100000; ++i) {
    ids.push_back(timeuuid::now());
  }
  for (std::size_t i = 1; i < ids.size(); ++i) {
    ASSERT_LT(ids[i - 1].raw_timestamp(), ids[i].raw_timestamp()) << i;
    ASSERT_LT(ids[i - 1], ids[i]) << i;
  }
  std::unordered_set<timeuuid> distinct(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), ids.size());
}

TEST(ValuesTimeuuid, DistinctAcrossThreads) {
  std::mutex m;
  std::unordered_set<timeuuid> all;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<timeuuid> mine;
      for (int i = 0; i < 20000; ++i) {
        mine.push_back(timeuuid::now());
      }
      std::lock_guard lock(m);
      all.insert(mine.begin(), mine.end());
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(all.size(), 80000u);
}

TEST(ValuesTimeuuid, MinAndMaxMatchCassandraFunctions) {
  // minTimeuuid('1970-01-01 00:00:00+0000') / maxTimeuuid's bytes at the same tick
  const std::chrono::sys_time<std::chrono::milliseconds> epoch{};
  EXPECT_EQ(timeuuid::min_for(epoch).to_string(), "13814000-1dd2-11b2-8080-808080808080");
  EXPECT_EQ(timeuuid::max_for(epoch).to_string(), "13814000-1dd2-11b2-7f7f-7f7f7f7f7f7f");
  EXPECT_EQ(timeuuid::min_for(epoch).timestamp(), std::chrono::system_clock::time_point{});
  EXPECT_EQ(timeuuid().raw_timestamp(), 0u);
  EXPECT_EQ(timeuuid().as_uuid().version(), 1);
}

TEST(ValuesTimeuuid, OrdersByTimestampThenSignedClockAndNode) {
  auto now = std::chrono::system_clock::now();
  timeuuid lo = timeuuid::min_for(now);
  timeuuid hi = timeuuid::max_for(now);
  EXPECT_LT(lo, hi);
  EXPECT_LT(hi, timeuuid::min_for(now + 100ns));
  timeuuid mid = timeuuid::parse(lo.to_string().substr(0, 19) +
                                 "0000-000000000000");  // same tick, zero clock and node
  EXPECT_LT(lo, mid);
  EXPECT_LT(mid, hi);
  // later timestamps sort later even when their first bytes (time_low) are smaller
  timeuuid a = timeuuid::min_for(std::chrono::sys_time<std::chrono::milliseconds>{396772ms});
  timeuuid b = timeuuid::min_for(std::chrono::sys_time<std::chrono::milliseconds>{396773ms});
  EXPECT_LT(a, b);
}

TEST(ValuesTimeuuid, TimestampRoundTripsThroughMinFor) {
  auto tp = sys_days{year{2024} / 5 / 17} + 13h + 5min + 7s + 123456700ns;
  timeuuid t = timeuuid::min_for(tp);
  EXPECT_EQ(t.timestamp(), tp);
  // far future: representable as a timeuuid, beyond system_clock's nanoseconds
  timeuuid far = timeuuid::min_for(sys_days{year{3000} / 1 / 1});
  EXPECT_THROW((void)far.timestamp(), codec_error);
  EXPECT_THROW((void)timeuuid::min_for(sys_days{year{1500} / 1 / 1}), codec_error);
}

TEST(ValuesTimeuuid, RejectsOtherVersions) {
  EXPECT_THROW(timeuuid{uuid::random()}, codec_error);
  EXPECT_THROW((void)timeuuid::parse("123e4567-e89b-42d3-a456-426614174000"), codec_error);
  EXPECT_THROW((void)decode_hex<timeuuid>("12 3e 45 67 e8 9b 42 d3 a4 56 42 66 14 17 40 00"),
               codec_error);
  timeuuid t = timeuuid::now();
  EXPECT_EQ(round_trip(t), t);
  EXPECT_EQ(timeuuid(t.as_uuid()), t);
}

// --- timestamp ----------------------------------------------------------------------------------

TEST(ValuesTimestamp, MillisecondsSinceEpochFlooringFinerUnits) {
  using std::chrono::system_clock;
  EXPECT_EQ(content_hex(std::chrono::sys_time<std::chrono::milliseconds>{}),
            "00 00 00 00 00 00 00 00");
  EXPECT_EQ(content_hex(std::chrono::sys_time<std::chrono::milliseconds>{1ms}),
            "00 00 00 00 00 00 00 01");
  EXPECT_EQ(content_hex(system_clock::time_point{-1ns}), "ff ff ff ff ff ff ff ff");
  EXPECT_EQ(content_hex(system_clock::time_point{1500us}), "00 00 00 00 00 00 00 01");
  EXPECT_EQ(content_hex(system_clock::time_point{-1500us}), "ff ff ff ff ff ff ff fe");
  EXPECT_EQ(content_hex(std::chrono::sys_seconds{2s}), "00 00 00 00 00 00 07 d0");
  EXPECT_EQ(cql_traits<system_clock::time_point>::cql_type(), simple_type(type_id::timestamp));
}

TEST(ValuesTimestamp, BeyondYear2262WithMilliseconds) {
  using ms_time = std::chrono::sys_time<std::chrono::milliseconds>;
  for (ms_time tp :
       {ms_time{sys_days{year{3000} / 1 / 1}}, ms_time{sys_days{year{1000} / 6 / 1}},
        ms_time{std::chrono::milliseconds{std::numeric_limits<std::int64_t>::max()}},
        ms_time{std::chrono::milliseconds{std::numeric_limits<std::int64_t>::min()}}}) {
    EXPECT_EQ(round_trip(tp), tp);
  }
  // a nanosecond time point cannot hold year 3000
  const std::string year_3000 = content_hex(ms_time{sys_days{year{3000} / 1 / 1}});
  EXPECT_THAT(codec_error_message(
                  [&] { return decode_hex<std::chrono::system_clock::time_point>(year_3000); }),
              HasSubstr("outside the range"))
      << "year 3000 read into nanoseconds";
}

TEST(ValuesTimestamp, CoarserUnitsFloorOnReadAndOverflowOnWrite) {
  EXPECT_EQ(decode_hex<std::chrono::sys_seconds>("00 00 00 00 00 00 05 dc"),
            std::chrono::sys_seconds{1s});  // 1500 ms
  EXPECT_EQ(decode_hex<std::chrono::sys_seconds>("ff ff ff ff ff ff fa 24"),
            std::chrono::sys_seconds{-2s});  // -1500 ms
  EXPECT_THROW((void)content_hex(std::chrono::sys_seconds{
                   std::chrono::seconds{std::numeric_limits<std::int64_t>::max()}}),
               codec_error);
  EXPECT_THROW((void)decode_hex<std::chrono::sys_seconds>("00 00 00"), codec_error);
}

TEST(ValuesTimestamp, SysDaysAlsoBindsToDateColumns) {
  const data_type date_type = simple_type(type_id::date);
  sys_days d = sys_days{year{1970} / 1 / 2};
  EXPECT_TRUE(cql_traits<sys_days>::accepts(date_type));
  EXPECT_FALSE(cql_traits<std::chrono::sys_seconds>::accepts(date_type));
  EXPECT_EQ(content_hex_as(d, date_type), "80 00 00 01");
  EXPECT_EQ(content_hex(d), "00 00 00 00 05 26 5c 00");  // 86400000 ms as a timestamp
  EXPECT_EQ(decode_hex_as<sys_days>("7f ff ff ff", date_type), sys_days{year{1969} / 12 / 31});
}

// --- date ---------------------------------------------------------------------------------------

TEST(ValuesDate, EpochIsTwoToThe31) {
  EXPECT_EQ(content_hex(date()), "80 00 00 00");
  EXPECT_EQ(date().raw(), 0x80000000u);
  EXPECT_EQ(content_hex(date::from_days(-1)), "7f ff ff ff");
  EXPECT_EQ(date::from_raw(0).days_since_epoch(), std::numeric_limits<std::int32_t>::min());
  EXPECT_EQ(date::from_raw(0xFFFFFFFF).days_since_epoch(),
            std::numeric_limits<std::int32_t>::max());
  EXPECT_EQ(decode_hex<date>("80 00 00 0a"), date::from_days(10));
  EXPECT_THROW((void)decode_hex<date>("80 00 00"), codec_error);
}

TEST(ValuesDate, BeforeEpochAndAfter2262) {
  for (auto ymd : {year{1815} / 6 / 18, year{-44} / 3 / 15, year{2300} / 1 / 1,
                   year{9999} / 12 / 31, year{30000} / 2 / 29}) {
    date d(ymd);
    EXPECT_EQ(d.to_year_month_day(), ymd);
    EXPECT_EQ(round_trip(d), d);
    EXPECT_EQ(round_trip(std::chrono::year_month_day(ymd)), std::chrono::year_month_day(ymd));
  }
  EXPECT_EQ(date(year{1815} / 6 / 18).to_string(), "1815-06-18");
  EXPECT_EQ(date(year{-44} / 3 / 15).to_string(), "-0044-03-15");
  EXPECT_EQ(date(year{2300} / 1 / 1).to_string(), "2300-01-01");
  EXPECT_LT(date(year{1815} / 6 / 18), date());
}

TEST(ValuesDate, ParsesAndRejects) {
  EXPECT_EQ(date::parse("2024-02-29"), date(year{2024} / 2 / 29));
  EXPECT_EQ(date::parse("-0044-03-15"), date(year{-44} / 3 / 15));
  EXPECT_EQ(date::parse("1970-01-01"), date());
  for (std::string_view bad : {"2023-02-29", "2024-13-01", "2024-1", "2024/01/01", "", "x"}) {
    EXPECT_THROW((void)date::parse(bad), codec_error) << bad;
  }
  EXPECT_THROW(date(year{2023} / 2 / 29), codec_error);
}

TEST(ValuesDate, BeyondChronoYearRange) {
  date far = date::from_raw(0);  // 5.8 million years before 1970
  EXPECT_EQ(far.to_string(), "-2147483648");
  EXPECT_THROW((void)far.to_year_month_day(), codec_error);
  EXPECT_THROW((void)decode_hex<std::chrono::year_month_day>("00 00 00 00"), codec_error);
  EXPECT_EQ(round_trip(far), far);
  EXPECT_THROW(date(sys_days{std::chrono::days{std::int64_t{1} << 40}}), codec_error);
}

// --- time_of_day --------------------------------------------------------------------------------

TEST(ValuesTime, NanosecondsSinceMidnight) {
  EXPECT_EQ(content_hex(time_of_day()), "00 00 00 00 00 00 00 00");
  time_of_day last(std::chrono::nanoseconds{time_of_day::max_nanoseconds});
  EXPECT_EQ(content_hex(last), "00 00 4e 94 91 4e ff ff");
  EXPECT_EQ(round_trip(last), last);
  EXPECT_EQ(last.to_string(), "23:59:59.999999999");
  time_of_day lunch(12h + 30min + 500ms);
  EXPECT_EQ(lunch.to_string(), "12:30:00.500000000");
  EXPECT_EQ(time_of_day::parse("12:30:00.5"), lunch);
  EXPECT_EQ(time_of_day::parse("12:30:00"), time_of_day(12h + 30min));
  EXPECT_LT(lunch, last);
}

TEST(ValuesTime, RejectsOutOfRange) {
  EXPECT_THROW(time_of_day(-1ns), codec_error);
  EXPECT_THROW(time_of_day(24h), codec_error);
  expect_codec_error<time_of_day>("00 00 4e 94 91 4f 00 00", "86399999999999");  // exactly 24h
  EXPECT_THROW((void)decode_hex<time_of_day>("ff ff ff ff ff ff ff ff"), codec_error);
  EXPECT_THROW((void)decode_hex<time_of_day>("00 00 00 00"), codec_error);
  for (std::string_view bad :
       {"24:00:00", "12:60:00", "12:00", "12:00:00.", "12:00:00.1234567890", "1:2:3x"}) {
    EXPECT_THROW((void)time_of_day::parse(bad), codec_error) << bad;
  }
}

// --- duration and vints -------------------------------------------------------------------------

std::string uvint_hex(std::uint64_t v) {
  byte_buffer b;
  writer w(b);
  write_unsigned_vint(w, v);
  reader r(b);
  EXPECT_EQ(read_unsigned_vint(r), v);
  EXPECT_TRUE(r.empty());
  return to_hex(b);
}

TEST(ValuesDuration, UnsignedVintLayout) {
  EXPECT_EQ(uvint_hex(0), "00");
  EXPECT_EQ(uvint_hex(127), "7f");
  EXPECT_EQ(uvint_hex(128), "80 80");
  EXPECT_EQ(uvint_hex(16383), "bf ff");
  EXPECT_EQ(uvint_hex(16384), "c0 40 00");
  EXPECT_EQ(uvint_hex(256000), "c3 e8 00");  // the protocol spec's example
  EXPECT_EQ(uvint_hex((std::uint64_t{1} << 56) - 1), "fe ff ff ff ff ff ff ff");
  EXPECT_EQ(uvint_hex(std::uint64_t{1} << 56), "ff 01 00 00 00 00 00 00 00");
  EXPECT_EQ(uvint_hex(~std::uint64_t{0}), "ff ff ff ff ff ff ff ff ff");
}

TEST(ValuesDuration, ZigZagSignedVints) {
  EXPECT_EQ(content_hex(duration(1, 2, 3)), "02 04 06");
  EXPECT_EQ(content_hex(duration(0, 0, -1)), "00 00 01");
  EXPECT_EQ(content_hex(duration(-1, -2, 0)), "01 03 00");
  EXPECT_EQ(content_hex(duration(0, 0, 1'000'000'000)), "00 00 f0 77 35 94 00");
  EXPECT_EQ(content_hex(duration(0, 0, std::numeric_limits<std::int64_t>::min())),
            "00 00 ff ff ff ff ff ff ff ff ff");
  for (duration d :
       {duration(), duration(14, 3, 12345), duration(-14, -3, -12345),
        duration(std::numeric_limits<std::int32_t>::max(), std::numeric_limits<std::int32_t>::max(),
                 std::numeric_limits<std::int64_t>::max()),
        duration(std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::min(),
                 std::numeric_limits<std::int64_t>::min())}) {
    EXPECT_EQ(round_trip(d), d);
  }
}

TEST(ValuesDuration, RejectsMixedSignsAndMalformedBytes) {
  EXPECT_THROW(duration(1, -1, 0), codec_error);
  EXPECT_THROW(duration(0, 1, -5), codec_error);
  expect_codec_error<duration>("02 01 00", "mixes signs");               // +1 month, -1 day
  EXPECT_THROW((void)decode_hex<duration>("00 00 f0 77"), codec_error);  // truncated vint
  EXPECT_THROW((void)decode_hex<duration>("00 00"), codec_error);        // missing field
  EXPECT_THROW((void)decode_hex<duration>("00 00 00 00"), codec_error);  // trailing byte
  EXPECT_THROW((void)decode_hex<duration>("f8 02 00 00 00 00 00 00"),    // months = 2^32
               codec_error);
}

// --- inet ---------------------------------------------------------------------------------------

TEST(ValuesInet, FourOrSixteenBytes) {
  inet v4 = inet::parse("192.168.0.1");
  EXPECT_TRUE(v4.is_v4());
  EXPECT_EQ(content_hex(v4), "c0 a8 00 01");
  EXPECT_EQ(v4.to_string(), "192.168.0.1");
  inet v6 = inet::parse("2001:db8::1");
  EXPECT_TRUE(v6.is_v6());
  EXPECT_EQ(content_hex(v6), "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01");
  EXPECT_EQ(v6.to_string(), "2001:db8::1");
  EXPECT_EQ(round_trip(v4), v4);
  EXPECT_EQ(round_trip(v6), v6);
  EXPECT_EQ(inet().to_string(), "0.0.0.0");
  EXPECT_LT(v4, v6);
  EXPECT_LT(inet::parse("10.0.0.1"), inet::parse("10.0.0.2"));
}

TEST(ValuesInet, RejectsMalformed) {
  for (std::string_view bad :
       {std::string_view(""), std::string_view("300.1.1.1"), std::string_view("1.2.3"),
        std::string_view("::g"), std::string_view("localhost"), std::string_view("1.2.3.4\0", 8)}) {
    EXPECT_FALSE(inet::try_parse(bad).has_value()) << bad;
    EXPECT_THROW((void)inet::parse(bad), codec_error) << bad;
  }
  EXPECT_FALSE(inet::try_parse(std::string(100, '1')).has_value());
  EXPECT_THROW((void)decode_hex<inet>("01 02 03 04 05"), codec_error);
  EXPECT_THROW((void)decode_hex<inet>(""), codec_error);
}

}  // namespace
}  // namespace coodie::wire
