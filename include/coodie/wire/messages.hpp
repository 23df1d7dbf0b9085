// Every request the client sends and every response it reads, for protocol v4.
//
// Requests are appended to a buffer as whole frames (header included). Responses are decoded from
// a body (after read_response_prefix); decoded views point into that body, which must outlive them.
//
// Example:
//   byte_buffer out;
//   coodie::wire::write_query(out, /*stream=*/1, "SELECT * FROM ks.t", {}, {});
//   ...
//   coodie::wire::result res = coodie::wire::read_result(body);
//   if (auto* rows = std::get_if<coodie::wire::rows_result>(&res)) { ... }
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "coodie/error.hpp"
#include "coodie/wire/codec.hpp"
#include "coodie/wire/data_type.hpp"
#include "coodie/wire/frame.hpp"

namespace coodie::wire {

// ---------------------------------------------------------------------------------------------
// Requests

/// Bound values already encoded as `count` consecutive [value]s.
struct bound_values {
  std::uint16_t count = 0;
  bytes_view data;
};

/// <query_parameters> of QUERY and EXECUTE.
struct query_parameters {
  consistency cl = consistency::local_one;
  bool skip_metadata = false;
  /// > 0 enables paging with that many rows per page.
  std::int32_t page_size = 0;
  /// Opaque state from a previous page's metadata.
  std::optional<bytes_view> paging_state;
  std::optional<consistency> serial_consistency;
  /// Default timestamp in microseconds since the epoch.
  std::optional<std::int64_t> timestamp;
};

void write_startup(byte_buffer& out, std::int16_t stream,
                   const std::vector<std::pair<std::string, std::string>>& options);
void write_options(byte_buffer& out, std::int16_t stream);
/// token std::nullopt writes a null [bytes].
void write_auth_response(byte_buffer& out, std::int16_t stream, std::optional<bytes_view> token);
void write_query(byte_buffer& out, std::int16_t stream, std::string_view cql,
                 const query_parameters& params, bound_values values);
void write_prepare(byte_buffer& out, std::int16_t stream, std::string_view cql);
void write_execute(byte_buffer& out, std::int16_t stream, bytes_view id,
                   const query_parameters& params, bound_values values);

enum class batch_type : std::uint8_t { logged = 0, unlogged = 1, counter = 2 };

struct batch_entry {
  /// Either CQL text (is_prepared false) or a prepared id.
  bool is_prepared = false;
  std::string_view cql;
  bytes_view id;
  bound_values values;
};

struct batch_parameters {
  consistency cl = consistency::local_one;
  std::optional<consistency> serial_consistency;
  std::optional<std::int64_t> timestamp;
};

/// Throws codec_error on more than 65535 entries.
void write_batch(byte_buffer& out, std::int16_t stream, batch_type type,
                 std::span<const batch_entry> entries, const batch_parameters& params);
void write_register(byte_buffer& out, std::int16_t stream,
                    const std::vector<std::string>& event_types);

// ---------------------------------------------------------------------------------------------
// Responses

struct supported_response {
  std::vector<std::pair<std::string, std::vector<std::string>>> options;
  /// The values of one key, or an empty list.
  [[nodiscard]] std::vector<std::string> values(std::string_view key) const;
};
supported_response read_supported(bytes_view body);

/// AUTHENTICATE: the authenticator's class name.
std::string read_authenticate(bytes_view body);
/// AUTH_CHALLENGE and AUTH_SUCCESS: an optional token.
std::optional<byte_buffer> read_auth_token(bytes_view body);

/// Reads an ERROR body and returns the matching coodie::server_error subclass.
std::exception_ptr read_error(bytes_view body);
/// Reads an ERROR body and throws it.
[[noreturn]] void throw_error(bytes_view body);

struct column_spec {
  std::string keyspace;
  std::string table;
  std::string name;
  data_type type;
};

namespace metadata_flags {
inline constexpr std::int32_t global_tables_spec = 0x0001;
inline constexpr std::int32_t has_more_pages = 0x0002;
inline constexpr std::int32_t no_metadata = 0x0004;
}  // namespace metadata_flags

/// Result-set metadata of a Rows result or of a Prepared result's result part.
struct result_metadata {
  std::int32_t flags = 0;
  std::int32_t column_count = 0;
  /// Present when more pages exist; a view into the body.
  std::optional<bytes_view> paging_state;
  /// Empty when flags has no_metadata.
  std::vector<column_spec> columns;
};
result_metadata read_result_metadata(reader& r);

struct void_result {};
struct rows_result {
  result_metadata metadata;
  std::int32_t row_count = 0;
  /// The rows: row_count × column_count [bytes], a view into the body.
  bytes_view rows;
};
struct set_keyspace_result {
  std::string keyspace;
};
struct prepared_result {
  bytes_view id;
  std::int32_t flags = 0;
  /// Bind-marker positions of the partition key columns, in key order.
  std::vector<std::uint16_t> pk_indexes;
  /// The bind markers.
  std::vector<column_spec> variables;
  result_metadata result;
};
struct schema_change_result {
  std::string change_type;  ///< CREATED, UPDATED, DROPPED
  std::string target;       ///< KEYSPACE, TABLE, TYPE, FUNCTION, AGGREGATE
  std::string keyspace;
  std::string name;  ///< empty for KEYSPACE
  std::vector<std::string> arg_types;
};

using result = std::variant<void_result, rows_result, set_keyspace_result, prepared_result,
                            schema_change_result>;
/// Reads a RESULT body of any kind. Rows are not decoded, only located and bounds-checked
/// later by row_reader.
result read_result(bytes_view body);

/// Walks the [bytes] cells of a rows_result row by row; every read is bounds-checked.
class row_reader {
 public:
  row_reader(bytes_view rows, std::int32_t row_count, std::int32_t column_count) noexcept
      : reader_(rows), rows_left_(row_count), columns_(column_count) {}
  /// Moves to the next row; false at the end.
  bool next_row() {
    if (column_ < columns_ && rows_started_) {
      skip_rest_of_row();
    }
    if (rows_left_ <= 0) {
      return false;
    }
    --rows_left_;
    rows_started_ = true;
    column_ = 0;
    return true;
  }
  /// The next cell of the current row (null when the server sent a negative length).
  value_view next_cell() {
    if (column_ >= columns_) {
      throw_malformed("row has fewer columns than its metadata");
    }
    ++column_;
    std::optional<bytes_view> b = reader_.bytes();
    return b ? value_view(*b) : value_view::null();
  }
  [[nodiscard]] std::int32_t column_count() const noexcept { return columns_; }

 private:
  void skip_rest_of_row() {
    while (column_ < columns_) {
      (void)next_cell();
    }
  }
  reader reader_;
  std::int32_t rows_left_;
  std::int32_t columns_;
  std::int32_t column_ = 0;
  bool rows_started_ = false;
};

struct event {
  std::string type;     ///< TOPOLOGY_CHANGE, STATUS_CHANGE, SCHEMA_CHANGE
  std::string change;   ///< NEW_NODE, REMOVED_NODE, MOVED_NODE, UP, DOWN (topology/status)
  byte_buffer address;  ///< 4 or 16 bytes (topology/status)
  std::int32_t port = 0;
  schema_change_result schema;  ///< SCHEMA_CHANGE
};
event read_event(bytes_view body);

}  // namespace coodie::wire
