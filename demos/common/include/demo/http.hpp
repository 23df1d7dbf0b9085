// The demos' HTTP server (demos only, not part of the coodie library): Boost.Beast on an
// io_context, one coroutine per connection, a router of path patterns, JSON with Boost.JSON,
// static files, request logging, error pages and a graceful stop.
//
// Example (a route on the coroutine front; demo::serve_aio in demo/app.hpp does the rest):
//   boost::asio::awaitable<demo::response> list(coodie::aio::session& db, demo::request& q) {
//     const auto query = db.find<Product>().where(coodie::col<&Product::category> == q.arg(0));
//     std::vector<Product> rows = co_await query.all();  // a named query, never a temporary
//     boost::json::array out;
//     for (const Product& p : rows) {
//       out.push_back(to_json(p));
//     }
//     co_return demo::json_reply(out);
//   }
//
// Example (the blocking front): demo::blocking(pool, [&](demo::request& q) { ... return reply; })
// runs a blocking handler on a thread pool and resumes the connection when it returns.
//
// A handler's request lives in its connection's coroutine, which awaits the handler at once:
// handlers may take it by reference (the one exception to coroutines taking their parameters by
// value), and must not keep it after they return.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include "demo/settings.hpp"

namespace demo {

namespace http = boost::beast::http;
using response = http::response<http::string_body>;

/// A request as handlers see it: the Beast message, the decoded path, its query parameters and
/// the values of the pattern's {placeholders}.
struct request {
  http::request<http::string_body> message;
  std::string path;
  std::map<std::string, std::string, std::less<>> query;
  std::vector<std::string> args;

  /// The n-th {placeholder} of the route's pattern.
  [[nodiscard]] const std::string& arg(std::size_t n) const { return args.at(n); }
  /// A query parameter, nullopt when absent or empty.
  [[nodiscard]] std::optional<std::string> param(std::string_view name) const;
  /// A query parameter as an integer in [lo, hi]; `fallback` when absent; bad_request otherwise.
  [[nodiscard]] std::int64_t int_param(std::string_view name, std::int64_t fallback,
                                       std::int64_t lo, std::int64_t hi) const;
  /// The body parsed as JSON; bad_request when it is not JSON.
  [[nodiscard]] boost::json::value json() const;
};

/// A client error: the reply is 400 (or `status`) with this message.
class bad_request : public std::runtime_error {
 public:
  explicit bad_request(const std::string& what, http::status s = http::status::bad_request)
      : std::runtime_error(what), status_(s) {}
  [[nodiscard]] http::status status() const { return status_; }

 private:
  http::status status_;
};

/// A JSON reply (application/json).
response json_reply(const boost::json::value& v, http::status s = http::status::ok);
/// 204 No Content.
response no_content();

using handler = std::function<boost::asio::awaitable<response>(request&)>;

/// Routes by method and pattern: "/api/posts/{id}/comments" matches one path segment per
/// placeholder (percent-decoded into request::args). The first route that matches wins.
class router {
 public:
  router& get(std::string pattern, handler h) {
    return add(http::verb::get, std::move(pattern), std::move(h));
  }
  router& post(std::string pattern, handler h) {
    return add(http::verb::post, std::move(pattern), std::move(h));
  }
  router& put(std::string pattern, handler h) {
    return add(http::verb::put, std::move(pattern), std::move(h));
  }
  router& del(std::string pattern, handler h) {
    return add(http::verb::delete_, std::move(pattern), std::move(h));
  }
  router& add(http::verb method, std::string pattern, handler h);

  /// The handler for the request, its args filled; nullptr when no route matches (then
  /// `path_known` says whether another method would have matched: 405, not 404).
  const handler* match(request& q, bool& path_known) const;

 private:
  struct route {
    http::verb method;
    std::vector<std::string> parts;
    handler h;
  };
  std::vector<route> routes_;
};

/// A blocking handler run on `pool` (the sync front: its calls must not run on the server's
/// io_context thread); the connection resumes on its own executor when it returns.
handler blocking(boost::asio::thread_pool& pool, std::function<response(request&)> f);

/// The server: listens on settings.host:settings.port, serves the router's routes, then static
/// files from settings.static_dirs (GET and HEAD; "/" is index.html), logs one line per request.
/// Its io_context runs on one thread. A body over 1 MiB is refused with 413.
class server {
 public:
  server(boost::asio::io_context& io, const settings& cfg, router r);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds and starts accepting; throws when the port cannot be bound.
  void start();
  /// The port bound (useful with port 0).
  [[nodiscard]] std::uint16_t port() const;
  /// Stops accepting, lets requests in progress finish and closes idle connections; calls
  /// `drained` once no connection is left.
  void stop(std::function<void()> drained);

  struct state;

 private:
  std::shared_ptr<state> state_;
};

/// On SIGINT or SIGTERM, stops the server gracefully and then calls `on_stop`, which closes what
/// else keeps io.run() busy (the database session).
void stop_on_signal(boost::asio::io_context& io, server& srv, std::function<void()> on_stop);

}  // namespace demo
