// Batches of document operations through both ODM fronts: a logged batch of an order and its
// lines applies all or nothing; an unlogged batch over several partitions; a counter batch; a
// conditional batch answering each conditional statement; timestamps per statement and per batch;
// the kinds and conditional rules refused before sending.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_batch_test {
struct Order {
  std::string id;
  std::string customer;
  std::int64_t total = 0;
  std::vector<std::string> notes;
};
struct Line {
  std::string order;
  std::int32_t n = 0;
  std::string item;
};
struct Hits {
  std::string page;
  std::int64_t hits = 0;
};
struct Seat {
  std::string venue;
  std::string seat;
  std::string holder;
};
}  // namespace orm_batch_test

template <>
inline constexpr auto coodie::model<orm_batch_test::Order> =
    coodie::table("batch_orders").partition_key<&orm_batch_test::Order::id>();
template <>
inline constexpr auto coodie::model<orm_batch_test::Line> =
    coodie::table("batch_lines")
        .partition_key<&orm_batch_test::Line::order>()
        .clustering_key<&orm_batch_test::Line::n>();
template <>
inline constexpr auto coodie::model<orm_batch_test::Hits> =
    coodie::table("batch_hits")
        .partition_key<&orm_batch_test::Hits::page>()
        .type<&orm_batch_test::Hits::hits>(coodie::cql::counter);
template <>
inline constexpr auto coodie::model<orm_batch_test::Seat> =
    coodie::table("batch_seats")
        .partition_key<&orm_batch_test::Seat::venue>()
        .clustering_key<&orm_batch_test::Seat::seat>();

namespace {

using coodie::col;
using orm_batch_test::Hits;
using orm_batch_test::Line;
using orm_batch_test::Order;
using orm_batch_test::Seat;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmBatchBase, "orm_batch");

template <class F>
class OrmBatch : public test::orm_suite<OrmBatchBase, F> {
 protected:
  void SetUp() override {
    auto s = this->front();
    F::await([&] { return s.template sync_table<Order>(); });
    F::await([&] { return s.template sync_table<Line>(); });
    F::await([&] { return s.template sync_table<Hits>(); });
    F::await([&] { return s.template sync_table<Seat>(); });
  }
};
TYPED_TEST_SUITE(OrmBatch, test::orm_fronts, test::front_names);

TYPED_TEST(OrmBatch, ALoggedBatchOfAnOrderAndItsLinesAppliesAllOrNothing) {
  using F = TypeParam;
  auto s = this->front();
  const std::string id = std::string(F::name) + "-o1";
  coodie::write_batch b = s.batch();
  b.save(Order{.id = id, .customer = "ann", .total = 30, .notes = {}});
  for (std::int32_t n = 0; n < 3; ++n) {
    b.save(Line{.order = id, .n = n, .item = "item " + std::to_string(n)});
  }
  b.update(Order{.id = id, .customer = "", .total = 0, .notes = {}},
           {coodie::list_append<&Order::notes>({"paid"})});
  EXPECT_TRUE(F::await([&] { return s.execute(b); }).applied());
  const Order o = F::await([&] { return s.template get<Order>(id); });
  EXPECT_EQ(o.total, 30);
  EXPECT_EQ(o.notes, std::vector<std::string>{"paid"});
  EXPECT_EQ(
      F::await([&] { return s.template find<Line>().where(col<&Line::order> == id).count(); }), 3);

  // One statement the server refuses (an index into a list the row does not have): no row of
  // the batch is written.
  const std::string bad = std::string(F::name) + "-o2";
  coodie::write_batch failing = s.batch();
  failing.save(Order{.id = bad, .customer = "bob", .total = 5, .notes = {}});
  failing.save(Line{.order = bad, .n = 0, .item = "x"});
  failing.update(Order{.id = bad + "-other", .customer = "", .total = 0, .notes = {}},
                 {coodie::list_set<&Order::notes>(4, "nope")});
  EXPECT_THROW(F::await([&] { return s.execute(failing); }), coodie::invalid_query_error);
  EXPECT_FALSE(F::await([&] { return s.template find_one<Order>(bad); }).has_value());
  EXPECT_EQ(
      F::await([&] { return s.template find<Line>().where(col<&Line::order> == bad).count(); }), 0);
}

