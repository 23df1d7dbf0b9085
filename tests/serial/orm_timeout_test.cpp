// A write's own timeout reaches its request: with the local node paused (SIGSTOP), so that it
// cannot answer at all, remove and remove_columns with a 300 ms timeout fail with
// request_timeout_error within a few seconds, where the session's default (12 s) would still
// wait. Serial: pausing the node would stall any test running beside it.
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <thread>

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
  if (!(in >> pid) || pid <= 0) {
    return 0;
  }
  // A stale pid file may name another process by now: pause only Cassandra's daemon.
  std::ifstream cmd("/proc/" + std::to_string(pid) + "/cmdline");
  std::string cmdline((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
  if (cmdline.find("CassandraDaemon") == std::string::npos) {
    return 0;
  }
  return static_cast<pid_t>(pid);
}

/// The scheduler states of a process's threads that are not stopped ("tid:state" each), or
/// empty when every thread is stopped (state T or t) or the process has gone.
std::string running_threads(pid_t pid) {
  std::string running;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream in(task.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The state follows the command name, which is in parentheses and may hold spaces.
    const auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) {
      continue;  // the thread ended while we read
    }
    const char state = stat[close + 2];
    if (state != 'T' && state != 't') {
      running += task.path().filename().string() + ":" + state + " ";
    }
  }
  return running;
}

/// Pauses a process for its lifetime, and always lets it go on. The pause holds once every
/// thread has stopped: kill() only queues the signal, and a thread inside a system call stops
/// when that call returns.
class paused {
 public:
  explicit paused(pid_t pid) : pid_(pid) {
    if (::kill(pid_, SIGSTOP) != 0) {
      running_ = "kill failed";
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!(running_ = running_threads(pid_)).empty() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
  }
  ~paused() { ::kill(pid_, SIGCONT); }
  paused(const paused&) = delete;
  paused& operator=(const paused&) = delete;
  /// Empty once every thread has stopped; otherwise what still runs.
  [[nodiscard]] const std::string& running() const { return running_; }

 private:
  pid_t pid_;
  std::string running_;
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
    ASSERT_EQ(node.running(), "") << "the node's threads did not all stop";
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
