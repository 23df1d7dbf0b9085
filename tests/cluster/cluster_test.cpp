// Cluster tests: three local nodes (scripts/cassandra start --nodes 3), reached through one
// contact point. Discovery, token-aware routing shown by per-host metrics, schema agreement, and
// a QUORUM write load that survives a node killed and restarted.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cluster_support.hpp"
#include "coodie/driver/session.hpp"

namespace coodie {
namespace {

using namespace cluster_test;

/// The ring as each node states it about itself: token -> address.
std::map<std::int64_t, std::string> node_ring() {
  std::map<std::int64_t, std::string> ring;
  for (const std::string& h : cluster_hosts()) {
    driver_session one = driver_session::connect(single_node_options(h));
    result r = one.execute("SELECT tokens FROM system.local WHERE key = 'local'");
    for (const std::string& t : r.front().get<std::vector<std::string>>(0)) {
      ring[std::stoll(t)] = h;
    }
    one.close();
  }
  return ring;
}

/// SimpleStrategy's replicas of a token: the owner (first ring token at or after it, wrapping),
/// then the next distinct nodes walking the ring.
std::vector<std::string> ring_replicas(const std::map<std::int64_t, std::string>& ring,
                                       std::int64_t token, std::size_t rf) {
  std::vector<std::string> out;
  auto it = ring.lower_bound(token);
  for (std::size_t step = 0; step < ring.size() && out.size() < rf; ++step, ++it) {
    if (it == ring.end()) {
      it = ring.begin();
    }
    if (std::find(out.begin(), out.end(), it->second) == out.end()) {
      out.push_back(it->second);
    }
  }
  return out;
}

/// The one host whose request counter moved between two snapshots, or "" when not exactly one.
std::string host_that_served(const std::map<std::string, std::uint64_t>& before,
                             const std::map<std::string, std::uint64_t>& after) {
  std::string served;
  for (const auto& [addr, n] : after) {
    auto it = before.find(addr);
    std::uint64_t delta = n - (it == before.end() ? 0 : it->second);
    if (delta == 1 && served.empty()) {
      served = addr.substr(0, addr.rfind(':'));
    } else if (delta != 0) {
      return "";
    }
  }
  return served;
}

/// A fresh SimpleStrategy keyspace of replication factor `rf` with a table kv (k int, v int) and
/// its prepared INSERT and SELECT by key.
struct kv_keyspace {
  std::string ks;
  prepared_statement insert;
  prepared_statement select;

  kv_keyspace(driver_session& s, const char* prefix, int rf) : ks(suite_keyspace(prefix)) {
    s.execute("CREATE KEYSPACE " + ks +
              " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " +
              std::to_string(rf) + "}");
    s.execute("CREATE TABLE " + ks + ".kv (k int PRIMARY KEY, v int)");
    insert = s.prepare("INSERT INTO " + ks + ".kv (k, v) VALUES (?, ?)");
    select = s.prepare("SELECT v FROM " + ks + ".kv WHERE k = ?");
  }
};

class Cluster : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    db_ = std::make_unique<driver_session>(driver_session::connect(cluster_options()));
    ks_ = suite_keyspace("cluster");
    db_->execute("CREATE KEYSPACE " + ks_ +
                 " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
  }
  static void TearDownTestSuite() {
    if (db_) {
      db_->execute("DROP KEYSPACE IF EXISTS " + ks_);
      db_->close();
      db_.reset();
    }
  }

