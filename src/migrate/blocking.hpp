// Runs one of the object mapper's schema coroutines to its end, waiting on the calling thread
// (not installed): the migration tools are blocking.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include "coodie/driver/session.hpp"

namespace coodie::migrate::detail {

/// Runs coro on the session's executor and waits for it as the session's blocking calls do
/// (driver_session::wait: a session with no I/O thread runs its I/O on this thread meanwhile).
template <class T>
T run_blocking(const driver_session& s, boost::asio::awaitable<T> coro) {
  return s.wait(boost::asio::co_spawn(s.get_executor(), std::move(coro), boost::asio::use_future));
}

}  // namespace coodie::migrate::detail
