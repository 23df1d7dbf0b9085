// Fills the session store with generated logins over twenty users: most take the table's default
// TTL (written without one), the others a TTL of their own, short (30 s to 10 min) or "remember
// me" (8 h), and were last active a while ago, so they are written with the time they have left.
// The same sessions every run (a fixed seed); their times are counted from now.
#include <array>
#include <iostream>
#include <random>

#include "demo/app.hpp"
#include "demo/seed.hpp"
#include "model.hpp"

using sessions::Session;

namespace {

constexpr std::array users{"ada",     "alan",   "barbara", "bjarne", "dennis",
                           "donald",  "edsger", "frances", "grace",  "guido",
                           "hedy",    "john",   "ken",     "linus",  "margaret",
                           "niklaus", "radia",  "rasmus",  "tim",    "yukihiro"};
constexpr std::array devices{
    "Firefox on Ubuntu", "Chrome on Windows 11", "Safari on iPhone 15", "Chrome on Pixel 8",
    "Safari on macOS",   "Edge on Windows 10",   "Firefox on macOS",    "iPad app",
    "Android app",       "Chromebook",           "Vivaldi on Linux",    "Samsung Internet"};
constexpr std::array short_lifetimes{180, 300, 600, 900};
constexpr std::int32_t remember_me = 8 * 3600;

/// A session and the TTL its row is written with (none: the table's default).
struct generated {
  Session session;
  std::optional<std::int32_t> ttl_left;
};

generated make(std::size_t i, sessions::millis now) {
  std::mt19937_64 rng(0x5E5510 + i);
  auto pick = [&rng](const auto& list) { return list[rng() % list.size()]; };
  generated g;
  Session& s = g.session;
  s.user = pick(users);
  const std::array<std::uint64_t, 2> id_bits{rng(), rng()};
  s.id = coodie::uuid::from_bytes(std::as_bytes(std::span(id_bits)));
  s.device = pick(devices);
  const std::uint64_t kind = rng() % 10;
  std::int32_t idle = 0;  // seconds since the session's last activity
  if (kind < 6) {
    s.lifetime = sessions::default_ttl;  // active just now: the table's default TTL applies
  } else {
    s.lifetime = kind < 9 ? pick(short_lifetimes) : remember_me;
    // At least two minutes left, so a store seeded a moment ago still shows every session it
    // wrote (the browser test counts them), and the first rows expire a few minutes later.
    idle = static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(s.lifetime - 119));
    g.ttl_left = s.lifetime - idle;
  }
  s.last_seen = now - std::chrono::seconds(idle);
  s.started = s.last_seen - std::chrono::seconds(rng() % (4 * 3600));
  return g;
}

}  // namespace

int main(int argc, char** argv) {
  return demo::seed_main(
      argc, argv, demo::seed_info("ttl-sessions-seed", "coodie_demo_ttl_sessions", 300),
      [](coodie::sync::session& db, const demo::settings& cfg) {
        db.sync_table<Session>();
        const auto now =
            std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
        std::vector<Session> by_default;
        std::vector<generated> own_ttl;
        for (std::size_t i = 0; i < cfg.count; ++i) {
          generated g = make(i, now);
          if (g.ttl_left) {
            own_ttl.push_back(std::move(g));
          } else {
            by_default.push_back(std::move(g.session));
          }
        }
        // The bulk: save_many without a TTL, so every row takes the table's default_time_to_live.
        demo::seed_rows<Session>(db, by_default.size(), "sessions (default TTL)",
                                 [&](std::size_t i) { return by_default[i]; });
        // save_many writes every row with one write_options, so the rows with a TTL of their own
        // are saved one by one.
        demo::seed_progress progress(own_ttl.size(), "sessions (own TTL)");
        for (std::size_t i = 0; i < own_ttl.size(); ++i) {
          db.save(own_ttl[i].session, {.ttl = own_ttl[i].ttl_left});
          progress.update(i + 1);
        }
        progress.done();
      });
}
