// A statement in flight: completes with a result, re-prepares and resends when the server says
// UNPREPARED, and closes the connection when the answer is malformed.
#pragma once

#include <array>
#include <memory>
#include <span>

#include <boost/asio/post.hpp>
#include <utility>

#include "session_impl.hpp"

namespace coodie::detail {

/// The maximum number of times one request re-prepares before giving up.
inline constexpr int max_reprepares = 3;

/// Turns a response into a result (or the server's error as an exception).
/// Throws protocol_error when the body is malformed.
inline std::shared_ptr<result_data> parse_result(response& resp) {
  auto data = std::make_shared<result_data>();
  data->body = std::move(resp.body);
  wire::reader r(data->body);
  wire::response_prefix prefix = wire::read_response_prefix(resp.header, r);
  if (resp.header.op == wire::opcode::error) {
    std::rethrow_exception(wire::read_error(r.rest()));
  }
  if (resp.header.op != wire::opcode::result) {
    throw protocol_error(std::string("expected RESULT, got ") + wire::to_string(resp.header.op));
  }
  data->warnings = std::move(prefix.warnings);
  data->tracing_id = prefix.tracing_id;
  data->parsed = wire::read_result(r.rest());
  return data;
}

template <class Done>
class exec_request final : public request, public std::enable_shared_from_this<exec_request<Done>> {
 public:
  exec_request(std::shared_ptr<session_impl> s, std::shared_ptr<session::request_spec> spec,
               Done done)
      : session_(std::move(s)), spec_(std::move(spec)), done_(std::move(done)) {
    frame = std::move(spec_->frame);
    timeout = spec_->timeout;
  }

  /// Sends the first attempt. On the strand; completes later, never inside this call.
  void start() {
    started_ = std::chrono::steady_clock::now();
    session_->metrics().in_flight.fetch_add(1, std::memory_order_relaxed);
    if (!send_next(nullptr)) {
      auto self = this->shared_from_this();
      std::string msg = spec_->node.empty()
                            ? session_->unavailable_message()
                            : "no open connection to node " + spec_->node + " (or it is unknown)";
      asio::post(session_->strand(), [self, msg = std::move(msg)] {
        self->finish(std::make_exception_ptr(connection_error(msg)), result());
      });
    }
  }

  void complete(std::exception_ptr error, response* resp, connection* conn) override {
    end_attempt(error);
    if (error) {
      failed(std::move(error), conn);
      return;
    }
    try {
      std::shared_ptr<result_data> data = parse_result(*resp);
      if (const auto* ks = std::get_if<wire::set_keyspace_result>(&data->parsed)) {
        auto self = this->shared_from_this();
        std::string name = ks->keyspace;
        session_->keyspace_changed(
            name, conn, [self, data]() mutable { self->finish(nullptr, result(std::move(data))); });
        return;
      }
      if (std::holds_alternative<wire::schema_change_result>(data->parsed)) {
        // DDL: answer once every node has the new schema, so the next request sees it anywhere.
        auto self = this->shared_from_this();
        session_->await_schema_agreement([self, data](std::exception_ptr e) mutable {
          result r = e ? result() : result(std::move(data));
          self->finish(std::move(e), std::move(r));
        });
        return;
      }
      finish(nullptr, result(std::move(data)));
    } catch (const unprepared_error& e) {
      if (conn == nullptr || reprepares_ >= max_reprepares) {
        failed(std::current_exception(), conn);
        return;
      }
      reprepare(e, conn);
    } catch (const protocol_error&) {
      auto e = std::current_exception();
      count_error(e);
      finish(e, result());
      if (conn != nullptr) {
        conn->close(e);
      }
    } catch (...) {
      failed(std::current_exception(), conn);
    }
  }

 private:
  /// Sends to the next host of the plan; false when none has a ready connection.
  bool send_next(connection* same) {
    connection* conn =
        same != nullptr ? same : session_->pick(*spec_, std::span(tried_.data(), tried_count_));
    if (conn == nullptr) {
      return false;
    }
    host_pool* host = conn->host;
    if (host != nullptr && same == nullptr && tried_count_ < tried_.size()) {
      tried_[tried_count_++] = host;
    }
    host_metrics_ = host != nullptr ? host->metrics : nullptr;
    if (host_metrics_) {
      host_metrics_->counters.requests.fetch_add(1, std::memory_order_relaxed);
      host_metrics_->in_flight.fetch_add(1, std::memory_order_relaxed);
    }
    attempt_started_ = std::chrono::steady_clock::now();
    conn->send(this->shared_from_this());
    return true;
  }

  void end_attempt(const std::exception_ptr& error) {
    if (!host_metrics_) {
      return;
    }
    host_metrics_->in_flight.fetch_sub(1, std::memory_order_relaxed);
    if (!error) {
      host_metrics_->counters.latency.record(std::chrono::steady_clock::now() - attempt_started_);
    }
  }

  void count_error(const std::exception_ptr& e) {
    error_kind k = classify_error(e);
    if (host_metrics_) {
      host_metrics_->counters.count_error(k);
    }
  }

