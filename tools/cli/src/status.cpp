// `coodie status`: every migration and where it stands.
#include <map>
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "coodie/migrate/runner.hpp"
#include "output.hpp"

namespace coodie::cli::detail {
namespace {

bool needs_attention(migrate::state st) {
  return st == migrate::state::changed || st == migrate::state::running ||
         st == migrate::state::failed || st == migrate::state::rolling_back;
}

colour colour_of(migrate::state st) {
  switch (st) {
    case migrate::state::applied:
      return colour::green;
    case migrate::state::pending:
      return colour::cyan;
    case migrate::state::unknown:
      return colour::yellow;
    default:
      return colour::red;
  }
}

/// What follows the description on a line of the human output.
std::string details(const migrate::migration_status& m) {
  std::string out;
  if (m.applied_at) {
    out += iso_time(*m.applied_at) + " by " + m.applied_by + " (" + std::to_string(m.duration_ms) +
           " ms)";
  }
  switch (m.state) {
    case migrate::state::changed:
      out += "; its file changed since (" + m.source + ")";
      break;
    case migrate::state::running:
    case migrate::state::failed:
      out += "stopped after " + std::to_string(m.steps_done) + " statement(s)";
      break;
    case migrate::state::rolling_back:
      out += "rollback stopped after " + std::to_string(m.steps_done) + " statement(s)";
      break;
    case migrate::state::unknown:
      out += "; not among this program's migrations";
      break;
    default:
      break;
  }
  if (!m.error.empty()) {
    out += ": " + m.error;
  }
  return out;
}

boost::json::object to_json(const migrate::migration_status& m) {
  return {{"id", m.id},
          {"description", m.description},
          {"source", m.source},
          {"state", migrate::to_string(m.state)},
          {"checksum", m.checksum},
          {"applied_checksum", m.applied_checksum},
          {"applied_at", m.applied_at ? boost::json::value(iso_time(*m.applied_at))
                                      : boost::json::value(nullptr)},
          {"duration_ms", m.duration_ms},
          {"applied_by", m.applied_by},
          {"steps_done", m.steps_done},
          {"error", m.error}};
}

}  // namespace

int run_status(const settings& s, const program& p, bool check, std::ostream& out,
               std::ostream& err) {
  std::vector<migrate::migration> all = load_migrations(s, p);
  driver_session db = connect(s);
  const std::string keyspace = db.keyspace();
  migrate::runner r(db, std::move(all));
  const std::vector<migrate::migration_status> st = r.status();
  // A migration running while the lock is held is in progress, not stopped.
  const std::optional<std::string> holder = r.lock_holder();
  std::map<std::string, std::size_t> counts;
  bool attention = false;
  for (const migrate::migration_status& m : st) {
    ++counts[std::string(migrate::to_string(m.state))];
    attention =
        attention || (needs_attention(m.state) && !(m.state == migrate::state::running && holder));
  }
  if (s.json) {
    boost::json::array migrations;
    for (const migrate::migration_status& m : st) {
      migrations.push_back(to_json(m));
    }
    boost::json::object summary;
    for (const auto& [name, n] : counts) {
      summary[name] = n;
    }
    print_json(out, boost::json::object{{"command", "status"},
                                        {"keyspace", keyspace},
                                        {"lock_holder", holder ? boost::json::value(*holder)
                                                               : boost::json::value(nullptr)},
                                        {"migrations", std::move(migrations)},
                                        {"summary", std::move(summary)}});
  } else {
    out << keyspace << ": " << st.size() << " migration" << (st.size() == 1 ? "" : "s");
    for (const auto& [name, n] : counts) {
      out << ", " << n << ' ' << name;
    }
    out << '\n';
    if (holder) {
      out << "  (a runner is at work: the lock is held by " << *holder << ")\n";
    }
    for (const migrate::migration_status& m : st) {
      std::string state(migrate::to_string(m.state));
      state.resize(12, ' ');
      out << "  " << paint(s.color, colour_of(m.state), state) << ' ' << m.id << "  "
          << m.description;
      if (std::string d = details(m); !d.empty()) {
        out << "  " << paint(s.color, colour::dim, d);
      }
      out << '\n';
    }
  }
  if (attention) {
    err << paint(s.color, colour::red, "error: ")
        << "a migration needs attention (changed, stopped or failed): see above\n";
    return static_cast<int>(exit_code::refused);
  }
  if (check && counts.contains("pending")) {
    return static_cast<int>(exit_code::pending);
  }
  return static_cast<int>(exit_code::ok);
}

}  // namespace coodie::cli::detail
