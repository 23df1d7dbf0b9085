#include "demo/seed.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>

namespace demo {

bool ensure_keyspace(const settings& cfg) {
  coodie::session_options o = cfg.db;
  const std::string name = o.keyspace;
  o.keyspace.clear();
  coodie::sync::session boot = coodie::sync::connect(o);
  if (cfg.fresh || cfg.drop) {
    boot.drop_keyspace(name);
    std::cerr << cfg.name << ": dropped keyspace " << name << '\n';
    if (cfg.drop) {
      return false;
    }
  }
  boot.create_keyspace({.name = name, .replication_factor = 1});
  return true;
}

std::chrono::microseconds cpu_time() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto us = [](const timeval& t) {
    return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
  };
  return us(u.ru_utime) + us(u.ru_stime);
}

seed_progress::seed_progress(std::size_t total, std::string unit)
    : total_(total), unit_(unit), bar_(std::cerr, isatty(2) != 0, total, std::move(unit)) {}

void seed_progress::done() {
  bar_.done();
  const std::size_t n = total_;
  const std::chrono::microseconds cpu = cpu_time() - cpu0_;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = s > 0 ? static_cast<double>(n) / s : 0;
  const double cpu_each = n > 0 ? static_cast<double>(cpu.count()) / static_cast<double>(n) : 0;
  std::cerr << fmt::format("wrote {} {} in {:.1f} s: {:.0f} {}/s, {:.2f} us of client CPU each\n",
                           n, unit_, s, rate, unit_, cpu_each);
}

}  // namespace demo
