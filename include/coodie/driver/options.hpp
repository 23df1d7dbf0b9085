// Session options: a plain struct whose every default is documented here, filled in code, from
// a connection URI or from the environment.
//
// Example:
//   auto o = coodie::session_options::from_uri(
//       "cassandra://app:secret@10.0.0.1,10.0.0.2:9042/shop?consistency=local_quorum&tls=1");
//   auto e = coodie::session_options::from_env();  // COODIE_HOSTS, COODIE_USERNAME, ...
//
//   coodie::session_options o;
//   o.hosts = {"127.0.0.1:9042"};
//   o.keyspace = "shop";
//   o.username = "cassandra";
//   o.password = "cassandra";
//   o.compression = coodie::compression::lz4;
//   coodie::driver_session s = coodie::driver_session::connect(o);
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coodie/driver/retry.hpp"
#include "coodie/error.hpp"
#include "coodie/wire/values.hpp"

namespace coodie {

enum class compression : std::uint8_t {
  none,  ///< frames travel uncompressed
  lz4,   ///< LZ4 when the server offers it, else none
};

/// TLS for every connection (OpenSSL). The server's certificate is always verified against
/// `ca_file` (or the system's trust store when it is empty).
///
/// Example:
///   o.tls.enabled = true;
///   o.tls.ca_file = "/etc/cassandra/ca.crt";
///   o.tls.verify_hostname = true;  // the certificate must name the host connected to
struct tls_options {
  bool enabled = false;
  /// PEM file of the CA(s) that sign the nodes' certificates. Empty: the default trust store.
  std::string ca_file = {};
  /// Also check that the certificate names the address or host name connected to.
  bool verify_hostname = false;
  /// Client certificate chain and private key (PEM), for nodes that require client auth.
  std::string cert_file = {};
  std::string key_file = {};
};

/// What the server attached to an answer: its warnings (a large batch, many tombstones, ...)
/// and, for a traced request, the trace id.
struct response_notes {
  std::string statement;  ///< the CQL text (a batch: "BATCH: " and its first prepared statement)
  std::vector<std::string> warnings;
  std::optional<uuid> trace_id;
};

/// What a guardrail does when a call breaks its rule.
enum class guard : std::uint8_t {
  allow,   ///< nothing
  warn,    ///< a warning to session_options::on_response_notes (or stderr), then the call runs
  refuse,  ///< guardrail_error before anything is sent
};

/// Rules the object mapper checks before sending, each set to allow, warn or refuse; messages
/// name the model and column. The driver itself does not read them.
///   o.guardrails.null_writes = coodie::guard::refuse;
///   o.guardrails.skip_nulls = true;  // or save only the members that are set
struct guardrail_policy {
  /// save, insert or update of members writing std::nullopt, or an empty non-frozen collection
  /// (which Cassandra stores as null), into a regular or static column: a tombstone where
  /// leaving the column unset might do. An explicit assign of std::nullopt, and remove_columns,
  /// are not checked: they ask for the null.
  guard null_writes = guard::allow;
  /// Bind those values as unset instead (the column keeps what it had: save and insert no
  /// longer clear it). write_options::skip_nulls decides per call.
  bool skip_nulls = false;
  /// A logged batch over more than max_batch_partitions partitions.
  guard batch_partitions = guard::warn;
  std::size_t max_batch_partitions = 25;
  /// A batch whose bound values exceed max_batch_bytes (by the estimate of
  /// bulk_save_options::max_batch_bytes; Cassandra warns past 5 KiB).
  guard batch_size = guard::warn;
  std::size_t max_batch_bytes = 5120;
  /// An IN restriction with more than max_in_values values.
  guard in_values = guard::warn;
  std::size_t max_in_values = 100;
  /// A query run with allow_filtering() that the server must filter (a scan).
  guard filtering = guard::allow;
};

struct session_options {
  /// Contact points as "host" or "host:port". Default: 127.0.0.1.
  std::vector<std::string> hosts = {"127.0.0.1"};
  /// Port used for hosts given without one.
  std::uint16_t port = 9042;
  /// Keyspace every connection USEs. Empty: none.
  std::string keyspace = {};
  /// SASL PLAIN credentials, sent only when the server asks for authentication.
  std::string username = {};
  std::string password = {};
  /// Connections opened to each host.
  std::size_t connections_per_host = 1;
  /// TLS; off by default.
  tls_options tls = {};
  /// Body compression to negotiate.
  coodie::compression compression = coodie::compression::none;
  /// Bodies smaller than this travel uncompressed even when LZ4 is on.
  std::size_t compression_threshold = 512;
  std::chrono::milliseconds connect_timeout{5000};
  /// Client-side timeout of a request unless the statement sets its own.
  std::chrono::milliseconds request_timeout{12000};
  /// An idle connection sends OPTIONS this often; 0 disables heartbeats.
  std::chrono::milliseconds heartbeat_interval{30000};
  consistency default_consistency = consistency::local_one;
  std::optional<consistency> default_serial_consistency = std::nullopt;
  /// Rows per page unless the statement sets its own; 0 disables paging.
  std::int32_t default_page_size = 5000;
  /// Send a client-generated, strictly increasing default timestamp with every write.
  bool client_timestamps = true;
  /// Requests in flight on one connection (stream ids in use), at most 32768.
  std::size_t max_requests_per_connection = 8192;
  /// Requests waiting for a free stream id per connection; past it requests fail with busy_error.
  std::size_t max_queued_per_connection = 65536;
  /// Requests the session runs at once (each until its final answer, retries and speculative
  /// executions included). More wait in order for a slot, which holds back callers that issue
  /// requests faster than the cluster answers them. 0: no limit.
  std::size_t max_in_flight = 4096;
  /// Requests that may wait for a slot; past it a request fails at once with busy_error.
  std::size_t max_waiting = 65536;
  /// Largest frame body accepted from the server.
  std::uint32_t max_frame_size = 256u * 1024u * 1024u;
  /// Threads that run the session's own io_context (when it owns one). 0: none; the threads
  /// that wait in blocking calls run the I/O themselves, one at a time, which spares each call
  /// two thread hand-offs (the request to the I/O thread, the answer back). Asynchronous calls
  /// and background work (timers, reconnection, server events) then progress only while some
  /// thread waits in a blocking call: for programs that use the session through blocking calls.
  std::size_t io_threads = 1;

