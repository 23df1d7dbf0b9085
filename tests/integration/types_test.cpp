// Every CQL type round-trips through a real table: written with QUERY and bound values, read back
// with a prepared EXECUTE, compared field by field. Edge values included: null, empty, extremes,
// NaN and infinities, dates far from 1970, wide decimals and varints, 1 MiB blobs, long vectors.
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "support.hpp"

namespace coodie::test {
namespace {

using ms_time = std::chrono::sys_time<std::chrono::milliseconds>;
using tuple3 =
    std::tuple<std::optional<std::int32_t>, std::optional<std::string>, std::optional<double>>;
using address = std::tuple<std::optional<std::string>, std::optional<std::int32_t>>;

struct all_types {
  std::int32_t id = 0;
  std::optional<std::string> a;  // ascii
  std::optional<std::int64_t> b;
  std::optional<blob> bl;
  std::optional<bool> bo;
  std::optional<date> d;
  std::optional<decimal> de;
  std::optional<double> db;
  std::optional<duration> du;
  std::optional<float> f;
  std::optional<inet> i;
  std::optional<std::int32_t> n;
  std::optional<std::int16_t> s;
  std::optional<std::string> t;
  std::optional<time_of_day> ti;
  std::optional<ms_time> ts;
  std::optional<timeuuid> tu;
  std::optional<std::int8_t> ty;
  std::optional<uuid> u;
  std::optional<varint> vi;
  std::vector<std::int32_t> l;
  std::set<std::string> st;
  std::map<std::string, std::int32_t> m;
  std::map<std::string, std::vector<std::int32_t>> nested;
  std::optional<tuple3> tup;
  std::optional<address> addr;
  std::optional<std::array<float, 3>> v3;
  std::optional<std::array<float, 1024>> v1k;
};

COODIE_KEYSPACE_SUITE(TypesBase, "it_types");

template <class Front>
class Types : public TypesBase {
 protected:
  static void SetUpTestSuite() {
    TypesBase::SetUpTestSuite();
    db().execute("CREATE TYPE " + ks() + ".address (street text, zip int)");
    db().execute("CREATE TABLE " + ks() +
                 ".all_types (id int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date, "
                 "de decimal, db double, du duration, f float, i inet, n int, s smallint, t text, "
                 "ti time, ts timestamp, tu timeuuid, ty tinyint, u uuid, vi varint, l list<int>, "
                 "st set<text>, m map<text, int>, nested map<text, frozen<list<int>>>, "
                 "tup tuple<int, text, double>, addr frozen<address>, v3 vector<float, 3>, "
                 "v1k vector<float, 1024>)");
    db().execute("CREATE TABLE " + ks() + ".counters (id int PRIMARY KEY, c counter)");
  }

  void write(const all_types& r) {
    statement st("INSERT INTO " + ks() +
                     ".all_types (id, a, b, bl, bo, d, de, db, du, f, i, n, s, t, ti, ts, tu, ty, "
                     "u, vi, l, st, m, nested, tup, addr, v3, v1k) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                     "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 r.id, r.a, r.b, r.bl, r.bo, r.d, r.de, r.db, r.du, r.f, r.i, r.n, r.s, r.t, r.ti,
                 r.ts, r.tu, r.ty, r.u, r.vi, r.l, r.st, r.m, r.nested, r.tup, r.addr, r.v3, r.v1k);
    Front::execute(db(), st);
  }

