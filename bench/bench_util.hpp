// Small helpers the benchmarks share: settings from the environment and the process's CPU time.
#pragma once

#include <sys/resource.h>

#include <cstdlib>
#include <string>

namespace coodie::bench {

/// The environment variable's value, or fallback when it is unset or empty.
inline std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : fallback;
}

/// User plus system CPU seconds of this process, every thread included (getrusage).
inline double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return tv(ru.ru_utime) + tv(ru.ru_stime);
}

}  // namespace coodie::bench
