// A write's own timeout reaches its request: with the local node paused (SIGSTOP), so that it
// cannot answer at all, remove and remove_columns with a 300 ms timeout fail with
// request_timeout_error within a few seconds, where the session's default (12 s) would still
// wait. Serial: pausing the node would stall any test running beside it.
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_timeout_test {
struct Doc {
  std::int32_t id = 0;
  std::string v;
};
}  // namespace orm_timeout_test

template <>
inline constexpr auto coodie::model<orm_timeout_test::Doc> =
    coodie::table("timeout_docs").partition_key<&orm_timeout_test::Doc::id>();

namespace {

using orm_timeout_test::Doc;
namespace test = coodie::test;
using namespace std::chrono_literals;

/// The pid of the local node that scripts/cassandra runs, or 0 when there is none to pause.
pid_t local_node_pid() {
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v != nullptr ? v : "";
  };
  std::string hosts = env("COODIE_HOSTS");
  if (!hosts.empty() && hosts != "127.0.0.1") {
    return 0;
  }
  std::string home = env("COODIE_CASSANDRA_HOME");
  if (home.empty()) {
    std::string cache = env("COODIE_CACHE");
    if (cache.empty()) {
      cache = (env("XDG_CACHE_HOME").empty() ? env("HOME") + "/.cache" : env("XDG_CACHE_HOME")) +
              "/coodie";
    }
    home = cache + "/node1";
  }
  std::ifstream in(home + "/cassandra.pid");
  long pid = 0;
  return in >> pid ? static_cast<pid_t>(pid) : 0;
}

/// Pauses a process for its lifetime, and always lets it go on.
class paused {
 public:
  explicit paused(pid_t pid) : pid_(pid) { ok_ = ::kill(pid_, SIGSTOP) == 0; }
  ~paused() { ::kill(pid_, SIGCONT); }
  paused(const paused&) = delete;
  paused& operator=(const paused&) = delete;
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  pid_t pid_;
  bool ok_ = false;
};

COODIE_KEYSPACE_SUITE(OrmTimeoutBase, "orm_timeout");

template <class F>
class OrmTimeout : public test::orm_suite<OrmTimeoutBase, F> {};
TYPED_TEST_SUITE(OrmTimeout, test::orm_fronts, test::front_names);

TYPED_TEST(OrmTimeout, RemoveAndRemoveColumnsTakeTheirOwnTimeout) {
  using F = TypeParam;
  const pid_t pid = local_node_pid();
  if (pid == 0) {
    GTEST_SKIP() << "no local node that scripts/cassandra runs to pause";
  }
  auto s = this->front();
  F::await([&] { return s.template sync_table<Doc>(); });
  Doc d{1, "x"};
  // Both statements are prepared while the node answers: the call's timeout bounds its
  // execution (a first-use PREPARE runs under the session's request timeout).
  F::await([&] { return s.remove_columns(d, coodie::members<&Doc::v>); });
  F::await([&] { return s.save(d); });

  coodie::write_options quick{.timeout = 300ms};
  auto started = std::chrono::steady_clock::now();
  {
    paused node(pid);
    ASSERT_TRUE(node.ok());
    EXPECT_THROW(F::await([&] { return s.remove(d, quick); }), coodie::request_timeout_error);
    EXPECT_THROW(F::await([&] { return s.remove_columns(d, coodie::members<&Doc::v>, quick); }),
                 coodie::request_timeout_error);
  }
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, 6s) << "the session's default timeout applied, not the call's";
  // The session goes on once the node does (the deletes may or may not have been applied: a
  // timed-out write's outcome is unknown).
  EXPECT_NO_THROW(F::await([&] { return s.template find<Doc>().count(); }));
}

}  // namespace
