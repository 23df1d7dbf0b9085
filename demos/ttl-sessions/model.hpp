// The session store's model: login sessions partitioned by user, one row per session id. Every
// row expires by itself: the table's default TTL, or the TTL a write gives it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

#include "coodie/coodie.hpp"

namespace sessions {

using millis = std::chrono::sys_time<std::chrono::milliseconds>;

/// The table's default_time_to_live: a session left alone for 30 minutes is logged out.
inline constexpr std::int32_t default_ttl = 1800;

struct Session {
  std::string user;
  coodie::uuid id;
  std::string device;
  millis started{};
  millis last_seen{};
  /// The TTL the row was last written with (default_ttl when the table's default applied):
  /// the page's progress bar measures the time left against it.
  std::int32_t lifetime = default_ttl;
};

/// A session as the page lists it: the columns and TTL(device), the seconds the row has left.
struct SessionView {
  std::string user;
  coodie::uuid id;
  std::string device;
  millis started{};
  millis last_seen{};
  std::int32_t lifetime = 0;
  coodie::ttl_of<&Session::device> remaining;
};

/// SELECT DISTINCT user: the partitions, i.e. the users with a live session.
struct UserKey {
  std::string user;
};

inline boost::json::object to_json(const SessionView& s) {
  return {{"user", s.user},
          {"id", s.id.to_string()},
          {"device", s.device},
          {"started", s.started.time_since_epoch().count()},
          {"last_seen", s.last_seen.time_since_epoch().count()},
          {"lifetime", s.lifetime},
          {"table_default", s.lifetime == default_ttl},
          {"remaining", s.remaining.value ? boost::json::value(*s.remaining.value) : nullptr}};
}

}  // namespace sessions

template <>
inline constexpr auto coodie::model<sessions::Session> =
    coodie::table("sessions")
        .partition_key<&sessions::Session::user>()
        .clustering_key<&sessions::Session::id>()
        .default_ttl(sessions::default_ttl);
