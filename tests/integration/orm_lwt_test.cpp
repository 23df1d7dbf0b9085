// Conditional writes (lightweight transactions) through both ODM fronts: insert-if-not-exists
// raced by 100 writers has one winner whose row every loser sees; an update or delete IF a
// condition applies only when it holds and otherwise returns the row as it is; IF EXISTS on a
// missing row applies nothing; serial consistency per call.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_lwt_test {
struct Account {
  std::string id;
  std::int64_t balance = 0;
  std::string status;
  std::optional<std::string> note;
};
}  // namespace orm_lwt_test

template <>
inline constexpr auto coodie::model<orm_lwt_test::Account> =
    coodie::table("lwt_accounts").partition_key<&orm_lwt_test::Account::id>();

namespace {

using coodie::col;
using coodie::members;
using coodie::when;
using orm_lwt_test::Account;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmLwtBase, "orm_lwt");

template <class F>
class OrmLwt : public test::orm_suite<OrmLwtBase, F> {
 protected:
  void SetUp() override {
    auto s = this->front();
    F::await([&] { return s.template sync_table<Account>(); });
  }
};
TYPED_TEST_SUITE(OrmLwt, test::orm_fronts, test::front_names);

TYPED_TEST(OrmLwt, OneOfAHundredRacingInsertsWinsAndEveryLoserSeesItsRow) {
  using F = TypeParam;
  auto s = this->front();
  constexpr std::size_t writers = 100;
  for (int round = 0; round < 20; ++round) {
    const std::string key = std::string(F::name) + "-race-" + std::to_string(round);
    auto results = F::concurrently(writers, [&](std::size_t i) {
      return s.insert(Account{.id = key,
                              .balance = static_cast<std::int64_t>(i),
                              .status = "writer " + std::to_string(i),
                              .note = std::nullopt});
    });
    std::size_t applied = 0;
    std::optional<std::size_t> winner;
    for (std::size_t i = 0; i < writers; ++i) {
      if (results[i].applied) {
        ++applied;
        winner = i;
      }
    }
    ASSERT_EQ(applied, 1U) << "round " << round;
    const Account stored = F::await([&] { return s.template get<Account>(key); });
    EXPECT_EQ(stored.balance, static_cast<std::int64_t>(*winner));
    for (std::size_t i = 0; i < writers; ++i) {
      if (i == *winner) {
        continue;
      }
      ASSERT_TRUE(results[i].existing.has_value()) << "loser " << i << " got no row";
      EXPECT_EQ(results[i].existing->balance, stored.balance) << "loser " << i;
      EXPECT_EQ(results[i].existing->status, stored.status) << "loser " << i;
    }
  }
}

TYPED_TEST(OrmLwt, AConditionalUpdateAppliesOnlyWhenItHolds) {
  using F = TypeParam;
  auto s = this->front();
  const std::string key = std::string(F::name) + "-update";
  F::await(
      [&] { return s.save(Account{.id = key, .balance = 10, .status = "open", .note = "first"}); });

  // A stale expected balance: not applied, and the row as it is comes back.
  Account change{.id = key, .balance = 25, .status = "open", .note = std::nullopt};
  auto stale = F::await([&] {
    return s.update(change, members<&Account::balance>, when(col<&Account::balance> == 7));
  });
  EXPECT_FALSE(stale.applied);
  ASSERT_TRUE(stale.existing.has_value());
  EXPECT_EQ(stale.existing->balance, 10);
  EXPECT_EQ(F::await([&] { return s.template get<Account>(key); }).balance, 10);

  // The right one, with a second condition (!=) and LOCAL_SERIAL for the Paxos phase.
  coodie::write_options serial;
  serial.serial_cl = coodie::consistency::local_serial;
  auto right = F::await([&] {
    return s.update(change, members<&Account::balance>,
                    when(col<&Account::balance> == 10, col<&Account::status> != "frozen"), serial);
  });
  EXPECT_TRUE(right.applied);
  EXPECT_FALSE(right.existing.has_value());
  const Account now = F::await([&] { return s.template get<Account>(key); });
  EXPECT_EQ(now.balance, 25);
  EXPECT_EQ(now.note, "first") << "only the named member was written";

  // IN and a range.
  auto in = F::await([&] {
    return s.update(Account{.id = key, .balance = 0, .status = "closed", .note = std::nullopt},
                    members<&Account::status>,
                    when(col<&Account::status>.in(std::vector<std::string>{"open", "idle"}),
                         col<&Account::balance> > 20));
  });
  EXPECT_TRUE(in.applied);
  EXPECT_EQ(F::await([&] { return s.template get<Account>(key); }).status, "closed");
}

