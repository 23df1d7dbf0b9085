#include "connection.hpp"

#include <algorithm>
#include <cstring>
#include <random>
#include <utility>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include "coodie/driver/identifiers.hpp"
#include "coodie/driver/version.hpp"
#include "coodie/wire/messages.hpp"

namespace coodie::driver::detail {

namespace {

constexpr std::size_t initial_read_buffer = 64 * 1024;
constexpr std::size_t max_idle_read_buffer = 1024 * 1024;

std::exception_ptr make_conn_error(const endpoint& ep, const std::string& what) {
  return std::make_exception_ptr(connection_error(what + " (" + ep.to_string() + ")"));
}

}  // namespace

struct connection::tls_state {
  tls_state(boost::asio::ip::tcp::socket& s, boost::asio::ssl::context& ctx) : stream(s, ctx) {}
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream;
};

connection::connection(strand_type strand, endpoint ep,
                       std::shared_ptr<const session_options> options,
                       std::shared_ptr<boost::asio::ssl::context> tls)
    : strand_(std::move(strand)),
      endpoint_(std::move(ep)),
      opts_(std::move(options)),
      options_(*opts_),
      socket_(strand_),
      tls_context_(std::move(tls)),
      resolver_(strand_),
      connect_timer_(strand_),
      heartbeat_timer_(strand_) {
  std::size_t n = std::clamp<std::size_t>(options_.max_requests_per_connection, 1, 32768);
  slots_.resize(n);
  free_streams_.reserve(n);
  for (std::size_t i = n; i > 0; --i) {
    free_streams_.push_back(static_cast<std::int16_t>(i - 1));
  }
}

connection::~connection() = default;

void connection::async_open(std::string keyspace, std::function<void(std::exception_ptr)> done,
                            std::optional<shard_target> via) {
  open_done_ = std::move(done);
  state_ = state::connecting;
  auto self = shared_from_this();
  connect_timer_.expires_after(options_.connect_timeout);
  connect_timer_.async_wait(
      boost::asio::bind_executor(strand_, [self](boost::system::error_code e) {
        if (!e && self->state_ != state::ready && self->state_ != state::closed) {
          self->close(make_conn_error(self->endpoint_, "connect timed out"));
        }
      }));
  auto on_connect = [self, ks = std::move(keyspace)](boost::system::error_code e) {
    if (self->state_ == state::closed) {
      return;
    }
    if (e) {
      self->close(make_conn_error(self->endpoint_, "cannot connect: " + e.message()));
      return;
    }
    boost::system::error_code ignored;
    self->socket_.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
    self->socket_.non_blocking(true, ignored);
    self->state_ = state::handshaking;
    self->read_buf_.resize(initial_read_buffer);
    if (self->tls_context_) {
      self->start_tls(ks);
      return;
    }
    self->start_read();
    self->start_handshake(ks);
  };
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(endpoint_.host, ec);
  if (!ec) {
    boost::asio::ip::tcp::endpoint remote(addr, endpoint_.port);
    if (via && bind_shard_port(remote.protocol(), *via)) {
      target_shard_ = via->shard;
    }
    socket_.async_connect(remote, boost::asio::bind_executor(strand_, std::move(on_connect)));
    return;
  }
  resolver_.async_resolve(
      endpoint_.host, std::to_string(endpoint_.port),
      boost::asio::bind_executor(
          strand_, [self, on_connect = std::move(on_connect)](
                       boost::system::error_code e,
                       boost::asio::ip::tcp::resolver::results_type results) mutable {
            if (self->state_ == state::closed) {
              return;
            }
            if (e) {
              self->close(make_conn_error(self->endpoint_, "cannot resolve host: " + e.message()));
              return;
            }
            boost::asio::async_connect(
                self->socket_, results,
                boost::asio::bind_executor(
                    self->strand_,
                    [on_connect = std::move(on_connect)](
                        boost::system::error_code e2,
                        const boost::asio::ip::tcp::endpoint&) mutable { on_connect(e2); }));
          }));
}

bool connection::bind_shard_port(const boost::asio::ip::tcp& protocol, shard_target via) {
  // Ports of the ephemeral range from a random start, as the kernel would pick them: a few
  // candidates, since one taken by another socket is likely taken for all its neighbours too.
  constexpr int max_candidates = 64;
  thread_local std::minstd_rand rng(std::random_device{}());
  auto start = static_cast<std::uint16_t>(
      std::uniform_int_distribution<unsigned>(wire::shard_port_first, wire::shard_port_last)(rng));
  boost::system::error_code ec;
  socket_.open(protocol, ec);
  if (ec) {
    return false;
  }
  std::optional<std::uint16_t> first;
  for (int i = 0; i < max_candidates; ++i) {
    std::optional<std::uint16_t> port = wire::next_shard_port(via.shard, via.nr_shards, start);
    if (!port || (first && *port == *first)) {
      return false;
    }
    if (!first) {
      first = port;
    }
    socket_.bind(boost::asio::ip::tcp::endpoint(protocol, *port), ec);
    if (!ec) {
      return true;
    }
    start = static_cast<std::uint16_t>(*port + 1);
  }
  return false;
}

std::uint16_t connection::local_port() const noexcept {
  boost::system::error_code ec;
  auto ep = socket_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void connection::start_tls(std::string keyspace) {
  tls_ = std::make_unique<tls_state>(socket_, *tls_context_);
  auto& stream = tls_->stream;
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(endpoint_.host, ec);
  if (ec) {
    // A host name: send it as SNI (SSL_set_tlsext_host_name, without its C cast).
    SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(endpoint_.host.c_str()));
  }
  stream.set_verify_mode(boost::asio::ssl::verify_peer);
  if (options_.tls.verify_hostname) {
    stream.set_verify_callback(boost::asio::ssl::host_name_verification(endpoint_.host));
  }
  stream.async_handshake(
      boost::asio::ssl::stream_base::client,
      boost::asio::bind_executor(strand_, [self = shared_from_this(),
                                           ks = std::move(keyspace)](boost::system::error_code e) {
        if (self->state_ == state::closed) {
          return;
        }
        if (e) {
          std::string why = e.message();
          long verify = SSL_get_verify_result(self->tls_->stream.native_handle());
          if (verify != X509_V_OK) {
            why += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
          }
          self->close(std::make_exception_ptr(
              tls_error("TLS handshake with " + self->endpoint_.to_string() + " failed: " + why)));
          return;
        }
        self->start_read();
        self->start_handshake(ks);
      }));
}

void connection::start_handshake(std::string keyspace) {
  handshake_keyspace_ = std::move(keyspace);
  handshake_step(0, nullptr);
}

// Steps: 0 send OPTIONS; 1 got SUPPORTED, send STARTUP; 2 got READY/AUTHENTICATE;
// 3 got AUTH_SUCCESS; 4 got the USE result.
void connection::handshake_step(int step, response* resp) {
  auto self = shared_from_this();
  auto next = [self](int s) {
    return [self, s](std::exception_ptr e, response* r) {
      if (e) {
        self->handshake_done(e);
        return;
      }
      try {
        self->handshake_step(s, r);
      } catch (...) {
        self->handshake_done(std::current_exception());
      }
    };
  };
  auto expect = [&](wire::opcode op) {
    if (resp->header.op == wire::opcode::error) {
      wire::throw_error(resp->body);
    }
    if (resp->header.op != op) {
      throw protocol_error(std::string("expected ") + wire::to_string(op) +
                           " during the handshake, got " + wire::to_string(resp->header.op));
    }
  };
  auto use_or_ready = [&]() {
    if (handshake_keyspace_.empty()) {
      handshake_done(nullptr);
      return;
    }
    auto req = std::make_shared<callback_request>(next(4));
    wire::write_query(req->frame, 0, "USE " + quote_identifier(handshake_keyspace_),
                      wire::query_parameters{}, {});
    send_internal(std::move(req));
  };

  switch (step) {
    case 0: {
      auto req = std::make_shared<callback_request>(next(1));
      wire::write_options(req->frame, 0);
      send_internal(std::move(req));
      return;
    }
    case 1: {
      expect(wire::opcode::supported);
      auto supported = wire::read_supported(resp->body);
      sharding_ = wire::sharding_info::from_supported(supported);
      std::vector<std::pair<std::string, std::string>> startup = {
          {"CQL_VERSION", "3.0.0"}, {"DRIVER_NAME", "coodie"}, {"DRIVER_VERSION", version()}};
      bool lz4 = false;
      if (options_.compression == compression::lz4) {
        for (const auto& c : supported.values("COMPRESSION")) {
          lz4 = lz4 || c == "lz4";
        }
      }
      if (lz4) {
        startup.emplace_back("COMPRESSION", "lz4");
      }
      auto req = std::make_shared<callback_request>(next(2));
      wire::write_startup(req->frame, 0, startup);
      send_internal(std::move(req));
      compress_ = lz4;
      return;
    }
    case 2: {
      if (resp->header.op == wire::opcode::authenticate) {
        std::string authenticator = wire::read_authenticate(resp->body);
        if (options_.username.empty()) {
          throw authentication_error(0x0100, "the server requires authentication (" +
                                                 authenticator +
                                                 ") but no username was configured");
        }
        std::string token;
        token.reserve(options_.username.size() + options_.password.size() + 2);
        token.push_back('\0');
        token += options_.username;
        token.push_back('\0');
        token += options_.password;
        auto req = std::make_shared<callback_request>(next(3));
        wire::write_auth_response(req->frame, 0, wire::as_bytes(token));
        std::fill(token.begin(), token.end(), '\0');
        send_internal(std::move(req));
        return;
      }
      expect(wire::opcode::ready);
      use_or_ready();
      return;
    }
    case 3: {
      if (resp->header.op == wire::opcode::auth_challenge) {
        throw authentication_error(0x0100,
                                   "the server sent a SASL challenge, which PLAIN does not answer");
      }
      expect(wire::opcode::auth_success);
      use_or_ready();
      return;
    }
    case 4: {
      expect(wire::opcode::result);
      handshake_done(nullptr);
      return;
    }
    default:
      throw usage_error("bad handshake step");
  }
}

void connection::handshake_done(std::exception_ptr e) {
  if (e) {
    close(e);
    return;
  }
  if (state_ == state::closed) {
    return;
  }
  connect_timer_.cancel();
  state_ = state::ready;
  was_ready_ = true;
  schedule_heartbeat();
  if (auto done = std::move(open_done_)) {
    open_done_ = nullptr;
    done(nullptr);
  }
}

void connection::send_internal(request_ptr req) {
  req->timeout = options_.request_timeout;
  dispatch(std::move(req));
}

void connection::send(request_ptr req) {
  if (state_ != state::ready) {
    req->complete(make_conn_error(endpoint_, "connection is not open"), nullptr, this);
    return;
  }
  dispatch(std::move(req));
}

void connection::dispatch(request_ptr req) {
  if (free_streams_.empty()) {
    if (queue_.size() >= options_.max_queued_per_connection) {
      req->complete(std::make_exception_ptr(busy_error("too many requests waiting for " +
                                                       endpoint_.to_string() + " (" +
                                                       std::to_string(queue_.size()) + " queued)")),
                    nullptr, this);
      return;
    }
    queue_.push_back(std::move(req));
    return;
  }
  std::int16_t stream = free_streams_.back();
  free_streams_.pop_back();
  slot& s = slots_[static_cast<std::size_t>(stream)];
  ++in_flight_;
  wire::set_stream(req->frame, stream);
  if (compress_ && state_ == state::ready &&
      req->frame.size() - wire::header_size >= options_.compression_threshold) {
    req->compressed.clear();
    req->compressed.resize(wire::header_size);
    wire::lz4_compress(wire::bytes_view(req->frame).subspan(wire::header_size), req->compressed);
    wire::frame_header h =
        wire::decode_header(wire::bytes_view(req->frame).first(wire::header_size));
    h.flags |= wire::frame_flags::compression;
    h.length = static_cast<std::uint32_t>(req->compressed.size() - wire::header_size);
    wire::encode_header(
        h, std::span<std::byte, wire::header_size>(req->compressed.data(), wire::header_size));
  } else {
    req->compressed.clear();
  }
  if (!s.timer) {
    s.timer.emplace(strand_);
  }
  std::uint32_t gen = ++s.generation;
  s.timer->expires_after(req->timeout);
  s.timer->async_wait(boost::asio::bind_executor(
      strand_, [self = shared_from_this(), stream, gen](boost::system::error_code ec) {
        if (!ec) {
          self->on_timeout(stream, gen);
        }
      }));
  s.req = req;
  write_pending_.push_back(std::move(req));
  if (in_flight_ == 1 && !write_in_progress_) {
    flush();  // an idle connection: no batch to wait for, write now
  } else {
    schedule_flush();  // others are in flight: gather what this turn of the loop adds
  }
}

void connection::schedule_flush() {
  if (flush_scheduled_ || write_in_progress_) {
    return;
  }
  flush_scheduled_ = true;
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    self->flush();
  });
}

