#include <cmath>
#include <ostream>

#include "coodie/cli.hpp"

namespace coodie::cli {
namespace {

constexpr std::size_t bar_width = 24;

std::string seconds_text(double s) {
  if (s < 60) {
    return std::to_string(static_cast<long>(std::ceil(s))) + "s";
  }
  const auto total = static_cast<long>(s);
  return std::to_string(total / 60) + "m" + std::to_string(total % 60) + "s";
}

std::string rate_text(double r) {
  const long tenths = std::lround(r * 10);
  return std::to_string(tenths / 10) + '.' + std::to_string(tenths % 10) + "/s";
}

}  // namespace

progress_bar::progress_bar(std::ostream& err, bool terminal, std::size_t total, std::string unit)
    : err_(&err), terminal_(terminal), total_(total), unit_(std::move(unit)) {}

std::string progress_bar::line(std::string_view note) const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  std::string out;
  if (total_ > 0) {
    const std::size_t shown = std::min(done_, total_);
    const std::size_t filled = shown * bar_width / total_;
    out += '[' + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] ";
    const std::size_t percent = shown * 100 / total_;
    out += std::string(percent < 10 ? 2 : (percent < 100 ? 1 : 0), ' ') + std::to_string(percent) +
           "%  " + std::to_string(done_) + '/' + std::to_string(total_) + ' ' + unit_;
  } else {
    out += std::to_string(done_) + ' ' + unit_;
  }
  out += "  " + rate_text(rate);
  if (total_ > 0 && done_ < total_ && rate > 0) {
    out += "  ETA " + seconds_text(static_cast<double>(total_ - done_) / rate);
  }
  if (!note.empty()) {
    out += "  ";
    out += note;
  }
  return out;
}

void progress_bar::update(std::size_t done, std::string_view note) {
  done_ = done;
  if (!terminal_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done_ != total_) {
    return;
  }
  last_draw_ = now;
  drawn_ = true;
  *err_ << '\r' << line(note) << "\x1b[K" << std::flush;
}

void progress_bar::done() {
  if (terminal_) {
    *err_ << '\r' << line({}) << "\x1b[K\n" << std::flush;
  } else {
    *err_ << line({}) << '\n' << std::flush;
  }
}

}  // namespace coodie::cli
