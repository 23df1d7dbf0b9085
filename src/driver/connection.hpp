// One CQL connection: stream-id multiplexing, write coalescing, frame reading, per-request
// timeouts, heartbeats and the STARTUP/AUTH/USE handshake. Runs on one strand; every member
// function must be called on it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "coodie/driver/options.hpp"
#include "coodie/wire/frame.hpp"
#include "coodie/wire/messages.hpp"
#include "coodie/wire/sharding.hpp"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace coodie::driver::detail {
using strand_type = boost::asio::strand<boost::asio::any_io_executor>;

class connection;
struct host_pool;

/// A response frame: header and (decompressed) body.
struct response {
  wire::frame_header header;
  wire::byte_buffer body;
};

/// A request in flight. `frame` is a whole encoded frame; its stream id is set when it is sent.
class request {
 public:
  request() = default;
  request(const request&) = delete;
  request& operator=(const request&) = delete;
  virtual ~request() = default;

  /// Called once on the strand: with an error, or with the response and the connection that
  /// carried it.
  virtual void complete(std::exception_ptr error, response* resp, connection* conn) = 0;

  wire::byte_buffer frame;
  std::chrono::milliseconds timeout{12000};
  /// Scratch space for the compressed copy of the frame.
  wire::byte_buffer compressed;
};
using request_ptr = std::shared_ptr<request>;

/// A request completed by a plain callback (handshake, heartbeats, USE).
class callback_request final : public request {
 public:
  explicit callback_request(std::function<void(std::exception_ptr, response*)> cb)
      : cb_(std::move(cb)) {}
  void complete(std::exception_ptr error, response* resp, connection* /*conn*/) override {
    cb_(std::move(error), resp);
  }

 private:
  std::function<void(std::exception_ptr, response*)> cb_;
};

/// Where a connection goes.
struct endpoint {
  std::string host;
  std::uint16_t port = 9042;
  [[nodiscard]] std::string to_string() const { return host + ":" + std::to_string(port); }
};

/// Splits "host", "host:port" and "[v6]:port" (default_port when none is given); usage_error
/// naming the text when it is none of them.
endpoint parse_endpoint(std::string_view text, std::uint16_t default_port);

/// A ScyllaDB shard to reach through the node's shard-aware port: the socket is bound to a local
/// port p with p % nr_shards == shard before it connects.
struct shard_target {
  std::uint32_t shard = 0;
  std::uint32_t nr_shards = 1;
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  /// `tls`: the session's TLS context, or null for plain TCP.
  connection(strand_type strand, endpoint ep, std::shared_ptr<const session_options> options,
             std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~connection();

  /// Connects and runs the handshake (OPTIONS, STARTUP, authentication, USE keyspace). With
  /// `via`, the socket first binds a local port that lands on that shard (when no such port is
  /// free it connects from any port, and the server picks the shard).
  void async_open(std::string keyspace, std::function<void(std::exception_ptr)> done,
                  std::optional<shard_target> via = std::nullopt);
  /// Sends a request; completes it with busy_error when the queue is full and with
  /// connection_error when the connection is closed.
  void send(request_ptr req);
  /// Fails every request and closes the socket. Idempotent.
  void close(std::exception_ptr reason);

  [[nodiscard]] bool is_ready() const noexcept { return state_ == state::ready; }
  [[nodiscard]] bool is_closed() const noexcept { return state_ == state::closed; }
  [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_ + queue_.size(); }
  [[nodiscard]] const endpoint& remote() const noexcept { return endpoint_; }
  [[nodiscard]] bool compressed() const noexcept { return compress_; }
  /// The node's sharding, when it is ScyllaDB (from its SUPPORTED); known once ready.
  [[nodiscard]] const std::optional<wire::sharding_info>& sharding() const noexcept {
    return sharding_;
  }
  /// The shard serving this connection: the server's word once ready, else the one aimed at.
  [[nodiscard]] std::optional<std::uint32_t> shard() const noexcept {
    return sharding_ ? std::optional<std::uint32_t>(sharding_->shard) : target_shard_;
  }
  /// The local port of the socket, 0 when not connected.
  [[nodiscard]] std::uint16_t local_port() const noexcept;
  /// Orphaned stream ids: their request timed out, their answer has not arrived yet.
  [[nodiscard]] std::size_t orphaned() const noexcept { return orphaned_; }

  /// Called once when the connection closes after having been ready.
  std::function<void(connection&)> on_close;
  /// The pool this connection belongs to (null for the control connection).
  host_pool* host = nullptr;
  /// Called for every EVENT the server pushes (after REGISTER), on the strand.
  std::function<void(const wire::event&)> on_event;

 private:
  enum class state : std::uint8_t { idle, connecting, handshaking, ready, closed };

  struct slot {
    request_ptr req;
    std::optional<boost::asio::steady_timer> timer;
    std::uint32_t generation = 0;
    bool orphaned = false;
  };

  /// Binds the socket to a free local port on `via.shard`; false when none of the tried ports is.
  bool bind_shard_port(const boost::asio::ip::tcp& protocol, shard_target via);
  void start_handshake(std::string keyspace);
  void handshake_step(int step, response* resp);
  void handshake_done(std::exception_ptr e);
  void send_internal(request_ptr req);

  void dispatch(request_ptr req);
  void schedule_flush();
  void flush();
  void start_read();
  /// After TCP connect: the TLS handshake when TLS is on, then the CQL handshake.
  void start_tls(std::string keyspace);
  void write_tls();
  void on_read(std::size_t n);
  void handle_frame(const wire::frame_header& h, wire::bytes_view body);
  void on_timeout(std::int16_t stream, std::uint32_t generation);
  void release_stream(std::int16_t stream);
  void schedule_heartbeat();

  strand_type strand_;
  endpoint endpoint_;
  std::shared_ptr<const session_options> opts_;
  const session_options& options_;
  boost::asio::ip::tcp::socket socket_;
  struct tls_state;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;
  std::unique_ptr<tls_state> tls_;
  /// Under TLS the frames are copied into one buffer: one record and one write per flush.
  wire::byte_buffer tls_out_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer connect_timer_;
  boost::asio::steady_timer heartbeat_timer_;
  state state_ = state::idle;
  bool compress_ = false;
  bool was_ready_ = false;
  std::optional<wire::sharding_info> sharding_;
  std::optional<std::uint32_t> target_shard_;

  std::vector<slot> slots_;
  std::vector<std::int16_t> free_streams_;
  std::size_t in_flight_ = 0;
  std::size_t orphaned_ = 0;
  std::deque<request_ptr> queue_;  // waiting for a stream id

  std::vector<request_ptr> write_pending_;
  std::vector<request_ptr> writing_;
  std::vector<boost::asio::const_buffer> write_buffers_;
  bool write_in_progress_ = false;
  bool flush_scheduled_ = false;
  std::chrono::steady_clock::time_point last_write_{};

  wire::byte_buffer read_buf_;
  std::size_t read_begin_ = 0;
  std::size_t read_end_ = 0;

  std::function<void(std::exception_ptr)> open_done_;
  std::string handshake_keyspace_;
};

}  // namespace coodie::driver::detail