 protected:
  static std::unique_ptr<driver_session> db_;
  static std::string ks_;
};
std::unique_ptr<driver_session> Cluster::db_;
std::string Cluster::ks_;

// --8<-- [start:discovery]
TEST_F(Cluster, DiscoversEveryNodeFromOneContactPoint) {
  std::vector<std::string> nodes = cluster_hosts();
  ASSERT_TRUE(wait_for_up_hosts(*db_, nodes.size(), 20s)) << db_->metrics().to_text();
  session_metrics m = db_->metrics();
  ASSERT_EQ(m.hosts.size(), nodes.size()) << m.to_text();
  for (const std::string& n : nodes) {
    const host_metrics* h = m.host(n);
    ASSERT_NE(h, nullptr) << n << " missing from\n" << m.to_text();
    EXPECT_TRUE(h->up);
    EXPECT_EQ(h->dc, "datacenter1");
    EXPECT_GE(h->connections, 1u);
  }
}
// --8<-- [end:discovery]

// --8<-- [start:target-node]
TEST_F(Cluster, StatementsCanTargetOneNode) {
  ASSERT_TRUE(wait_for_up_hosts(*db_, cluster_hosts().size(), 20s));
  for (const std::string& h : cluster_hosts()) {
    for (int i = 0; i < 3; ++i) {
      result r = db_->execute(
          statement("SELECT rpc_address FROM system.local WHERE key = 'local'").set_node(h));
      ASSERT_EQ(r.size(), 1u);
      EXPECT_EQ(r.front().get<inet>(0).to_string(), h);
    }
  }
  try {
    db_->execute(statement("SELECT now() FROM system.local").set_node("127.0.0.99"));
    FAIL() << "a statement for an unknown node ran";
  } catch (const connection_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.99"), std::string::npos) << e.what();
  }
}
// --8<-- [end:target-node]

// --8<-- [start:speculative]
/// With a 1 ms delay nearly every idempotent request also goes to a second replica; the first
/// answer wins, and statements not marked idempotent are never sent twice.
TEST_F(Cluster, SpeculativeExecutionOnlyForIdempotentStatements) {
  session_options o = cluster_options();
  o.speculative_delay = 1ms;
  o.max_speculative_executions = 2;
  driver_session s = driver_session::connect(o);
  ASSERT_TRUE(wait_for_up_hosts(s, cluster_hosts().size(), 20s));
  s.execute("CREATE TABLE IF NOT EXISTS " + ks_ + ".spec (k int PRIMARY KEY, v int)");
  auto insert = s.prepare("INSERT INTO " + ks_ + ".spec (k, v) VALUES (?, ?)");
  auto select = s.prepare("SELECT v FROM " + ks_ + ".spec WHERE k = ?");
  constexpr int n = 200;
  for (int k = 0; k < n; ++k) {
    s.execute(insert.bind(k, k * 3).set_idempotent().set_consistency(consistency::all));
  }
  for (int k = 0; k < n; ++k) {
    result r = s.execute(select.bind(k).set_idempotent().set_consistency(consistency::all));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r.front().get<std::int32_t>(0), k * 3);
  }
  session_metrics m = s.metrics();
  EXPECT_GT(m.totals.speculative, 0u) << m.to_text();
  EXPECT_EQ(m.totals.errors_total(), 0u) << m.to_text();
  std::uint64_t attempts = 0;
  for (const auto& h : m.hosts) {
    attempts += h.counters.requests;
  }
  // Every attempt is either a request's first one, a retry or a speculative twin.
  EXPECT_EQ(attempts, m.totals.requests + m.totals.retries + m.totals.speculative) << m.to_text();

  std::uint64_t before = m.totals.speculative;
  for (int k = 0; k < n; ++k) {
    s.execute(insert.bind(k, k).set_consistency(consistency::all));  // not idempotent
  }
  EXPECT_EQ(s.metrics().totals.speculative, before);
  s.close();
}
// --8<-- [end:speculative]

// --8<-- [start:schema-visible]
TEST_F(Cluster, TableCreatedThroughTheSessionIsVisibleOnEveryNode) {
  std::vector<driver_session> nodes;
  for (const std::string& h : cluster_hosts()) {
    nodes.push_back(driver_session::connect(single_node_options(h)));
  }
  for (int i = 0; i < 3; ++i) {
    std::string table = "visible_" + std::to_string(i);
    db_->execute("CREATE TABLE " + ks_ + "." + table + " (k int PRIMARY KEY, v text)");
    // No wait here: the call returned, so every node must know the table already.
    for (std::size_t n = 0; n < nodes.size(); ++n) {
      auto ps = nodes[n].prepare("INSERT INTO " + ks_ + "." + table + " (k, v) VALUES (?, ?)");
      nodes[n].execute(ps.bind(static_cast<std::int32_t>(n), std::string("from node")));
      result r = nodes[n].execute(
          statement("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND "
                    "table_name = ?")
              .bind(ks_)
              .bind(table));
      EXPECT_EQ(r.size(), 1u) << table << " not on node " << n;
    }
  }
  for (auto& n : nodes) {
    n.close();
  }
}
// --8<-- [end:schema-visible]

