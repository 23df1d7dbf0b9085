// Error classification, snapshots and the text report of session metrics.
#include <cstdio>

#include "coodie/driver/metrics.hpp"
#include "coodie/error.hpp"
#include "metrics_data.hpp"
#include "session_impl.hpp"

namespace coodie {

std::string_view to_string(error_kind k) noexcept {
  switch (k) {
    case error_kind::connection:
      return "connection";
    case error_kind::client_timeout:
      return "client_timeout";
    case error_kind::busy:
      return "busy";
    case error_kind::unavailable:
      return "unavailable";
    case error_kind::read_timeout:
      return "read_timeout";
    case error_kind::write_timeout:
      return "write_timeout";
    case error_kind::overloaded:
      return "overloaded";
    case error_kind::server:
      return "server";
    case error_kind::request:
      return "request";
    case error_kind::other:
      return "other";
  }
  return "other";
}

error_kind classify_error(const std::exception_ptr& e) noexcept {
  try {
    std::rethrow_exception(e);
  } catch (const connection_error&) {
    return error_kind::connection;
  } catch (const request_timeout_error&) {
    return error_kind::client_timeout;
  } catch (const busy_error&) {
    return error_kind::busy;
  } catch (const unavailable_error&) {
    return error_kind::unavailable;
  } catch (const read_timeout_error&) {
    return error_kind::read_timeout;
  } catch (const write_timeout_error&) {
    return error_kind::write_timeout;
  } catch (const overloaded_error&) {
    return error_kind::overloaded;
  } catch (const is_bootstrapping_error&) {
    return error_kind::overloaded;
  } catch (const server_error& s) {
    return s.code() >= 0x2000 || s.code() == 0x000A || s.code() == 0x0100 ? error_kind::request
                                                                          : error_kind::server;
  } catch (...) {
    return error_kind::other;
  }
}

std::uint64_t request_metrics::errors_total() const noexcept {
  std::uint64_t n = 0;
  for (std::uint64_t e : errors) {
    n += e;
  }
  return n;
}

const host_metrics* session_metrics::host(std::string_view address) const noexcept {
  for (const host_metrics& h : hosts) {
    std::string_view a = h.address;
    if (a == address || (a.size() > address.size() && a.substr(0, address.size()) == address &&
                         a[address.size()] == ':')) {
      return &h;
    }
  }
  return nullptr;
}

namespace {

void append_counters(std::string& out, const request_metrics& m) {
  char line[256];
  std::snprintf(line, sizeof line,
                "requests %llu  retries %llu  speculative %llu  errors %llu  "
                "p50 %lld us  p99 %lld us  p999 %lld us  max %lld us",
                static_cast<unsigned long long>(m.requests),
                static_cast<unsigned long long>(m.retries),
                static_cast<unsigned long long>(m.speculative),
                static_cast<unsigned long long>(m.errors_total()),
                static_cast<long long>(m.latency.p50().count()),
                static_cast<long long>(m.latency.p99().count()),
                static_cast<long long>(m.latency.p999().count()),
                static_cast<long long>(m.latency.max.count()));
  out += line;
  for (std::size_t k = 0; k < error_kind_count; ++k) {
    if (m.errors[k] != 0) {
      out += "  ";
      out += to_string(static_cast<error_kind>(k));
      out += '=';
      out += std::to_string(m.errors[k]);
    }
  }
  out += '\n';
}

}  // namespace

std::string session_metrics::to_text() const {
  std::string out = "session  in_flight " + std::to_string(in_flight) + "  waiting " +
                    std::to_string(waiting) + "  peak_in_flight " + std::to_string(peak_in_flight) +
                    "  ";
  append_counters(out, totals);
  for (const host_metrics& h : hosts) {
    out += "  " + h.address + (h.dc.empty() ? "" : " [" + h.dc + "/" + h.rack + "]") +
           (h.up ? " up" : " down") + "  connections " + std::to_string(h.connections) +
           (h.compressed_connections > 0 ? " (" + std::to_string(h.compressed_connections) + " lz4)"
                                         : std::string()) +
           "  in_flight " + std::to_string(h.in_flight) + "  ";
    append_counters(out, h.counters);
  }
  return out;
}

namespace driver::detail {

void request_counters::fill(request_metrics& out) const {
  out.requests = requests.load(std::memory_order_relaxed);
  out.retries = retries.load(std::memory_order_relaxed);
  out.speculative = speculative.load(std::memory_order_relaxed);
  for (std::size_t k = 0; k < error_kind_count; ++k) {
    out.errors[k] = errors[k].load(std::memory_order_relaxed);
  }
  out.latency = latency.snapshot();
}

session_metrics session_impl::metrics_snapshot() const {
  session_metrics m;
  m.in_flight = metrics_->in_flight.load(std::memory_order_relaxed);
  m.waiting = metrics_->waiting.load(std::memory_order_relaxed);
  m.peak_in_flight = metrics_->peak_in_flight.load(std::memory_order_relaxed);
  metrics_->counters.fill(m.totals);
  std::vector<std::shared_ptr<host_metrics_data>> hosts;
  {
    std::lock_guard lock(metrics_mutex_);
    hosts = metrics_hosts_;
  }
  for (const auto& h : hosts) {
    host_metrics hm;
    hm.address = h->address;
    {
      std::lock_guard lock(metrics_mutex_);
      hm.dc = h->dc;
      hm.rack = h->rack;
    }
    hm.up = h->up.load(std::memory_order_relaxed);
    hm.connections = h->connections.load(std::memory_order_relaxed);
    hm.compressed_connections = h->compressed_connections.load(std::memory_order_relaxed);
    hm.in_flight = h->in_flight.load(std::memory_order_relaxed);
    h->counters.fill(hm.counters);
    m.hosts.push_back(std::move(hm));
  }
  return m;
}

}  // namespace driver::detail
}  // namespace coodie
