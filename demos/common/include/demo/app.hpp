// The start and stop of a demo's programs, on either front: the keyspace, the session, the
// tables, the server with the demo's routes (and /healthz), a graceful stop on SIGINT or SIGTERM,
// and one line on std::cerr for an error that stops the program.
//
// Example (the coroutine front; the handlers are free functions taking the session):
//   boost::asio::awaitable<void> prepare(coodie::aio::session& db) { co_await
//   db.sync_table<Product>(); } int main(int argc, char** argv) {
//     const demo::settings cfg = demo::parse_settings(argc, argv, demo::server_info(
//         "catalog", 8081, "coodie_demo_catalog", CATALOG_STATIC_DIR));
//     return demo::serve_aio(cfg, prepare, {{verb::get, "/api/products", list_products},
//                                           {verb::post, "/api/products", create_product}});
//   }
//
// Example (a seed program):
//   int main(int argc, char** argv) {
//     return demo::seed_main(argc, argv, demo::seed_info("catalog-seed", "coodie_demo_catalog",
//     500),
//                            [](coodie::sync::session& db, const demo::settings& cfg) {
//                              db.sync_table<Product>();
//                              demo::seed_rows<Product>(db, cfg.count, "products", make_product);
//                            });
//   }
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "coodie/orm/session.hpp"
#include "demo/http.hpp"
#include "demo/settings.hpp"

namespace demo {

using verb = http::verb;

/// A route of a demo on the coroutine front: its handler takes the session.
struct aio_route {
  verb method;
  std::string pattern;
  boost::asio::awaitable<response> (*handler)(coodie::aio::session&, request&);
};

/// A route of a demo on the blocking front.
struct sync_route {
  verb method;
  std::string pattern;
  response (*handler)(coodie::sync::session&, request&);
};

/// A server's program_info.
program_info server_info(std::string name, std::uint16_t port, std::string keyspace,
                         std::string static_dir);
/// A seed program's program_info: `count` items unless --count says otherwise.
program_info seed_info(std::string name, std::string keyspace, std::size_t count);

/// Serves a demo on the coroutine front: creates the keyspace when missing, connects on a
/// one-thread io_context that the HTTP server shares, awaits prepare(db) (sync the tables), then
/// listens until SIGINT or SIGTERM, lets the requests in progress finish and closes the session.
/// Returns main's exit code.
int serve_aio(const settings& cfg, boost::asio::awaitable<void> (*prepare)(coodie::aio::session&),
              std::vector<aio_route> routes);

/// The same on the blocking front: prepare(db) runs before the server listens, and the
/// handlers run on a pool of `threads` threads, never on the server's io_context thread.
int serve_sync(const settings& cfg, void (*prepare)(coodie::sync::session&),
               std::vector<sync_route> routes, std::size_t threads = 4);

/// A seed program's main: parses the settings, creates the keyspace (--fresh drops it first,
/// --drop only drops it), connects, and runs run(db, cfg). Returns main's exit code.
int seed_main(int argc, const char* const* argv, const program_info& info,
              const std::function<void(coodie::sync::session&, const settings&)>& run);

}  // namespace demo
