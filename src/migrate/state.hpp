// The state table (what is applied, how far a stopped migration got) and the lock row, as the
// runner reads and writes them (not installed).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "coodie/driver/session.hpp"

namespace coodie::migrate::detail {

inline constexpr std::string_view state_table = "coodie_migrations";
inline constexpr std::string_view lock_table = "coodie_migration_lock";

/// A row of the state table.
struct state_row {
  std::string id;
  std::string description;
  std::string checksum;
  /// applied, running (a runner stopped in it), failed, rolling_back.
  std::string status;
  /// Statements done in the current direction (up while running or failed, down while
  /// rolling_back), and the checksum of the up statements done (done_checksum).
  std::int32_t steps_done = 0;
  std::string done_checksum;
  std::string source;
  std::optional<std::chrono::sys_time<std::chrono::milliseconds>> applied_at;
  std::int64_t duration_ms = 0;
  std::string applied_by;
  std::string error;
};

/// True when the keyspace has the table (system_schema.tables).
bool table_exists(driver_session& s, const std::string& keyspace, std::string_view table);

/// The tables (what: "tables"), materialized views ("views") or user types ("types") of a
/// keyspace as system_schema lists them, the coodie_ state tables left out.
std::vector<std::string> live_names(driver_session& s, const std::string& keyspace,
                                    std::string_view what);

/// Refuses (migration_error) an id that is not exactly YYYYMMDD_NNN, naming `what` has it.
void check_id(const std::string& id, const std::string& what);

/// ks.coodie_migrations, quoted.
std::string state_name(const std::string& keyspace);

/// Creates the state and lock tables when missing.
void create_tables(driver_session& s, const std::string& keyspace);

/// Every row of the state table by id; empty when the table does not exist.
std::map<std::string, state_row> read_state(driver_session& s, const std::string& keyspace);

/// The lock's owner (a SERIAL read, as the lock is written), or std::nullopt when it is free or
/// the lock table does not exist.
std::optional<std::string> lock_owner(driver_session& s, const std::string& keyspace);

/// Writes the whole row (QUORUM).
void write_state(driver_session& s, const std::string& keyspace, const state_row& row);

/// Deletes a migration's row (QUORUM).
void delete_state(driver_session& s, const std::string& keyspace, const std::string& id);

/// The checksum of the first n statements: what a resumed migration's file must still begin with.
std::string steps_checksum(const std::vector<std::string>& statements, std::size_t n);

/// The single-writer lock: a row written with IF NOT EXISTS and a TTL of one lease, renewed by a
/// heartbeat thread every third of a lease (UPDATE ... USING TTL ... IF token = mine), released
/// with DELETE ... IF token = mine; the token is random per lock, the owner only a name. A runner
/// that dies leaves a row the server expires after the lease: the next runner then takes it. The
/// server's clock alone measures the lease.
class lock {
 public:
  struct options {
    std::string keyspace;
    std::string owner;
    std::chrono::seconds lease{30};
    std::chrono::milliseconds wait{120000};
    /// Called once, when the lock is found held: the holder's name.
    std::function<void(const std::string&)> on_wait;
  };
  /// Takes the lock, waiting up to o.wait; throws migration_error (locked) naming the holder.
  lock(driver_session& s, options o);
  lock(const lock&) = delete;
  lock& operator=(const lock&) = delete;
  /// Stops the heartbeat and releases the lock (when still ours).
  ~lock();

  /// Throws migration_error (locked) once the lock may be lost: a renewal found another owner,
  /// or no renewal succeeded for a whole lease.
  void check() const;

 private:
  void heartbeat();
  bool renew();

  driver_session* s_;
  options o_;
  std::string token_;
  std::chrono::sys_time<std::chrono::milliseconds> acquired_at_;
  std::atomic<bool> lost_{false};
  std::atomic<std::int64_t> last_renewal_ms_{0};  // steady_clock
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace coodie::migrate::detail
