// User types in use against the server, in both fronts: a non-frozen user type column whose
// fields are set one at a time; a frozen one restricted by = and IN and read through a
// projection; user types inside set, map (keys and values), tuple, optional and vector.
#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "coodie/orm/user_type.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_udt_use {
struct Address {
  std::string street;
  std::string city;
  std::optional<std::int32_t> zip;
  friend auto operator<=>(const Address&, const Address&) = default;
};
struct Customer {
  std::int32_t id = 0;
  std::optional<std::string> name;
  Address home;  // not frozen: fields set one by one
  std::optional<Address> work;
};
struct Tag {
  std::string label;
  std::optional<std::int32_t> weight;
};
struct Labelled {
  std::int32_t id = 0;
  Tag tag;  // not frozen
};
struct Visit {
  std::int32_t shop = 0;
  Address at;  // a frozen clustering column
  std::int32_t count = 0;
};
struct VisitPlace {  // a projection
  Address at;
};
struct Point {
  double x = 0;
  double y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};
// A std::array of a type with a non-trivial destructor (std::string inside) in a model stops
// GCC 12 with an internal error in Boost.PFR's field count, so the vector holds points.
struct Holder {
  std::int32_t id = 0;
  std::set<Address> places;
  std::map<Address, std::int32_t> ranks;
  std::map<std::string, Address> named;
  std::tuple<Address, std::int32_t> pinned;
  std::array<Point, 2> ends;
  std::optional<Address> maybe;
};
}  // namespace orm_udt_use

template <>
inline constexpr auto coodie::udt<orm_udt_use::Address> = coodie::user_type("use_address");
template <>
inline constexpr auto coodie::udt<orm_udt_use::Point> = coodie::user_type("use_point");
template <>
inline constexpr auto coodie::model<orm_udt_use::Customer> =
    coodie::table("use_customers")
        .partition_key<&orm_udt_use::Customer::id>()
        .unfrozen<&orm_udt_use::Customer::home>();
template <>
inline constexpr auto coodie::udt<orm_udt_use::Tag> = coodie::user_type("use_tag");
template <>
inline constexpr auto coodie::model<orm_udt_use::Labelled> =
    coodie::table("use_labelled")
        .partition_key<&orm_udt_use::Labelled::id>()
        .unfrozen<&orm_udt_use::Labelled::tag>();
template <>
inline constexpr auto coodie::model<orm_udt_use::Visit> =
    coodie::table("use_visits")
        .partition_key<&orm_udt_use::Visit::shop>()
        .clustering_key<&orm_udt_use::Visit::at>();
template <>
inline constexpr auto coodie::model<orm_udt_use::Holder> =
    coodie::table("use_holders").partition_key<&orm_udt_use::Holder::id>();

namespace {

using coodie::assign;
using coodie::col;
using orm_udt_use::Address;
using orm_udt_use::Customer;
using orm_udt_use::Holder;
using orm_udt_use::Labelled;
using orm_udt_use::Tag;
using orm_udt_use::Visit;
using orm_udt_use::VisitPlace;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmUserTypeUseBase, "orm_udt_use");

template <class F>
class OrmUserTypeUse : public test::orm_suite<OrmUserTypeUseBase, F> {};
TYPED_TEST_SUITE(OrmUserTypeUse, test::orm_fronts, test::front_names);

