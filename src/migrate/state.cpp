#include "state.hpp"

#include <random>

#include "coodie/driver/identifiers.hpp"
#include "coodie/error.hpp"
#include "coodie/migrate/cql_script.hpp"
#include "coodie/migrate/migration.hpp"

namespace coodie::migrate::detail {
namespace {

using std::chrono::milliseconds;
using millis_time = std::chrono::sys_time<milliseconds>;

std::string lock_name(const std::string& keyspace) {
  return quote_identifier(keyspace) + '.' + std::string(lock_table);
}

constexpr std::string_view lock_row = "migrate";

std::int64_t steady_ms() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// A session-wide consistency would do on one node; QUORUM keeps the state true on a cluster.
template <class S>
S& quorum(S& st) {
  st.set_consistency(consistency::quorum);
  return st;
}

}  // namespace

bool table_exists(driver_session& s, const std::string& keyspace, std::string_view table) {
  statement probe(
      "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND "
      "table_name = ?",
      keyspace, std::string(table));
  return !s.execute(probe).empty();
}

std::vector<std::string> live_names(driver_session& s, const std::string& keyspace,
                                    std::string_view what) {
  const std::string column = what == "tables"  ? "table_name"
                             : what == "views" ? "view_name"
                                               : "type_name";
  std::vector<std::string> out;
  for (const row& r : s.rows(statement("SELECT " + column + " FROM system_schema." +
                                           std::string(what) + " WHERE keyspace_name = ?",
                                       keyspace))) {
    auto name = r.get<std::string>(0);
    if (!name.starts_with("coodie_")) {
      out.push_back(std::move(name));
    }
  }
  return out;
}

void check_id(const std::string& id, const std::string& what) {
  if (!parse_id(id) || id.size() != 12) {
    throw migration_error(migration_error::reason::refused,
                          what + " \"" + id + "\": the id must be YYYYMMDD_NNN", id);
  }
}

std::string state_name(const std::string& keyspace) {
  return quote_identifier(keyspace) + '.' + std::string(state_table);
}

void create_tables(driver_session& s, const std::string& keyspace) {
  s.execute("CREATE TABLE IF NOT EXISTS " + state_name(keyspace) +
            " (id text PRIMARY KEY, description text, checksum text, status text, "
            "steps_done int, done_checksum text, source text, applied_at timestamp, "
            "duration_ms bigint, applied_by text, error text)");
  s.execute(
      "CREATE TABLE IF NOT EXISTS " + lock_name(keyspace) +
      " (name text PRIMARY KEY, owner text, lease_token text, acquired_at timestamp, renewed_at "
      "timestamp)");
}

std::map<std::string, state_row> read_state(driver_session& s, const std::string& keyspace) {
  std::map<std::string, state_row> out;
  if (!table_exists(s, keyspace, state_table)) {
    return out;
  }
  statement st(
      "SELECT id, description, checksum, status, steps_done, done_checksum, source, "
      "applied_at, duration_ms, applied_by, error FROM " +
      state_name(keyspace));
  for (const row& r : s.rows(quorum(st))) {
    state_row x;
    x.id = r.get<std::string>(0);
    x.description = r.get<std::optional<std::string>>(1).value_or("");
    x.checksum = r.get<std::optional<std::string>>(2).value_or("");
    x.status = r.get<std::optional<std::string>>(3).value_or("");
    x.steps_done = r.get<std::optional<std::int32_t>>(4).value_or(0);
    x.done_checksum = r.get<std::optional<std::string>>(5).value_or("");
    x.source = r.get<std::optional<std::string>>(6).value_or("");
    x.applied_at = r.get<std::optional<millis_time>>(7);
    x.duration_ms = r.get<std::optional<std::int64_t>>(8).value_or(0);
    x.applied_by = r.get<std::optional<std::string>>(9).value_or("");
    x.error = r.get<std::optional<std::string>>(10).value_or("");
    std::string id = x.id;
    out.emplace(std::move(id), std::move(x));
  }
  return out;
}

std::optional<std::string> lock_owner(driver_session& s, const std::string& keyspace) {
  if (!table_exists(s, keyspace, lock_table)) {
    return std::nullopt;
  }
  statement st("SELECT owner FROM " + lock_name(keyspace) + " WHERE name = ?",
               std::string(lock_row));
  const result r = s.execute(st.set_consistency(consistency::serial));
  return r.empty() ? std::nullopt : r.front().get<std::optional<std::string>>(0);
}

void write_state(driver_session& s, const std::string& keyspace, const state_row& x) {
  statement st("INSERT INTO " + state_name(keyspace) +
                   " (id, description, checksum, status, steps_done, done_checksum, source, "
                   "applied_at, duration_ms, applied_by, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                   "?, ?, ?)",
               x.id, x.description, x.checksum, x.status, x.steps_done, x.done_checksum, x.source,
               x.applied_at, x.duration_ms, x.applied_by, x.error);
  s.execute(quorum(st));
}

void delete_state(driver_session& s, const std::string& keyspace, const std::string& id) {
  statement st("DELETE FROM " + state_name(keyspace) + " WHERE id = ?", id);
  s.execute(quorum(st));
}