/// With RF 1 every partition has one replica: each prepared request must reach exactly the node
/// that owns its token, and the per-host counters must add up to the owners' shares.
TEST_F(Cluster, PreparedRequestsGoToTheReplicaOfTheirPartition) {
  ASSERT_TRUE(wait_for_up_hosts(*db_, cluster_hosts().size(), 20s));
  kv_keyspace kv(*db_, "cluster_rf1", 1);
  const std::string& ks = kv.ks;
  const prepared_statement& insert = kv.insert;
  const prepared_statement& select = kv.select;
  constexpr int keys = 300;

  std::map<std::int64_t, std::string> ring = node_ring();
  auto owner = [&](std::int64_t token) { return ring_replicas(ring, token, 1).front(); };

  auto before = requests_per_host(*db_);
  for (int k = 0; k < keys; ++k) {
    db_->execute(insert.bind(k, k * 7));
  }
  auto after_writes = requests_per_host(*db_);
  for (int k = 0; k < keys; ++k) {
    result r = db_->execute(select.bind(k));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r.front().get<std::int32_t>(0), k * 7);
  }
  auto after_reads = requests_per_host(*db_);

  // The server's own tokens for the keys, and so the owner of each.
  std::map<std::string, std::uint64_t> expected;
  for (row rw : db_->execute("SELECT k, token(k) FROM " + ks + ".kv")) {
    ++expected[owner(rw.get<std::int64_t>(1))];
  }
  std::uint64_t total = 0;
  for (const std::string& h : cluster_hosts()) {
    std::string addr = h + ":9042";
    EXPECT_EQ(after_writes[addr] - before[addr], expected[h]) << "writes sent to " << h;
    EXPECT_EQ(after_reads[addr] - after_writes[addr], expected[h]) << "reads sent to " << h;
    EXPECT_GT(expected[h], 0u) << "no key owned by " << h << ": the check would prove little";
    total += expected[h];
  }
  EXPECT_EQ(total, static_cast<std::uint64_t>(keys));
  db_->execute("DROP KEYSPACE " + ks);
}

/// With RF 2 each partition has two replicas out of the three nodes. Requests run one at a time,
/// so the per-host counters name the node that served each one: it must be one of the two, and
/// both replicas of a partition take turns.
TEST_F(Cluster, EachRequestOfAnRf2KeyspaceGoesToOneOfItsReplicas) {
  ASSERT_TRUE(wait_for_up_hosts(*db_, cluster_hosts().size(), 20s));
  kv_keyspace kv(*db_, "cluster_rf2", 2);
  const std::string& ks = kv.ks;
  const prepared_statement& insert = kv.insert;
  const prepared_statement& select = kv.select;
  constexpr int keys = 150;
  std::map<int, std::vector<std::string>> served;  // key -> node of each request
  for (int k = 0; k < keys; ++k) {
    for (int pass = 0; pass < 2; ++pass) {
      auto before = requests_per_host(*db_);
      db_->execute(pass == 0 ? insert.bind(k, k) : select.bind(k));
      served[k].push_back(host_that_served(before, requests_per_host(*db_)));
    }
  }
  std::map<std::int64_t, std::string> ring = node_ring();
  std::size_t checked = 0;
  std::size_t alternated = 0;  // keys whose write and read went to different replicas
  std::set<std::string> nodes_used;
  for (row rw : db_->execute("SELECT k, token(k) FROM " + ks + ".kv")) {
    int k = rw.get<std::int32_t>(0);
    std::vector<std::string> replicas = ring_replicas(ring, rw.get<std::int64_t>(1), 2);
    ASSERT_EQ(replicas.size(), 2u);
    for (const std::string& node : served[k]) {
      EXPECT_NE(std::find(replicas.begin(), replicas.end(), node), replicas.end())
          << "key " << k << " went to " << (node.empty() ? "several nodes" : node)
          << ", not to its replicas " << replicas[0] << " and " << replicas[1];
      nodes_used.insert(node);
      ++checked;
    }
    alternated += served[k].size() == 2 && served[k][0] != served[k][1] ? 1 : 0;
  }
  EXPECT_EQ(checked, static_cast<std::size_t>(2 * keys));
  EXPECT_GE(alternated, static_cast<std::size_t>(keys / 2));
  EXPECT_EQ(nodes_used.size(), cluster_hosts().size());
  db_->execute("DROP KEYSPACE " + ks);
}

