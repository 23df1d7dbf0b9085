// The partition-aware bulk writer through both ODM fronts: 10,000 rows over 200 partitions, given
// interleaved, all written in per-partition batches under the size bound with no server warning;
// then the same rows one request each at the same concurrency, for the figures beside it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_bulk_save_test {
struct Reading {
  std::string sensor;
  std::int32_t seq = 0;
  double value = 0;
  std::string note;
};
}  // namespace orm_bulk_save_test

template <>
inline constexpr auto coodie::model<orm_bulk_save_test::Reading> =
    coodie::table("bulk_readings")
        .partition_key<&orm_bulk_save_test::Reading::sensor>()
        .clustering_key<&orm_bulk_save_test::Reading::seq>();

namespace {

using coodie::col;
using orm_bulk_save_test::Reading;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmBulkSaveBase, "orm_bulk_save");

template <class F>
class OrmBulkSave : public test::orm_suite<OrmBulkSaveBase, F> {
 protected:
  void SetUp() override {
    auto s = this->front();
    F::await([&] { return s.template sync_table<Reading>(); });
    F::await([&] { return s.template truncate<Reading>(); });
  }
};
TYPED_TEST_SUITE(OrmBulkSave, test::orm_fronts, test::front_names);

TYPED_TEST(OrmBulkSave, TenThousandRowsOverTwoHundredPartitions) {
  using F = TypeParam;
  auto s = this->front();
  constexpr std::size_t partitions = 200;
  constexpr std::size_t rows = 10000;
  std::vector<Reading> all;
  all.reserve(rows);
  for (std::size_t i = 0; i < rows; ++i) {  // interleaved: row i in partition i % 200
    all.push_back(Reading{.sensor = "sensor-" + std::to_string(i % partitions),
                          .seq = static_cast<std::int32_t>(i / partitions),
                          .value = static_cast<double>(i) / 4,
                          .note = "reading number " + std::to_string(i) + " of the bulk test"});
  }
  const coodie::bulk_save_options opts{.max_batch_bytes = 4096, .concurrency = 16, .write = {}};
  auto t0 = std::chrono::steady_clock::now();
  const coodie::bulk_save_result r = F::await([&] { return s.save_many(all, opts); });
  const auto batched = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.rows, rows);
  EXPECT_EQ(r.partitions, partitions);
  EXPECT_LE(r.largest_batch_bytes, opts.max_batch_bytes);
  EXPECT_GT(r.largest_batch_bytes, opts.max_batch_bytes / 2) << "batches are filled";
  EXPECT_LT(r.batches, rows / 10);
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();

  EXPECT_EQ(F::await([&] { return s.template find<Reading>().count(); }), rows);
  for (std::size_t p = 0; p < partitions; p += 37) {
    const std::string sensor = "sensor-" + std::to_string(p);
    auto got = F::await(
        [&] { return s.template find<Reading>().where(col<&Reading::sensor> == sensor).all(); });
    ASSERT_EQ(got.size(), rows / partitions) << sensor;
    for (const Reading& g : got) {
      const std::size_t i = static_cast<std::size_t>(g.seq) * partitions + p;
      EXPECT_EQ(g.value, static_cast<double>(i) / 4);
      EXPECT_EQ(g.note, all[i].note);
    }
  }

  // The same rows one request each, at the same concurrency: the figure beside the batched one.
  F::await([&] { return s.template truncate<Reading>(); });
  t0 = std::chrono::steady_clock::now();
  const coodie::bulk_save_result single = F::await(
      [&] { return s.save_many(all, {.max_batch_bytes = 0, .concurrency = 16, .write = {}}); });
  const auto one_by_one = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(single.batches, rows);
  EXPECT_EQ(F::await([&] { return s.template find<Reading>().count(); }), rows);
  using ms = std::chrono::milliseconds;
  std::cout << "[ figures  ] " << F::name << ": " << rows << " rows, " << partitions
            << " partitions: " << r.batches << " batches in "
            << std::chrono::duration_cast<ms>(batched).count() << " ms; one by one "
            << std::chrono::duration_cast<ms>(one_by_one).count() << " ms (16 in flight)\n";
}

TYPED_TEST(OrmBulkSave, AFailedRequestIsThrownOnceTheOthersEnd) {
  using F = TypeParam;
  auto s = this->front();
  std::vector<Reading> rows;
  for (std::int32_t i = 0; i < 40; ++i) {
    rows.push_back(
        Reading{.sensor = "bad-" + std::to_string(i % 8), .seq = i, .value = 1, .note = "n"});
  }
  // A negative TTL: the server refuses every request.
  EXPECT_THROW(F::await([&] {
                 return s.save_many(
                     rows, {.max_batch_bytes = 4096, .concurrency = 4, .write = {.ttl = -5}});
               }),
               coodie::invalid_query_error);
  EXPECT_EQ(F::await([&] { return s.template find<Reading>().count(); }), 0);
}

TYPED_TEST(OrmBulkSave, NothingToSaveSendsNothing) {
  using F = TypeParam;
  auto s = this->front();
  const std::vector<Reading> none;
  const coodie::bulk_save_result r = F::await([&] { return s.save_many(none); });
  EXPECT_EQ(r.rows, 0U);
  EXPECT_EQ(r.batches, 0U);
}

}  // namespace