  all_types read(std::int32_t id) {
    prepared_statement ps =
        Front::prepare(db(), "SELECT * FROM " + ks() + ".all_types WHERE id = ?");
    result res = Front::execute(db(), ps.bind(id));
    EXPECT_EQ(res.size(), 1u);
    row r = res.front();
    all_types out;
    out.id = r.get<std::int32_t>("id");
    out.a = r.get<std::optional<std::string>>("a");
    out.b = r.get<std::optional<std::int64_t>>("b");
    out.bl = r.get<std::optional<blob>>("bl");
    out.bo = r.get<std::optional<bool>>("bo");
    out.d = r.get<std::optional<date>>("d");
    out.de = r.get<std::optional<decimal>>("de");
    out.db = r.get<std::optional<double>>("db");
    out.du = r.get<std::optional<duration>>("du");
    out.f = r.get<std::optional<float>>("f");
    out.i = r.get<std::optional<inet>>("i");
    out.n = r.get<std::optional<std::int32_t>>("n");
    out.s = r.get<std::optional<std::int16_t>>("s");
    out.t = r.get<std::optional<std::string>>("t");
    out.ti = r.get<std::optional<time_of_day>>("ti");
    out.ts = r.get<std::optional<ms_time>>("ts");
    out.tu = r.get<std::optional<timeuuid>>("tu");
    out.ty = r.get<std::optional<std::int8_t>>("ty");
    out.u = r.get<std::optional<uuid>>("u");
    out.vi = r.get<std::optional<varint>>("vi");
    out.l = r.get<std::vector<std::int32_t>>("l");
    out.st = r.get<std::set<std::string>>("st");
    out.m = r.get<std::map<std::string, std::int32_t>>("m");
    out.nested = r.get<std::map<std::string, std::vector<std::int32_t>>>("nested");
    out.tup = r.get<std::optional<tuple3>>("tup");
    out.addr = r.get<std::optional<address>>("addr");
    out.v3 = r.get<std::optional<std::array<float, 3>>>("v3");
    // The long vector is read into a std::vector<float>, the dynamic form.
    auto v1k = r.get<std::optional<std::vector<float>>>("v1k");
    if (v1k) {
      EXPECT_EQ(v1k->size(), 1024u);
      std::array<float, 1024> arr{};
      std::copy_n(v1k->begin(), std::min<std::size_t>(1024, v1k->size()), arr.begin());
      out.v1k = arr;
    }
    return out;
  }

  void round_trip(const all_types& in) {
    write(in);
    all_types out = read(in.id);
    expect_same(in, out);
  }

  // Floats compare by bit pattern so that NaN equals NaN.
  template <class T>
  static bool same(const T& a, const T& b) {
    if constexpr (std::is_floating_point_v<T>) {
      return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof(T)) == 0;
    } else {
      return a == b;
    }
  }
  template <class T>
  static bool same(const std::optional<T>& a, const std::optional<T>& b) {
    return a.has_value() == b.has_value() && (!a || same(*a, *b));
  }
  template <class T, std::size_t N>
  static bool same(const std::array<T, N>& a, const std::array<T, N>& b) {
    for (std::size_t k = 0; k < N; ++k) {
      if (!same(a[k], b[k])) {
        return false;
      }
    }
    return true;
  }

