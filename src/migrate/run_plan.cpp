#include "run_plan.hpp"

#include <algorithm>

#include "coodie/error.hpp"

namespace coodie::migrate::detail {
namespace {

[[noreturn]] void refuse(const std::string& message, const std::string& migration) {
  throw migration_error(migration_error::reason::refused, message, migration);
}

const migration* find(const std::vector<migration>& all, const std::string& id) {
  auto it = std::find_if(all.begin(), all.end(), [&](const migration& m) { return m.id == id; });
  return it == all.end() ? nullptr : &*it;
}

state state_of(const migration* m, const state_row& r) {
  if (m == nullptr) {
    return state::unknown;
  }
  if (r.status == "running") {
    return state::running;
  }
  if (r.status == "failed") {
    return state::failed;
  }
  if (r.status == "rolling_back") {
    return state::rolling_back;
  }
  return r.checksum == m->checksum ? state::applied : state::changed;
}

/// Refuses when an applied migration's file changed since.
void check_unchanged(const std::vector<migration_status>& all) {
  for (const migration_status& m : all) {
    if (m.state == state::changed) {
      refuse("migration " + m.id + " (" + m.source + ") changed since it was applied (checksum " +
                 m.applied_checksum.substr(0, 12) + " then, " + m.checksum.substr(0, 12) +
                 " now): restore it and put the change in a new migration",
             m.id);
    }
  }
}

/// A migration that stopped part-way resumes where it stopped: the statements it ran (up, or
/// down while rolling back) must still be the first ones of that section.
void check_resumable(const migration& m, const state_row& r) {
  if (m.is_cpp() || r.steps_done == 0) {
    return;
  }
  const bool down = r.status == "rolling_back";
  const std::vector<std::string>& done_section = down ? *m.down : m.up;
  const auto done = static_cast<std::size_t>(r.steps_done);
  if (done > done_section.size() || steps_checksum(done_section, done) != r.done_checksum) {
    refuse("migration " + m.id + " (" + m.source + ") stopped after " + std::to_string(done) +
               " statements of its " + (down ? "down" : "up") +
               " section, and those statements changed since: the section must begin with what "
               "was run; only the failed statement and those after it may change",
           m.id);
  }
}

void check_destructive(const run_plan& p, const apply_options& o) {
  if (o.allow_destructive || p.direction != direction::up) {
    return;
  }
  for (const migration* m : p.steps) {
    if (m->destructive) {
      refuse("migration " + m->id + " (" + m->source +
                 ") drops or deletes (DROP, TRUNCATE, DELETE, ALTER ... DROP): run it with "
                 "allow_destructive (--allow-destructive) once you mean it",
             m->id);
    }
  }
}

void check_reversible(const migration& m) {
  if (!m.reversible()) {
    refuse("migration " + m.id + " (" + m.source +
               ") cannot be rolled back: it has no down section (-- coodie:down)",
           m.id);
  }
}

bool has_row(const migration_status& m) {
  return m.state != state::pending;
}

/// The migrations with a state row, newest first, while `more` says so: each must be one of the
/// program's, reversible, and (when its rollback stopped) unchanged in what it ran.
template <class More>
void add_down(run_plan& p, const std::vector<migration>& migrations,
              const std::map<std::string, state_row>& rows,
              const std::vector<migration_status>& all, More more) {
  for (auto it = all.rbegin(); it != all.rend() && more(*it); ++it) {
    if (!has_row(*it)) {
      continue;
    }
    const migration* m = find(migrations, it->id);
    if (m == nullptr) {
      refuse("migration " + it->id +
                 " is applied but this program does not have it, so it cannot be rolled back",
             it->id);
    }
    check_reversible(*m);
    if (it->state == state::rolling_back) {
      check_resumable(*m, rows.at(it->id));
    }
    p.steps.push_back(m);
  }
}

}  // namespace

std::vector<migration_status> merge_status(const std::vector<migration>& migrations,
                                           const std::map<std::string, state_row>& rows) {
  std::vector<migration_status> out;
  for (const migration& m : migrations) {
    migration_status s{
        .id = m.id, .description = m.description, .source = m.source, .checksum = m.checksum};
    if (auto it = rows.find(m.id); it != rows.end()) {
      const state_row& r = it->second;
      s.state = state_of(&m, r);
      s.applied_checksum = r.checksum;
      s.applied_at = r.applied_at;
      s.duration_ms = r.duration_ms;
      s.applied_by = r.applied_by;
      s.steps_done = r.steps_done;
      s.error = r.error;
    }
    out.push_back(std::move(s));
  }
  for (const auto& [id, r] : rows) {
    if (find(migrations, id) == nullptr) {
      out.push_back({.id = id,
                     .description = r.description,
                     .source = r.source,
                     .state = state::unknown,
                     .applied_checksum = r.checksum,
                     .applied_at = r.applied_at,
                     .duration_ms = r.duration_ms,
                     .applied_by = r.applied_by,
                     .steps_done = r.steps_done,
                     .error = r.error});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const migration_status& a, const migration_status& b) { return a.id < b.id; });
  return out;
}

run_plan plan_apply(const std::vector<migration>& migrations,
                    const std::map<std::string, state_row>& rows, const apply_options& o) {
  const std::vector<migration_status> all = merge_status(migrations, rows);
  check_unchanged(all);
  run_plan p;
  for (const migration_status& m : all) {
    if (m.state == state::unknown) {
      p.warnings.push_back("migration " + m.id + " (" + m.source +
                           ") is applied but this program does not have it");
    }
  }
  auto target = std::find_if(all.begin(), all.end(), [&](const migration_status& m) {
    return o.target && m.id == *o.target;
  });
  if (o.target && target == all.end()) {
    refuse("unknown target " + *o.target + ": no migration has this id (YYYYMMDD_NNN)", *o.target);
  }
  const bool down = o.target && has_row(*target) &&
                    std::any_of(target + 1, all.end(), [](const auto& m) { return has_row(m); });
  if (down) {
    p.direction = direction::down;
    add_down(p, migrations, rows, all, [&](const migration_status& m) { return m.id > *o.target; });
    return p;
  }
  for (const migration_status& m : all) {
    if (o.target && m.id > *o.target) {
      break;
    }
    if (m.state == state::rolling_back) {
      refuse("migration " + m.id +
                 " was being rolled back when a run stopped: finish that "
                 "rollback first (migrate --rollback --steps 1)",
             m.id);
    }
    if (m.state == state::pending || m.state == state::running || m.state == state::failed) {
      const migration* mig = find(migrations, m.id);
      if (m.state != state::pending) {
        check_resumable(*mig, rows.at(m.id));
      }
      p.steps.push_back(mig);
    }
  }
  check_destructive(p, o);
  return p;
}

run_plan plan_rollback(const std::vector<migration>& migrations,
                       const std::map<std::string, state_row>& rows, std::size_t steps) {
  const std::vector<migration_status> all = merge_status(migrations, rows);
  check_unchanged(all);
  run_plan p;
  p.direction = direction::down;
  add_down(p, migrations, rows, all,
           [&](const migration_status&) { return p.steps.size() < steps; });
  if (p.steps.size() < steps) {
    refuse("cannot roll back " + std::to_string(steps) + " migrations: only " +
               std::to_string(p.steps.size()) + " applied",
           "");
  }
  return p;
}

}  // namespace coodie::migrate::detail
