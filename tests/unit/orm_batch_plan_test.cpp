// Batches without a server: the kinds a batch accepts, the statements and placement a batch
// holds, and how the bulk writer groups rows by partition under its size bound.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"

namespace orm_batch_plan_test {
struct Row {
  std::string part;
  std::int32_t n = 0;
  std::string text;
};
struct Count {
  std::string part;
  std::int64_t hits = 0;
};
}  // namespace orm_batch_plan_test

template <>
inline constexpr auto coodie::model<orm_batch_plan_test::Row> =
    coodie::table("rows")
        .partition_key<&orm_batch_plan_test::Row::part>()
        .clustering_key<&orm_batch_plan_test::Row::n>();
template <>
inline constexpr auto coodie::model<orm_batch_plan_test::Count> =
    coodie::table("counts")
        .partition_key<&orm_batch_plan_test::Count::part>()
        .type<&orm_batch_plan_test::Count::hits>(coodie::cql::counter);

namespace {

namespace d = coodie::orm::detail;
using orm_batch_plan_test::Count;
using orm_batch_plan_test::Row;

TEST(OrmBatchPlan, KindsDoNotMixAndConditionalsAreMarked) {
  coodie::write_batch logged(coodie::batch_kind::logged, "ks");
  logged.save(Row{"a", 1, "x"});
  logged.update(Row{"a", 2, "y"}, coodie::members<&Row::text>, {.ttl = 5});
  EXPECT_FALSE(logged.conditional());
  EXPECT_THROW(logged.increment(Count{"a", 0}, coodie::by<&Count::hits>(1)), coodie::usage_error);
  auto slot = logged.insert(Row{"a", 3, "z"});
  EXPECT_EQ(slot.index, 2U);
  EXPECT_TRUE(logged.conditional());
  ASSERT_EQ(logged.size(), 3U);
  const d::batch_entries& entries = logged.entries();
  EXPECT_EQ(entries.list[1].request.cql("ks"),
            "UPDATE ks.rows USING TTL ? SET text = ? WHERE part = ? AND n = ?");
  // Each statement's partition key, encoded; the whole key of the conditional one only.
  coodie::value_list part;
  part.add(std::string("a"));
  for (const d::batch_entry& e : entries.list) {
    EXPECT_TRUE(std::ranges::equal(entries.partition(e), part.view().data));
  }
  EXPECT_EQ(entries.list[0].key.size(), 0U);
  EXPECT_EQ(entries.list[2].key.size(), 2U);

  // A statement's consistency, timeout or tracing would be ignored in a batch: refused.
  EXPECT_THROW(logged.save(Row{"a", 4, "x"}, {.cl = coodie::consistency::all}),
               coodie::usage_error);
  EXPECT_THROW(logged.save(Row{"a", 4, "x"}, {.tracing = true}), coodie::usage_error);
  EXPECT_EQ(logged.size(), 3U);

  coodie::write_batch counters(coodie::batch_kind::counter, "ks");
  counters.increment(Count{"a", 0}, coodie::by<&Count::hits>(2));
  EXPECT_THROW(counters.save(Row{"a", 1, "x"}), coodie::usage_error);
  EXPECT_EQ(counters.size(), 1U) << "a refused statement is not added";
}

d::batch_entries rows_of(const std::vector<Row>& rows) {
  return d::save_entries<Row>(rows, {});
}

TEST(OrmBatchPlan, TheBulkWriterGroupsByPartitionUnderTheBound) {
  std::vector<Row> rows;
  for (std::int32_t i = 0; i < 30; ++i) {  // three partitions, interleaved
    rows.push_back(Row{"p" + std::to_string(i % 3), i, std::string(20, 'x')});
  }
  const d::batch_entries entries = rows_of(rows);
  const std::size_t one = d::estimated_bytes(entries.list.front().request.values);
  std::size_t partitions = 0;
  auto batches = d::partition_batches(entries, one * 4, partitions);
  EXPECT_EQ(partitions, 3U);
  ASSERT_EQ(batches.size(), 9U) << "10 rows per partition: 4 + 4 + 2";
  for (const auto& b : batches) {
    EXPECT_LE(b.size(), 4U);
    for (std::size_t i : b) {
      EXPECT_EQ(rows[i].part, rows[b.front()].part) << "one partition per batch";
    }
  }
  EXPECT_EQ(batches.front(), (std::vector<std::size_t>{0, 3, 6, 9})) << "rows keep their order";

  // A bound below one row sends every row alone; an empty input sends nothing.
  EXPECT_EQ(d::partition_batches(entries, 0, partitions).size(), rows.size());
  EXPECT_TRUE(d::partition_batches({}, 4096, partitions).empty());
  EXPECT_EQ(partitions, 0U);
}

}  // namespace