  // Cluster --------------------------------------------------------------------------------
  /// Find the other nodes through the first contact point that answers (system.local,
  /// system.peers_v2 or system.peers) and follow topology, status and schema events on one
  /// control connection. false: use the contact points only (a proxy or load balancer in front).
  bool discover_peers = true;
  /// The data center whose nodes serve requests. Empty: that of the first contact point that
  /// answers.
  std::string local_dc = {};
  /// Send requests to nodes of other data centers when no local node can take them.
  bool allow_remote_dc_fallback = false;
  /// Send each prepared statement whose partition key is fully bound to a replica of its
  /// partition (Murmur3 token of the key, replicas from the keyspace's replication).
  bool token_aware = true;
  /// Reconnection to a lost node: the first delay, doubled after each failure up to the cap,
  /// plus up to 20% jitter. A node that gossip reports UP is retried at once.
  std::chrono::milliseconds reconnect_base_delay{500};
  std::chrono::milliseconds reconnect_max_delay{30000};
  /// After a schema change, wait until every reachable node reports the same schema version,
  /// polling this often; past the timeout the call fails with schema_error. 0 disables the wait.
  std::chrono::milliseconds schema_agreement_timeout{10000};
  std::chrono::milliseconds schema_agreement_interval{200};
  /// Speculative execution, for statements marked idempotent only: when no answer came within
  /// this delay, send the request to the next host too and take the first answer; at most
  /// max_speculative_executions extra attempts per request. 0 disables it.
  std::chrono::milliseconds speculative_delay{0};
  int max_speculative_executions = 1;
  /// What to do when an attempt fails. nullptr: retry_policy (the default matrix).
  std::shared_ptr<const retry_policy> retry = nullptr;

  // Diagnostics ----------------------------------------------------------------------------
  /// Ask the server to trace every request unless a statement says otherwise (set_tracing).
  /// Each trace costs the server writes to system_traces: for debugging, not for all traffic.
  bool tracing = false;
  /// Called for every answer that carries warnings or a trace id, on the session's I/O thread,
  /// and for every guardrail warning, on the thread of the call that broke the rule: it must be
  /// thread-safe and short; an exception it throws is dropped. nullptr: each warning is written
  /// to stderr as one line "coodie: server warning: <text> (<statement>)" (or "coodie: coodie
  /// guardrail: ..."); warnings are never dropped silently.
  std::function<void(const response_notes&)> on_response_notes = nullptr;
  /// Rules the object mapper checks before sending (guardrail_policy).
  guardrail_policy guardrails = {};

  // Settings from text ----------------------------------------------------------------------
  /// Reads a connection URI:
  ///   cassandra://[user[:password]@]host[:port][,host[:port]...][/keyspace][?name=value&...]
  /// Hosts take "[v6]:port" for IPv6. Percent-encode '@', ':', '/', '?', '&' and '%' inside the
  /// user name, the password and values. The query names (each at most once):
  ///   consistency, serial_consistency  e.g. local_quorum (any case)
  ///   local_dc                         data center name
  ///   tls                              1/0, true/false, yes/no, on/off
  ///   tls_ca, tls_cert, tls_key        PEM files (any of them turns TLS on)
  ///   tls_verify_hostname              boolean
  ///   compression                      none | lz4
  ///   connect_timeout, request_timeout a number with ms or s: 500ms, 5s
  ///   page_size                        rows per page, 0 disables paging
  ///   connections_per_host             1 or more
  ///   io_threads                       0 (blocking callers run the I/O) to 64
  ///   discover_peers, token_aware      boolean
  /// Everything else keeps its default. Throws settings_error naming the part at fault; the
  /// URI in a message shows "***" for the password.
  static session_options from_uri(std::string_view uri);

  /// Reads the environment: COODIE_URI first when set (as from_uri), then each of these that is
  /// set and not empty: COODIE_HOSTS (comma-separated host[:port]), COODIE_PORT,
  /// COODIE_USERNAME, COODIE_PASSWORD, COODIE_KEYSPACE, and COODIE_ followed by a query name of
  /// from_uri in capitals (COODIE_CONSISTENCY, COODIE_TLS_CA, COODIE_REQUEST_TIMEOUT, ...).
  /// Nothing set: the defaults above (127.0.0.1, no credentials). Throws settings_error naming
  /// the variable at fault (never the password's value).
  static session_options from_env();
  /// As from_env(), reading each variable through `lookup` (nullopt: not set).
  static session_options from_env(
      const std::function<std::optional<std::string>(const std::string& name)>& lookup);
};

}  // namespace coodie
