// The shard-aware connect path against a real node: the socket binds a local port that lands on
// the shard asked for before it connects. Cassandra ignores the source port and announces no
// sharding, so the connection works and reports no ScyllaDB sharding.
#include <cstdint>
#include <exception>
#include <memory>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "connection.hpp"
#include "support.hpp"

namespace coodie {
namespace {

TEST(ShardPort, ConnectionBindsALocalPortOnTheShard) {
  auto options = std::make_shared<const session_options>(test::options_from_env());
  driver::detail::endpoint ep;
  ep.host = options->hosts.front();
  if (auto colon = ep.host.find(':'); colon != std::string::npos) {
    ep.port = static_cast<std::uint16_t>(std::stoi(ep.host.substr(colon + 1)));
    ep.host.resize(colon);
  }
  boost::asio::io_context ctx;
  auto strand = boost::asio::make_strand(boost::asio::any_io_executor(ctx.get_executor()));
  constexpr std::uint32_t shards = 7;
  for (std::uint32_t shard : {0u, 3u, 6u}) {
    auto conn = std::make_shared<driver::detail::connection>(strand, ep, options);
    bool done = false;
    std::exception_ptr error;
    conn->async_open(
        "",
        [&](std::exception_ptr e) {
          error = e;
          done = true;
        },
        driver::detail::shard_target{shard, shards});
    while (!done && ctx.run_one() > 0) {
    }
    ASSERT_TRUE(done);
    ASSERT_FALSE(error);
    ASSERT_TRUE(conn->is_ready());
    EXPECT_EQ(conn->local_port() % shards, shard) << "local port " << conn->local_port();
    EXPECT_GE(conn->local_port(), wire::shard_port_first);
    EXPECT_FALSE(conn->sharding().has_value());  // Cassandra announces no sharding
    EXPECT_EQ(conn->shard(), shard);
    conn->close(std::make_exception_ptr(connection_error("test done")));
  }
}

}  // namespace
}  // namespace coodie