  /// An attempt failed: retry as the policy says, or report.
  void failed(std::exception_ptr e, connection* conn) {
    count_error(e);
    retry_context ctx{.idempotent = spec_->idempotent, .retries = retries_};
    retry_decision d = session_->retry().decide(e, ctx);
    // Bounded: at most one attempt per host plus one retry on the same host.
    if (d != retry_decision::fail && retries_ <= static_cast<int>(session_->hosts().size())) {
      ++retries_;
      session_->metrics().counters.retries.fetch_add(1, std::memory_order_relaxed);
      bool same = d == retry_decision::same_host && conn != nullptr && conn->is_ready();
      if (send_next(same ? conn : nullptr)) {
        if (host_metrics_) {
          host_metrics_->counters.retries.fetch_add(1, std::memory_order_relaxed);
        }
        return;
      }
    }
    finish(std::move(e), result());
  }

  void reprepare(const unprepared_error& e, connection* conn) {
    ++reprepares_;
    std::shared_ptr<const prepared_data> target;
    if (spec_->k == session::request_spec::kind::execute) {
      target = spec_->prepared;
    } else {
      for (const auto& p : spec_->batch_prepared) {
        if (std::string_view(reinterpret_cast<const char*>(p->id.data()), p->id.size()) ==
            e.statement_id()) {
          target = p;
        }
      }
    }
    if (!target) {
      finish(std::make_exception_ptr(e), result());
      return;
    }
    auto self = this->shared_from_this();
    std::shared_ptr<connection> via = conn->shared_from_this();
    session_->reprepare(
        target, conn,
        [self, via, target](std::exception_ptr err, std::shared_ptr<const prepared_data> fresh) {
          if (err) {
            self->reprepare_failed(std::move(err), via.get());
            return;
          }
          if (fresh->id != target->id) {
            if (self->spec_->k != session::request_spec::kind::execute) {
              self->finish(std::make_exception_ptr(invalid_query_error(
                               0x2500, "a batch statement was re-prepared with a different id")),
                           result());
              return;
            }
            self->replace_id(target->id.size(), fresh->id);
          }
          if (!via->is_ready() || !self->send_next(via.get())) {
            self->finish(std::make_exception_ptr(connection_error(
                             "the connection closed while re-preparing a statement")),
                         result());
          }
        });
  }

  /// The statement was prepared elsewhere but this host cannot prepare it (a node restarted
  /// with a stale schema says the table does not exist). It never ran here, so sending it to
  /// the next host is safe whether or not it is idempotent.
  void reprepare_failed(std::exception_ptr err, connection* via) {
    count_error(err);
    bool server_side = false;
    try {
      std::rethrow_exception(err);
    } catch (const server_error&) {
      server_side = true;
    } catch (...) {
    }
    if (server_side && via->host != nullptr) {
      session_->host_lags(via->host);
      if (send_next(nullptr)) {
        return;
      }
    }
    finish(std::move(err), result());
  }

  /// Rewrites the EXECUTE frame with a new statement id.
  void replace_id(std::size_t old_size, const wire::byte_buffer& id) {
    wire::byte_buffer rebuilt;
    rebuilt.reserve(frame.size() + id.size());
    std::size_t at = wire::begin_frame(rebuilt, wire::opcode::execute);
    wire::writer w(rebuilt);
    w.short_bytes(id);
    w.raw(wire::bytes_view(frame).subspan(wire::header_size + 2 + old_size));
    wire::end_frame(rebuilt, at);
    frame = std::move(rebuilt);
  }

  void finish(std::exception_ptr e, result r) {
    if (finished_) {
      return;
    }
    finished_ = true;
    session_metrics_data& m = session_->metrics();
    m.in_flight.fetch_sub(1, std::memory_order_relaxed);
    m.counters.requests.fetch_add(1, std::memory_order_relaxed);
    if (e) {
      m.counters.count_error(classify_error(e));
    } else {
      m.counters.latency.record(std::chrono::steady_clock::now() - started_);
    }
    done_(std::move(e), std::move(r));
  }

  std::shared_ptr<session_impl> session_;
  std::shared_ptr<session::request_spec> spec_;
  Done done_;
  std::shared_ptr<host_metrics_data> host_metrics_;
  /// Hosts of earlier attempts: the plan moves past them (beyond eight, hosts may repeat).
  std::array<const host_pool*, 8> tried_{};
  std::size_t tried_count_ = 0;
  std::chrono::steady_clock::time_point started_{};
  std::chrono::steady_clock::time_point attempt_started_{};
  int reprepares_ = 0;
  int retries_ = 0;
  bool finished_ = false;
};

/// Sends a request to the first host of its plan. On the strand.
template <class Done>
void submit_request(const std::shared_ptr<session_impl>& s,
                    std::shared_ptr<session::request_spec> spec, Done done) {
  auto req = std::make_shared<exec_request<Done>>(s, std::move(spec), std::move(done));
  req->start();
}

}  // namespace coodie::detail
