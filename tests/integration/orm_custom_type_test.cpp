// The user types of docs/custom-types.md (tests/custom_types.hpp) through a model, against the
// server, in both fronts: a user_id partition key, money members, money in a list and user_id
// as map keys, and restrictions on both.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "custom_types.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_custom_test {
struct Wallet {
  shop::user_id owner;
  shop::money balance;
  std::vector<shop::money> history;
  std::map<shop::user_id, shop::money> owed_by;
  std::optional<shop::money> limit;
};
}  // namespace orm_custom_test

template <>
inline constexpr auto coodie::model<orm_custom_test::Wallet> =
    coodie::table("wallets").partition_key<&orm_custom_test::Wallet::owner>();

namespace {

using coodie::col;
using orm_custom_test::Wallet;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmCustomTypeBase, "orm_custom");

template <class F>
class OrmCustomType : public test::orm_suite<OrmCustomTypeBase, F> {};
TYPED_TEST_SUITE(OrmCustomType, test::orm_fronts, test::front_names);

TYPED_TEST(OrmCustomType, KeysMembersCollectionsAndRestrictions) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template drop_table<Wallet>(); });
  auto synced = F::await([&] { return s.template sync_table<Wallet>(); });
  ASSERT_TRUE(synced.created);
  // The columns have the types the traits name.
  auto types = this->db().execute(coodie::statement(
      "SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND "
      "table_name = 'wallets'",
      this->ks()));
  std::map<std::string, std::string> by_name;
  for (coodie::row r : types) {
    by_name[r.template get<std::string>(0)] = r.template get<std::string>(1);
  }
  EXPECT_EQ(by_name["owner"], "uuid");
  EXPECT_EQ(by_name["balance"], "decimal");
  EXPECT_EQ(by_name["history"], "list<decimal>");
  EXPECT_EQ(by_name["owed_by"], "map<uuid, decimal>");

  shop::user_id ann{coodie::uuid::random()};
  shop::user_id bob{coodie::uuid::random()};
  Wallet a{ann, {1234}, {{100}, {-250}}, {{bob, {999}}}, std::nullopt};
  Wallet b{bob, {50}, {}, {}, shop::money{10000}};
  F::await([&] { return s.save(a); });
  F::await([&] { return s.save(b); });

  Wallet got = F::await([&] { return s.template get<Wallet>(ann); });
  EXPECT_EQ(got.owner, ann);
  EXPECT_EQ(got.balance, shop::money{1234});
  EXPECT_EQ(got.history, (std::vector<shop::money>{{100}, {-250}}));
  EXPECT_EQ(got.owed_by.at(bob), shop::money{999});
  EXPECT_FALSE(got.limit.has_value());
  // What another client reads: the decimal 12.34.
  auto raw = this->db().execute(coodie::statement(
      "SELECT balance FROM " + this->ks() + ".wallets WHERE owner = ?", ann.value));
  EXPECT_EQ(raw.front().template get<coodie::decimal>(0).to_string(), "12.34");

  // Restrictions take the user types: the key, a range on a member, a map key.
  auto by_key =
      F::await([&] { return s.template find<Wallet>().where(col<&Wallet::owner> == bob).all(); });
  ASSERT_EQ(by_key.size(), 1U);
  EXPECT_EQ(by_key[0].limit, shop::money{10000});
  auto rich = F::await([&] {
    return s.template find<Wallet>()
        .where(col<&Wallet::balance> > shop::money{1000})
        .allow_filtering()
        .all();
  });
  ASSERT_EQ(rich.size(), 1U);
  EXPECT_EQ(rich[0].owner, ann);
  auto owing = F::await([&] {
    return s.template find<Wallet>()
        .where(col<&Wallet::owed_by>.contains_key(bob))
        .allow_filtering()
        .all();
  });
  ASSERT_EQ(owing.size(), 1U);
  EXPECT_EQ(owing[0].owner, ann);
  auto in = F::await([&] {
    return s.template find<Wallet>()
        .where(col<&Wallet::owner>.in(std::vector<shop::user_id>{ann, bob}))
        .count();
  });
  EXPECT_EQ(in, 2);
}

}  // namespace
