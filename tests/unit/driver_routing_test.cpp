// The routing token of bound values, the default retry decisions, and the metrics report.
#include <array>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/driver/metrics.hpp"
#include "coodie/driver/retry.hpp"
#include "coodie/driver/statement.hpp"
#include "routing.hpp"

namespace coodie {
namespace {

value_list values_of(std::int32_t a, const std::string& b, std::int32_t c) {
  value_list v;
  v.add(a);
  v.add(b);
  v.add(c);
  return v;
}

TEST(RoutingToken, SingleKeyIsTheTokenOfItsValue) {
  value_list v = values_of(7, "a", 1);
  std::array<std::uint16_t, 1> pk{2};  // the third marker holds the key: int 1
  EXPECT_EQ(driver::detail::routing_token(pk, v.view()), -4069959284402364209);
}

TEST(RoutingToken, CompositeKeyFollowsKeyOrderNotMarkerOrder) {
  value_list v = values_of(7, "a", 1);
  // Key (int 1, text 'a'), bound at markers 2 and 1.
  std::array<std::uint16_t, 2> pk{2, 1};
  EXPECT_EQ(driver::detail::routing_token(pk, v.view()), 6516349416904725244);
  std::array<std::uint16_t, 2> swapped{1, 2};
  EXPECT_NE(driver::detail::routing_token(swapped, v.view()), 6516349416904725244);
}

TEST(RoutingToken, NoTokenWithoutAFullKey) {
  value_list v;
  v.add(1);
  v.add(std::optional<std::int32_t>());  // null
  std::array<std::uint16_t, 1> null_key{1};
  EXPECT_FALSE(driver::detail::routing_token(null_key, v.view()));
  std::array<std::uint16_t, 1> missing{5};
  EXPECT_FALSE(driver::detail::routing_token(missing, v.view()));
  EXPECT_FALSE(driver::detail::routing_token({}, v.view()));
  // Truncated values: no token, no read past the end.
  wire::bound_values cut = v.view();
  cut.data = cut.data.first(6);
  std::array<std::uint16_t, 1> first{0};
  EXPECT_FALSE(driver::detail::routing_token(first, cut));
}

retry_decision decide(std::exception_ptr e, bool idempotent, int retries = 0) {
  return retry_policy().decide(e, retry_context{.idempotent = idempotent, .retries = retries});
}

template <class E, class... A>
std::exception_ptr err(A&&... a) {
  return std::make_exception_ptr(E(std::forward<A>(a)...));
}

TEST(RetryPolicy, FollowsTheMatrix) {
  using d = retry_decision;
  auto broken = err<connection_error>("reset");
  EXPECT_EQ(decide(broken, true), d::next_host);
  EXPECT_EQ(decide(broken, false), d::fail);
  auto busy = err<busy_error>("no stream");
  EXPECT_EQ(decide(busy, false), d::next_host);
  auto unavailable = err<unavailable_error>(0x1000, "u", consistency::quorum, 2, 1);
  EXPECT_EQ(decide(unavailable, false), d::next_host);
  EXPECT_EQ(decide(unavailable, true, 1), d::fail);
  auto serial_unavailable = err<unavailable_error>(0x1000, "u", consistency::serial, 2, 1);
  EXPECT_EQ(decide(serial_unavailable, true), d::fail);
  // A conditional write may have been accepted by Paxos before its commit was unavailable.
  EXPECT_EQ(retry_policy().decide(
                unavailable, retry_context{.idempotent = true, .retries = 0, .conditional = true}),
            d::fail);
  replica_response_info enough{consistency::quorum, 2, 2};
  replica_response_info short_of{consistency::quorum, 1, 2};
  EXPECT_EQ(decide(err<read_timeout_error>(0x1200, "r", enough, false), false), d::same_host);
  EXPECT_EQ(decide(err<read_timeout_error>(0x1200, "r", enough, false), false, 1), d::fail);
  EXPECT_EQ(decide(err<read_timeout_error>(0x1200, "r", enough, true), true), d::fail);
  EXPECT_EQ(decide(err<read_timeout_error>(0x1200, "r", short_of, false), true), d::fail);
  EXPECT_EQ(decide(err<write_timeout_error>(0x1100, "w", enough, "BATCH_LOG"), true), d::same_host);
  EXPECT_EQ(decide(err<write_timeout_error>(0x1100, "w", enough, "BATCH_LOG"), false), d::fail);
  EXPECT_EQ(decide(err<write_timeout_error>(0x1100, "w", enough, "SIMPLE"), true), d::fail);
  replica_response_info cas{consistency::serial, 2, 2};
  EXPECT_EQ(decide(err<write_timeout_error>(0x1100, "w", cas, "BATCH_LOG"), true), d::fail);
  EXPECT_EQ(decide(err<overloaded_error>(0x1001, "o"), true), d::next_host);
  EXPECT_EQ(decide(err<overloaded_error>(0x1001, "o"), false), d::fail);
  EXPECT_EQ(decide(err<server_error>(0x0000, "boom"), true), d::next_host);
  EXPECT_EQ(decide(err<server_error>(0x0000, "boom"), false), d::fail);
  EXPECT_EQ(decide(err<is_bootstrapping_error>(0x1002, "b"), false), d::next_host);
  EXPECT_EQ(decide(err<invalid_query_error>(0x2200, "bad"), true), d::fail);
  EXPECT_EQ(decide(err<syntax_error>(0x2000, "bad"), true), d::fail);
  EXPECT_EQ(decide(err<request_timeout_error>("slow"), true), d::fail);
  EXPECT_EQ(decide(std::make_exception_ptr(std::runtime_error("x")), true), d::fail);
  EXPECT_EQ(never_retry_policy().decide(broken, retry_context{.idempotent = true}), d::fail);
}

TEST(Metrics, ClassifiesErrors) {
  EXPECT_EQ(classify_error(err<connection_error>("x")), error_kind::connection);
  EXPECT_EQ(classify_error(err<request_timeout_error>("x")), error_kind::client_timeout);
  EXPECT_EQ(classify_error(err<invalid_query_error>(0x2200, "x")), error_kind::request);
  EXPECT_EQ(classify_error(err<server_error>(0x0000, "x")), error_kind::server);
  EXPECT_EQ(classify_error(err<overloaded_error>(0x1001, "x")), error_kind::overloaded);
  EXPECT_EQ(to_string(error_kind::write_timeout), "write_timeout");
}

TEST(Metrics, ReportFindsHostsAndPrintsEveryOne) {
  session_metrics m;
  m.totals.requests = 12;
  m.totals.errors[static_cast<std::size_t>(error_kind::unavailable)] = 2;
  host_metrics a;
  a.address = "127.0.0.1:9042";
  a.up = true;
  a.counters.requests = 5;
  host_metrics b;
  b.address = "127.0.0.12:9042";
  b.counters.requests = 7;
  m.hosts = {a, b};
  ASSERT_NE(m.host("127.0.0.1"), nullptr);
  EXPECT_EQ(m.host("127.0.0.1")->counters.requests, 5u);
  EXPECT_EQ(m.host("127.0.0.12:9042")->counters.requests, 7u);
  EXPECT_EQ(m.host("127.0.0.2"), nullptr);
  std::string text = m.to_text();
  EXPECT_NE(text.find("requests 12"), std::string::npos) << text;
  EXPECT_NE(text.find("unavailable=2"), std::string::npos) << text;
  EXPECT_NE(text.find("127.0.0.1:9042 up"), std::string::npos) << text;
  EXPECT_NE(text.find("127.0.0.12:9042 down"), std::string::npos) << text;
  EXPECT_EQ(m.totals.errors_total(), 2u);
}

}  // namespace
}  // namespace coodie