/// With RF 3 every node is a replica: the session rotates among them.
TEST_F(Cluster, RequestsRotateAmongReplicas) {
  ASSERT_TRUE(wait_for_up_hosts(*db_, cluster_hosts().size(), 20s));
  db_->execute("CREATE TABLE IF NOT EXISTS " + ks_ + ".rotation (k int PRIMARY KEY, v int)");
  auto insert = db_->prepare("INSERT INTO " + ks_ + ".rotation (k, v) VALUES (?, ?)");
  auto before = requests_per_host(*db_);
  constexpr int n = 300;
  for (int k = 0; k < n; ++k) {
    db_->execute(insert.bind(k, k));
  }
  auto after = requests_per_host(*db_);
  for (const std::string& h : cluster_hosts()) {
    std::string addr = h + ":9042";
    EXPECT_GE(after[addr] - before[addr], static_cast<std::uint64_t>(n / 6)) << h;
  }
}

// --8<-- [start:other-ca]
TEST(ClusterTls, RefusesANodeSignedByAnotherCa) {
  std::string other = env_or("COODIE_TLS_OTHER_CA", "");
  if (other.empty()) {
    GTEST_SKIP() << "the nodes do not serve TLS (COODIE_TLS_CA unset)";
  }
  session_options o = cluster_options();
  o.tls.ca_file = other;
  try {
    driver_session::connect(o);
    FAIL() << "connected to a node whose certificate the CA did not sign";
  } catch (const tls_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("TLS handshake with " + cluster_hosts().front()), std::string::npos)
        << what;
    EXPECT_NE(what.find("certificate verify failed"), std::string::npos) << what;
  }
}
// --8<-- [end:other-ca]

TEST(ClusterTls, PlainConnectionToATlsNodeFails) {
  if (env_or("COODIE_TLS_CA", "").empty()) {
    GTEST_SKIP() << "the nodes do not serve TLS (COODIE_TLS_CA unset)";
  }
  session_options o = cluster_options();
  o.tls.enabled = false;
  o.connect_timeout = 3s;
  EXPECT_THROW(driver_session::connect(o), connection_error);
}

// --8<-- [start:client-cert]
TEST(ClusterTls, RefusesAClientWithoutACertificate) {
  if (env_or("COODIE_TLS_CERT", "").empty()) {
    GTEST_SKIP() << "the nodes require no client certificate (COODIE_TLS_CERT unset)";
  }
  session_options o = cluster_options();
  o.tls.cert_file.clear();
  o.tls.key_file.clear();
  o.connect_timeout = 5s;
  // Under TLS 1.3 the node checks the client's certificate after the client has finished its
  // handshake, so the refusal may come as an alert on the first read instead.
  EXPECT_THROW(driver_session::connect(o), connection_error);
  // The same options with the certificate connect: the refusal was the missing certificate.
  o = cluster_options();
  driver_session s = driver_session::connect(o);
  EXPECT_EQ(s.execute("SELECT key FROM system.local").size(), 1u);
}
// --8<-- [end:client-cert]

// --8<-- [start:hostname]
TEST(ClusterTls, HostnameCheckRefusesANameTheCertificateLacks) {
  if (env_or("COODIE_TLS_CA", "").empty()) {
    GTEST_SKIP() << "the nodes do not serve TLS (COODIE_TLS_CA unset)";
  }
  // The node's certificate names 127.0.0.1-9 only; "localhost" reaches the first node too.
  session_options o = cluster_options();
  o.hosts = {"localhost"};
  o.discover_peers = false;
  try {
    driver_session::connect(o);
    FAIL() << "connected to localhost with a certificate that does not name it";
  } catch (const tls_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("TLS handshake with localhost"), std::string::npos) << what;
  }
  o.tls.verify_hostname = false;  // the chain alone is fine
  driver_session s = driver_session::connect(o);
  EXPECT_EQ(s.execute("SELECT key FROM system.local").size(), 1u);
}
// --8<-- [end:hostname]

