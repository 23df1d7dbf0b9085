#include "coodie/migrate/runner.hpp"

#include <pwd.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <mutex>

#include <boost/asio/use_future.hpp>

#include "coodie/error.hpp"
#include "coodie/migrate/cql_script.hpp"
#include "run_plan.hpp"
#include "state.hpp"

namespace coodie::migrate {
namespace {

using std::chrono::milliseconds;

std::string default_owner() {
  const char* user = std::getenv("USER");
  if (user == nullptr || *user == '\0') {
    const passwd* pw = getpwuid(getuid());
    user = pw != nullptr ? pw->pw_name : nullptr;
  }
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) {
    host[0] = '\0';
  }
  return std::string(user != nullptr && *user != '\0' ? user : "unknown") + '@' +
         (host[0] != '\0' ? host.data() : "localhost") + ':' + std::to_string(getpid());
}

std::int64_t ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - t).count();
}

/// Runs the migrations of a plan, one after the other, keeping the state table true.
class executor {
 public:
  executor(driver_session& s, const std::string& keyspace, const runner_options& o,
           const detail::lock* lk, bool dry_run, std::size_t count)
      : s_(s), keyspace_(keyspace), o_(o), lock_(lk), dry_run_(dry_run), count_(count) {}

  run_report::entry up(const migration& m, const detail::state_row* row, std::size_t index) {
    detail::state_row x = row != nullptr ? *row : detail::state_row{};
    x.id = m.id;
    x.description = m.description;
    x.checksum = m.checksum;
    x.source = m.source;
    x.status = "running";
    x.applied_by = o_.owner;
    x.error.clear();
    if (m.is_cpp()) {
      x.steps_done = 0;
    }
    return run(m, x, direction::up, index);
  }

  run_report::entry down(const migration& m, const detail::state_row& row, std::size_t index) {
    detail::state_row x = row;
    if (x.status != "rolling_back" || m.is_cpp()) {
      x.steps_done = 0;
    }
    x.status = "rolling_back";
    x.applied_by = o_.owner;
    x.error.clear();
    return run(m, x, direction::down, index);
  }

 private:
  run_report::entry run(const migration& m, detail::state_row& x, direction d, std::size_t index) {
    const auto start = std::chrono::steady_clock::now();
    run_report::entry e{.id = m.id, .description = m.description};
    static const std::vector<std::string> none;  // a C++ migration's steps are functions
    const std::vector<std::string>& cql = m.is_cpp() ? none : (d == direction::up ? m.up : *m.down);
    const std::size_t steps = m.is_cpp() ? 0 : cql.size();
    emit({.what = event::kind::started,
          .direction = d,
          .migration = m.id,
          .steps = steps,
          .index = index,
          .count = count_});
    save(x);
    std::size_t step = static_cast<std::size_t>(x.steps_done);
    std::string current;
    try {
      if (m.is_cpp()) {
        context ctx(s_, keyspace_, dry_run_,
                    {.run =
                         [&](std::string_view st) {
                           // A data migration's threads may call it at once.
                           const std::lock_guard<std::mutex> one_at_a_time(hook_);
                           current = std::string(st);
                           statement_step(m, d, ++step, 0, index, current, e);
                           settle(current);
                         },
                     .check_lock =
                         [this] {
                           if (lock_ != nullptr) {
                             lock_->check();
                           }
                         },
                     .progress =
                         [&](std::string_view what) {
                           emit({.what = event::kind::progress,
                                 .direction = d,
                                 .migration = m.id,
                                 .detail = std::string(what),
                                 .index = index,
                                 .count = count_});
                         }});
        (d == direction::up ? m.run_up : m.run_down)(ctx);
      } else {
        for (; step < cql.size(); ++step) {
          current = cql[step];
          statement_step(m, d, step + 1, steps, index, current, e);
          x.steps_done = static_cast<std::int32_t>(step + 1);
          x.done_checksum = detail::steps_checksum(cql, step + 1);
          save(x);  // the statement ran: recorded before anything else can fail
          settle(current);
        }
      }
    } catch (const migration_error& lost) {
      if (lost.why() == migration_error::reason::locked) {
        throw;  // another runner may be at work: the state is its to write now
      }
      fail(m, x, d, step, steps, current, lost);
    } catch (const std::exception& failure) {
      fail(m, x, d, step, steps, current, failure);
    }
    e.duration_ms = ms_since(start);
    if (!dry_run_) {
      if (d == direction::up) {
        x.status = "applied";
        x.applied_at = std::chrono::floor<milliseconds>(std::chrono::system_clock::now());
        x.duration_ms = e.duration_ms;
        save(x);
      } else {
        if (lock_ != nullptr) {
          lock_->check();
        }
        detail::delete_state(s_, keyspace_, m.id);
      }
    }
    emit({.what = event::kind::finished,
          .direction = d,
          .migration = m.id,
          .steps = steps,
          .index = index,
          .count = count_});
    return e;
  }

  void statement_step(const migration& m, direction d, std::size_t step, std::size_t steps,
                      std::size_t index, const std::string& st, run_report::entry& e) {
    if (lock_ != nullptr) {
      lock_->check();
    }
    emit({.what = event::kind::statement,
          .direction = d,
          .migration = m.id,
          .detail = st,
          .step = step,
          .steps = steps,
          .index = index,
          .count = count_});
    e.statements.push_back(st);
    if (dry_run_) {
      return;
    }
    const bool ddl = is_schema_change(st);
    if (ddl) {
      s_.wait(s_.async_wait_schema_agreement(o_.agreement_timeout, boost::asio::use_future));
    }
    statement s(st);
    if (ddl) {
      s.set_timeout(std::max(o_.agreement_timeout, s_.options().request_timeout));
    }
    try {
      s_.execute(s);
    } catch (const schema_error&) {
      // The driver waits for agreement after a schema change it made: the change ran, and
      // settle() waits again, for agreement_timeout.
      if (!ddl) {
        throw;
      }
    }
  }

