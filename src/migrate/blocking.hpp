// Runs one of the object mapper's schema coroutines to its end on the calling thread (not
// installed): the migration tools are blocking.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace coodie::migrate::detail {

template <class T>
T run_blocking(boost::asio::awaitable<T> coro) {
  boost::asio::io_context ctx;
  auto done = boost::asio::co_spawn(ctx, std::move(coro), boost::asio::use_future);
  ctx.run();
  return done.get();
}

}  // namespace coodie::migrate::detail