  static void expect_same(const all_types& in, const all_types& out) {
#define COODIE_EXPECT_FIELD(f) EXPECT_TRUE(same(in.f, out.f)) << "column " #f " of row " << in.id
    COODIE_EXPECT_FIELD(id);
    COODIE_EXPECT_FIELD(a);
    COODIE_EXPECT_FIELD(b);
    COODIE_EXPECT_FIELD(bl);
    COODIE_EXPECT_FIELD(bo);
    COODIE_EXPECT_FIELD(d);
    COODIE_EXPECT_FIELD(de);
    COODIE_EXPECT_FIELD(db);
    COODIE_EXPECT_FIELD(du);
    COODIE_EXPECT_FIELD(f);
    COODIE_EXPECT_FIELD(i);
    COODIE_EXPECT_FIELD(n);
    COODIE_EXPECT_FIELD(s);
    COODIE_EXPECT_FIELD(t);
    COODIE_EXPECT_FIELD(ti);
    COODIE_EXPECT_FIELD(ts);
    COODIE_EXPECT_FIELD(tu);
    COODIE_EXPECT_FIELD(ty);
    COODIE_EXPECT_FIELD(u);
    COODIE_EXPECT_FIELD(vi);
    COODIE_EXPECT_FIELD(l);
    COODIE_EXPECT_FIELD(st);
    COODIE_EXPECT_FIELD(m);
    COODIE_EXPECT_FIELD(nested);
    COODIE_EXPECT_FIELD(tup);
    COODIE_EXPECT_FIELD(addr);
    COODIE_EXPECT_FIELD(v3);
    COODIE_EXPECT_FIELD(v1k);
#undef COODIE_EXPECT_FIELD
  }
};
TYPED_TEST_SUITE(Types, fronts, front_names);

TYPED_TEST(Types, TypicalValues) {
  all_types r;
  r.id = 1;
  r.a = "plain ascii";
  r.b = 1234567890123;
  r.bl = blob{std::byte{0}, std::byte{1}, std::byte{0xFE}, std::byte{0xFF}};
  r.bo = true;
  r.d = date(std::chrono::year_month_day(std::chrono::year(2024), std::chrono::month(2),
                                         std::chrono::day(29)));
  r.de = decimal::parse("12345.6789");
  r.db = 3.141592653589793;
  r.du = duration(14, 3, 3'600'000'000'123);
  r.f = 2.5f;
  r.i = inet::parse("192.168.1.20");
  r.n = 42;
  r.s = 1234;
  r.t = "Grüße, 世界 🚀";
  r.ti =
      time_of_day(std::chrono::hours(13) + std::chrono::minutes(37) + std::chrono::nanoseconds(5));
  r.ts = ms_time(std::chrono::milliseconds(1700000000123));
  r.tu = timeuuid::now();
  r.ty = -7;
  r.u = uuid::random();
  r.vi = varint(123456789);
  r.l = {3, 1, 2, 3};
  r.st = {"b", "a", "ç"};
  r.m = {{"one", 1}, {"two", 2}};
  r.nested = {{"primes", {2, 3, 5, 7}}, {"empty", {}}};
  r.tup = tuple3{1, std::string("x"), 0.5};
  r.addr = address{std::string("1 Main St"), 12345};
  r.v3 = std::array<float, 3>{0.1f, -0.2f, 0.3f};
  this->round_trip(r);
}

TYPED_TEST(Types, MinimumValues) {
  all_types r;
  r.id = 2;
  r.b = std::numeric_limits<std::int64_t>::min();
  r.d = date::from_raw(0);  // about 5.8 million years before 1970
  r.de = decimal::parse("-123456789012345678901234567890.123456789");
  r.db = std::numeric_limits<double>::lowest();
  r.du = duration(-1, -2, -3);
  r.f = std::numeric_limits<float>::lowest();
  r.i = inet::parse("::1");
  r.n = std::numeric_limits<std::int32_t>::min();
  r.s = std::numeric_limits<std::int16_t>::min();
  r.ti = time_of_day(std::chrono::nanoseconds(0));
  r.ts = ms_time(std::chrono::milliseconds(-62135596800000));  // 0001-01-01
  r.ty = std::numeric_limits<std::int8_t>::min();
  r.vi = varint::parse("-1267650600228229401496703205377");  // -(2^100) - 1
  r.bo = false;
  r.m = {{"neg", std::numeric_limits<std::int32_t>::min()}};
  this->round_trip(r);
}

TYPED_TEST(Types, MaximumValues) {
  all_types r;
  r.id = 3;
  r.b = std::numeric_limits<std::int64_t>::max();
  r.d = date::from_raw(std::numeric_limits<std::uint32_t>::max());  // far after 2262
  r.de = decimal::parse("98765432109876543210987654321098765432.1");
  r.db = std::numeric_limits<double>::max();
  r.f = std::numeric_limits<float>::max();
  r.i = inet::parse("2001:db8::ff00:42:8329");
  r.n = std::numeric_limits<std::int32_t>::max();
  r.s = std::numeric_limits<std::int16_t>::max();
  r.ti = time_of_day(std::chrono::nanoseconds(time_of_day::max_nanoseconds));
  r.ts = ms_time(std::chrono::milliseconds(253402300799999));  // 9999-12-31T23:59:59.999
  r.ty = std::numeric_limits<std::int8_t>::max();
  r.vi = varint::parse("1267650600228229401496703205376");  // 2^100
  r.du = duration(std::numeric_limits<std::int32_t>::max(), 0, 1);
  this->round_trip(r);
}

TYPED_TEST(Types, DatesAroundTheEpochAndAfter2262) {
  using namespace std::chrono;
  all_types r;
  r.id = 4;
  r.d = date(year_month_day(year(1583), month(1), day(1)));
  r.ts = ms_time(sys_days(year_month_day(year(1900), month(3), day(1))).time_since_epoch() +
                 milliseconds(1));
  this->round_trip(r);
  r.id = 5;
  r.d = date(year_month_day(year(2300), month(6), day(15)));
  r.ts = ms_time(sys_days(year_month_day(year(3000), month(1), day(1))).time_since_epoch());
  this->round_trip(r);
}

TYPED_TEST(Types, SpecialFloatsEmptiesAndNullsInsideValues) {
  all_types r;
  r.id = 6;
  r.f = std::numeric_limits<float>::quiet_NaN();
  r.db = std::numeric_limits<double>::infinity();
  r.a = "";
  r.t = "";
  r.bl = blob{};
  r.tup = tuple3{std::nullopt, std::string(""), std::nullopt};
  r.addr = address{std::nullopt, 7};
  r.nested = {{"frozen-empty", {}}};
  r.v3 = std::array<float, 3>{std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity(), -0.0f};
  this->round_trip(r);
  r.id = 7;
  r.f = -std::numeric_limits<float>::infinity();
  r.db = std::numeric_limits<double>::quiet_NaN();
  this->round_trip(r);
  r.id = 8;
  r.db = -std::numeric_limits<double>::infinity();
  this->round_trip(r);
}

TYPED_TEST(Types, AllNull) {
  all_types r;
  r.id = 9;
  this->round_trip(r);
}

TYPED_TEST(Types, OneMebibyteBlobAndAThousandFloatVector) {
  all_types r;
  r.id = 10;
  blob big(1024 * 1024);
  for (std::size_t k = 0; k < big.size(); ++k) {
    big[k] = static_cast<std::byte>((k * 131) & 0xFF);
  }
  r.bl = std::move(big);
  std::array<float, 1024> v{};
  for (std::size_t k = 0; k < v.size(); ++k) {
    v[k] = static_cast<float>(k) / 7.0f - 50.0f;
  }
  r.v1k = v;
  this->round_trip(r);
}

TYPED_TEST(Types, Counter) {
  std::string upd = "UPDATE " + this->ks() + ".counters SET c = c + ? WHERE id = ?";
  TypeParam::execute(this->db(), statement(upd, std::int64_t{9000000000}, 1));
  TypeParam::execute(this->db(), statement(upd, std::int64_t{-1}, 1));
  prepared_statement ps =
      TypeParam::prepare(this->db(), "SELECT c FROM " + this->ks() + ".counters WHERE id = ?");
  result r = TypeParam::execute(this->db(), ps.bind(1));
  ASSERT_EQ(r.size(), 1u);
  std::int64_t c = r.front().template get<std::int64_t>(0);
  EXPECT_EQ(c, 8999999999);
}

TYPED_TEST(Types, ReadingIntoTheWrongTypeNamesTheColumn) {
  all_types r;
  r.id = 11;
  r.t = "text";
  this->write(r);
  prepared_statement ps =
      TypeParam::prepare(this->db(), "SELECT t FROM " + this->ks() + ".all_types WHERE id = ?");
  result res = TypeParam::execute(this->db(), ps.bind(11));
  try {
    (void)res.front().template get<std::int32_t>("t");
    FAIL() << "a text column was read as int";
  } catch (const codec_error& e) {
    EXPECT_NE(std::string(e.what()).find("column t"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)res.template as<std::int64_t>(), codec_error);
}

}  // namespace
}  // namespace coodie::test
