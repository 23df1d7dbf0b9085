// A scripted peer sends what a real server never would (truncated, oversized, garbage frames and
// malformed bodies): the session reports protocol_error and closes the connection, never crashes.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>

#include "coodie/driver/metrics.hpp"
#include "coodie/driver/session.hpp"

namespace coodie {
namespace {
using boost::asio::ip::tcp;

struct frame {
  std::array<std::uint8_t, 9> header{};
  std::vector<std::uint8_t> body;
  [[nodiscard]] std::int16_t stream() const {
    return static_cast<std::int16_t>((header[2] << 8) | header[3]);
  }
  [[nodiscard]] std::uint8_t opcode() const { return header[4]; }
};

frame read_frame(tcp::socket& s) {
  frame f;
  boost::asio::read(s, boost::asio::buffer(f.header));
  std::uint32_t len = (std::uint32_t{f.header[5]} << 24) | (std::uint32_t{f.header[6]} << 16) |
                      (std::uint32_t{f.header[7]} << 8) | std::uint32_t{f.header[8]};
  f.body.resize(len);
  boost::asio::read(s, boost::asio::buffer(f.body));
  return f;
}

std::vector<std::uint8_t> response(std::int16_t stream, std::uint8_t opcode,
                                   std::vector<std::uint8_t> body,
                                   std::uint32_t length_override = 0, bool use_override = false) {
  std::uint32_t len = use_override ? length_override : static_cast<std::uint32_t>(body.size());
  std::vector<std::uint8_t> out = {
      0x84,
      0x00,
      static_cast<std::uint8_t>(static_cast<std::uint16_t>(stream) >> 8),
      static_cast<std::uint8_t>(stream & 0xFF),
      opcode,
      static_cast<std::uint8_t>(len >> 24),
      static_cast<std::uint8_t>(len >> 16),
      static_cast<std::uint8_t>(len >> 8),
      static_cast<std::uint8_t>(len)};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

/// Accepts one connection on a free loopback port and runs a script on it, then waits for the
/// client to close the connection.
class fake_peer {
 public:
  explicit fake_peer(std::function<void(tcp::socket&)> script)
      : acceptor_(ctx_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this, script = std::move(script)] {
      tcp::socket sock(ctx_);
      acceptor_.accept(sock);
      try {
        script(sock);
      } catch (const std::exception&) {
        // The client may close first; what matters is that it closes.
      }
      std::array<char, 256> buf{};
      boost::system::error_code ec;
      while (!ec) {
        sock.read_some(boost::asio::buffer(buf), ec);
      }
      client_closed_ =
          (ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset);
    });
  }
  ~fake_peer() {
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  std::string host() const {
    return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  bool client_closed() {
    thread_.join();
    return client_closed_;
  }

 private:
  boost::asio::io_context ctx_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> client_closed_{false};
};

session_options options_for(const fake_peer& p) {
  session_options o;
  o.hosts = {p.host()};
  o.connections_per_host = 1;
  o.discover_peers = false;  // the peer takes one connection: no control connection
  o.connect_timeout = std::chrono::seconds(5);
  o.request_timeout = std::chrono::seconds(5);
  return o;
}

/// Answers OPTIONS with an empty SUPPORTED and STARTUP with READY.
void handshake(tcp::socket& s) {
  frame options = read_frame(s);
  boost::asio::write(s, boost::asio::buffer(response(options.stream(), 0x06, {0x00, 0x00})));
  frame startup = read_frame(s);
  boost::asio::write(s, boost::asio::buffer(response(startup.stream(), 0x02, {})));
}

TEST(FakePeer, GarbageInsteadOfAFrame) {
  fake_peer peer([](tcp::socket& s) {
    read_frame(s);
    std::string junk = "HTTP/1.1 400 Bad Request\r\n\r\n";
    boost::asio::write(s, boost::asio::buffer(junk));
  });
  EXPECT_THROW(driver_session::connect(options_for(peer)), protocol_error);
  EXPECT_TRUE(peer.client_closed());
}

TEST(FakePeer, OversizedFrame) {
  fake_peer peer([](tcp::socket& s) {
    frame f = read_frame(s);
    boost::asio::write(s, boost::asio::buffer(response(f.stream(), 0x06, {}, 0x7FFFFFF0u, true)));
  });
  EXPECT_THROW(driver_session::connect(options_for(peer)), protocol_error);
  EXPECT_TRUE(peer.client_closed());
}

TEST(FakePeer, TruncatedFrameThenClose) {
  fake_peer peer([](tcp::socket& s) {
    frame f = read_frame(s);
    auto bytes = response(f.stream(), 0x06, std::vector<std::uint8_t>(100, 0));
    boost::asio::write(s, boost::asio::buffer(bytes.data(), 30));
    s.shutdown(tcp::socket::shutdown_send);
  });
  EXPECT_THROW(driver_session::connect(options_for(peer)), protocol_error);
  EXPECT_TRUE(peer.client_closed());
}

TEST(FakePeer, MalformedSupportedBody) {
  fake_peer peer([](tcp::socket& s) {
    frame f = read_frame(s);
    // A multimap announcing 1000 entries in a 6-byte body.
    boost::asio::write(
        s, boost::asio::buffer(response(f.stream(), 0x06, {0x03, 0xE8, 0x00, 0x05, 'a', 'b'})));
  });
  EXPECT_THROW(driver_session::connect(options_for(peer)), protocol_error);
  EXPECT_TRUE(peer.client_closed());
}

TEST(FakePeer, ImpossibleShardCountInSupported) {
  fake_peer peer([](tcp::socket& s) {
    frame f = read_frame(s);
    // {"SCYLLA_NR_SHARDS": ["0"]}: a node with no shard.
    std::vector<std::uint8_t> body = {0x00, 0x01, 0x00, 16};
    for (char c : std::string_view("SCYLLA_NR_SHARDS")) {
      body.push_back(static_cast<std::uint8_t>(c));
    }
    body.insert(body.end(), {0x00, 0x01, 0x00, 0x01, '0'});
    boost::asio::write(s, boost::asio::buffer(response(f.stream(), 0x06, body)));
  });
  try {
    driver_session::connect(options_for(peer));
    ADD_FAILURE() << "connected to a node with 0 shards";
  } catch (const protocol_error& e) {
    EXPECT_NE(std::string(e.what()).find("SCYLLA_NR_SHARDS"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(peer.client_closed());
}

TEST(FakePeer, RequestsBeyondTheInFlightLimitWaitThenFailWhenNoneMayWait) {
  // A node that takes requests and never answers: the session holds the third request back and
  // refuses the fourth and fifth at once instead of queueing them without end.
  std::atomic<int> queries{0};
  fake_peer peer([&](tcp::socket& s) {
    handshake(s);
    for (;;) {
      if (read_frame(s).opcode() == 0x07) {
        ++queries;
      }
    }
  });
  session_options o = options_for(peer);
  o.max_in_flight = 2;
  o.max_waiting = 1;
  o.request_timeout = std::chrono::milliseconds(300);
  driver_session s = driver_session::connect(o);
  std::vector<std::future<result>> answers;
  for (int i = 0; i < 5; ++i) {
    answers.push_back(
        s.async_execute(statement("SELECT key FROM system.local"), boost::asio::use_future));
  }
  std::vector<std::string> outcome;
  for (auto& f : answers) {
    try {
      f.get();
      outcome.emplace_back("answered");
    } catch (const busy_error& e) {
      EXPECT_NE(std::string(e.what()).find("max_in_flight"), std::string::npos) << e.what();
      outcome.emplace_back("busy");
    } catch (const request_timeout_error&) {
      outcome.emplace_back("timeout");
    }
  }
  EXPECT_EQ(outcome, (std::vector<std::string>{"timeout", "timeout", "timeout", "busy", "busy"}));
  EXPECT_EQ(queries.load(), 3);  // the waiting one was sent once a slot freed; the others never
  session_metrics m = s.metrics();
  EXPECT_EQ(m.peak_in_flight, 2);
  EXPECT_EQ(m.waiting, 0);
  EXPECT_EQ(m.in_flight, 0);
  s.close();
}

TEST(FakePeer, ASpeculativeAttemptsErrorCountsOnItsOwnHost) {
  // Host A takes the request and stalls; the speculative copy goes to host B, which answers
  // Overloaded. B's error belongs to B, A's timeout to A.
  fake_peer stalls([](tcp::socket& s) {
    handshake(s);
    for (;;) {
      read_frame(s);
    }
  });
  fake_peer sheds([](tcp::socket& s) {
    handshake(s);
    for (;;) {
      frame f = read_frame(s);
      std::vector<std::uint8_t> body = {0x00, 0x00, 0x10, 0x01, 0x00, 0x04, 'b', 'u', 's', 'y'};
      boost::asio::write(s, boost::asio::buffer(response(f.stream(), 0x00, body)));
    }
  });
  session_options o = options_for(stalls);
  o.hosts = {stalls.host(), sheds.host()};
  o.speculative_delay = std::chrono::milliseconds(50);
  o.request_timeout = std::chrono::milliseconds(400);
  driver_session s = driver_session::connect(o);
  statement st("SELECT key FROM system.local");
  st.set_idempotent(true);
  EXPECT_THROW(s.execute(st), std::exception);
  session_metrics m = s.metrics();
  const host_metrics* a = m.host(stalls.host());
  const host_metrics* b = m.host(sheds.host());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_GE(b->counters.error_count(error_kind::overloaded), 1u) << m.to_text();
  EXPECT_EQ(a->counters.error_count(error_kind::overloaded), 0u) << m.to_text();
  EXPECT_GE(a->counters.error_count(error_kind::client_timeout), 1u) << m.to_text();
  EXPECT_EQ(b->counters.error_count(error_kind::client_timeout), 0u) << m.to_text();
  s.close();
}

TEST(FakePeer, TruncatedRowsResultAfterTheHandshake) {
  fake_peer peer([](tcp::socket& s) {
    handshake(s);
    frame q = read_frame(s);
    // RESULT Rows: flags global spec, 1 column, "ks"."t", column "c" int, 5 rows, but one cell.
    std::vector<std::uint8_t> body = {0,   0, 0, 2,   0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 'k', 's', 0, 1,
                                      't', 0, 1, 'c', 0, 9, 0, 0, 0, 5, 0, 0, 0, 4, 0,   0,   0, 1};
    boost::asio::write(s, boost::asio::buffer(response(q.stream(), 0x08, body)));
  });
  driver_session s = driver_session::connect(options_for(peer));
  result r;
  try {
    r = s.execute("SELECT c FROM ks.t");
  } catch (const protocol_error&) {
    // Detected while decoding the body.
  }
  if (r.has_rows()) {
    // Or detected when the rows are walked: never read past the frame.
    EXPECT_THROW((void)r.as<std::int32_t>(), protocol_error);
  }
  EXPECT_THROW(s.execute("SELECT c FROM ks.t"), error);
  s.close();
  EXPECT_TRUE(peer.client_closed());
}

TEST(FakePeer, ResponseOnAStreamNobodyUsed) {
  fake_peer peer([](tcp::socket& s) {
    handshake(s);
    frame q = read_frame(s);
    boost::asio::write(s, boost::asio::buffer(response(static_cast<std::int16_t>(q.stream() + 7),
                                                       0x08, {0, 0, 0, 1})));
  });
  driver_session s = driver_session::connect(options_for(peer));
  EXPECT_THROW(s.execute("SELECT 1 FROM ks.t"), protocol_error);
  EXPECT_TRUE(peer.client_closed());
}

TEST(FakePeer, IdleConnectionSendsHeartbeats) {
  std::atomic<int> heartbeats{0};
  fake_peer peer([&](tcp::socket& s) {
    handshake(s);
    for (int i = 0; i < 2; ++i) {
      frame f = read_frame(s);  // nothing else is sent: these are heartbeats
      if (f.opcode() == 0x05) {
        ++heartbeats;
        boost::asio::write(s, boost::asio::buffer(response(f.stream(), 0x06, {0x00, 0x00})));
      }
    }
  });
  session_options o = options_for(peer);
  o.heartbeat_interval = std::chrono::milliseconds(50);
  driver_session s = driver_session::connect(o);
  for (int i = 0; i < 200 && heartbeats < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(heartbeats.load(), 2);
  s.close();
  EXPECT_TRUE(peer.client_closed());
}

TEST(FakePeer, UnansweredHeartbeatClosesTheConnection) {
  fake_peer peer([](tcp::socket& s) {
    handshake(s);
    read_frame(s);  // the heartbeat, never answered
  });
  session_options o = options_for(peer);
  o.heartbeat_interval = std::chrono::milliseconds(50);
  o.request_timeout = std::chrono::milliseconds(200);
  driver_session s = driver_session::connect(o);
  // The client gives up on the silent peer by itself.
  EXPECT_TRUE(peer.client_closed());
}

}  // namespace
}  // namespace coodie
