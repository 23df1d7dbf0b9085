// `coodie migrate`: apply, dry run, target, rollback.
#include <memory>
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "coodie/migrate/runner.hpp"
#include "output.hpp"

namespace coodie::cli::detail {
namespace {

/// Shows the runner's work on err: a bar over the run's migrations on a terminal, a line per
/// migration done elsewhere (and nothing with --json but waiting notes).
class progress_view {
 public:
  progress_view(const settings& s, std::ostream& err) : s_(s), err_(err) {}

  void operator()(const migrate::event& e) {
    using kind = migrate::event::kind;
    if (e.what == kind::waiting_for_lock) {
      err_ << paint(s_.color, colour::yellow, "waiting for the migration lock held by " + e.detail)
           << '\n'
           << std::flush;
      return;
    }
    if (s_.json) {
      return;
    }
    if (s_.terminal && !bar_) {
      bar_ = std::make_unique<progress_bar>(err_, true, e.count, "migrations");
    }
    if (e.what == kind::progress && !bar_) {
      // Off a terminal a long data migration says where it is every few seconds.
      const auto now = std::chrono::steady_clock::now();
      if (now - last_note_ >= std::chrono::seconds(5)) {
        last_note_ = now;
        err_ << e.migration << ": " << e.detail << '\n' << std::flush;
      }
    }
    if (e.what == kind::finished) {
      ++done_;
      if (!bar_) {
        err_ << paint(s_.color, colour::green, "done ") << e.migration << '\n' << std::flush;
      }
    }
    if (bar_) {
      std::string note = e.migration;
      if (e.what == kind::progress) {
        note += ": " + e.detail;
      } else if (e.what == kind::statement) {
        note += " statement " + std::to_string(e.step) +
                (e.steps > 0 ? "/" + std::to_string(e.steps) : std::string());
      }
      bar_->update(done_, note);
    }
  }

  void finish() {
    if (bar_) {
      bar_->done();
    }
  }

 private:
  const settings& s_;
  std::ostream& err_;
  std::unique_ptr<progress_bar> bar_;
  std::size_t done_ = 0;
  std::chrono::steady_clock::time_point last_note_ = std::chrono::steady_clock::now();
};

boost::json::value to_json(const settings& s, const migrate::run_report& r) {
  boost::json::array migrations;
  for (const migrate::run_report::entry& e : r.migrations) {
    boost::json::array statements;
    for (const std::string& st : e.statements) {
      statements.emplace_back(st);
    }
    migrations.push_back(boost::json::object{{"id", e.id},
                                             {"description", e.description},
                                             {"statements", std::move(statements)},
                                             {"duration_ms", e.duration_ms}});
  }
  boost::json::array warnings;
  for (const std::string& w : r.warnings) {
    warnings.emplace_back(w);
  }
  return boost::json::object{{"command", "migrate"},
                             {"keyspace", s.keyspace},
                             {"dry_run", r.dry_run},
                             {"direction", r.direction == migrate::direction::up ? "up" : "down"},
                             {"migrations", std::move(migrations)},
                             {"warnings", std::move(warnings)}};
}

void print_human(const settings& s, const migrate::run_report& r, std::ostream& out) {
  const bool up = r.direction == migrate::direction::up;
  if (r.migrations.empty()) {
    out << "Nothing to migrate: " << s.keyspace << " is up to date\n";
    return;
  }
  const std::string verb =
      r.dry_run ? (up ? "Would apply " : "Would roll back ") : (up ? "Applied " : "Rolled back ");
  out << verb << r.migrations.size() << " migration" << (r.migrations.size() == 1 ? "" : "s")
      << (up ? " to " : " in ") << s.keyspace << ":\n";
  for (const migrate::run_report::entry& e : r.migrations) {
    out << "  " << paint(s.color, r.dry_run ? colour::cyan : colour::green, e.id) << "  "
        << e.description << "  "
        << paint(s.color, colour::dim,
                 "(" + std::to_string(e.statements.size()) + " statement" +
                     (e.statements.size() == 1 ? "" : "s") +
                     (r.dry_run ? "" : ", " + std::to_string(e.duration_ms) + " ms") + ")")
        << '\n';
    if (r.dry_run) {
      for (const std::string& st : e.statements) {
        out << "      " << st << ";\n";
      }
    }
  }
}

}  // namespace

int run_migrate(const settings& s, const program& p, const migrate_args& a, std::ostream& out,
                std::ostream& err) {
  std::vector<migrate::migration> all = load_migrations(s, p);
  driver_session db = connect(s);
  settings shown = s;
  shown.keyspace = db.keyspace();
  auto view = std::make_shared<progress_view>(shown, err);
  migrate::runner r(db, std::move(all),
                    {.lease = std::chrono::seconds(a.lease_seconds),
                     .lock_wait = std::chrono::seconds(a.lock_wait_seconds),
                     .on_event = [view](const migrate::event& e) { (*view)(e); }});
  migrate::run_report report;
  try {
    report = a.rollback ? r.rollback(a.steps, a.dry_run)
                        : r.apply({.dry_run = a.dry_run,
                                   .target = a.target,
                                   .allow_destructive = a.allow_destructive});
  } catch (...) {
    view->finish();
    throw;
  }
  view->finish();
  for (const std::string& w : report.warnings) {
    err << paint(s.color, colour::yellow, "warning: ") << w << '\n';
  }
  if (s.json) {
    print_json(out, to_json(shown, report));
  } else {
    print_human(shown, report, out);
  }
  return static_cast<int>(exit_code::ok);
}

}  // namespace coodie::cli::detail
