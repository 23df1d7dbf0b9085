// The server: an acceptor and one coroutine per connection, on one io_context thread.
#include <iostream>
#include <list>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http_detail.hpp"

namespace demo {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

struct connection {
  beast::tcp_stream stream;
  bool busy = false;
  explicit connection(tcp::socket s) : stream(std::move(s)) {}
};

struct server::state {
  asio::io_context& io;
  settings cfg;
  router routes;
  tcp::acceptor acceptor;
  std::list<connection*> open;
  bool stopping = false;
  std::function<void()> drained;

  state(asio::io_context& i, settings c, router r)
      : io(i), cfg(std::move(c)), routes(std::move(r)), acceptor(i) {}

  void check_drained() {
    if (stopping && open.empty() && drained) {
      auto f = std::move(drained);
      drained = nullptr;
      f();
    }
  }
};

namespace {

void log_line(const request& q, const response& r, clock_type::duration took,
              const std::string& error) {
  const double ms = std::chrono::duration<double, std::milli>(took).count();
  std::string target(q.message.target());
  std::string line =
      fmt::format("{:%H:%M:%S} {} {} {} {:.1f} ms", fmt::gmtime(std::time(nullptr)),
                  std::string(q.message.method_string()), target, r.result_int(), ms);
  if (!error.empty()) {
    line += "  " + error;
  }
  std::clog << line << std::endl;
}

request make_request(http::request<http::string_body> m) {
  request q;
  const std::string_view target = m.target();
  const auto qm = target.find('?');
  q.path = std::string(target.substr(0, qm));
  if (qm != std::string_view::npos) {
    for (const std::string& pair : [&] {
           std::vector<std::string> out;
           std::string_view rest = target.substr(qm + 1);
           while (!rest.empty()) {
             const auto amp = std::min(rest.find('&'), rest.size());
             out.emplace_back(rest.substr(0, amp));
             rest.remove_prefix(std::min(amp + 1, rest.size()));
           }
           return out;
         }()) {
      const auto eq = pair.find('=');
      auto k = detail::percent_decode(pair.substr(0, eq), true);
      auto v = detail::percent_decode(eq == std::string::npos ? "" : pair.substr(eq + 1), true);
      if (k && v) {
        q.query.insert_or_assign(std::move(*k), std::move(*v));
      }
    }
  }
  q.message = std::move(m);
  return q;
}

asio::awaitable<response> respond(server::state& st, request& q) {
  std::optional<response> res;
  bool known = false;
  const handler* h = st.routes.match(q, known);
  if (h != nullptr) {
    res = co_await (*h)(q);
  } else if (known) {
    res = detail::status_reply(http::status::method_not_allowed, "method not allowed", q);
  } else if (q.message.method() == http::verb::get || q.message.method() == http::verb::head) {
    res = detail::static_file(st.cfg.static_dirs, q.path, q.message.version());
  }
  if (!res) {
    res = detail::status_reply(http::status::not_found, "no page at " + q.path, q);
  }
  co_return std::move(*res);
}

/// A connection's place in the server's list: whatever ends the connection (a normal end, or an
/// exception leaving serve()), the socket closes and the list forgets it.
class registration {
 public:
  registration(server::state& st, connection& c)
      : st_(st), where_(st.open.insert(st.open.end(), &c)) {}
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;
  ~registration() {
    boost::system::error_code ignored;
    (*where_)->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    (*where_)->stream.close();
    st_.open.erase(where_);
    st_.check_drained();
  }