TYPED_TEST(OrmUserTypeUse, AnUnfrozenColumnTakesOneFieldAtATime) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template sync_table<Customer>(); });
  EXPECT_EQ(test::live_column_type(this->db(), this->ks(), "use_customers", "home"), "use_address");
  EXPECT_EQ(test::live_column_type(this->db(), this->ks(), "use_customers", "work"),
            "frozen<use_address>");
  auto again = F::await([&] { return s.template sync_table<Customer>(); });
  EXPECT_TRUE(again.statements.empty());
  ASSERT_TRUE(again.differences.empty()) << again.differences.front().message;

  F::await([&] {
    return s.save(Customer{.id = 1,
                           .name = "Ada",
                           .home = {.street = "1 Elm", .city = "Oak", .zip = 10},
                           .work = std::nullopt});
  });
  auto one = s.template find<Customer>().where(col<&Customer::id> == 1);
  F::await([&] { return one.update({assign<&Customer::home, &Address::city>("Lyon")}); });
  Customer got = F::await([&] { return s.template get<Customer>(1); });
  EXPECT_EQ(got.home.street, "1 Elm") << "the other fields keep their values";
  EXPECT_EQ(got.home.city, "Lyon");
  EXPECT_EQ(got.home.zip, 10);
  EXPECT_EQ(got.name, "Ada");

  // Two fields and a null in one statement; a row that did not exist gets only those fields.
  auto two = s.template find<Customer>().where(col<&Customer::id>.in(std::vector{1, 2}));
  F::await([&] {
    return two.update({assign<&Customer::home, &Address::street>("9 Ash"),
                       assign<&Customer::home, &Address::zip>(std::nullopt)});
  });
  got = F::await([&] { return s.template get<Customer>(1); });
  EXPECT_EQ(got.home.street, "9 Ash");
  EXPECT_EQ(got.home.city, "Lyon");
  EXPECT_FALSE(got.home.zip.has_value());
  // Row 2 has a street only: its null city has no place in a non-optional member.
  try {
    F::await([&] { return s.template get<Customer>(2); });
    ADD_FAILURE() << "a null field was read into a std::string";
  } catch (const coodie::codec_error& e) {
    EXPECT_NE(std::string(e.what()).find("column home: user type use_address, field city"),
              std::string::npos)
        << e.what();
  }
  auto street = this->db().execute(coodie::statement("SELECT home.street, name FROM " + this->ks() +
                                                     ".use_customers WHERE id = 2"));
  ASSERT_EQ(street.size(), 1U);
  EXPECT_EQ(street.front().template get<std::string>(0), "9 Ash");
  EXPECT_FALSE(street.front().template get<std::optional<std::string>>(1).has_value());

  // A whole value written over an unfrozen column replaces every field.
  Customer whole;
  whole.id = 1;
  whole.name = "Ada";
  whole.home.city = "Rome";
  F::await([&] { return s.save(whole); });
  got = F::await([&] { return s.template get<Customer>(1); });
  EXPECT_EQ(got.home.street, "");
  EXPECT_EQ(got.home.city, "Rome");
  EXPECT_FALSE(got.home.zip.has_value());
}

TYPED_TEST(OrmUserTypeUse, AFieldOfAnotherLiveTypeIsRefusedBeforeAnythingIsSent) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template drop_table<Labelled>(); });
  this->db().execute("DROP TYPE IF EXISTS " + this->ks() + ".use_tag");
  // The live weight is text; the struct's is an int, whose 4 bytes the server would take as text.
  this->db().execute("CREATE TYPE " + this->ks() + ".use_tag (label text, weight text)");
  auto synced = F::await([&] { return s.template sync_table<Labelled>(); });
  ASSERT_EQ(synced.differences.size(), 1U);
  EXPECT_EQ(synced.differences[0].kind, coodie::difference_kind::field_changed);
  this->db().execute("INSERT INTO " + this->ks() +
                     ".use_labelled (id, tag) VALUES (1, {label: 'a', weight: 'heavy'})");

  auto one = s.template find<Labelled>().where(col<&Labelled::id> == 1);
  try {
    F::await([&] { return one.update({assign<&Labelled::tag, &Tag::weight>(10)}); });
    ADD_FAILURE() << "a field of another live type was written";
  } catch (const coodie::schema_error& e) {
    EXPECT_NE(std::string(e.what()).find("column tag: the live value of tag.weight is text"),
              std::string::npos)
        << e.what();
  }
  F::await([&] { return one.update({assign<&Labelled::tag, &Tag::label>("b")}); });
  auto row = this->db().execute(
      coodie::statement("SELECT tag.label, tag.weight FROM " + this->ks() + ".use_labelled"));
  ASSERT_EQ(row.size(), 1U);
  EXPECT_EQ(row.front().template get<std::string>(0), "b") << "a field of the same type is set";
  EXPECT_EQ(row.front().template get<std::string>(1), "heavy") << "nothing else was written";
}

