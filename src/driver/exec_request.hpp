// A statement in flight: completes with a result, re-prepares and resends when the server says
// UNPREPARED, and closes the connection when the answer is malformed.
#pragma once

#include <array>
#include <memory>
#include <span>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <utility>

#include "session_impl.hpp"

namespace coodie::driver::detail {

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

/// A copy of a request sent to another host while the first attempt is slow (speculative
/// execution). Completes through its parent.
class speculative_attempt final : public request {
 public:
  using callback =
      std::function<void(std::exception_ptr, response*, connection*, speculative_attempt&)>;
  explicit speculative_attempt(callback cb) : cb_(std::move(cb)) {}
  void complete(std::exception_ptr error, response* resp, connection* conn) override {
    cb_(std::move(error), resp, conn, *this);
  }
  std::shared_ptr<host_metrics_data> metrics;
  std::chrono::steady_clock::time_point started{};

 private:
  callback cb_;
};

template <class Done>
class exec_request final : public request,
                           public admitted_request,
                           public std::enable_shared_from_this<exec_request<Done>> {
 public:
  exec_request(std::shared_ptr<session_impl> s, std::shared_ptr<driver_session::request_spec> spec,
               Done done)
      : session_(std::move(s)), spec_(std::move(spec)), done_(std::move(done)) {
    frame = std::move(spec_->frame);
    timeout = spec_->timeout;
  }

  /// Sends the first attempt. On the strand; completes later, never inside this call.
  void start() override {
    holds_slot_ = true;
    started_ = std::chrono::steady_clock::now();
    session_->metrics().in_flight.fetch_add(1, std::memory_order_relaxed);
    if (send_next(nullptr)) {
      schedule_speculation();
    } else {
      auto self = this->shared_from_this();
      std::string msg = spec_->node.empty()
                            ? session_->unavailable_message()
                            : "no open connection to node " + spec_->node + " (or it is unknown)";
      boost::asio::post(session_->strand(), [self, msg = std::move(msg)] {
        self->finish(std::make_exception_ptr(connection_error(msg)), result());
      });
    }
  }

  void reject(std::exception_ptr e) override {
    started_ = std::chrono::steady_clock::now();
    session_->metrics().in_flight.fetch_add(1, std::memory_order_relaxed);
    finish(std::move(e), result());
  }

  void complete(std::exception_ptr error, response* resp, connection* conn) override {
    --outstanding_;
    end_attempt(host_metrics_, attempt_started_, error);
    handle(std::move(error), resp, conn);
  }

 private:
  /// The answer of any attempt (the first, a retry or a speculative one).
  void handle(std::exception_ptr error, response* resp, connection* conn) {
    if (finished_) {
      return;  // a speculative twin already answered
    }
    if (error && outstanding_ > 0) {
      count_error(error, conn);  // another attempt is still running: let it answer
      return;
    }
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
      if (outstanding_ > 0) {
        count_error(std::current_exception(), conn);  // the frame is in use by another attempt
        return;
      }
      if (conn == nullptr || reprepares_ >= max_reprepares) {
        failed(std::current_exception(), conn);
        return;
      }
      reprepare(e, conn);
    } catch (const protocol_error&) {
      auto e = std::current_exception();
      count_error(e, conn);
      finish(e, result());
      if (conn != nullptr) {
        conn->close(e);
      }
    } catch (...) {
      if (outstanding_ > 0) {
        count_error(std::current_exception(), conn);
        return;
      }
      failed(std::current_exception(), conn);
    }
  }

  /// Arms the timer of the next speculative execution: idempotent statements only.
  void schedule_speculation() {
    const session_options& o = session_->options();
    if (!spec_->idempotent || spec_->conditional || o.speculative_delay.count() <= 0 ||
        speculative_sent_ >= o.max_speculative_executions || !spec_->node.empty()) {
      return;
    }
    if (!speculation_timer_) {
      speculation_timer_ = std::make_unique<boost::asio::steady_timer>(session_->strand());
    }
    speculation_timer_->expires_after(o.speculative_delay);
    auto self = this->shared_from_this();
    speculation_timer_->async_wait(
        boost::asio::bind_executor(session_->strand(), [self](boost::system::error_code ec) {
          if (!ec && !self->finished_) {
            self->speculate();
          }
        }));
  }