TYPED_TEST(OrmBatch, UnloggedAndCounterBatches) {
  using F = TypeParam;
  auto s = this->front();
  const std::string prefix = std::string(F::name) + "-u";
  coodie::write_batch b = s.batch(coodie::batch_kind::unlogged);
  for (std::int32_t i = 0; i < 4; ++i) {  // four partitions
    b.save(Line{.order = prefix + std::to_string(i), .n = 1, .item = "i"});
  }
  b.remove(Line{.order = prefix + "0", .n = 1, .item = ""});
  F::await([&] { return s.execute(b); });
  EXPECT_FALSE(F::await([&] { return s.template find_one<Line>(prefix + "0", 1); }).has_value());
  EXPECT_TRUE(F::await([&] { return s.template find_one<Line>(prefix + "3", 1); }).has_value());

  const Hits home{.page = std::string(F::name) + "/home", .hits = 0};
  const Hits about{.page = std::string(F::name) + "/about", .hits = 0};
  coodie::write_batch counts = s.batch(coodie::batch_kind::counter);
  counts.increment(home, coodie::by<&Hits::hits>(5));
  counts.increment(about, coodie::by<&Hits::hits>(2));
  counts.decrement(home, coodie::by<&Hits::hits>(1));
  F::await([&] { return s.execute(counts); });
  EXPECT_EQ(F::await([&] { return s.template get<Hits>(home.page); }).hits, 4);
  EXPECT_EQ(F::await([&] { return s.template get<Hits>(about.page); }).hits, 2);

  // The kinds do not mix, refused as the statement is added.
  coodie::write_batch logged = s.batch();
  EXPECT_THROW(logged.increment(home, coodie::by<&Hits::hits>(1)), coodie::usage_error);
  EXPECT_THROW(counts.save(Line{}), coodie::usage_error);
  EXPECT_THROW(F::await([&] { return s.execute(s.batch()); }), coodie::usage_error);
}

// --8<-- [start:conditional-batch]
TYPED_TEST(OrmBatch, AConditionalBatchAnswersEachConditionalStatement) {
  using F = TypeParam;
  auto s = this->front();
  const std::string venue = std::string(F::name) + "-hall";
  coodie::write_batch first = s.batch();
  auto a1 = first.insert(Seat{.venue = venue, .seat = "A1", .holder = "ann"});
  first.insert(Seat{.venue = venue, .seat = "A2", .holder = "ann"});
  const coodie::batch_result took = F::await([&] { return s.execute(first); });
  EXPECT_TRUE(took.applied());
  EXPECT_TRUE(took[a1].applied);

  coodie::write_batch second = s.batch();
  auto again = second.insert(Seat{.venue = venue, .seat = "A1", .holder = "bob"});
  auto empty =
      second.update(Seat{.venue = venue, .seat = "A3", .holder = "bob"},
                    coodie::members<&Seat::holder>, coodie::when(col<&Seat::holder> == ""));
  second.save(Seat{.venue = venue, .seat = "A4", .holder = "bob"});
  const coodie::batch_result lost = F::await([&] { return s.execute(second); });
  EXPECT_FALSE(lost.applied());
  const coodie::lwt_result<Seat> held = lost[again];
  EXPECT_FALSE(held.applied);
  ASSERT_TRUE(held.existing.has_value());
  EXPECT_EQ(held.existing->seat, "A1");
  EXPECT_EQ(held.existing->holder, "ann");
  EXPECT_FALSE(lost[empty].existing.has_value()) << "seat A3 has no row";
  EXPECT_FALSE(F::await([&] { return s.template find_one<Seat>(venue, "A4"); }).has_value())
      << "nothing of a batch that did not apply is written";

  // One partition of one table, and no batch timestamp: refused before sending.
  coodie::write_batch spread = s.batch();
  spread.insert(Seat{.venue = venue, .seat = "B1", .holder = "c"});
  spread.save(Seat{.venue = venue + "-annex", .seat = "B1", .holder = "c"});
  EXPECT_THROW(F::await([&] { return s.execute(spread); }), coodie::usage_error);
  coodie::write_batch stamped = s.batch();
  stamped.insert(Seat{.venue = venue, .seat = "B2", .holder = "c"});
  EXPECT_THROW(F::await([&] { return s.execute(stamped, {.timestamp = 5}); }), coodie::usage_error);
}
// --8<-- [end:conditional-batch]