void connection::flush() {
  if (write_in_progress_ || write_pending_.empty() || state_ == state::closed) {
    return;
  }
  writing_.swap(write_pending_);
  write_buffers_.clear();
  write_buffers_.reserve(writing_.size());
  std::size_t total = 0;
  for (const request_ptr& r : writing_) {
    const wire::byte_buffer& b = r->compressed.empty() ? r->frame : r->compressed;
    write_buffers_.emplace_back(b.data(), b.size());
    total += b.size();
  }
  last_write_ = std::chrono::steady_clock::now();
  if (tls_) {
    write_tls();
    return;
  }
  // Try the write right away (the socket is non-blocking): usually the kernel takes it all and
  // no completion handler, and no trip through the event loop, is needed.
  boost::system::error_code ec;
  std::size_t written = socket_.write_some(write_buffers_, ec);
  if (ec && ec != boost::asio::error::would_block && ec != boost::asio::error::try_again) {
    writing_.clear();
    close(make_conn_error(endpoint_, "write failed: " + ec.message()));
    return;
  }
  if (written == total) {
    writing_.clear();
    return;
  }
  // Drop what was written and let async_write finish the rest.
  std::size_t skip = written;
  std::size_t first = 0;
  while (skip >= write_buffers_[first].size()) {
    skip -= write_buffers_[first].size();
    ++first;
  }
  write_buffers_.erase(write_buffers_.begin(),
                       write_buffers_.begin() + static_cast<std::ptrdiff_t>(first));
  write_buffers_.front() += skip;
  write_in_progress_ = true;
  boost::asio::async_write(
      socket_, write_buffers_,
      boost::asio::bind_executor(
          strand_, [self = shared_from_this()](boost::system::error_code e, std::size_t) {
            self->write_in_progress_ = false;
            self->writing_.clear();
            if (e) {
              self->close(make_conn_error(self->endpoint_, "write failed: " + e.message()));
              return;
            }
            self->flush();
          }));
}