// --8<-- [start:missing-ca]
TEST(ClusterTls, MissingCaFileIsAUsageError) {
  session_options o = cluster_options();
  o.tls.enabled = true;
  o.tls.ca_file = "/nonexistent/ca.crt";
  try {
    driver_session::connect(o);
    FAIL() << "a missing CA file was accepted";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/ca.crt"), std::string::npos) << e.what();
  }
}
// --8<-- [end:missing-ca]

/// 30 s of QUORUM writes by 4 writers; node 2 is killed, then restarted. No idempotent write
/// fails, every acknowledged key reads back, and node 2 takes requests again within 10 s of
/// accepting connections.
TEST_F(Cluster, QuorumWritesSurviveAKilledAndRestartedNode) {
  std::vector<std::string> nodes = cluster_hosts();
  ASSERT_GE(nodes.size(), 3u);
  ASSERT_TRUE(wait_for_up_hosts(*db_, nodes.size(), 20s));
  db_->execute("CREATE TABLE IF NOT EXISTS " + ks_ + ".load (k bigint PRIMARY KEY, v text)");
  auto insert = db_->prepare("INSERT INTO " + ks_ + ".load (k, v) VALUES (?, ?)");
  const std::string victim = nodes[1];
  const std::string victim_addr = victim + ":9042";

  constexpr int writers = 4;
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::int64_t> acked;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      std::vector<std::int64_t> mine;
      for (std::int64_t i = 0; !stop.load(); ++i) {
        std::int64_t key = i * writers + w;
        try {
          db_->execute(insert.bind(key, std::string("value ") + std::to_string(key))
                           .set_consistency(consistency::quorum)
                           .set_idempotent(true));
          mine.push_back(key);
          // About 100 writes per second per writer: a steady load that leaves the two cores
          // enough room for the restarted node to start.
          std::this_thread::sleep_for(8ms);
        } catch (const std::exception& e) {
          std::lock_guard lock(mu);
          errors.push_back(e.what());
        }
      }
      std::lock_guard lock(mu);
      acked.insert(acked.end(), mine.begin(), mine.end());
    });
  }
  auto start = clock_type::now();
  std::this_thread::sleep_for(4s);
  killed_node down(2);
  std::this_thread::sleep_for(6s);
  down.restart();  // returns once the node answers CQL
  auto accepting = clock_type::now();
  std::uint64_t at_restart = requests_per_host(*db_)[victim_addr];
  std::optional<clock_type::duration> back_after;
  while (clock_type::now() - accepting < 15s) {
    if (requests_per_host(*db_)[victim_addr] > at_restart) {
      back_after = clock_type::now() - accepting;
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  // At least 30 s of load in all, and 10 s with the node back.
  while (clock_type::now() - start < 30s || clock_type::now() - accepting < 10s) {
    std::this_thread::sleep_for(100ms);
  }
  stop = true;
  for (auto& t : threads) {
    t.join();
  }
  std::cout << db_->metrics().to_text();

  ASSERT_TRUE(back_after.has_value()) << victim << " received no request within 15 s of restarting";
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*back_after).count();
  std::cout << victim << " received requests " << ms << " ms after accepting connections\n";
  EXPECT_LE(ms, 10000);
  EXPECT_TRUE(errors.empty()) << errors.size() << " writes failed, first: " << errors.front()
                              << "\nlast: " << errors.back();
  ASSERT_GT(acked.size(), 1000u);

  std::set<std::int64_t> stored;
  pager p = db_->pages(statement("SELECT k FROM " + ks_ + ".load")
                           .set_consistency(consistency::quorum)
                           .set_page_size(5000));
  while (auto page = p.next()) {
    for (row rw : *page) {
      stored.insert(rw.get<std::int64_t>(0));
    }
  }
  std::size_t missing = 0;
  for (std::int64_t k : acked) {
    missing += stored.count(k) == 0 ? 1 : 0;
  }
  std::cout << acked.size() << " writes acknowledged, " << stored.size() << " rows stored\n";
  EXPECT_EQ(missing, 0u) << "acknowledged writes lost";
}

}  // namespace
}  // namespace coodie
