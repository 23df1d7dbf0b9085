#include "demo/app.hpp"

#include <iostream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "demo/seed.hpp"

namespace demo {
namespace {

namespace asio = boost::asio;

asio::awaitable<response> healthz(request&) {
  co_return json_reply({{"ok", true}});
}

router with_healthz() {
  router r;
  r.get("/healthz", healthz);
  return r;
}

void announce(const settings& cfg, std::uint16_t port) {
  std::clog << cfg.name << ": serving http://" << cfg.host << ':' << port << "/ (database "
            << describe_db(cfg.db) << ")" << std::endl;
}

asio::awaitable<void> start_aio(coodie::aio::session* db, server* srv, settings cfg,
                                asio::awaitable<void> (*prepare)(coodie::aio::session&)) {
  co_await prepare(*db);
  srv->start();
  announce(cfg, srv->port());
}

}  // namespace

program_info server_info(std::string name, std::uint16_t port, std::string keyspace,
                         std::string static_dir) {
  return {.name = std::move(name),
          .port = port,
          .keyspace = std::move(keyspace),
          .static_dir = std::move(static_dir),
          .seed = false,
          .count = 0};
}

program_info seed_info(std::string name, std::string keyspace, std::size_t count) {
  return {.name = std::move(name),
          .port = 0,
          .keyspace = std::move(keyspace),
          .static_dir = {},
          .seed = true,
          .count = count};
}

int serve_aio(const settings& cfg, asio::awaitable<void> (*prepare)(coodie::aio::session&),
              std::vector<aio_route> routes) {
  try {
    ensure_keyspace(cfg);
    asio::io_context io(1);
    coodie::aio::session db = coodie::aio::connect_lazily(cfg.db);
    router r = with_healthz();
    for (const aio_route& route : routes) {
      r.add(route.method, route.pattern,
            [db = &db, h = route.handler](request& q) { return h(*db, q); });
    }
    server srv(io, cfg, std::move(r));
    stop_on_signal(io, srv, [&db] { db.driver().async_close(asio::detached); });
    auto start = start_aio(&db, &srv, cfg, prepare);
    asio::co_spawn(io, std::move(start), [](std::exception_ptr e) {
      if (e) {
        std::rethrow_exception(e);  // leaves io.run(): reported below
      }
    });
    io.run();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << cfg.name << ": " << e.what() << '\n';
    return 1;
  }
}

int serve_sync(const settings& cfg, void (*prepare)(coodie::sync::session&),
               std::vector<sync_route> routes, std::size_t threads) {
  try {
    ensure_keyspace(cfg);
    coodie::sync::session db = coodie::sync::connect(cfg.db);  // its own I/O thread
    prepare(db);
    asio::thread_pool pool(threads);  // declared after db: joined before the session closes
    router r = with_healthz();
    for (const sync_route& route : routes) {
      r.add(route.method, route.pattern,
            blocking(pool, [db = &db, h = route.handler](request& q) { return h(*db, q); }));
    }
    asio::io_context io(1);
    server srv(io, cfg, std::move(r));
    srv.start();
    announce(cfg, srv.port());
    // Once the server has drained no handler runs: joining the pool returns at once, nothing is
    // left on io, and io.run() returns.
    stop_on_signal(io, srv, [&pool] { pool.join(); });
    io.run();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << cfg.name << ": " << e.what() << '\n';
    return 1;
  }
}

int seed_main(int argc, const char* const* argv, const program_info& info,
              const std::function<void(coodie::sync::session&, const settings&)>& run) {
  const settings cfg = parse_settings(argc, argv, info);
  try {
    if (!ensure_keyspace(cfg)) {
      return 0;
    }
    coodie::sync::session db = coodie::sync::connect(cfg.db);
    run(db, cfg);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << cfg.name << ": " << e.what() << '\n';
    return 1;
  }
}

}  // namespace demo
