// Reading a request's trace from system_traces once the server has written it.
#include "coodie/driver/trace.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "coodie/driver/session.hpp"

namespace coodie {

boost::asio::awaitable<trace_info> async_fetch_trace(driver_session& db, uuid id,
                                                     std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  statement session_row(
      "SELECT coordinator, duration, request, started_at, parameters FROM system_traces.sessions "
      "WHERE session_id = ?",
      id);
  session_row.set_consistency(consistency::one).set_idempotent();
  trace_info out;
  out.id = id;
  for (;;) {
    result r = co_await db.async_execute(session_row, boost::asio::use_awaitable);
    if (!r.empty() && !r.front().is_null(1)) {
      row s = r.front();
      out.coordinator = s.get<inet>(0);
      out.duration_us = s.get<std::int32_t>(1);
      out.request = s.is_null(2) ? std::string() : s.get<std::string>(2);
      if (!s.is_null(3)) {
        out.started_at = s.get<std::chrono::system_clock::time_point>(3);
      }
      out.parameters = s.get<std::map<std::string, std::string>>(4);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw request_timeout_error("trace " + id.to_string() +
                                  " was not complete in system_traces after " +
                                  std::to_string(wait.count()) + " ms");
    }
    auto ex = co_await boost::asio::this_coro::executor;
    boost::asio::steady_timer pause(ex, std::chrono::milliseconds(100));
    co_await pause.async_wait(boost::asio::use_awaitable);
  }
  statement events(
      "SELECT event_id, activity, source, source_elapsed, thread FROM system_traces.events "
      "WHERE session_id = ?",
      id);
  events.set_consistency(consistency::one).set_idempotent().set_page_size(0);
  result e = co_await db.async_execute(events, boost::asio::use_awaitable);
  for (row ev : e) {
    trace_event t;
    t.id = ev.get<timeuuid>(0);
    t.activity = ev.is_null(1) ? std::string() : ev.get<std::string>(1);
    if (!ev.is_null(2)) {
      t.source = ev.get<inet>(2);
    }
    t.source_elapsed_us = ev.is_null(3) ? 0 : ev.get<std::int32_t>(3);
    t.thread = ev.is_null(4) ? std::string() : ev.get<std::string>(4);
    out.events.push_back(std::move(t));
  }
  co_return out;
}

trace_info fetch_trace(driver_session& db, uuid id, std::chrono::milliseconds wait) {
  if (db.running_in_io_thread()) {
    throw usage_error("fetch_trace blocks: call it off the session's I/O thread");
  }
  return db.wait(boost::asio::co_spawn(db.get_executor(), async_fetch_trace(db, id, wait),
                                       boost::asio::use_future));
}

}  // namespace coodie