 private:
  server::state& st_;
  std::list<connection*>::iterator where_;
};

/// The reply to a request the parser refused for its size (it is not read further).
response too_large(const boost::system::error_code& ec) {
  const bool body = ec == http::error::body_limit;
  response r = json_reply(
      {{"error", body ? "the body is over 1 MiB" : "the headers are over 8 KiB"}},
      body ? http::status::payload_too_large : http::status::request_header_fields_too_large);
  r.keep_alive(false);
  return r;
}

asio::awaitable<void> serve(std::shared_ptr<server::state> st, tcp::socket socket) {
  connection conn(std::move(socket));
  const registration registered(*st, conn);
  beast::flat_buffer buffer;
  while (!st->stopping) {  // a connection accepted as the stop began is closed at once
    http::request_parser<http::string_body> parser;
    parser.body_limit(1 << 20);
    conn.stream.expires_after(std::chrono::seconds(60));
    auto [rec, n] =
        co_await http::async_read(conn.stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (rec == http::error::body_limit || rec == http::error::header_limit) {
      response refused = too_large(rec);
      co_await http::async_write(conn.stream, refused, asio::as_tuple(asio::use_awaitable));
      break;
    }
    if (rec) {
      break;  // closed, timed out, cancelled by stop(), or not HTTP
    }
    conn.busy = true;
    const auto started = clock_type::now();
    request q = make_request(parser.release());
    std::exception_ptr failed;
    std::optional<response> res;
    try {
      res = co_await respond(*st, q);
    } catch (...) {
      failed = std::current_exception();
    }
    std::string error;
    if (failed) {
      res = detail::error_reply(failed, q, error);
    }
    const bool keep = q.message.keep_alive() && !st->stopping;
    res->keep_alive(keep);
    if (q.message.method() == http::verb::head) {
      res->body().clear();
    }
    conn.stream.expires_after(std::chrono::seconds(60));
    auto [wec, w] =
        co_await http::async_write(conn.stream, *res, asio::as_tuple(asio::use_awaitable));
    log_line(q, *res, clock_type::now() - started, error);
    conn.busy = false;
    if (wec || !keep) {
      break;  // stopping is checked again by the loop: a stop during the write ends it too
    }
  }
}

asio::awaitable<void> accept_loop(std::shared_ptr<server::state> st) {
  for (;;) {
    auto [ec, socket] = co_await st->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (st->stopping || ec == asio::error::operation_aborted) {
        co_return;
      }
      // e.g. too many open files: keep serving the others, and try again a little later
      asio::steady_timer pause(st->io, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (st->stopping) {
      break;  // an accept that completed as the stop closed the acceptor
    }
    auto conn = serve(st, std::move(socket));
    asio::co_spawn(st->io, std::move(conn), asio::detached);
  }
}

asio::awaitable<response> run_blocking(const std::function<response(request&)>* f, request* q) {
  co_return (*f)(*q);
}

}  // namespace

handler blocking(asio::thread_pool& pool, std::function<response(request&)> f) {
  auto shared = std::make_shared<std::function<response(request&)>>(std::move(f));
  return [&pool, shared](request& q) -> asio::awaitable<response> {
    auto task = run_blocking(shared.get(), &q);
    const asio::thread_pool::executor_type on_pool = pool.get_executor();
    auto done = asio::co_spawn(on_pool, std::move(task), asio::use_awaitable);
    co_return co_await std::move(done);
  };
}

server::server(asio::io_context& io, const settings& cfg, router r)
    : state_(std::make_shared<state>(io, cfg, std::move(r))) {}

server::~server() {
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
}

void server::start() {
  if (state_->stopping) {
    return;  // stopped (a signal) before it started
  }
  const tcp::endpoint ep(asio::ip::make_address(state_->cfg.host), state_->cfg.port);
  state_->acceptor.open(ep.protocol());
  state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  state_->acceptor.bind(ep);
  state_->acceptor.listen();
  auto loop = accept_loop(state_);
  asio::co_spawn(state_->io, std::move(loop), asio::detached);
}

std::uint16_t server::port() const {
  return state_->acceptor.local_endpoint().port();
}

void server::stop(std::function<void()> drained) {
  state_->stopping = true;
  state_->drained = std::move(drained);
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
  for (connection* c : state_->open) {
    if (!c->busy) {
      c->stream.socket().cancel(ignored);  // an idle keep-alive connection ends its read
    }
  }
  state_->check_drained();
}

void stop_on_signal(asio::io_context& io, server& srv, std::function<void()> on_stop) {
  auto signals = std::make_shared<asio::signal_set>(io, SIGINT, SIGTERM);
  signals->async_wait([&srv, signals, on_stop = std::move(on_stop)](
                          const boost::system::error_code& ec, int sig) {
    if (ec) {
      return;
    }
    std::clog << "received signal " << sig << ": finishing the requests in progress" << std::endl;
    srv.stop([on_stop] {
      if (on_stop) {
        on_stop();
      }
      std::clog << "stopped" << std::endl;
    });
  });
}

}  // namespace demo
