// The guardrails through both ODM fronts, each rule in each of its settings: allow sends, warn
// sends and tells on_response_notes, refuse throws guardrail_error and sends nothing. Null writes
// (with skip_nulls binding them as unset instead), wide and large batches, long IN lists and
// filtering scans.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_guardrails_test {
struct Doc {
  std::string part;
  std::int32_t n = 0;
  std::string body;
  std::optional<std::string> note;
};
}  // namespace orm_guardrails_test

template <>
inline constexpr auto coodie::model<orm_guardrails_test::Doc> =
    coodie::table("guarded_docs")
        .partition_key<&orm_guardrails_test::Doc::part>()
        .clustering_key<&orm_guardrails_test::Doc::n>();

namespace {

using coodie::col;
using coodie::guard;
using orm_guardrails_test::Doc;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmGuardrailsBase, "orm_guardrails");

template <class F>
class OrmGuardrails : public test::orm_suite<OrmGuardrailsBase, F> {
 protected:
  void SetUp() override {
    auto s = this->front();
    F::await([&] { return s.template sync_table<Doc>(); });
  }
  /// A session whose guardrails `set` adjusts; its warnings are counted.
  template <class Set>
  typename F::session guarded(Set set) {
    coodie::session_options o = coodie::test::options_from_env();
    o.keyspace = OrmGuardrailsBase::ks();
    o.on_response_notes = [seen = warnings_](const coodie::response_notes& n) {
      std::lock_guard lock(seen->m);
      for (const std::string& w : n.warnings) {
        if (w.find("coodie guardrail") != std::string::npos) {
          seen->texts.push_back(w);
        }
      }
    };
    set(o.guardrails);
    return typename F::session(coodie::driver_session::connect(o));
  }
  std::size_t warned() {
    std::lock_guard lock(warnings_->m);
    return warnings_->texts.size();
  }
  struct seen_t {
    std::mutex m;
    std::vector<std::string> texts;
  };
  std::shared_ptr<seen_t> warnings_ = std::make_shared<seen_t>();
};
TYPED_TEST_SUITE(OrmGuardrails, test::orm_fronts, test::front_names);

// --8<-- [start:null-writes]
TYPED_TEST(OrmGuardrails, NullWritesAllowWarnRefuseOrSkip) {
  using F = TypeParam;
  const std::string part = std::string(F::name) + "-nulls";
  const Doc with_note{.part = part, .n = 1, .body = "b", .note = "kept"};
  const Doc without{.part = part, .n = 1, .body = "b2", .note = std::nullopt};
  auto plain = this->front();

  auto allow = this->guarded([](coodie::guardrail_policy&) {});
  F::await([&] { return allow.save(without); });
  EXPECT_EQ(this->warned(), 0U);

  auto warn = this->guarded([](coodie::guardrail_policy& g) { g.null_writes = guard::warn; });
  F::await([&] { return warn.save(without); });
  EXPECT_EQ(this->warned(), 1U);
  F::await([&] { return warn.update(without, coodie::members<&Doc::body>); });
  EXPECT_EQ(this->warned(), 1U) << "the update writes body only, which is set";

  auto refuse = this->guarded([](coodie::guardrail_policy& g) { g.null_writes = guard::refuse; });
  F::await([&] { return plain.save(with_note); });
  EXPECT_THROW(F::await([&] { return refuse.save(without); }), coodie::guardrail_error);
  EXPECT_EQ(F::await([&] { return plain.template get<Doc>(part, 1); }).note, "kept")
      << "nothing was sent";
  coodie::write_batch b = refuse.batch();
  EXPECT_THROW(b.save(without), coodie::guardrail_error);

  // skip_nulls: the null is bound as unset, so the column keeps its value; no refusal.
  F::await([&] { return refuse.save(without, {.skip_nulls = true}); });
  const Doc now = F::await([&] { return plain.template get<Doc>(part, 1); });
  EXPECT_EQ(now.body, "b2");
  EXPECT_EQ(now.note, "kept");

  // The session-wide default, on update of members too; an explicit assign still writes null.
  auto skipping = this->guarded([](coodie::guardrail_policy& g) {
    g.null_writes = guard::refuse;
    g.skip_nulls = true;
  });
  Doc changed = without;
  changed.body = "b3";
  F::await([&] { return skipping.update(changed, coodie::members<&Doc::body, &Doc::note>); });
  EXPECT_EQ(F::await([&] { return plain.template get<Doc>(part, 1); }).note, "kept");
  F::await([&] {
    return skipping.update(changed, {coodie::assign<&Doc::note>(std::optional<std::string>())});
  });
  EXPECT_FALSE(F::await([&] { return plain.template get<Doc>(part, 1); }).note.has_value());

  // A warning callback that throws fails nothing.
  coodie::session_options o = coodie::test::options_from_env();
  o.keyspace = OrmGuardrailsBase::ks();
  o.guardrails.null_writes = guard::warn;
  o.on_response_notes = [](const coodie::response_notes&) { throw std::runtime_error("noisy"); };
  typename F::session throwing(coodie::driver_session::connect(o));
  EXPECT_NO_THROW(F::await([&] { return throwing.save(without); }));
}
// --8<-- [end:null-writes]

