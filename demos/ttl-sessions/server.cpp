// The ttl-sessions demo's server, on the coroutine front: the HTTP server and the aio session
// share one io_context and one thread. A store of login sessions whose rows expire by themselves:
// the table's default TTL or a TTL per write, the time left read back with TTL(column), a touch
// that rewrites a session with a fresh TTL, and log-out.

#include "demo/app.hpp"
#include "demo/json.hpp"
#include "model.hpp"

namespace asio = boost::asio;
using coodie::col;
using demo::request;
using demo::response;
using sessions::Session;
using sessions::SessionView;

namespace {

constexpr std::int64_t max_ttl = 7 * 24 * 3600;  // a week: the longest "remember me"
constexpr std::int64_t max_list = 2000;

sessions::millis now_ms() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

coodie::uuid id_arg(const request& q, std::size_t n) {
  std::optional<coodie::uuid> id = coodie::uuid::try_parse(q.arg(n));
  if (!id) {
    throw demo::bad_request("not a session id: " + q.arg(n));
  }
  return *id;
}

/// The TTL of a session's write: none (the table's default_time_to_live applies) when its
/// lifetime is the default, else its own.
coodie::write_options ttl_for(const Session& s) {
  if (s.lifetime == sessions::default_ttl) {
    return {};
  }
  return {.ttl = s.lifetime};
}

/// The "ttl" field of a body: absent or null for the table's default, else 1 s to a week.
std::int32_t ttl_field(const boost::json::object& in) {
  const boost::json::value* v = in.if_contains("ttl");
  if (v == nullptr || v->is_null()) {
    return sessions::default_ttl;
  }
  return static_cast<std::int32_t>(demo::integer(in, "ttl", 1, max_ttl));
}

/// The query of one session with the seconds its row has left.
auto view_query(coodie::aio::session& db, const std::string& user, const coodie::uuid& id) {
  return db.find<Session>()
      .where(col<&Session::user> == user, col<&Session::id> == id)
      .only<SessionView>();
}

/// The session read, or 404 once it has expired or was logged out.
template <class R>
R found(std::optional<R> v) {
  if (!v) {
    throw demo::bad_request("no such session (it expired or was logged out)",
                            demo::http::status::not_found);
  }
  return std::move(*v);
}

// GET /api/sessions?user=U&limit=N: one user's partition, or a scan of the whole table (the
// admin overview) bounded by limit. Neither needs ALLOW FILTERING.
asio::awaitable<response> list_sessions(coodie::aio::session& db, request& q) {
  const auto limit = static_cast<std::int32_t>(q.int_param("limit", 1000, 1, max_list));
  const std::optional<std::string> user = q.param("user");
  auto query = db.find<Session>().only<SessionView>().limit(limit);
  if (user) {
    query = query.where(col<&Session::user> == *user);
  }
  std::vector<SessionView> rows = co_await query.all();
  boost::json::array items;
  for (const SessionView& s : rows) {
    items.push_back(sessions::to_json(s));
  }
  boost::json::object out{{"default_ttl", sessions::default_ttl},
                          {"truncated", rows.size() >= static_cast<std::size_t>(limit)}};
  out["items"] = std::move(items);
  co_return demo::json_reply(out);
}

// GET /api/users: SELECT DISTINCT user, the partitions that still hold a live session.
asio::awaitable<response> list_users(coodie::aio::session& db, request&) {
  const auto query = db.find<Session>().only<sessions::UserKey>().distinct();
  std::vector<sessions::UserKey> rows = co_await query.all();
  boost::json::array out;
  for (const sessions::UserKey& u : rows) {
    out.emplace_back(u.user);
  }
  co_return demo::json_reply(out);
}

asio::awaitable<response> get_session(coodie::aio::session& db, request& q) {
  const coodie::uuid id = id_arg(q, 1);
  const auto query = view_query(db, q.arg(0), id);
  std::optional<SessionView> row = co_await query.first();
  const SessionView v = found(std::move(row));
  co_return demo::json_reply(sessions::to_json(v));
}

// POST /api/sessions {user, device, ttl?}: a login; without ttl the table's default applies.
asio::awaitable<response> create_session(coodie::aio::session& db, request& q) {
  const boost::json::value body = q.json();
  const boost::json::object& in = demo::as_object(body);
  Session s;
  s.user = demo::text(in, "user", {.max = 40});
  s.device = demo::text(in, "device", {.max = 80});
  s.lifetime = ttl_field(in);
  s.id = coodie::uuid::random();
  s.started = now_ms();
  s.last_seen = s.started;
  const coodie::write_options w = ttl_for(s);
  co_await db.save(s, w);
  const auto query = view_query(db, s.user, s.id);
  std::optional<SessionView> row = co_await query.first();  // TTL as the server counts it
  const SessionView v = found(std::move(row));
  co_return demo::json_reply(sessions::to_json(v), demo::http::status::created);
}

// POST /api/sessions/{user}/{id}/touch: activity; the whole row is written again with a fresh
// TTL, so its time left goes back to its lifetime.
asio::awaitable<response> touch_session(coodie::aio::session& db, request& q) {
  const coodie::uuid id = id_arg(q, 1);
  std::optional<Session> stored = co_await db.find_one<Session>(q.arg(0), id);
  Session s = found(std::move(stored));  // 404 once it has expired
  s.last_seen = now_ms();
  const coodie::write_options w = ttl_for(s);
  co_await db.save(s, w);
  const auto query = view_query(db, s.user, s.id);
  std::optional<SessionView> row = co_await query.first();
  const SessionView v = found(std::move(row));
  co_return demo::json_reply(sessions::to_json(v));
}

// DELETE /api/sessions/{user}/{id}: log out.
asio::awaitable<response> delete_session(coodie::aio::session& db, request& q) {
  const coodie::uuid id = id_arg(q, 1);
  std::optional<Session> row = co_await db.find_one<Session>(q.arg(0), id);
  const Session s = found(std::move(row));
  co_await db.remove(s);
  co_return demo::no_content();
}

asio::awaitable<void> prepare(coodie::aio::session& db) {
  co_await db.sync_table<Session>();
}

}  // namespace

int main(int argc, char** argv) {
  using demo::verb;
  const demo::settings cfg = demo::parse_settings(
      argc, argv,
      demo::server_info("ttl-sessions", 8083, "coodie_demo_ttl_sessions", TTL_SESSIONS_STATIC_DIR));
  return demo::serve_aio(cfg, prepare,
                         {{verb::get, "/api/users", list_users},
                          {verb::get, "/api/sessions", list_sessions},
                          {verb::post, "/api/sessions", create_session},
                          {verb::get, "/api/sessions/{user}/{id}", get_session},
                          {verb::post, "/api/sessions/{user}/{id}/touch", touch_session},
                          {verb::delete_, "/api/sessions/{user}/{id}", delete_session}});
}