  /// After a schema change: waits until the nodes agree on it.
  void settle(const std::string& st) {
    if (!dry_run_ && is_schema_change(st)) {
      s_.wait(s_.async_wait_schema_agreement(o_.agreement_timeout, boost::asio::use_future));
    }
  }

  [[noreturn]] void fail(const migration& m, detail::state_row& x, direction d, std::size_t step,
                         std::size_t steps, const std::string& st, const std::exception& why) {
    std::string where =
        m.is_cpp() ? "its C++ step"
                   : "statement " + std::to_string(step + 1) + " of " + std::to_string(steps);
    if (!st.empty()) {
      where += " (" + st + ")";
    }
    std::string message = "migration " + m.id + " (" + m.source + ") failed " +
                          (d == direction::up ? "" : "rolling back ") + "at " + where + ": " +
                          why.what();
    if (!dry_run_) {
      x.status = d == direction::up ? "failed" : "rolling_back";
      x.error = why.what();
      try {
        save(x);  // throws migration_error (locked) when the lock is lost: nothing is written
        message += m.is_cpp() ? "; the state table marks it " + x.status +
                                    ", and the next run starts it again"
                              : "; " + std::to_string(x.steps_done) +
                                    " statements were run and the state table records them; "
                                    "the next run resumes after them";
      } catch (const migration_error&) {
        throw;  // the lock is lost: the state is the next runner's to write
      } catch (const error& e) {
        message += std::string("; recording the failure failed too: ") + e.what();
      }
    }
    throw migration_error(migration_error::reason::failed, message, m.id);
  }

  /// Writes the state row, only while the lock is still this runner's: a runner that lost it
  /// must not overwrite what the next one records.
  void save(const detail::state_row& x) {
    if (dry_run_) {
      return;
    }
    if (lock_ != nullptr) {
      lock_->check();
    }
    detail::write_state(s_, keyspace_, x);
  }

  void emit(const event& e) const {
    if (o_.on_event) {
      o_.on_event(e);
    }
  }

  driver_session& s_;
  const std::string& keyspace_;
  const runner_options& o_;
  const detail::lock* lock_;
  bool dry_run_;
  std::size_t count_;
  std::mutex hook_;
};

}  // namespace

std::string_view to_string(state s) noexcept {
  switch (s) {
    case state::pending:
      return "pending";
    case state::applied:
      return "applied";
    case state::changed:
      return "changed";
    case state::running:
      return "running";
    case state::failed:
      return "failed";
    case state::rolling_back:
      return "rolling_back";
    case state::unknown:
      return "unknown";
  }
  return "?";
}

runner::runner(driver_session& s, std::vector<migration> migrations, runner_options o)
    : s_(&s), keyspace_(s.keyspace()), migrations_(std::move(migrations)), o_(std::move(o)) {
  if (keyspace_.empty()) {
    throw migration_error(migration_error::reason::refused,
                          "the session has no keyspace: connect with the keyspace the "
                          "migrations belong to (session_options::keyspace, --keyspace)");
  }
  if (o_.owner.empty()) {
    o_.owner = default_owner();
  }
  sort_migrations(migrations_);
}

std::vector<migration_status> runner::status() const {
  return detail::merge_status(migrations_, detail::read_state(*s_, keyspace_));
}

std::optional<std::string> runner::lock_holder() const {
  return detail::lock_owner(*s_, keyspace_);
}

run_report runner::apply(const apply_options& o) {
  return run(o, std::nullopt);
}

run_report runner::rollback(std::size_t steps, bool dry_run) {
  return run({.dry_run = dry_run}, steps);
}

run_report runner::run(const apply_options& o, std::optional<std::size_t> rollback_steps) {
  std::optional<detail::lock> lk;
  if (!o.dry_run) {
    detail::create_tables(*s_, keyspace_);
    lk.emplace(*s_, detail::lock::options{.keyspace = keyspace_,
                                          .owner = o_.owner,
                                          .lease = o_.lease,
                                          .wait = o_.lock_wait,
                                          .on_wait = [this](const std::string& holder) {
                                            if (o_.on_event) {
                                              o_.on_event({.what = event::kind::waiting_for_lock,
                                                           .detail = holder});
                                            }
                                          }});
  }
  // Read under the lock: what another runner applied while this one waited is seen.
  const std::map<std::string, detail::state_row> rows = detail::read_state(*s_, keyspace_);
  const detail::run_plan p = rollback_steps
                                 ? detail::plan_rollback(migrations_, rows, *rollback_steps)
                                 : detail::plan_apply(migrations_, rows, o);
  run_report report{.direction = p.direction, .dry_run = o.dry_run, .warnings = p.warnings};
  executor ex(*s_, keyspace_, o_, lk ? &*lk : nullptr, o.dry_run, p.steps.size());
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    const migration& m = *p.steps[i];
    auto row = rows.find(m.id);
    report.migrations.push_back(p.direction == direction::up
                                    ? ex.up(m, row != rows.end() ? &row->second : nullptr, i + 1)
                                    : ex.down(m, row->second, i + 1));
  }
  return report;
}

}  // namespace coodie::migrate