TYPED_TEST(OrmUserTypeUse, AFrozenColumnIsRestrictedByValueAndProjected) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template sync_table<Visit>(); });
  const Address a{.street = "1 Elm", .city = "Oak", .zip = 1};
  const Address b{.street = "2 Ash", .city = "Oak", .zip = std::nullopt};
  const Address c{.street = "3 Fir", .city = "Elm", .zip = 3};
  for (const auto& visit : {std::pair{a, 1}, std::pair{b, 2}, std::pair{c, 3}}) {
    // Not structured bindings: C++20 lets a lambda capture those, Clang 14 not yet.
    F::await([&] { return s.save(Visit{.shop = 5, .at = visit.first, .count = visit.second}); });
  }
  auto eq = s.template find<Visit>().where(col<&Visit::shop> == 5, col<&Visit::at> == b);
  std::vector<Visit> hit = F::await([&] { return eq.all(); });
  ASSERT_EQ(hit.size(), 1U);
  EXPECT_EQ(hit[0].count, 2);
  EXPECT_EQ(hit[0].at, b);

  auto in = s.template find<Visit>().where(col<&Visit::shop> == 5,
                                           col<&Visit::at>.in(std::vector<Address>{a, c}));
  std::vector<Visit> both = F::await([&] { return in.all(); });
  ASSERT_EQ(both.size(), 2U);
  EXPECT_EQ(both[0].count + both[1].count, 4);

  auto places = s.template find<Visit>().where(col<&Visit::shop> == 5).template only<VisitPlace>();
  std::vector<VisitPlace> seen = F::await([&] { return places.all(); });
  std::set<Address> got;
  for (const VisitPlace& p : seen) {
    got.insert(p.at);
  }
  EXPECT_EQ(got, (std::set<Address>{a, b, c}));
}

TYPED_TEST(OrmUserTypeUse, UserTypesInsideContainersRoundTrip) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template sync_table<Holder>(); });
  EXPECT_EQ(test::live_column_type(this->db(), this->ks(), "use_holders", "ranks"),
            "map<frozen<use_address>, int>");
  EXPECT_EQ(test::live_column_type(this->db(), this->ks(), "use_holders", "ends"),
            "vector<frozen<use_point>, 2>");
  const Address a{.street = "1 Elm", .city = "Oak", .zip = 1};
  const Address b{.street = "2 Ash", .city = "Fir", .zip = std::nullopt};
  const Holder h{.id = 1,
                 .places = {a, b},
                 .ranks = {{a, 1}, {b, 2}},
                 .named = {{"home", a}, {"work", b}},
                 .pinned = {b, 7},
                 .ends = {{{.x = 1, .y = 2}, {.x = -3.5, .y = 0}}},
                 .maybe = a};
  F::await([&] { return s.save(h); });
  Holder got = F::await([&] { return s.template get<Holder>(1); });
  EXPECT_EQ(got.places, h.places);
  EXPECT_EQ(got.ranks, h.ranks);
  EXPECT_EQ(got.named, h.named);
  EXPECT_EQ(got.pinned, h.pinned);
  EXPECT_EQ(got.ends, h.ends);
  EXPECT_EQ(got.maybe, h.maybe);

  Holder bare;
  bare.id = 2;
  F::await([&] { return s.save(bare); });
  Holder empty = F::await([&] { return s.template get<Holder>(2); });
  EXPECT_TRUE(empty.places.empty());
  EXPECT_FALSE(empty.maybe.has_value());
}

}  // namespace