TYPED_TEST(OrmBatch, ABatchTimestampYieldsToAStatementsOwn) {
  using F = TypeParam;
  auto s = this->front();
  const std::string id = std::string(F::name) + "-ts";
  const std::int64_t t = 1'800'000'000'000'000;
  coodie::write_batch b = s.batch(coodie::batch_kind::unlogged);
  b.save(Line{.order = id, .n = 1, .item = "batch time"});
  b.save(Line{.order = id, .n = 2, .item = "own time"}, {.timestamp = t - 1000});
  F::await([&] { return s.execute(b, {.timestamp = t}); });
  // A write between the two timestamps wins over the statement's own, not over the batch's.
  F::await(
      [&] { return s.save(Line{.order = id, .n = 1, .item = "later"}, {.timestamp = t - 500}); });
  F::await(
      [&] { return s.save(Line{.order = id, .n = 2, .item = "later"}, {.timestamp = t - 500}); });
  EXPECT_EQ(F::await([&] { return s.template get<Line>(id, 1); }).item, "batch time");
  EXPECT_EQ(F::await([&] { return s.template get<Line>(id, 2); }).item, "later");
}

}  // namespace

namespace {

TYPED_TEST(OrmBatch, ABatchOfAnotherKeyspaceWritesThereEveryStatementItHolds) {
  using F = TypeParam;
  auto s = this->front();
  const std::string other = OrmBatchBase::ks() + "_other";
  OrmBatchBase::db().execute(coodie::statement(
      "CREATE KEYSPACE IF NOT EXISTS " + other +
      " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
  OrmBatchBase::db().execute(coodie::statement(
      "CREATE TABLE IF NOT EXISTS " + other +
      ".batch_lines (\"order\" text, n int, item text, PRIMARY KEY (\"order\", n))"));
  const std::string order = std::string(F::name) + "-ks";
  coodie::write_batch b(coodie::batch_kind::logged, other);
  b.save(Line{.order = order, .n = 1, .item = "saved"});
  b.update(Line{.order = order, .n = 2, .item = ""}, {coodie::assign<&Line::item>("changed")});
  F::await([&] { return s.execute(b); });
  coodie::statement read("SELECT item FROM " + other + ".batch_lines WHERE \"order\" = ?");
  read.bind(order);
  std::vector<std::string> items;
  for (auto [item] : OrmBatchBase::db().execute(read).template as<std::string>()) {
    items.push_back(item);
  }
  EXPECT_EQ(items, (std::vector<std::string>{"saved", "changed"}));
  EXPECT_FALSE(F::await([&] { return s.template find_one<Line>(order, 1); }).has_value())
      << "nothing lands in the session's keyspace";
  OrmBatchBase::db().execute(coodie::statement("DROP KEYSPACE IF EXISTS " + other));
}

TYPED_TEST(OrmBatch, AWriteTooLargeToSendIsTheCallersErrorAndTheSessionGoesOn) {
  using F = TypeParam;
  auto s = this->front();
  const std::string order = std::string(F::name) + "-big";
  F::await([&] { return s.save(Line{.order = order, .n = 1, .item = "small"}); });  // prepared
  const Line big{.order = order, .n = 2, .item = std::string((std::size_t{256} << 20U) + 1, 'x')};
  EXPECT_THROW(F::await([&] { return s.save(big); }), coodie::codec_error);
  F::await([&] { return s.save(Line{.order = order, .n = 3, .item = "after"}); });
  EXPECT_TRUE(F::await([&] { return s.template find_one<Line>(order, 3); }).has_value());
  EXPECT_FALSE(F::await([&] { return s.template find_one<Line>(order, 2); }).has_value());
}

}  // namespace
