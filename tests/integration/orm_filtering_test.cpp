// The client's ALLOW FILTERING decision against the server's: for each restriction set, the
// query the ODM refuses without allow_filtering() must be the one the live node refuses, and the
// query it lets through must be one the node answers. The table mixes keys, an SAI index, a
// plain index (SAI on this node: default_secondary_index is sai), an unindexed column and an
// indexed collection.
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "support.hpp"

namespace orm_filtering_test {

struct Probe {
  std::int32_t a = 0;
  std::int32_t b = 0;
  std::int32_t c = 0;
  std::int32_t d = 0;
  std::int32_t e = 0;
  std::int32_t f = 0;
  std::set<std::int32_t> g;
};

}  // namespace orm_filtering_test

using orm_filtering_test::Probe;

template <>
inline constexpr auto coodie::model<Probe> = coodie::table("probes")
                                                 .partition_key<&Probe::a>()
                                                 .clustering_key<&Probe::b>()
                                                 .clustering_key<&Probe::c>()
                                                 .sai_index<&Probe::d>()
                                                 .index<&Probe::e>()
                                                 .index<&Probe::g>();

namespace {

namespace test = coodie::test;
using coodie::col;
using query = coodie::sync::query<Probe>;

COODIE_KEYSPACE_SUITE(OrmFiltering, "orm_filtering");

struct probe_case {
  std::string where;  // the same restrictions as CQL, for the server's own decision
  std::function<query(const query&)> restrict;
};

TEST_F(OrmFiltering, ClientDecisionMatchesTheServer) {
  coodie::session_options o = test::options_from_env();
  o.keyspace = ks();
  coodie::sync::session s = coodie::sync::connect(o);
  s.sync_table<Probe>();
  const std::vector<std::int32_t> one_two{1, 2};
  const std::vector<probe_case> cases = {
      {"a = 1", [](const query& q) { return q.where(col<&Probe::a> == 1); }},
      {"a IN (1, 2) AND b = 1",
       [&](const query& q) { return q.where(col<&Probe::a>.in(one_two), col<&Probe::b> == 1); }},
      {"a = 1 AND b > 1",
       [](const query& q) { return q.where(col<&Probe::a> == 1, col<&Probe::b> > 1); }},
      {"a = 1 AND b = 1 AND c < 3",
       [](const query& q) {
         return q.where(col<&Probe::a> == 1, col<&Probe::b> == 1, col<&Probe::c> < 3);
       }},
      {"b = 1", [](const query& q) { return q.where(col<&Probe::b> == 1); }},
      {"b > 1", [](const query& q) { return q.where(col<&Probe::b> > 1); }},
      {"a = 1 AND c = 1",
       [](const query& q) { return q.where(col<&Probe::a> == 1, col<&Probe::c> == 1); }},
      {"d = 1", [](const query& q) { return q.where(col<&Probe::d> == 1); }},
      {"d > 1", [](const query& q) { return q.where(col<&Probe::d> > 1); }},
      {"e > 1", [](const query& q) { return q.where(col<&Probe::e> > 1); }},
      {"d = 1 AND e = 2",
       [](const query& q) { return q.where(col<&Probe::d> == 1, col<&Probe::e> == 2); }},
      {"a = 1 AND d = 1",
       [](const query& q) { return q.where(col<&Probe::a> == 1, col<&Probe::d> == 1); }},
      {"f = 1", [](const query& q) { return q.where(col<&Probe::f> == 1); }},
      {"a = 1 AND f = 1",
       [](const query& q) { return q.where(col<&Probe::a> == 1, col<&Probe::f> == 1); }},
      {"d = 1 AND f = 1",
       [](const query& q) { return q.where(col<&Probe::d> == 1, col<&Probe::f> == 1); }},
      {"g CONTAINS 1", [](const query& q) { return q.where(col<&Probe::g>.contains(1)); }},
      {"token(a) > 0", [](const query& q) { return q.where(coodie::token<Probe>() > 0); }},
  };
  int refused = 0;
  for (const probe_case& c : cases) {
    bool client_refuses = false;
    try {
      (void)c.restrict(s.find<Probe>()).cql();
    } catch (const coodie::usage_error& e) {
      client_refuses = true;
      EXPECT_NE(std::string(e.what()).find("ALLOW FILTERING"), std::string::npos) << e.what();
    }
    // The server's decision: refused without ALLOW FILTERING, answered with it.
    const std::string select = "SELECT * FROM " + ks() + ".probes WHERE " + c.where;
    bool server_refuses = false;
    try {
      s.driver().execute(std::string_view(select));
    } catch (const coodie::invalid_query_error&) {
      server_refuses = true;
      EXPECT_NO_THROW(s.driver().execute(std::string_view(select + " ALLOW FILTERING")))
          << c.where << " is refused for another reason than filtering";
    }
    EXPECT_EQ(client_refuses, server_refuses) << c.where;
    refused += server_refuses ? 1 : 0;
  }
  // Both kinds are represented, so the comparison means something.
  EXPECT_GT(refused, 3);
  EXPECT_LT(refused, static_cast<int>(cases.size()) - 3);
}

}  // namespace