std::string steps_checksum(const std::vector<std::string>& statements, std::size_t n) {
  std::string all;
  for (std::size_t i = 0; i < n && i < statements.size(); ++i) {
    all += statements[i];
    all += "\n;\n";
  }
  return checksum(all);
}

lock::lock(driver_session& s, options o) : s_(&s), o_(std::move(o)) {
  o_.lease = std::max(o_.lease, std::chrono::seconds(1));
  const auto ttl = static_cast<std::int32_t>(o_.lease.count());
  const auto deadline = std::chrono::steady_clock::now() + o_.wait;
  std::minstd_rand jitter(std::random_device{}());
  bool told = false;
  // The token tells this runner's lock from any other's, even one with the same owner name.
  token_ = std::to_string(std::random_device{}()) + '-' + std::to_string(std::random_device{}()) +
           '-' + std::to_string(steady_ms());
  std::int64_t unanswered_since = -1;  // since when attempts went unanswered (-1: none)
  for (;;) {
    acquired_at_ = std::chrono::floor<milliseconds>(std::chrono::system_clock::now());
    const std::int64_t sent = steady_ms();
    statement st(
        "INSERT INTO " + lock_name(o_.keyspace) +
            " (name, owner, lease_token, acquired_at, renewed_at) VALUES (?, ?, ?, ?, ?) IF "
            "NOT EXISTS USING TTL ?",
        std::string(lock_row), o_.owner, token_, acquired_at_, acquired_at_, ttl);
    std::string holder = "another runner";
    try {
      result r = s_->execute(st);
      if (r.begin() != r.end() && (*r.begin()).get<bool>(0)) {
        last_renewal_ms_ = sent;
        break;
      }
      if (r.begin() != r.end()) {
        const row held = *r.begin();
        holder = held.get<std::optional<std::string>>("owner").value_or(holder);
        if (held.get<std::optional<std::string>>("lease_token") == token_) {
          // An earlier attempt took it and its answer was lost: the lease began then.
          last_renewal_ms_ = unanswered_since >= 0 ? unanswered_since : sent;
          break;
        }
      }
      unanswered_since = -1;
    } catch (const write_timeout_error& contended) {  // Paxos among waiting runners: retry
      holder += " (" + std::string(contended.what()) + ")";
      unanswered_since = unanswered_since >= 0 ? unanswered_since : sent;
    } catch (const unavailable_error& down) {
      holder += " (" + std::string(down.what()) + ")";
    } catch (const request_timeout_error& slow) {
      holder += " (" + std::string(slow.what()) + ")";
      unanswered_since = unanswered_since >= 0 ? unanswered_since : sent;
    }
    if (!told && o_.on_wait) {
      o_.on_wait(holder);
      told = true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw migration_error(migration_error::reason::locked,
                            "keyspace " + o_.keyspace + ": the migration lock is held by " +
                                holder + " (waited " + std::to_string(o_.wait.count() / 1000) +
                                " s); it expires one lease after its holder stops renewing it");
    }
    std::this_thread::sleep_for(milliseconds(200 + jitter() % 300));
  }
  thread_ = std::thread([this] { heartbeat(); });
}

lock::~lock() {
  {
    std::lock_guard<std::mutex> g(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  if (lost_) {
    return;
  }
  try {
    statement st("DELETE FROM " + lock_name(o_.keyspace) + " WHERE name = ? IF lease_token = ?",
                 std::string(lock_row), token_);
    s_->execute(st);
  } catch (const error&) {  // the row expires after a lease anyway
  }
}

bool lock::renew() {
  statement st(
      "UPDATE " + lock_name(o_.keyspace) +
          " USING TTL ? SET owner = ?, lease_token = ?, acquired_at = ?, renewed_at = ? WHERE "
          "name = ? IF lease_token = ?",
      static_cast<std::int32_t>(o_.lease.count()), o_.owner, token_, acquired_at_,
      std::chrono::floor<milliseconds>(std::chrono::system_clock::now()), std::string(lock_row),
      token_);
  result r = s_->execute(st);
  return r.begin() != r.end() && (*r.begin()).get<bool>(0);
}

void lock::heartbeat() {
  std::unique_lock<std::mutex> g(mu_);
  while (!stop_) {
    cv_.wait_for(g, std::chrono::duration_cast<milliseconds>(o_.lease) / 3,
                 [this] { return stop_; });
    if (stop_) {
      return;
    }
    g.unlock();
    // The lease runs from when the renewal was sent, not from when its answer came.
    const std::int64_t sent = steady_ms();
    try {
      if (renew()) {
        last_renewal_ms_ = sent;
      } else {
        lost_ = true;
      }
    } catch (const error&) {  // a timeout: try again next beat; check() watches the age
    }
    g.lock();
  }
}

void lock::check() const {
  const auto lease_ms = std::chrono::duration_cast<milliseconds>(o_.lease).count();
  if (lost_ || steady_ms() - last_renewal_ms_ >= lease_ms) {
    throw migration_error(migration_error::reason::locked,
                          "keyspace " + o_.keyspace + ": runner " + o_.owner +
                              " lost the migration lock (not renewed within its lease of " +
                              std::to_string(o_.lease.count()) +
                              " s); it stops before its next statement");
  }
}

}  // namespace coodie::migrate::detail
