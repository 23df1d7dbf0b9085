// Documents one at a time, with the blocking front (coodie::sync): save (an upsert), insert only
// if absent (a lightweight transaction), read by key, update some members, delete a row or some
// of its columns, and write with a TTL or an explicit timestamp.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "coodie/coodie.hpp"
#include "example_check.hpp"

// --8<-- [start:model]
namespace accounts {

struct User {
  coodie::uuid id;
  std::string name;
  std::string email;
  std::optional<std::int32_t> age;   // std::optional: the column may be null
  std::set<std::string> roles;       // a null collection reads as empty
  std::int64_t logins_this_run = 0;  // process state, not stored (skipped below)
};

}  // namespace accounts

template <>
inline constexpr auto coodie::model<accounts::User> =
    coodie::table("users")
        .keyspace("coodie_example_crud")
        .partition_key<&accounts::User::id>()
        .column<&accounts::User::email>("email_address")  // the column's name differs
        .skip<&accounts::User::logins_this_run>()
        .comment("one row per user");
// --8<-- [end:model]

namespace {

using accounts::User;

/// Microseconds since the epoch, the unit of USING TIMESTAMP.
std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main() try {
  // --8<-- [start:setup]
  coodie::sync::session s = coodie::sync::connect(coodie::session_options::from_env());
  s.create_keyspace({.name = "coodie_example_crud", .replication_factor = 1});
  s.drop_table<User>();  // start every run from an empty table
  s.sync_table<User>();
  // --8<-- [end:setup]

  // --- save and read back ---------------------------------------------------------------------
  // --8<-- [start:save-get]
  User ann{coodie::uuid::random(), "Ann", "ann@example.com", 34, {"admin"}, 7};
  s.save(ann);
  User loaded = s.get<User>(ann.id);  // throws coodie::document_not_found when absent
  examples::check(loaded.name == "Ann" && loaded.email == "ann@example.com" && loaded.age == 34,
                  "get returns what save wrote");
  examples::check(loaded.logins_this_run == 0, "a skipped member is not stored");
  std::cout << "saved and read " << loaded.name << " (" << loaded.id.to_string() << ")\n";
  // --8<-- [end:save-get]

  // --8<-- [start:find-one]
  // find_one: absence is a value, not an exception.
  std::optional<User> nobody = s.find_one<User>(coodie::uuid::random());
  examples::check(!nobody.has_value(), "find_one of an unknown id is empty");
  bool not_found = false;
  try {
    s.get<User>(coodie::uuid::random());
  } catch (const coodie::document_not_found& e) {
    not_found = true;
    std::cout << "get of an unknown id: " << e.what() << '\n';
  }
  examples::check(not_found, "get of an unknown id throws document_not_found");
  // --8<-- [end:find-one]

  // --- insert if not exists -------------------------------------------------------------------
  // --8<-- [start:insert]
  // insert() is INSERT ... IF NOT EXISTS: it never overwrites, and tells who won.
  User impostor{ann.id, "Mallory", "mallory@example.com", std::nullopt, {}, 0};
  coodie::lwt_result<User> clash = s.insert(impostor);
  examples::check(!clash.applied, "an insert on a taken key is not applied");
  examples::check(clash.existing && clash.existing->name == "Ann", "the row already there");
  std::cout << "insert refused, the key belongs to " << clash.existing->name << '\n';

  User bob{coodie::uuid::random(), "Bob", "bob@example.com", std::nullopt, {}, 0};
  coodie::lwt_result<User> fresh = s.insert(bob);
  examples::check(fresh.applied && !fresh.existing, "an insert on a free key is applied");
  // --8<-- [end:insert]

  // --- update some members --------------------------------------------------------------------
  // --8<-- [start:update]
  // Only the named members' columns are written; the others keep what the table holds, even when
  // the object in hand is stale.
  User edited = ann;
  edited.email = "ann@example.org";
  edited.name = "not written";
  s.update(edited, coodie::members<&User::email>);
  User after_update = s.get<User>(ann.id);
  examples::check(after_update.email == "ann@example.org", "the named member was written");
  examples::check(after_update.name == "Ann", "the other members were left alone");
  // --8<-- [end:update]

  // --- delete columns, then the row -----------------------------------------------------------
  // --8<-- [start:remove]
  s.remove_columns(after_update, coodie::members<&User::age, &User::roles>);
  User trimmed = s.get<User>(ann.id);
  examples::check(!trimmed.age.has_value() && trimmed.roles.empty(), "age and roles are null");

  s.remove(trimmed);
  examples::check(!s.find_one<User>(ann.id), "the row is gone");
  // --8<-- [end:remove]

  // --- TTL ------------------------------------------------------------------------------------
  // --8<-- [start:ttl]
  // The row's cells expire after ttl seconds (the table's default_ttl applies when none is given).
  // The server counts a TTL in whole seconds from the second of the write, so a row saved with
  // ttl = 3 lives at least two seconds and at most three.
  User guest{coodie::uuid::random(), "Guest", "guest@example.com", std::nullopt, {}, 0};
  const auto saved_at = std::chrono::steady_clock::now();
  s.save(guest, {.ttl = 3});
  const bool there_at_first = s.find_one<User>(guest.id).has_value();
  if (std::chrono::steady_clock::now() - saved_at < std::chrono::milliseconds(1900)) {
    examples::check(there_at_first, "the guest exists at first");
  }
  std::this_thread::sleep_until(saved_at + std::chrono::milliseconds(3500));
  examples::check(!s.find_one<User>(guest.id).has_value(), "the guest expired");
  std::cout << "a row written with a 3 s TTL expired\n";
  // --8<-- [end:ttl]

  // --- USING TIMESTAMP ------------------------------------------------------------------------
  // --8<-- [start:timestamp]
  // Cassandra keeps the write with the latest timestamp, whatever order the writes arrive in.
  // Here the second save carries an older timestamp than the first, so it loses.
  const std::int64_t t = now_micros();
  User current{bob.id, "Bob", "bob@new.example", std::nullopt, {}, 0};
  User outdated{bob.id, "Bob", "bob@old.example", std::nullopt, {}, 0};
  s.save(current, {.timestamp = t});
  s.save(outdated, {.timestamp = t - 60'000'000});  // a minute earlier
  examples::check(s.get<User>(bob.id).email == "bob@new.example", "the newer write wins");
  std::cout << "the write with the later timestamp won\n";
  // --8<-- [end:timestamp]

  std::cout << "crud: ok\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "crud failed: " << e.what() << '\n';
  return 1;
}