TYPED_TEST(OrmGuardrails, WideAndLargeBatches) {
  using F = TypeParam;
  auto make = [&](coodie::write_batch& b, int partitions, std::size_t text) {
    for (int i = 0; i < partitions; ++i) {
      b.save(Doc{.part = std::string(F::name) + "-wide-" + std::to_string(i),
                 .n = 0,
                 .body = std::string(text, 'x'),
                 .note = "n"});
    }
  };
  auto allow = this->guarded([](coodie::guardrail_policy& g) {
    g.batch_partitions = guard::allow;
    g.batch_size = guard::allow;
  });
  coodie::write_batch a = allow.batch();
  make(a, 30, 10);
  F::await([&] { return allow.execute(a); });
  EXPECT_EQ(this->warned(), 0U);

  auto warn = this->guarded([](coodie::guardrail_policy&) {});  // the defaults warn
  coodie::write_batch w = warn.batch();
  make(w, 30, 10);
  F::await([&] { return warn.execute(w); });
  EXPECT_EQ(this->warned(), 1U) << "30 partitions, more than 25";
  coodie::write_batch big = warn.batch(coodie::batch_kind::unlogged);
  make(big, 3, 3000);
  F::await([&] { return warn.execute(big); });
  EXPECT_EQ(this->warned(), 2U) << "about 9 KB, more than 5120 bytes";

  auto refuse = this->guarded([](coodie::guardrail_policy& g) {
    g.batch_partitions = guard::refuse;
    g.max_batch_partitions = 2;
  });
  coodie::write_batch r = refuse.batch();
  make(r, 3, 10);
  EXPECT_THROW(F::await([&] { return refuse.execute(r); }), coodie::guardrail_error);
  auto refuse_size =
      this->guarded([](coodie::guardrail_policy& g) { g.batch_size = guard::refuse; });
  coodie::write_batch large = refuse_size.batch(coodie::batch_kind::unlogged);
  make(large, 1, 6000);
  EXPECT_THROW(F::await([&] { return refuse_size.execute(large); }), coodie::guardrail_error);
  auto plain = this->front();
  const auto kept =
      F::await([&] { return plain.template find_one<Doc>(std::string(F::name) + "-wide-0", 0); });
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->body.size(), 3000U) << "the refused batch (6000) was not sent";
}

TYPED_TEST(OrmGuardrails, LongInListsAndFilteringScans) {
  using F = TypeParam;
  std::vector<std::int32_t> many(150);
  for (std::size_t i = 0; i < many.size(); ++i) {
    many[i] = static_cast<std::int32_t>(i);
  }
  const std::string part = std::string(F::name) + "-in";
  auto run = [&](typename F::session& s) {
    return F::await([&] {
      return s.template find<Doc>().where(col<&Doc::part> == part, col<&Doc::n>.in(many)).all();
    });
  };
  auto allow = this->guarded([](coodie::guardrail_policy& g) { g.in_values = guard::allow; });
  EXPECT_TRUE(run(allow).empty());
  EXPECT_EQ(this->warned(), 0U);
  auto warn = this->guarded([](coodie::guardrail_policy&) {});  // the default warns past 100
  EXPECT_TRUE(run(warn).empty());
  EXPECT_EQ(this->warned(), 1U);
  auto refuse = this->guarded([](coodie::guardrail_policy& g) { g.in_values = guard::refuse; });
  EXPECT_THROW(run(refuse), coodie::guardrail_error);

  // A scan asked for with allow_filtering(): allowed by default, else warned or refused.
  auto scan = [&](typename F::session& s) {
    return F::await([&] {
      return s.template find<Doc>().where(col<&Doc::body> == "none").allow_filtering().all();
    });
  };
  EXPECT_TRUE(scan(allow).empty());
  EXPECT_EQ(this->warned(), 1U);
  auto warn_scan = this->guarded([](coodie::guardrail_policy& g) { g.filtering = guard::warn; });
  EXPECT_TRUE(scan(warn_scan).empty());
  EXPECT_EQ(this->warned(), 2U);
  auto no_scan = this->guarded([](coodie::guardrail_policy& g) { g.filtering = guard::refuse; });
  EXPECT_THROW(scan(no_scan), coodie::guardrail_error);
}

}  // namespace
