// Running the built `coodie` program from tests: spawn it (several at once when needed), wait,
// read what it printed; and a migrations directory of files a test writes.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support.hpp"

namespace coodie::test {

/// What a finished `coodie` run left.
struct cli_outcome {
  int code = -1;  ///< exit code, or 128 + signal
  std::string out;
  std::string err;
};

/// A running `coodie` process; its stdout and stderr go to files.
class cli_process {
 public:
  /// Starts `program` (the built `coodie` by default) with args in dir (the environment is the
  /// test's own, with the default credentials of the local node when COODIE_USERNAME is unset).
  cli_process(const std::filesystem::path& dir, const std::vector<std::string>& args,
              const std::string& program = COODIE_TOOL);
  cli_process(cli_process&& other) noexcept;
  cli_process& operator=(cli_process&&) = delete;
  cli_process(const cli_process&) = delete;
  ~cli_process();

  /// Waits for the end.
  cli_outcome wait();
  /// SIGKILL, then waits.
  void kill();
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }

 private:
  pid_t pid_ = -1;
  std::filesystem::path out_;
  std::filesystem::path err_;
};

/// Runs to the end.
cli_outcome run_cli(const std::filesystem::path& dir, const std::vector<std::string>& args,
                    const std::string& program = COODIE_TOOL);

/// A fresh directory with a migrations/ folder, removed at the end.
class migrations_dir {
 public:
  migrations_dir();
  ~migrations_dir();
  migrations_dir(const migrations_dir&) = delete;
  migrations_dir& operator=(const migrations_dir&) = delete;
  /// Writes migrations/<name> (returns its path).
  std::filesystem::path write(const std::string& name, const std::string& text) const;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return root_; }

 private:
  std::filesystem::path root_;
};

/// A test with a keyspace of its own (dropped after), a project directory, and `coodie` runs
/// against that keyspace.
class cli_keyspace : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = std::make_unique<driver_session>(driver_session::connect(options_from_env()));
    ks_ = unique_keyspace("cli");
    admin_->execute("CREATE KEYSPACE " + ks_ +
                    " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  }
  void TearDown() override { admin_->execute("DROP KEYSPACE IF EXISTS " + ks_); }

  /// `coodie <command> -k <ks> <args...>` in the project directory.
  cli_outcome run(const std::string& command, std::vector<std::string> args = {},
                  const std::string& program = COODIE_TOOL) {
    args.insert(args.begin(), {command, "-k", ks_});
    return run_cli(dir_.path(), args, program);
  }
  cli_process start(const std::string& command, std::vector<std::string> args = {}) {
    args.insert(args.begin(), {command, "-k", ks_});
    return {dir_.path(), args};
  }

  /// id -> status of the state table.
  std::map<std::string, std::string> state() {
    std::map<std::string, std::string> out;
    for (const row& r :
         admin_->rows(statement("SELECT id, status FROM " + ks_ + ".coodie_migrations"))) {
      out[r.get<std::string>(0)] = r.get<std::string>(1);
    }
    return out;
  }

  bool has_table(const std::string& table) {
    return !admin_
                ->execute(statement("SELECT table_name FROM system_schema.tables WHERE "
                                    "keyspace_name = ? AND table_name = ?",
                                    ks_, table))
                .empty();
  }

  std::unique_ptr<driver_session> admin_;
  std::string ks_;
  migrations_dir dir_;
};

}  // namespace coodie::test
