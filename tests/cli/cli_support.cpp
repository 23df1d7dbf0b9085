#include "cli_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace coodie::test {
namespace {

std::atomic<int> sequence{0};

std::filesystem::path scratch(const std::string& what) {
  return std::filesystem::temp_directory_path() /
         ("coodie_cli_" + std::to_string(getpid()) + '_' + std::to_string(sequence++) + '_' + what);
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

cli_process::cli_process(const std::filesystem::path& dir, const std::vector<std::string>& args,
                         const std::string& program)
    : out_(scratch("out")), err_(scratch("err")) {
  if (std::getenv("COODIE_USERNAME") == nullptr) {
    setenv("COODIE_USERNAME", "cassandra", 0);
    setenv("COODIE_PASSWORD", "cassandra", 0);
  }
  std::vector<std::string> all{program};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  const std::string out = out_.string();
  const std::string err = err_.string();
  const std::string where = dir.string();
  pid_ = fork();
  if (pid_ < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 || chdir(where.c_str()) != 0) {
      _exit(126);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
}

cli_process::cli_process(cli_process&& other) noexcept
    : pid_(other.pid_), out_(std::move(other.out_)), err_(std::move(other.err_)) {
  other.pid_ = -1;
}

cli_process::~cli_process() {
  if (pid_ > 0) {
    kill();
  }
  std::error_code ec;
  std::filesystem::remove(out_, ec);
  std::filesystem::remove(err_, ec);
}

cli_outcome cli_process::wait() {
  cli_outcome r;
  int status = 0;
  if (pid_ > 0 && waitpid(pid_, &status, 0) == pid_) {
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  pid_ = -1;
  r.out = slurp(out_);
  r.err = slurp(err_);
  return r;
}

void cli_process::kill() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
}

cli_outcome run_cli(const std::filesystem::path& dir, const std::vector<std::string>& args,
                    const std::string& program) {
  return cli_process(dir, args, program).wait();
}

migrations_dir::migrations_dir() : root_(scratch("project")) {
  std::filesystem::create_directories(root_ / "migrations");
}

migrations_dir::~migrations_dir() {
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

std::filesystem::path migrations_dir::write(const std::string& name,
                                            const std::string& text) const {
  const std::filesystem::path p = root_ / "migrations" / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

}  // namespace coodie::test
