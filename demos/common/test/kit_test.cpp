// The demo kit's own tests (label unit): the router, escapes, static files, the JSON field
// readers, error replies, and a live server on loopback (a blocking handler, a graceful stop).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

#include "coodie/error.hpp"
#include "demo/http.hpp"
#include "demo/json.hpp"
#include "http_detail.hpp"

namespace {

namespace asio = boost::asio;
namespace http = demo::http;
using demo::request;
using demo::response;

request make(http::verb v, std::string path, std::string body = {}) {
  request q;
  q.message = {v, path, 11};
  q.message.body() = std::move(body);
  q.path = std::move(path);
  return q;
}

asio::awaitable<response> ok(request&) {
  co_return demo::json_reply({{"ok", true}});
}

TEST(DemoRouter, MatchesPlaceholdersDecodedAndTellsAWrongMethodFromNoRoute) {
  demo::router r;
  r.get("/api/products/{category}/{id}", ok).del("/api/products/{category}/{id}", ok);
  request q = make(http::verb::get, "/api/products/hand%20tools/42");
  bool known = false;
  ASSERT_NE(r.match(q, known), nullptr);
  EXPECT_EQ(q.arg(0), "hand tools");
  EXPECT_EQ(q.arg(1), "42");
  request put = make(http::verb::put, "/api/products/a/b");
  EXPECT_EQ(r.match(put, known), nullptr);
  EXPECT_TRUE(known);  // 405, not 404
  request other = make(http::verb::get, "/api/products/a");
  EXPECT_EQ(r.match(other, known), nullptr);
  EXPECT_FALSE(known);
  request head = make(http::verb::head, "/api/products/a/b");
  EXPECT_NE(r.match(head, known), nullptr);
  request bad = make(http::verb::get, "/api/products/%zz/1");
  EXPECT_THROW(r.match(bad, known), demo::bad_request);
}

TEST(DemoEscapes, PercentDecodingRefusesBadEscapes) {
  EXPECT_EQ(demo::detail::percent_decode("a%2Fb+c", true), "a/b c");
  EXPECT_EQ(demo::detail::percent_decode("a+b", false), "a+b");
  EXPECT_EQ(demo::detail::percent_decode("%4", false), std::nullopt);
  EXPECT_EQ(demo::detail::percent_decode("%", false), std::nullopt);
  EXPECT_EQ(demo::detail::percent_decode("%g1", false), std::nullopt);
  EXPECT_EQ(demo::detail::html_escape("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
}

TEST(DemoStaticFiles, ServesIndexAndRefusesToLeaveTheFolder) {
  const auto dir = std::filesystem::temp_directory_path() / "coodie-demo-kit-test";
  std::filesystem::create_directories(dir / "css");
  std::ofstream(dir / "index.html") << "<h1>hi</h1>";
  std::ofstream(dir / "css" / "a.css") << "body{}";
  const std::vector<std::string> dirs{(dir / "missing").string(), dir.string()};
  auto index = demo::detail::static_file(dirs, "/", 11);
  ASSERT_TRUE(index);
  EXPECT_EQ(index->body(), "<h1>hi</h1>");
  EXPECT_EQ((*index)[http::field::content_type], "text/html; charset=utf-8");
  auto css = demo::detail::static_file(dirs, "/css/a.css", 11);
  ASSERT_TRUE(css);
  EXPECT_EQ((*css)[http::field::content_type], "text/css; charset=utf-8");
  for (const char* bad :
       {"/../etc/passwd", "/css/..%2F..%2Fetc", "/%2e%2e/x", "/css%2Fa.css", "/a%00b", "/css"}) {
    EXPECT_FALSE(demo::detail::static_file(dirs, bad, 11)) << bad;
  }
  std::filesystem::remove_all(dir);
}

TEST(DemoJson, FieldReadersNameTheFieldAtFault) {
  const boost::json::object o =
      boost::json::parse(
          R"({"name":"  Lamp ","price":12.5,"n":3,"big":1e300,"tags":["a"," b","a"],"empty":"  ","bad":[1]})")
          .as_object();
  EXPECT_EQ(demo::text(o, "name", {.min = 1, .max = 10}), "Lamp");
  EXPECT_EQ(demo::number(o, "price", 0, 100), 12.5);
  EXPECT_EQ(demo::integer(o, "n", 0, 5), 3);
  EXPECT_EQ(demo::text_set(o, "tags", 5, 3), (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(demo::optional_text(o, "empty", 5), std::nullopt);
  EXPECT_EQ(demo::optional_text(o, "absent", 5), std::nullopt);
  const auto message = [&](auto f) {
    try {
      f();
    } catch (const demo::bad_request& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([&] { (void)demo::text(o, "missing"); }), "missing is required");
  EXPECT_EQ(message([&] { (void)demo::text(o, "name", {.min = 1, .max = 3}); }),
            "name must have 1 to 3 characters");
  EXPECT_EQ(message([&] { (void)demo::number(o, "big", 0, 1e6); }),
            "big must be a number from 0 to 1e+06");
  EXPECT_EQ(message([&] { (void)demo::integer(o, "price", 0, 5); }),
            "price must be a whole number from 0 to 5");
  EXPECT_EQ(message([&] { (void)demo::text_list(o, "bad", 5, 3); }),
            "bad must be a list of strings");
  EXPECT_EQ(message([&] { (void)demo::text_list(o, "tags", 2, 3); }),
            "tags may hold at most 2 items");
  EXPECT_EQ(message([] { (void)demo::as_object(boost::json::value(1)); }),
            "the body must be a JSON object");
}

TEST(DemoRequest, IntParamsAreBounded) {
  request q = make(http::verb::get, "/api/x");
  q.query = {{"size", "12"}, {"bad", "12x"}, {"big", "1000"}};
  EXPECT_EQ(q.int_param("size", 5, 1, 100), 12);
  EXPECT_EQ(q.int_param("absent", 5, 1, 100), 5);
  EXPECT_THROW((void)q.int_param("bad", 5, 1, 100), demo::bad_request);
  EXPECT_THROW((void)q.int_param("big", 5, 1, 100), demo::bad_request);
}

TEST(DemoErrors, ApiErrorsAreJsonAndPagesAreEscapedHtml) {
  std::string logged;
  request api = make(http::verb::get, "/api/products/x");
  response r = demo::detail::error_reply(
      std::make_exception_ptr(coodie::document_not_found("no product x")), api, logged);
  EXPECT_EQ(r.result(), http::status::not_found);
  EXPECT_EQ(boost::json::parse(r.body()).at("error").as_string(), "no product x");
  request page = make(http::verb::get, "/x");
  r = demo::detail::error_reply(std::make_exception_ptr(std::runtime_error("<b>boom</b>")), page,
                                logged);
  EXPECT_EQ(r.result(), http::status::internal_server_error);
  EXPECT_NE(r.body().find("&lt;b&gt;boom&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(logged, "<b>boom</b>");
}

// A client on loopback, one request per call over one keep-alive connection.
struct client {
  asio::io_context io;
  asio::ip::tcp::socket socket{io};
  explicit client(std::uint16_t port) {
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
  }
  http::response<http::string_body> send(http::verb v, const std::string& target) {
    http::request<http::string_body> q{v, target, 11};
    q.set(http::field::host, "127.0.0.1");
    http::write(socket, q);
    boost::beast::flat_buffer b;
    http::response<http::string_body> r;
    http::read(socket, b, r);
    return r;
  }
};

TEST(DemoServer, ServesBlockingHandlersAndStopsGracefully) {
  asio::io_context io(1);
  asio::thread_pool pool(2);
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  demo::router r;
  r.get("/api/slow", demo::blocking(pool, [&](request&) {
          entered.set_value();
          released.wait();  // blocks a pool thread, not the server's
          return demo::json_reply({{"slow", true}});
        }));
  r.get("/api/fast", ok);
  demo::settings cfg;
  cfg.port = 0;
  demo::server srv(io, cfg, std::move(r));
  srv.start();
  const std::uint16_t port = srv.port();
  std::thread runner([&] { io.run(); });

  client idle(port);
  EXPECT_EQ(idle.send(http::verb::get, "/api/fast").result(), http::status::ok);
  EXPECT_EQ(idle.send(http::verb::get, "/nothing").result(), http::status::not_found);
  EXPECT_EQ(idle.send(http::verb::post, "/api/fast").result(), http::status::method_not_allowed);

  {
    // A body over the limit is refused from its headers: 413, and the connection closes.
    client big(port);
    const std::string head =
        "POST /api/fast HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n";
    asio::write(big.socket, asio::buffer(head));
    boost::beast::flat_buffer b;
    http::response<http::string_body> reply413;
    http::read(big.socket, b, reply413);
    EXPECT_EQ(reply413.result(), http::status::payload_too_large);
    EXPECT_FALSE(reply413.keep_alive());
  }

  client busy(port);
  auto slow =
      std::async(std::launch::async, [&] { return busy.send(http::verb::get, "/api/slow"); });
  entered.get_future().wait();
  std::promise<void> drained;
  asio::post(io, [&] { srv.stop([&] { drained.set_value(); }); });
  auto done = drained.get_future();
  EXPECT_EQ(done.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout)
      << "stopped while a request was in progress";
  release.set_value();
  auto reply = slow.get();
  EXPECT_EQ(reply.result(), http::status::ok);
  EXPECT_FALSE(reply.keep_alive()) << "a reply during the stop closes its connection";
  EXPECT_EQ(done.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  char byte = 0;
  boost::system::error_code ec;
  idle.socket.read_some(asio::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, asio::error::eof) << "the idle keep-alive connection is closed by the stop";
  EXPECT_THROW(client late(port), boost::system::system_error) << "no longer accepting";
  runner.join();  // nothing left to run: the acceptor and every connection are closed
  pool.join();
}

}  // namespace
