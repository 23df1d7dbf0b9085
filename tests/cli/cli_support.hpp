// Running the built `coodie` program from tests: spawn it (several at once when needed), wait,
// read what it printed; and a migrations directory of files a test writes.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

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
  /// Starts COODIE_TOOL with args in dir (the environment is the test's own, with the default
  /// credentials of the local node when COODIE_USERNAME is unset).
  cli_process(const std::filesystem::path& dir, const std::vector<std::string>& args);
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
cli_outcome run_cli(const std::filesystem::path& dir, const std::vector<std::string>& args);

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

}  // namespace coodie::test
