// Traces and server warnings through the driver and both ODM fronts: a traced request carries
// its trace id, which fetch_trace reads back with its events once the server has written it;
// calls that return no result hand the id (and any warning) to on_response_notes, which also
// receives the server's warning about a large batch.
#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/driver/trace.hpp"
#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_tracing_test {
struct Item {
  std::string part;
  std::int32_t n = 0;
  std::string text;
};
}  // namespace orm_tracing_test

template <>
inline constexpr auto coodie::model<orm_tracing_test::Item> =
    coodie::table("traced_items")
        .partition_key<&orm_tracing_test::Item::part>()
        .clustering_key<&orm_tracing_test::Item::n>();

namespace {

using coodie::col;
using orm_tracing_test::Item;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmTracingBase, "orm_tracing");

/// What on_response_notes received.
struct notes_seen {
  std::mutex m;
  std::vector<coodie::response_notes> all;
  std::optional<coodie::uuid> last_trace() {
    std::lock_guard lock(m);
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (it->trace_id) {
        return it->trace_id;
      }
    }
    return std::nullopt;
  }
  std::vector<std::string> warnings() {
    std::lock_guard lock(m);
    std::vector<std::string> out;
    for (const auto& n : all) {
      out.insert(out.end(), n.warnings.begin(), n.warnings.end());
    }
    return out;
  }
};

template <class F>
class OrmTracing : public test::orm_suite<OrmTracingBase, F> {
 protected:
  // --8<-- [start:noted-front]
  typename F::session noted_front() {
    coodie::session_options o = coodie::test::options_from_env();
    o.keyspace = OrmTracingBase::ks();
    o.on_response_notes = [seen = seen_](const coodie::response_notes& n) {
      std::lock_guard lock(seen->m);
      seen->all.push_back(n);
    };
    return typename F::session(coodie::driver_session::connect(o));
  }
  // --8<-- [end:noted-front]
  void SetUp() override {
    auto s = this->front();
    F::await([&] { return s.template sync_table<Item>(); });
  }
  std::shared_ptr<notes_seen> seen_ = std::make_shared<notes_seen>();
};
TYPED_TEST_SUITE(OrmTracing, test::orm_fronts, test::front_names);

// --8<-- [start:driver-tracing]
TEST(DriverTracing, ATracedStatementCarriesAnIdWhoseTraceIsRead) {
  coodie::driver_session db = coodie::driver_session::connect(coodie::test::options_from_env());
  coodie::result plain = db.execute(coodie::statement("SELECT release_version FROM system.local"));
  EXPECT_FALSE(plain.trace_id().has_value()) << "untraced by default";
  coodie::result traced =
      db.execute(coodie::statement("SELECT release_version FROM system.local").set_tracing());
  ASSERT_TRUE(traced.trace_id().has_value());
  const coodie::trace_info t = coodie::fetch_trace(db, *traced.trace_id());
  EXPECT_EQ(t.id, *traced.trace_id());
  EXPECT_GT(t.duration_us, 0);
  EXPECT_FALSE(t.request.empty());
  ASSERT_FALSE(t.events.empty());
  EXPECT_FALSE(t.events.front().activity.empty());
  EXPECT_THROW(coodie::fetch_trace(db, coodie::uuid::random(), std::chrono::milliseconds(300)),
               coodie::request_timeout_error);
}
// --8<-- [end:driver-tracing]

// --8<-- [start:traced-call]
TYPED_TEST(OrmTracing, ATracedCallHandsItsIdToTheCallbackAndTheTraceReadsBack) {
  using F = TypeParam;
  auto s = this->noted_front();
  const std::string part = std::string(F::name) + "-traced";
  F::await([&] { return s.save(Item{.part = part, .n = 1, .text = "x"}); });
  EXPECT_FALSE(this->seen_->last_trace().has_value()) << "untraced by default";
  F::await([&] { return s.save(Item{.part = part, .n = 2, .text = "y"}, {.tracing = true}); });
  const std::optional<coodie::uuid> write_trace = this->seen_->last_trace();
  ASSERT_TRUE(write_trace.has_value());
  auto rows = F::await([&] {
    return s.template find<Item>()
        .where(col<&Item::part> == part)
        .options({.cl = std::nullopt, .timeout = std::nullopt, .tracing = true})
        .all();
  });
  EXPECT_EQ(rows.size(), 2U);
  const std::optional<coodie::uuid> read_trace = this->seen_->last_trace();
  ASSERT_TRUE(read_trace.has_value());
  EXPECT_NE(*read_trace, *write_trace);
  const coodie::trace_info t = F::await([&] { return s.trace(*read_trace); });
  EXPECT_NE(t.request.find("xecute"), std::string::npos) << t.request;
  EXPECT_FALSE(t.events.empty());
}
// --8<-- [end:traced-call]

TYPED_TEST(OrmTracing, TheServersWarningReachesTheCallback) {
  using F = TypeParam;
  auto s = this->noted_front();
  // A logged batch of 10 KB over ten partitions, past the server's 5 KiB warning threshold
  // (one partition would not be measured).
  coodie::write_batch big = s.batch();
  for (std::int32_t n = 0; n < 10; ++n) {
    big.save(Item{.part = std::string(F::name) + "-big-" + std::to_string(n),
                  .n = n,
                  .text = std::string(1000, 'w')});
  }
  const coodie::batch_result r = F::await([&] { return s.execute(big); });
  ASSERT_FALSE(r.raw().warnings().empty());
  const std::vector<std::string> seen = this->seen_->warnings();
  ASSERT_FALSE(seen.empty());
  // The server's own (the guardrail's, on by default, comes first and says "coodie guardrail").
  EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](const std::string& w) {
    return w.find("exceeding") != std::string::npos;
  })) << seen.front();
}

}  // namespace
