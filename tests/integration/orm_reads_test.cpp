// Reads beyond rows through both ODM fronts: WRITETIME and TTL of a column into a projection;
// aggregates (count, sum, avg, min, max) compared with what C++ computes from the same rows, also
// per GROUP BY group; a multi-column clustering relation; a hand-written CQL statement read into
// a model and into a partial struct by column name.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_reads_test {
struct Sale {
  std::string shop;
  std::int32_t day = 0;
  std::int32_t seq = 0;
  std::int64_t amount = 0;
  double price = 0;
  std::optional<std::string> note;
};
struct Stamp {
  std::int32_t day = 0;
  std::int32_t seq = 0;
  coodie::writetime_of<&Sale::amount> written;
  coodie::ttl_of<&Sale::amount> expires;
  coodie::ttl_of<&Sale::note> note_expires;
};
struct PerDay {
  std::int32_t day = 0;
  coodie::count_of<&Sale::amount> n;
  coodie::sum_of<&Sale::amount> total;
  coodie::min_of<&Sale::price> low;
  coodie::max_of<&Sale::price> high;
};
struct DayAmount {  // a partial struct, read by column name
  std::int64_t amount = 0;
  std::int32_t day = 0;
};
}  // namespace orm_reads_test

template <>
inline constexpr auto coodie::model<orm_reads_test::Sale> =
    coodie::table("read_sales")
        .partition_key<&orm_reads_test::Sale::shop>()
        .clustering_key<&orm_reads_test::Sale::day>()
        .clustering_key<&orm_reads_test::Sale::seq>();

namespace {

using coodie::col;
using orm_reads_test::DayAmount;
using orm_reads_test::PerDay;
using orm_reads_test::Sale;
using orm_reads_test::Stamp;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmReadsBase, "orm_reads");

template <class F>
class OrmReads : public test::orm_suite<OrmReadsBase, F> {
 protected:
  void SetUp() override {
    auto s = this->front();
    F::await([&] { return s.template sync_table<Sale>(); });
  }
  /// 4 days x 5 sales in shop `shop`, with amounts and prices that differ.
  std::vector<Sale> fill(typename F::session& s, const std::string& shop) {
    std::vector<Sale> sales;
    for (std::int32_t day = 1; day <= 4; ++day) {
      for (std::int32_t seq = 0; seq < 5; ++seq) {
        sales.push_back(Sale{.shop = shop,
                             .day = day,
                             .seq = seq,
                             .amount = day * 100 + seq * 7,
                             .price = 1.5 * (seq + 1) + day,
                             .note = std::nullopt});
      }
    }
    F::await([&] { return s.save_many(sales); });
    return sales;
  }
};
TYPED_TEST_SUITE(OrmReads, test::orm_fronts, test::front_names);

TYPED_TEST(OrmReads, WriteTimeAndTtlReadBack) {
  using F = TypeParam;
  auto s = this->front();
  const std::string shop = std::string(F::name) + "-stamps";
  const std::int64_t t = 1'750'000'000'000'000;
  F::await([&] {
    return s.save(Sale{.shop = shop, .day = 1, .seq = 1, .amount = 5, .price = 1, .note = {}},
                  {.ttl = 3600, .timestamp = t});
  });
  F::await([&] {
    return s.save(Sale{.shop = shop, .day = 1, .seq = 2, .amount = 6, .price = 1, .note = "n"},
                  {.timestamp = t + 1});
  });
  auto rows = F::await([&] {
    return s.template find<Sale>().where(col<&Sale::shop> == shop).template only<Stamp>().all();
  });
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(*rows[0].written, t);
  ASSERT_TRUE(rows[0].expires->has_value());
  EXPECT_GT(**rows[0].expires, 3500);
  EXPECT_LE(**rows[0].expires, 3600);
  EXPECT_FALSE(rows[0].note_expires->has_value()) << "a null cell has no TTL";
  EXPECT_EQ(*rows[1].written, t + 1);
  EXPECT_FALSE(rows[1].expires->has_value()) << "written without a TTL";
}

