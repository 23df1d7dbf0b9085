// Counters through both ODM fronts: 50 writers x 200 increments of one counter count exactly
// 10,000 (a counter update is never sent twice); several counters change in one update;
// decrement goes below zero; a TTL or a timestamp is refused before anything is sent.
#include <cstddef>
#include <cstdint>
#include <string>

#include <gtest/gtest.h>
#include <boost/asio/awaitable.hpp>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_counter_test {
struct PageViews {
  std::string page;
  std::int64_t views = 0;
  std::int64_t likes = 0;
};
}  // namespace orm_counter_test

template <>
inline constexpr auto coodie::model<orm_counter_test::PageViews> =
    coodie::table("counter_page_views")
        .partition_key<&orm_counter_test::PageViews::page>()
        .type<&orm_counter_test::PageViews::views>(coodie::cql::counter)
        .type<&orm_counter_test::PageViews::likes>(coodie::cql::counter);

namespace {

using coodie::by;
using orm_counter_test::PageViews;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmCounterBase, "orm_counter");

/// n increments of views by 1, one after the other; returns n.
int count_up(coodie::sync::session s, PageViews p, int n) {
  for (int i = 0; i < n; ++i) {
    s.increment(p, by<&PageViews::views>(1));
  }
  return n;
}
boost::asio::awaitable<int> count_up(coodie::aio::session s, PageViews p, int n) {
  for (int i = 0; i < n; ++i) {
    co_await s.increment(p, by<&PageViews::views>(1));
  }
  co_return n;
}

template <class F>
class OrmCounter : public test::orm_suite<OrmCounterBase, F> {
 protected:
  void SetUp() override {
    auto s = this->front();
    F::await([&] { return s.template sync_table<PageViews>(); });
  }
};
TYPED_TEST_SUITE(OrmCounter, test::orm_fronts, test::front_names);

TYPED_TEST(OrmCounter, FiftyWritersOfTwoHundredIncrementsCountTenThousand) {
  using F = TypeParam;
  auto s = this->front();
  const PageViews page{.page = std::string(F::name) + "-home", .views = 0, .likes = 0};
  auto done = F::concurrently(50, [&](std::size_t) { return count_up(s, page, 200); });
  int sent = 0;
  for (int n : done) {
    sent += n;
  }
  ASSERT_EQ(sent, 10000);
  EXPECT_EQ(F::await([&] { return s.template get<PageViews>(page.page); }).views, 10000);
}

TYPED_TEST(OrmCounter, SeveralCountersChangeAtOnceAndGoBelowZero) {
  using F = TypeParam;
  auto s = this->front();
  const PageViews page{.page = std::string(F::name) + "-about", .views = 0, .likes = 0};
  F::await([&] { return s.increment(page, {by<&PageViews::views>(5), by<&PageViews::likes>(2)}); });
  F::await([&] { return s.decrement(page, by<&PageViews::likes>(7)); });
  F::await([&] { return s.increment(page, by<&PageViews::views>(-1)); });
  const PageViews now = F::await([&] { return s.template get<PageViews>(page.page); });
  EXPECT_EQ(now.views, 4);
  EXPECT_EQ(now.likes, -5);

  // A counter row is deleted like any row.
  F::await([&] { return s.remove(page); });
  EXPECT_FALSE(F::await([&] { return s.template find_one<PageViews>(page.page); }).has_value());
}

TYPED_TEST(OrmCounter, ATtlOrATimestampIsRefusedBeforeSending) {
  using F = TypeParam;
  auto s = this->front();
  const PageViews page{.page = std::string(F::name) + "-refused", .views = 0, .likes = 0};
  coodie::write_options ttl;
  ttl.ttl = 60;
  EXPECT_THROW(F::await([&] { return s.increment(page, by<&PageViews::views>(1), ttl); }),
               coodie::usage_error);
  coodie::write_options stamped;
  stamped.timestamp = 1'700'000'000'000'000;
  EXPECT_THROW(F::await([&] { return s.decrement(page, by<&PageViews::views>(1), stamped); }),
               coodie::usage_error);
  EXPECT_FALSE(F::await([&] { return s.template find_one<PageViews>(page.page); }).has_value())
      << "nothing was written";
}

}  // namespace
