// Request traces: a request sent with tracing on (statement_options::tracing or
// session_options::tracing) carries a trace id in its result (result::trace_id(), or
// response_notes for calls that return no result); the server writes the trace to
// system_traces shortly after answering, and fetch_trace reads it back once it is complete.
//
// Example:
//   coodie::result r = db.execute(coodie::statement("SELECT * FROM shop.products").set_tracing());
//   if (auto id = r.trace_id()) {
//     coodie::trace_info t = coodie::fetch_trace(db, *id);  // the session must outlive the call
//     for (const auto& e : t.events) std::cout << e.source_elapsed_us << " us " << e.activity;
//   }
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "coodie/wire/values.hpp"

namespace coodie {

class driver_session;

/// One step of a traced request, as a node logged it.
struct trace_event {
  timeuuid id;
  std::string activity;
  inet source;
  std::int32_t source_elapsed_us = 0;  ///< since the request reached that node
  std::string thread;
};

/// A traced request: system_traces.sessions and its events, in order.
struct trace_info {
  uuid id;
  inet coordinator;
  std::string request;
  std::int32_t duration_us = 0;
  std::chrono::system_clock::time_point started_at;
  std::map<std::string, std::string> parameters;
  std::vector<trace_event> events;
};

/// Reads trace `id`, polling every 100 ms until the server has written it whole (its duration
/// set) or `wait` passed (request_timeout_error naming the trace). `db` must outlive the await.
boost::asio::awaitable<trace_info> async_fetch_trace(
    driver_session& db, uuid id, std::chrono::milliseconds wait = std::chrono::seconds(5));
/// The blocking form of async_fetch_trace (not from the session's own I/O thread).
trace_info fetch_trace(driver_session& db, uuid id,
                       std::chrono::milliseconds wait = std::chrono::seconds(5));

}  // namespace coodie