void connection::write_tls() {
  tls_out_.clear();
  for (const boost::asio::const_buffer& b : write_buffers_) {
    const auto* p = static_cast<const std::byte*>(b.data());
    tls_out_.insert(tls_out_.end(), p, p + b.size());
  }
  write_in_progress_ = true;
  boost::asio::async_write(
      tls_->stream, boost::asio::buffer(tls_out_),
      boost::asio::bind_executor(
          strand_, [self = shared_from_this()](boost::system::error_code e, std::size_t) {
            self->write_in_progress_ = false;
            self->writing_.clear();
            if (e) {
              self->close(make_conn_error(self->endpoint_, "write failed: " + e.message()));
              return;
            }
            self->flush();
          }));
}

void connection::start_read() {
  if (read_end_ == read_buf_.size()) {
    read_buf_.resize(read_buf_.size() * 2);
  }
  auto on_data = boost::asio::bind_executor(
      strand_, [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
        if (self->state_ == state::closed) {
          return;
        }
        if (ec) {
          bool mid_frame = self->read_end_ != self->read_begin_;
          if (mid_frame) {
            self->close(std::make_exception_ptr(
                protocol_error("connection to " + self->endpoint_.to_string() +
                               " ended in the middle of a frame (" + ec.message() + ")")));
          } else {
            self->close(make_conn_error(self->endpoint_, "connection lost: " + ec.message()));
          }
          return;
        }
        self->on_read(n);
      });
  auto space = boost::asio::buffer(read_buf_.data() + read_end_, read_buf_.size() - read_end_);
  if (tls_) {
    tls_->stream.async_read_some(space, std::move(on_data));
  } else {
    socket_.async_read_some(space, std::move(on_data));
  }
}