TYPED_TEST(OrmReads, AggregatesMatchWhatCppComputes) {
  using F = TypeParam;
  auto s = this->front();
  const std::string shop = std::string(F::name) + "-agg";
  const std::vector<Sale> sales = this->fill(s, shop);
  auto q = s.template find<Sale>().where(col<&Sale::shop> == shop);
  std::int64_t sum = 0;
  double low = sales.front().price;
  double high = low;
  for (const Sale& x : sales) {
    sum += x.amount;
    low = std::min(low, x.price);
    high = std::max(high, x.price);
  }
  EXPECT_EQ(F::await([&] { return q.template sum<&Sale::amount>(); }), sum);
  EXPECT_EQ(F::await([&] { return q.template avg<&Sale::amount>(); }),
            sum / static_cast<std::int64_t>(sales.size()));
  EXPECT_EQ(F::await([&] { return q.template min<&Sale::price>(); }), low);
  EXPECT_EQ(F::await([&] { return q.template max<&Sale::price>(); }), high);

  // Per day, with GROUP BY on the first clustering column.
  auto groups = F::await(
      [&] { return q.template group_by<&Sale::shop, &Sale::day>().template only<PerDay>().all(); });
  std::map<std::int32_t, std::int64_t> totals;
  for (const Sale& x : sales) {
    totals[x.day] += x.amount;
  }
  ASSERT_EQ(groups.size(), totals.size());
  for (const PerDay& g : groups) {
    EXPECT_EQ(*g.n, 5) << g.day;
    EXPECT_EQ(*g.total, totals[g.day]) << g.day;
    EXPECT_EQ(*g.low, 1.5 + g.day) << g.day;
    EXPECT_EQ(*g.high, 7.5 + g.day) << g.day;
  }

  // What returns one value, or writes, refuses a grouped query (it would see one group).
  auto grouped = q.template group_by<&Sale::shop, &Sale::day>();
  EXPECT_THROW(F::await([&] { return grouped.count(); }), coodie::usage_error);
  EXPECT_THROW(F::await([&] { return grouped.template sum<&Sale::amount>(); }),
               coodie::usage_error);
  EXPECT_THROW(F::await([&] { return grouped.remove(); }), coodie::usage_error);

  // Over no rows: the sum is 0, min and max are absent.
  auto none = s.template find<Sale>().where(col<&Sale::shop> == shop + "-none");
  EXPECT_EQ(F::await([&] { return none.template sum<&Sale::amount>(); }), 0);
  EXPECT_FALSE(F::await([&] { return none.template max<&Sale::price>(); }).has_value());
}

TYPED_TEST(OrmReads, AMultiColumnRelationOnClusteringColumns) {
  using F = TypeParam;
  auto s = this->front();
  const std::string shop = std::string(F::name) + "-multi";
  const std::vector<Sale> sales = this->fill(s, shop);
  auto got = F::await([&] {
    return s.template find<Sale>()
        .where(col<&Sale::shop> == shop, coodie::cols<&Sale::day, &Sale::seq> > std::tuple(2, 3),
               coodie::cols<&Sale::day, &Sale::seq> <= std::tuple(4, 1))
        .all();
  });
  std::vector<std::pair<std::int32_t, std::int32_t>> want;
  for (const Sale& x : sales) {
    const auto k = std::pair(x.day, x.seq);
    if (k > std::pair(2, 3) && k <= std::pair(4, 1)) {
      want.push_back(k);
    }
  }
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(std::pair(got[i].day, got[i].seq), want[i]);
  }
}

TYPED_TEST(OrmReads, AHandWrittenStatementReadsIntoModelsAndStructsByName) {
  using F = TypeParam;
  auto s = this->front();
  const std::string shop = std::string(F::name) + "-raw";
  const std::vector<Sale> sales = this->fill(s, shop);
  const std::string table = OrmReadsBase::ks() + ".read_sales";
  auto all = F::await([&] {
    return s.template query<Sale>("SELECT * FROM " + table + " WHERE shop = ? AND day = ?", shop,
                                  std::int32_t{2});
  });
  ASSERT_EQ(all.size(), 5U);
  EXPECT_EQ(all[3].amount, sales[5 + 3].amount);
  EXPECT_EQ(all[3].price, sales[5 + 3].price);

  // Columns in another order than the struct's members, and one more than it holds.
  auto partial = F::await([&] {
    return s.template query<DayAmount>(
        "SELECT day, seq, amount FROM " + table + " WHERE shop = ? LIMIT 3", shop);
  });
  ASSERT_EQ(partial.size(), 3U);
  EXPECT_EQ(partial[2].amount, sales[2].amount);
  EXPECT_EQ(partial[2].day, 1);

  // A value is checked against its marker's type, and the count against the markers'.
  EXPECT_THROW(F::await([&] {
                 return s.template query<DayAmount>(
                     "SELECT day, amount FROM " + table + " WHERE shop = ? AND day = ?", shop,
                     std::int64_t{2});
               }),
               coodie::codec_error);
  EXPECT_THROW(F::await([&] {
                 return s.template query<DayAmount>(
                     "SELECT day, amount FROM " + table + " WHERE shop = ?", shop, shop);
               }),
               coodie::usage_error);

  // A member no column fills is an error, not a default.
  EXPECT_THROW(F::await([&] {
                 return s.template query<DayAmount>("SELECT day FROM " + table + " WHERE shop = ?",
                                                    shop);
               }),
               coodie::codec_error);
}

}  // namespace
