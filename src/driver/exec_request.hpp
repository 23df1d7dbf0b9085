// A statement in flight: completes with a result, re-prepares and resends when the server says
// UNPREPARED, and closes the connection when the answer is malformed.
#pragma once

#include <memory>

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

  void complete(std::exception_ptr error, response* resp, connection* conn) override {
    if (error) {
      finish(std::move(error), result());
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
      finish(nullptr, result(std::move(data)));
    } catch (const unprepared_error& e) {
      if (conn == nullptr || reprepares_ >= max_reprepares) {
        finish(std::current_exception(), result());
        return;
      }
      reprepare(e, conn);
    } catch (const protocol_error&) {
      auto e = std::current_exception();
      finish(e, result());
      if (conn != nullptr) {
        conn->close(e);
      }
    } catch (...) {
      finish(std::current_exception(), result());
    }
  }

 private:
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
            self->finish(std::move(err), result());
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
          via->send(self);
        });
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
    done_(std::move(e), std::move(r));
  }

  std::shared_ptr<session_impl> session_;
  std::shared_ptr<session::request_spec> spec_;
  Done done_;
  int reprepares_ = 0;
  bool finished_ = false;
};

/// Sends a request on the least-loaded connection. On the strand.
template <class Done>
void submit_request(const std::shared_ptr<session_impl>& s,
                    std::shared_ptr<session::request_spec> spec, Done done) {
  std::shared_ptr<connection> conn = s->pick();
  if (!conn) {
    // Never complete inside the initiating call: queue the failure.
    asio::post(s->strand(), [done = std::move(done), msg = s->unavailable_message()]() mutable {
      done(std::make_exception_ptr(connection_error(msg)), result());
    });
    return;
  }
  auto req = std::make_shared<exec_request<Done>>(s, std::move(spec), std::move(done));
  conn->send(std::move(req));
}

}  // namespace coodie::detail