void connection::on_read(std::size_t n) {
  read_end_ += n;
  try {
    while (state_ != state::closed) {
      std::size_t avail = read_end_ - read_begin_;
      if (avail < wire::header_size) {
        break;
      }
      wire::bytes_view window(read_buf_.data() + read_begin_, avail);
      wire::frame_header h =
          wire::decode_header(window.first(wire::header_size), options_.max_frame_size);
      if (!h.is_response()) {
        throw protocol_error("the server sent a request frame");
      }
      std::size_t need = wire::header_size + h.length;
      if (avail < need) {
        if (need > read_buf_.size() - read_begin_) {
          std::memmove(read_buf_.data(), read_buf_.data() + read_begin_, avail);
          read_begin_ = 0;
          read_end_ = avail;
          if (need > read_buf_.size()) {
            read_buf_.resize(need);
          }
        }
        break;
      }
      read_begin_ += need;
      handle_frame(h, window.subspan(wire::header_size, h.length));
    }
  } catch (const error&) {
    close(std::current_exception());
    return;
  }
  if (state_ == state::closed) {
    return;
  }
  if (read_begin_ == read_end_) {
    read_begin_ = read_end_ = 0;
    if (read_buf_.size() > max_idle_read_buffer) {
      read_buf_.resize(initial_read_buffer);
      read_buf_.shrink_to_fit();
    }
  } else if (read_begin_ > read_buf_.size() / 2) {
    std::memmove(read_buf_.data(), read_buf_.data() + read_begin_, read_end_ - read_begin_);
    read_end_ -= read_begin_;
    read_begin_ = 0;
  }
  start_read();
}

