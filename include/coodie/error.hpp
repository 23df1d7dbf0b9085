// coodie's exception hierarchy: everything coodie throws derives from coodie::error.
//
//   coodie::error
//   ├── connection_error        could not connect, or the connection was lost
//   │   └── tls_error           the TLS handshake failed (certificate not trusted, ...)
//   ├── request_timeout_error   no answer within the client-side request timeout
//   ├── protocol_error          malformed or unexpected bytes from the peer
//   ├── codec_error             a value does not fit the C++ or CQL type it meets
//   ├── busy_error              too many requests queued (back-pressure)
//   ├── usage_error             the API was called in a way it does not support
//   │   └── page_token_error    a page token from another query, or not a page token at all
//   ├── document_not_found      get() found no row with that key
//   ├── multiple_documents_found  a single-row read matched more than one row
//   ├── invalid_model           a model declaration fails a run-time check
//   ├── schema_error            the table differs from its model, or schema agreement failed
//   └── server_error            the server answered ERROR; code() is the CQL error code
//       ├── authentication_error      0x0100 bad credentials
//       ├── unavailable_error         0x1000 (consistency, required, alive)
//       ├── overloaded_error          0x1001
//       ├── is_bootstrapping_error    0x1002
//       ├── truncate_error            0x1003
//       ├── write_timeout_error       0x1100 (consistency, received, block_for, write_type)
//       │   └── cas_write_unknown_error   write type CAS: a conditional write's outcome is unknown
//       ├── read_timeout_error        0x1200 (consistency, received, block_for, data_present)
//       ├── read_failure_error        0x1300
//       ├── function_failure_error    0x1400
//       ├── write_failure_error       0x1500
//       ├── syntax_error              0x2000
//       ├── unauthorized_error        0x2100
//       ├── invalid_query_error       0x2200
//       ├── config_error              0x2300
//       ├── already_exists_error      0x2400 (keyspace, table)
//       └── unprepared_error          0x2500 (statement id)
//
// Example:
//   try {
//     session.execute("SELECT * FROM nowhere.t");
//   } catch (const coodie::invalid_query_error& e) {
//     std::cerr << e.what() << " (code " << e.code() << ")\n";
//   } catch (const coodie::error& e) {
//     if (e.is_retryable()) { /* try again later */ }
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace coodie {

/// Consistency levels, with their protocol values.
enum class consistency : std::uint16_t {
  any = 0x0000,
  one = 0x0001,
  two = 0x0002,
  three = 0x0003,
  quorum = 0x0004,
  all = 0x0005,
  local_quorum = 0x0006,
  each_quorum = 0x0007,
  serial = 0x0008,
  local_serial = 0x0009,
  local_one = 0x000A,
};

/// The protocol name of a consistency level ("LOCAL_QUORUM"), or "UNKNOWN(n)".
std::string to_string(consistency c);

/// Root of every exception coodie throws.
class error : public std::runtime_error {
 public:
  explicit error(const std::string& what) : std::runtime_error(what) {}
  /// True when the same request may succeed if sent again (possibly to another node).
  [[nodiscard]] virtual bool is_retryable() const noexcept { return false; }
  /// True when the connection that saw this error can no longer be used.
  [[nodiscard]] virtual bool poisons_connection() const noexcept { return false; }
};

/// Connecting failed, or an established connection broke.
class connection_error : public error {
 public:
  using error::error;
  [[nodiscard]] bool is_retryable() const noexcept override { return true; }
  [[nodiscard]] bool poisons_connection() const noexcept override { return true; }
};

/// The TLS handshake failed: the server's certificate is not signed by the configured CA, its
/// name does not match, or the peer does not speak TLS. Trying again will not help.
class tls_error : public connection_error {
 public:
  using connection_error::connection_error;
  [[nodiscard]] bool is_retryable() const noexcept override { return false; }
};

/// No answer arrived within the client-side request timeout. The request may or may not have been
/// applied by the server.
class request_timeout_error : public error {
 public:
  using error::error;
  [[nodiscard]] bool is_retryable() const noexcept override { return true; }
};

/// The peer sent bytes that do not follow the protocol (truncated, oversized, garbage).
class protocol_error : public error {
 public:
  using error::error;
  [[nodiscard]] bool poisons_connection() const noexcept override { return true; }
};

/// A value cannot be converted between its C++ type and its CQL type.
class codec_error : public error {
 public:
  using error::error;
};

/// Too many requests are waiting for a connection: back-pressure, try again later.
class busy_error : public error {
 public:
  using error::error;
  [[nodiscard]] bool is_retryable() const noexcept override { return true; }
};

/// The API was used in a way it does not support (for example a closed session).
class usage_error : public error {
 public:
  using error::error;
};

/// Connection settings that cannot be read (a connection URI, a COODIE_* environment variable).
/// The message names the setting and the value at fault, and never shows a password.
class settings_error : public usage_error {
 public:
  using usage_error::usage_error;
};

/// A page token passed to a query that did not hand it out (other restrictions, other table,
/// other columns), or text that is no page token. Nothing was sent.
class page_token_error : public usage_error {
 public:
  using usage_error::usage_error;
};

/// A call broke a guardrail set to refuse (session_options::guardrails); nothing was sent.
class guardrail_error : public usage_error {
 public:
  using usage_error::usage_error;
};

/// The server answered with an ERROR message.
class server_error : public error {
 public:
  server_error(std::int32_t code, std::string message);
  /// The CQL error code (0x2200 for Invalid, ...).
  [[nodiscard]] std::int32_t code() const noexcept { return code_; }
  /// The server's own message, without the prefix that what() adds.
  [[nodiscard]] const std::string& server_message() const noexcept { return message_; }
  [[nodiscard]] bool is_retryable() const noexcept override;

 private:
  std::int32_t code_;
  std::string message_;
};

class authentication_error : public server_error {
 public:
  using server_error::server_error;
};
class unavailable_error : public server_error {
 public:
  unavailable_error(std::int32_t code, std::string message, consistency cl, std::int32_t required,
                    std::int32_t alive)
      : server_error(code, std::move(message)), cl_(cl), required_(required), alive_(alive) {}
  [[nodiscard]] consistency cl() const noexcept { return cl_; }
  [[nodiscard]] std::int32_t required() const noexcept { return required_; }
  [[nodiscard]] std::int32_t alive() const noexcept { return alive_; }

 private:
  consistency cl_;
  std::int32_t required_;
  std::int32_t alive_;
};
class overloaded_error : public server_error {
 public:
  using server_error::server_error;
};
class is_bootstrapping_error : public server_error {
 public:
  using server_error::server_error;
};
class truncate_error : public server_error {
 public:
  using server_error::server_error;
};

/// Common fields of read/write timeouts and failures.
struct replica_response_info {
  consistency cl = consistency::one;
  std::int32_t received = 0;
  std::int32_t block_for = 0;
};

class write_timeout_error : public server_error {
 public:
  write_timeout_error(std::int32_t code, std::string message, replica_response_info info,
                      std::string write_type)
      : server_error(code, std::move(message)), info_(info), write_type_(std::move(write_type)) {}
  [[nodiscard]] const replica_response_info& info() const noexcept { return info_; }
  /// SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, BATCH_LOG, CAS, VIEW or CDC.
  [[nodiscard]] const std::string& write_type() const noexcept { return write_type_; }

 private:
  replica_response_info info_;
  std::string write_type_;
};
/// A conditional write (a lightweight transaction) timed out with write type CAS: whether it
/// applied is unknown, and it was not retried. Read the row (at SERIAL to see any Paxos round in
/// progress) to find out.
class cas_write_unknown_error : public write_timeout_error {
 public:
  using write_timeout_error::write_timeout_error;
  [[nodiscard]] bool is_retryable() const noexcept override { return false; }
};
class read_timeout_error : public server_error {
 public:
  read_timeout_error(std::int32_t code, std::string message, replica_response_info info,
                     bool data_present)
      : server_error(code, std::move(message)), info_(info), data_present_(data_present) {}
  [[nodiscard]] const replica_response_info& info() const noexcept { return info_; }
  [[nodiscard]] bool data_present() const noexcept { return data_present_; }

 private:
  replica_response_info info_;
  bool data_present_;
};
class read_failure_error : public server_error {
 public:
  read_failure_error(std::int32_t code, std::string message, replica_response_info info,
                     std::int32_t failures, bool data_present)
      : server_error(code, std::move(message)),
        info_(info),
        failures_(failures),
        data_present_(data_present) {}
  [[nodiscard]] const replica_response_info& info() const noexcept { return info_; }
  [[nodiscard]] std::int32_t failures() const noexcept { return failures_; }
  [[nodiscard]] bool data_present() const noexcept { return data_present_; }

 private:
  replica_response_info info_;
  std::int32_t failures_;
  bool data_present_;
};
class function_failure_error : public server_error {
 public:
  function_failure_error(std::int32_t code, std::string message, std::string keyspace,
                         std::string function, std::vector<std::string> arg_types)
      : server_error(code, std::move(message)),
        keyspace_(std::move(keyspace)),
        function_(std::move(function)),
        arg_types_(std::move(arg_types)) {}
  [[nodiscard]] const std::string& keyspace() const noexcept { return keyspace_; }
  [[nodiscard]] const std::string& function() const noexcept { return function_; }
  [[nodiscard]] const std::vector<std::string>& arg_types() const noexcept { return arg_types_; }

 private:
  std::string keyspace_;
  std::string function_;
  std::vector<std::string> arg_types_;
};
class write_failure_error : public server_error {
 public:
  write_failure_error(std::int32_t code, std::string message, replica_response_info info,
                      std::int32_t failures, std::string write_type)
      : server_error(code, std::move(message)),
        info_(info),
        failures_(failures),
        write_type_(std::move(write_type)) {}
  [[nodiscard]] const replica_response_info& info() const noexcept { return info_; }
  [[nodiscard]] std::int32_t failures() const noexcept { return failures_; }
  [[nodiscard]] const std::string& write_type() const noexcept { return write_type_; }

 private:
  replica_response_info info_;
  std::int32_t failures_;
  std::string write_type_;
};
class syntax_error : public server_error {
 public:
  using server_error::server_error;
};
class unauthorized_error : public server_error {
 public:
  using server_error::server_error;
};
class invalid_query_error : public server_error {
 public:
  using server_error::server_error;
};
class config_error : public server_error {
 public:
  using server_error::server_error;
};
class already_exists_error : public server_error {
 public:
  already_exists_error(std::int32_t code, std::string message, std::string keyspace,
                       std::string table)
      : server_error(code, std::move(message)),
        keyspace_(std::move(keyspace)),
        table_(std::move(table)) {}
  [[nodiscard]] const std::string& keyspace() const noexcept { return keyspace_; }
  /// Empty when the keyspace itself already exists.
  [[nodiscard]] const std::string& table() const noexcept { return table_; }

 private:
  std::string keyspace_;
  std::string table_;
};
class unprepared_error : public server_error {
 public:
  unprepared_error(std::int32_t code, std::string message, std::string statement_id)
      : server_error(code, std::move(message)), statement_id_(std::move(statement_id)) {}
  /// The raw prepared-statement id the server no longer knows.
  [[nodiscard]] const std::string& statement_id() const noexcept { return statement_id_; }

 private:
  std::string statement_id_;
};

/// get() found no row with the given primary key. The message names the model and table.
class document_not_found : public error {
 public:
  using error::error;
};

/// A read that must match at most one row (find_one, get) matched several.
class multiple_documents_found : public error {
 public:
  using error::error;
};

/// A model declaration or a run-time named column fails a check the compiler could not make:
/// a column name the model lacks, a CQL type choice the member's C++ type cannot take.
class invalid_model : public error {
 public:
  using error::error;
};

/// The live table cannot be brought to the model safely (a type or key change, a column that
/// the model dropped), or the nodes did not agree on a schema in time. Names table and column.
class schema_error : public error {
 public:
  schema_error(std::string message, std::string table, std::string column = {})
      : error(std::move(message)), table_(std::move(table)), column_(std::move(column)) {}
  [[nodiscard]] const std::string& table() const noexcept { return table_; }
  [[nodiscard]] const std::string& column() const noexcept { return column_; }

 private:
  std::string table_;
  std::string column_;
};

/// A migration run stopped. why() says how: refused before changing anything (an applied
/// migration's file changed, a destructive step without allow_destructive, an unknown target, an
/// irreversible rollback, a malformed migration file), locked (another runner holds the lock past
/// the wait, or this runner lost it), or failed (a step failed; the state table records what was
/// applied). migration() names the migration at fault, when there is one.
class migration_error : public error {
 public:
  enum class reason : std::uint8_t { refused, locked, failed };
  migration_error(reason why, const std::string& message, std::string migration = {})
      : error(message), why_(why), migration_(std::move(migration)) {}
  [[nodiscard]] reason why() const noexcept { return why_; }
  [[nodiscard]] const std::string& migration() const noexcept { return migration_; }

 private:
  reason why_;
  std::string migration_;
};

}  // namespace coodie
