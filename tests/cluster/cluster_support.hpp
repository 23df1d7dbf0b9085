// What the cluster tests share: the nodes' addresses and session options from the environment,
// the scripts/cassandra commands that kill and start nodes, and waits on a session's metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/driver/session.hpp"

namespace coodie::cluster_test {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

inline std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

/// The nodes' addresses, from COODIE_CLUSTER_HOSTS (the three local nodes by default).
inline std::vector<std::string> cluster_hosts() {
  const std::string hosts = env_or("COODIE_CLUSTER_HOSTS", "127.0.0.1,127.0.0.2,127.0.0.3");
  return session_options::from_env([&](const std::string& name) {
           return name == "COODIE_HOSTS" ? std::optional<std::string>(hosts) : std::nullopt;
         })
      .hosts;
}

// --8<-- [start:base-options]
/// session_options::from_env() (COODIE_TLS_CA: the nodes serve TLS only, scripts/cassandra
/// start --tls, and require the client certificate COODIE_TLS_CERT with its key COODIE_TLS_KEY),
/// checking the nodes' names, with the default superuser when COODIE_USERNAME is unset.
inline session_options base_options() {
  session_options o = session_options::from_env();
  if (o.username.empty()) {
    o.username = "cassandra";
    o.password = "cassandra";
  }
  o.request_timeout = 20s;
  o.tls.verify_hostname = true;
  return o;
  // --8<-- [end:base-options]
}

/// A session that knows only the first node and finds the others.
inline session_options cluster_options() {
  session_options o = base_options();
  o.hosts = {cluster_hosts().front()};
  return o;
}

/// A session bound to one node only.
inline session_options single_node_options(const std::string& host) {
  session_options o = base_options();
  o.hosts = {host};
  o.discover_peers = false;
  o.connections_per_host = 1;
  return o;
}

inline void cassandra_script(const std::string& args) {
  std::string cmd = std::string(COODIE_SOURCE_DIR) + "/scripts/cassandra " + args;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

/// SIGKILLs node `i` for the guard's life: the destructor starts it again even when an assertion
/// or an exception leaves the test early, so one failure cannot leave the next tests a node short.
class killed_node {
 public:
  explicit killed_node(int i) : index_(std::to_string(i)) {
    cassandra_script("kill-node " + index_);
  }
  killed_node(const killed_node&) = delete;
  killed_node& operator=(const killed_node&) = delete;
  ~killed_node() { restart(); }

  /// Starts the node again; returns once it answers CQL. Does nothing the second time.
  void restart() {
    if (!restarted_) {
      restarted_ = true;
      cassandra_script("start-node " + index_);
    }
  }

 private:
  std::string index_;
  bool restarted_ = false;
};

inline std::string suite_keyspace(const char* prefix) {
  std::random_device rd;
  std::string ks = std::string(prefix) + "_" + std::to_string(rd() % 1000000);
  std::cout << "keyspace " << ks << "\n";
  return ks;
}

/// Waits until the session reports `n` hosts with a ready connection.
inline bool wait_for_up_hosts(const driver_session& s, std::size_t n, std::chrono::seconds limit) {
  auto deadline = clock_type::now() + limit;
  while (clock_type::now() < deadline) {
    session_metrics m = s.metrics();
    std::size_t up = 0;
    for (const auto& h : m.hosts) {
      up += h.up ? 1 : 0;
    }
    if (up >= n) {
      return true;
    }
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

inline std::map<std::string, std::uint64_t> requests_per_host(const driver_session& s) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& h : s.metrics().hosts) {
    out[h.address] = h.counters.requests;
  }
  return out;
}

}  // namespace coodie::cluster_test