TYPED_TEST(OrmLwt, IfExistsOnAMissingRowAppliesNothing) {
  using F = TypeParam;
  auto s = this->front();
  const Account ghost{
      .id = std::string(F::name) + "-ghost", .balance = 1, .status = "open", .note = std::nullopt};
  auto upd =
      F::await([&] { return s.update(ghost, members<&Account::balance>, coodie::if_exists); });
  EXPECT_FALSE(upd.applied);
  EXPECT_FALSE(upd.existing.has_value()) << "there is no row to return";
  EXPECT_FALSE(F::await([&] { return s.template find_one<Account>(ghost.id); }).has_value())
      << "an UPDATE IF EXISTS creates no row";
  auto del = F::await([&] { return s.remove(ghost, coodie::if_exists); });
  EXPECT_FALSE(del.applied);

  F::await([&] { return s.save(ghost); });
  EXPECT_TRUE(F::await([&] {
                return s.update(ghost, members<&Account::balance>, coodie::if_exists);
              }).applied);
}

TYPED_TEST(OrmLwt, AConditionalDeleteReturnsTheRowWhenItDoesNotHold) {
  using F = TypeParam;
  auto s = this->front();
  const Account a{
      .id = std::string(F::name) + "-delete", .balance = 5, .status = "open", .note = std::nullopt};
  F::await([&] { return s.save(a); });
  auto kept = F::await([&] { return s.remove(a, when(col<&Account::status> == "closed")); });
  EXPECT_FALSE(kept.applied);
  ASSERT_TRUE(kept.existing.has_value());
  EXPECT_EQ(kept.existing->status, "open");
  EXPECT_TRUE(F::await([&] { return s.template find_one<Account>(a.id); }).has_value());

  auto gone = F::await([&] { return s.remove(a, when(col<&Account::balance> <= 5)); });
  EXPECT_TRUE(gone.applied);
  EXPECT_FALSE(F::await([&] { return s.template find_one<Account>(a.id); }).has_value());
}

TYPED_TEST(OrmLwt, ANotAppliedConditionReturnsTheKeyAndTheColumnsItNamed) {
  using F = TypeParam;
  auto s = this->front();
  const Account a{
      .id = std::string(F::name) + "-named", .balance = 10, .status = "open", .note = "kept"};
  F::await([&] { return s.save(a); });
  Account change = a;
  change.balance = 99;
  auto r = F::await([&] {
    return s.update(change, members<&Account::balance>,
                    when(col<&Account::status> != "open",
                         col<&Account::balance>.in(std::vector<std::int64_t>{1, 2})));
  });
  EXPECT_FALSE(r.applied);
  ASSERT_TRUE(r.existing.has_value());
  EXPECT_EQ(r.existing->id, a.id) << "the key comes from the write";
  EXPECT_EQ(r.existing->balance, 10);
  EXPECT_EQ(r.existing->status, "open");
  EXPECT_FALSE(r.existing->note.has_value()) << "a column no condition named is not returned";

  // A condition on a row that does not exist: not applied, and no row.
  Account ghost = a;
  ghost.id += "-ghost";
  auto missing = F::await([&] {
    return s.update(ghost, members<&Account::balance>, when(col<&Account::balance> == 10));
  });
  EXPECT_FALSE(missing.applied);
  EXPECT_FALSE(missing.existing.has_value());

  // Paxos runs at serial or local_serial only.
  coodie::write_options quorum;
  quorum.serial_cl = coodie::consistency::quorum;
  EXPECT_THROW(F::await([&] {
                 return s.update(change, members<&Account::balance>, coodie::if_exists, quorum);
               }),
               coodie::usage_error);
}

}  // namespace