  /// Sends a copy of the request to the next host of the plan.
  void speculate() {
    connection* conn = session_->pick(*spec_, std::span(tried_.data(), tried_count_));
    if (conn == nullptr) {
      return;
    }
    host_pool* host = conn->host;
    if (host != nullptr && tried_count_ < tried_.size()) {
      tried_[tried_count_++] = host;
    }
    auto self = this->shared_from_this();
    auto twin = std::make_shared<speculative_attempt>(
        [self](std::exception_ptr e, response* resp, connection* c, speculative_attempt& a) {
          --self->outstanding_;
          end_attempt(a.metrics, a.started, e);
          self->handle(std::move(e), resp, c);
        });
    twin->frame = frame;
    twin->timeout = timeout;
    twin->metrics = host != nullptr ? host->metrics : nullptr;
    twin->started = std::chrono::steady_clock::now();
    if (twin->metrics) {
      twin->metrics->counters.requests.fetch_add(1, std::memory_order_relaxed);
      twin->metrics->counters.speculative.fetch_add(1, std::memory_order_relaxed);
      twin->metrics->in_flight.fetch_add(1, std::memory_order_relaxed);
    }
    session_->metrics().counters.speculative.fetch_add(1, std::memory_order_relaxed);
    ++speculative_sent_;
    ++outstanding_;
    conn->send(std::move(twin));
    schedule_speculation();
  }

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
    ++outstanding_;
    conn->send(this->shared_from_this());
    return true;
  }

  static void end_attempt(const std::shared_ptr<host_metrics_data>& m,
                          std::chrono::steady_clock::time_point started,
                          const std::exception_ptr& error) {
    if (!m) {
      return;
    }
    m->in_flight.fetch_sub(1, std::memory_order_relaxed);
    if (!error) {
      m->counters.latency.record(std::chrono::steady_clock::now() - started);
    }
  }

  /// Counts an attempt's error on the host that carried it (`conn`, which may be a speculative
  /// twin's), or on the last attempt's host when the connection is unknown.
  void count_error(const std::exception_ptr& e, const connection* conn) {
    host_metrics_data* m =
        conn != nullptr && conn->host != nullptr ? conn->host->metrics.get() : host_metrics_.get();
    if (m != nullptr) {
      m->counters.count_error(classify_error(e));
    }
  }

  /// An attempt failed: retry as the policy says, or report.
  void failed(std::exception_ptr e, connection* conn) {
    count_error(e, conn);
    retry_context ctx{
        .idempotent = spec_->idempotent, .retries = retries_, .conditional = spec_->conditional};
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
    if (spec_->k == driver_session::request_spec::kind::execute) {
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
            if (self->spec_->k != driver_session::request_spec::kind::execute) {
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
    count_error(err, via);
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
    rebuilt[1] = frame[1];  // the header's flags (tracing) survive the new id
    frame = std::move(rebuilt);
  }

  void finish(std::exception_ptr e, result r) {
    if (finished_) {
      return;
    }
    finished_ = true;
    if (speculation_timer_) {
      speculation_timer_->cancel();
    }
    session_metrics_data& m = session_->metrics();
    m.in_flight.fetch_sub(1, std::memory_order_relaxed);
    m.counters.requests.fetch_add(1, std::memory_order_relaxed);
    if (e) {
      m.counters.count_error(classify_error(e));
    } else {
      m.counters.latency.record(std::chrono::steady_clock::now() - started_);
    }
    if (holds_slot_) {
      session_->release();
    }
    if (!e) {
      session_->notify(*spec_, r);
    }
    done_(std::move(e), std::move(r));
  }

  std::shared_ptr<session_impl> session_;
  std::shared_ptr<driver_session::request_spec> spec_;
  Done done_;
  std::shared_ptr<host_metrics_data> host_metrics_;
  /// Hosts of earlier attempts: the plan moves past them (beyond eight, hosts may repeat).
  std::array<const host_pool*, 8> tried_{};
  std::size_t tried_count_ = 0;
  std::chrono::steady_clock::time_point started_{};
  std::chrono::steady_clock::time_point attempt_started_{};
  std::unique_ptr<boost::asio::steady_timer> speculation_timer_;
  /// Attempts sent and not answered yet (the first, retries, speculative twins).
  int outstanding_ = 0;
  int speculative_sent_ = 0;
  int reprepares_ = 0;
  int retries_ = 0;
  bool finished_ = false;
  bool holds_slot_ = false;
};

/// Sends a request to the first host of its plan. On the strand.
template <class Done>
void submit_request(const std::shared_ptr<session_impl>& s,
                    std::shared_ptr<driver_session::request_spec> spec, Done done) {
  s->admit(std::make_shared<exec_request<Done>>(s, std::move(spec), std::move(done)));
}

}  // namespace coodie::driver::detail