void connection::handle_frame(const wire::frame_header& h, wire::bytes_view body) {
  if (h.stream < 0) {
    // An EVENT: only the control connection registers for them.
    if (h.op == wire::opcode::event && on_event) {
      wire::byte_buffer plain;
      if ((h.flags & wire::frame_flags::compression) != 0) {
        wire::lz4_decompress(body, plain, options_.max_frame_size);
        body = plain;
      }
      on_event(wire::read_event(body));
    }
    return;
  }
  auto index = static_cast<std::size_t>(h.stream);
  if (index >= slots_.size()) {
    throw protocol_error("response on stream " + std::to_string(h.stream) +
                         ", which was never used");
  }
  slot& s = slots_[index];
  if (s.orphaned) {
    s.orphaned = false;
    --orphaned_;
    release_stream(h.stream);
    return;
  }
  if (!s.req) {
    throw protocol_error("response on stream " + std::to_string(h.stream) +
                         ", which has no request in flight");
  }
  request_ptr req = std::move(s.req);
  s.timer->cancel();
  ++s.generation;
  --in_flight_;
  response resp;
  resp.header = h;
  if ((h.flags & wire::frame_flags::compression) != 0) {
    wire::lz4_decompress(body, resp.body, options_.max_frame_size);
    resp.header.flags &= static_cast<std::uint8_t>(~wire::frame_flags::compression);
    resp.header.length = static_cast<std::uint32_t>(resp.body.size());
  } else {
    resp.body.assign(body.begin(), body.end());
  }
  release_stream(h.stream);
  req->complete(nullptr, &resp, this);
}

void connection::release_stream(std::int16_t stream) {
  free_streams_.push_back(stream);
  if (!queue_.empty() && state_ != state::closed) {
    request_ptr next = std::move(queue_.front());
    queue_.pop_front();
    dispatch(std::move(next));
  }
}

void connection::on_timeout(std::int16_t stream, std::uint32_t generation) {
  slot& s = slots_[static_cast<std::size_t>(stream)];
  if (s.generation != generation || !s.req) {
    return;
  }
  request_ptr req = std::move(s.req);
  s.orphaned = true;
  ++orphaned_;
  --in_flight_;
  req->complete(std::make_exception_ptr(
                    request_timeout_error("no answer from " + endpoint_.to_string() + " within " +
                                          std::to_string(req->timeout.count()) + " ms")),
                nullptr, this);
}

void connection::schedule_heartbeat() {
  if (options_.heartbeat_interval.count() <= 0 || state_ != state::ready) {
    return;
  }
  heartbeat_timer_.expires_after(options_.heartbeat_interval);
  heartbeat_timer_.async_wait(boost::asio::bind_executor(
      strand_, [self = shared_from_this()](boost::system::error_code ec) {
        if (ec || self->state_ != state::ready) {
          return;
        }
        auto idle = std::chrono::steady_clock::now() - self->last_write_;
        if (idle >= self->options_.heartbeat_interval) {
          auto req =
              std::make_shared<callback_request>([self](std::exception_ptr e, response* /*r*/) {
                if (e) {
                  self->close(make_conn_error(self->endpoint_, "heartbeat failed"));
                }
              });
          wire::write_options(req->frame, 0);
          req->timeout = self->options_.request_timeout;
          self->dispatch(std::move(req));
        }
        self->schedule_heartbeat();
      }));
}

void connection::close(std::exception_ptr reason) {
  if (state_ == state::closed) {
    return;
  }
  state_ = state::closed;
  boost::system::error_code ignored;
  connect_timer_.cancel();
  heartbeat_timer_.cancel();
  resolver_.cancel();
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  std::vector<request_ptr> failed;
  for (slot& s : slots_) {
    if (s.timer) {
      s.timer->cancel();
    }
    if (s.req) {
      failed.push_back(std::move(s.req));
    }
  }
  for (request_ptr& r : queue_) {
    failed.push_back(std::move(r));
  }
  queue_.clear();
  in_flight_ = 0;
  for (request_ptr& r : failed) {
    r->complete(reason, nullptr, this);
  }
  if (auto done = std::move(open_done_)) {
    open_done_ = nullptr;
    done(reason);
  }
  if (was_ready_ && on_close) {
    auto cb = std::move(on_close);
    on_close = nullptr;
    cb(*this);
  }
}

}  // namespace coodie::driver::detail
