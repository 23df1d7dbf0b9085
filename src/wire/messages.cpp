// Request writers and response readers of protocol v4.
#include "coodie/wire/messages.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace coodie::wire {

namespace {

// --- requests --------------------------------------------------------------------------------

namespace query_flags {
constexpr std::uint8_t values = 0x01;
constexpr std::uint8_t skip_metadata = 0x02;
constexpr std::uint8_t page_size = 0x04;
constexpr std::uint8_t paging_state = 0x08;
constexpr std::uint8_t serial_consistency = 0x10;
constexpr std::uint8_t default_timestamp = 0x20;
}  // namespace query_flags

// Appends one whole frame whose body `write_body` produces. On an exception the buffer is left as
// it was, so a failed request never leaves a half-written frame behind.
template <class WriteBody>
void write_frame(byte_buffer& out, opcode op, std::int16_t stream, WriteBody&& write_body) {
  std::size_t at = begin_frame(out, op, stream);
  try {
    writer w(out);
    write_body(w);
    end_frame(out, at);
  } catch (...) {
    out.resize(at);
    throw;
  }
}

void check_values(bound_values values) {
  if (values.count == 0 && !values.data.empty()) {
    throw usage_error("bound_values has encoded data but a count of 0");
  }
}

void write_values(writer& w, bound_values values) {
  w.u16(values.count);
  w.raw(values.data);
}

void write_query_parameters(writer& w, const query_parameters& p, bound_values values) {
  check_values(values);
  std::uint8_t flags = 0;
  if (values.count > 0) {
    flags |= query_flags::values;
  }
  if (p.skip_metadata) {
    flags |= query_flags::skip_metadata;
  }
  if (p.page_size > 0) {
    flags |= query_flags::page_size;
  }
  if (p.paging_state) {
    flags |= query_flags::paging_state;
  }
  if (p.serial_consistency) {
    flags |= query_flags::serial_consistency;
  }
  if (p.timestamp) {
    flags |= query_flags::default_timestamp;
  }
  w.u16(static_cast<std::uint16_t>(p.cl));
  w.u8(flags);
  if (values.count > 0) {
    write_values(w, values);
  }
  if (p.page_size > 0) {
    w.i32(p.page_size);
  }
  if (p.paging_state) {
    w.bytes(*p.paging_state);
  }
  if (p.serial_consistency) {
    w.u16(static_cast<std::uint16_t>(*p.serial_consistency));
  }
  if (p.timestamp) {
    w.i64(*p.timestamp);
  }
}

// --- responses -------------------------------------------------------------------------------

consistency read_consistency(reader& r) {
  return static_cast<consistency>(r.u16());
}

replica_response_info read_replica_info(reader& r) {
  replica_response_info info;
  info.cl = read_consistency(r);
  info.received = r.i32();
  info.block_for = r.i32();
  return info;
}

std::int32_t read_count(reader& r, std::string_view what) {
  std::int32_t n = r.i32();
  if (n < 0) {
    throw_malformed(fmt::format("negative {} ({})", what, n));
  }
  return n;
}

schema_change_result read_schema_change(reader& r) {
  schema_change_result s;
  s.change_type = std::string(r.string());
  s.target = std::string(r.string());
  if (s.target == "KEYSPACE") {
    s.keyspace = std::string(r.string());
  } else if (s.target == "TABLE" || s.target == "TYPE") {
    s.keyspace = std::string(r.string());
    s.name = std::string(r.string());
  } else if (s.target == "FUNCTION" || s.target == "AGGREGATE") {
    s.keyspace = std::string(r.string());
    s.name = std::string(r.string());
    s.arg_types = r.string_list();
  } else {
    throw_malformed(fmt::format("unknown schema change target '{}'", s.target));
  }
  return s;
}

// Column specs of a metadata block: the optional global table spec, then `count` specs.
std::vector<column_spec> read_column_specs(reader& r, std::int32_t flags, std::int32_t count) {
  std::vector<column_spec> columns;
  const bool global = (flags & metadata_flags::global_tables_spec) != 0;
  std::string_view ks;
  std::string_view table;
  if (global) {
    ks = r.string();
    table = r.string();
  }
  // A spec takes at least 4 bytes (empty name, type id), 8 with its own keyspace and table.
  columns.reserve(std::min(static_cast<std::size_t>(count), r.remaining() / (global ? 4 : 8)));
  for (std::int32_t i = 0; i < count; ++i) {
    column_spec& c = columns.emplace_back();
    if (global) {
      c.keyspace = std::string(ks);
      c.table = std::string(table);
    } else {
      c.keyspace = std::string(r.string());
      c.table = std::string(r.string());
    }
    c.name = std::string(r.string());
    c.type = read_data_type(r);
  }
  return columns;
}

prepared_result read_prepared(reader& r) {
  prepared_result p;
  p.id = r.short_bytes();
  p.flags = r.i32();
  std::int32_t columns = read_count(r, "bind marker count");
  std::int32_t pk_count = read_count(r, "partition key index count");
  p.pk_indexes.reserve(std::min(static_cast<std::size_t>(pk_count), r.remaining() / 2));
  for (std::int32_t i = 0; i < pk_count; ++i) {
    p.pk_indexes.push_back(r.u16());
  }
  if ((p.flags & metadata_flags::no_metadata) == 0) {
    p.variables = read_column_specs(r, p.flags, columns);
  }
  p.result = read_result_metadata(r);
  return p;
}

rows_result read_rows(reader& r) {
  rows_result rows;
  rows.metadata = read_result_metadata(r);
  rows.row_count = read_count(r, "row count");
  rows.rows = r.rest();
  // Every cell takes at least its 4-byte length: reject a count the body cannot hold now, rather
  // than one row at a time later.
  const std::uint64_t min_size = static_cast<std::uint64_t>(rows.row_count) *
                                 static_cast<std::uint64_t>(rows.metadata.column_count) * 4u;
  if (min_size > rows.rows.size()) {
    throw_truncated("rows", static_cast<std::size_t>(min_size), rows.rows.size());
  }
  return rows;
}

}  // namespace

// --- request writers -------------------------------------------------------------------------

void write_startup(byte_buffer& out, std::int16_t stream,
                   const std::vector<std::pair<std::string, std::string>>& options) {
  write_frame(out, opcode::startup, stream, [&](writer& w) { w.string_map(options); });
}

void write_options(byte_buffer& out, std::int16_t stream) {
  write_frame(out, opcode::options, stream, [](writer&) {});
}

void write_auth_response(byte_buffer& out, std::int16_t stream, std::optional<bytes_view> token) {
  write_frame(out, opcode::auth_response, stream, [&](writer& w) { w.bytes(token); });
}

void write_query(byte_buffer& out, std::int16_t stream, std::string_view cql,
                 const query_parameters& params, bound_values values) {
  write_frame(out, opcode::query, stream, [&](writer& w) {
    w.long_string(cql);
    write_query_parameters(w, params, values);
  });
}

void write_prepare(byte_buffer& out, std::int16_t stream, std::string_view cql) {
  write_frame(out, opcode::prepare, stream, [&](writer& w) { w.long_string(cql); });
}

void write_execute(byte_buffer& out, std::int16_t stream, bytes_view id,
                   const query_parameters& params, bound_values values) {
  write_frame(out, opcode::execute, stream, [&](writer& w) {
    w.short_bytes(id);
    write_query_parameters(w, params, values);
  });
}

void write_batch(byte_buffer& out, std::int16_t stream, batch_type type,
                 std::span<const batch_entry> entries, const batch_parameters& params) {
  if (entries.size() > std::numeric_limits<std::uint16_t>::max()) {
    throw codec_error(fmt::format("a batch of {} statements exceeds the protocol limit of 65535",
                                  entries.size()));
  }
  write_frame(out, opcode::batch, stream, [&](writer& w) {
    w.u8(static_cast<std::uint8_t>(type));
    w.u16(static_cast<std::uint16_t>(entries.size()));
    for (const batch_entry& e : entries) {
      check_values(e.values);
      if (e.is_prepared) {
        w.u8(1);
        w.short_bytes(e.id);
      } else {
        w.u8(0);
        w.long_string(e.cql);
      }
      write_values(w, e.values);
    }
    std::uint8_t flags = 0;
    if (params.serial_consistency) {
      flags |= query_flags::serial_consistency;
    }
    if (params.timestamp) {
      flags |= query_flags::default_timestamp;
    }
    w.u16(static_cast<std::uint16_t>(params.cl));
    w.u8(flags);
    if (params.serial_consistency) {
      w.u16(static_cast<std::uint16_t>(*params.serial_consistency));
    }
    if (params.timestamp) {
      w.i64(*params.timestamp);
    }
  });
}

void write_register(byte_buffer& out, std::int16_t stream,
                    const std::vector<std::string>& event_types) {
  write_frame(out, opcode::register_, stream, [&](writer& w) { w.string_list(event_types); });
}

// --- response readers ------------------------------------------------------------------------

std::vector<std::string> supported_response::values(std::string_view key) const {
  for (const auto& [k, v] : options) {
    if (k == key) {
      return v;
    }
  }
  return {};
}

supported_response read_supported(bytes_view body) {
  reader r(body);
  return supported_response{r.string_multimap()};
}

std::string read_authenticate(bytes_view body) {
  reader r(body);
  return std::string(r.string());
}

std::optional<byte_buffer> read_auth_token(bytes_view body) {
  reader r(body);
  std::optional<bytes_view> token = r.bytes();
  if (!token) {
    return std::nullopt;
  }
  return byte_buffer(token->begin(), token->end());
}

std::exception_ptr read_error(bytes_view body) {
  reader r(body);
  const std::int32_t code = r.i32();
  std::string msg(r.string());
  switch (code) {
    case 0x0100:
      return std::make_exception_ptr(authentication_error(code, std::move(msg)));
    case 0x1000: {
      consistency cl = read_consistency(r);
      std::int32_t required = r.i32();
      std::int32_t alive = r.i32();
      return std::make_exception_ptr(unavailable_error(code, std::move(msg), cl, required, alive));
    }
    case 0x1001:
      return std::make_exception_ptr(overloaded_error(code, std::move(msg)));
    case 0x1002:
      return std::make_exception_ptr(is_bootstrapping_error(code, std::move(msg)));
    case 0x1003:
      return std::make_exception_ptr(truncate_error(code, std::move(msg)));
    case 0x1100: {
      replica_response_info info = read_replica_info(r);
      std::string write_type(r.string());
      if (write_type == "CAS") {
        return std::make_exception_ptr(
            cas_write_unknown_error(code, std::move(msg), info, std::move(write_type)));
      }
      return std::make_exception_ptr(
          write_timeout_error(code, std::move(msg), info, std::move(write_type)));
    }
    case 0x1200: {
      replica_response_info info = read_replica_info(r);
      bool data_present = r.u8() != 0;
      return std::make_exception_ptr(read_timeout_error(code, std::move(msg), info, data_present));
    }
    case 0x1300: {
      replica_response_info info = read_replica_info(r);
      std::int32_t failures = r.i32();
      bool data_present = r.u8() != 0;
      return std::make_exception_ptr(
          read_failure_error(code, std::move(msg), info, failures, data_present));
    }
    case 0x1400: {
      std::string keyspace(r.string());
      std::string function(r.string());
      std::vector<std::string> arg_types = r.string_list();
      return std::make_exception_ptr(function_failure_error(
          code, std::move(msg), std::move(keyspace), std::move(function), std::move(arg_types)));
    }
    case 0x1500: {
      replica_response_info info = read_replica_info(r);
      std::int32_t failures = r.i32();
      std::string write_type(r.string());
      return std::make_exception_ptr(
          write_failure_error(code, std::move(msg), info, failures, std::move(write_type)));
    }
    case 0x2000:
      return std::make_exception_ptr(syntax_error(code, std::move(msg)));
    case 0x2100:
      return std::make_exception_ptr(unauthorized_error(code, std::move(msg)));
    case 0x2200:
      return std::make_exception_ptr(invalid_query_error(code, std::move(msg)));
    case 0x2300:
      return std::make_exception_ptr(config_error(code, std::move(msg)));
    case 0x2400: {
      std::string keyspace(r.string());
      std::string table(r.string());
      return std::make_exception_ptr(
          already_exists_error(code, std::move(msg), std::move(keyspace), std::move(table)));
    }
    case 0x2500: {
      bytes_view id = r.short_bytes();
      return std::make_exception_ptr(
          unprepared_error(code, std::move(msg), std::string(as_chars(id))));
    }
    default:
      // Server_error (0x0000), Protocol_error (0x000A), CDC_write_failure (0x1600),
      // CAS_write_unknown (0x1700, v5 only) and codes newer than this client.
      return std::make_exception_ptr(server_error(code, std::move(msg)));
  }
}

void throw_error(bytes_view body) {
  std::rethrow_exception(read_error(body));
}

result_metadata read_result_metadata(reader& r) {
  result_metadata m;
  m.flags = r.i32();
  m.column_count = read_count(r, "column count");
  if ((m.flags & metadata_flags::has_more_pages) != 0) {
    m.paging_state = r.bytes();
  }
  if ((m.flags & metadata_flags::no_metadata) == 0) {
    m.columns = read_column_specs(r, m.flags, m.column_count);
  }
  return m;
}

result read_result(bytes_view body) {
  reader r(body);
  const std::int32_t kind = r.i32();
  switch (kind) {
    case 0x0001:
      return void_result{};
    case 0x0002:
      return read_rows(r);
    case 0x0003:
      return set_keyspace_result{std::string(r.string())};
    case 0x0004:
      return read_prepared(r);
    case 0x0005:
      return read_schema_change(r);
    default:
      throw_malformed(
          fmt::format("unknown RESULT kind 0x{:04X}", static_cast<std::uint32_t>(kind)));
  }
}

event read_event(bytes_view body) {
  reader r(body);
  event e;
  e.type = std::string(r.string());
  if (e.type == "TOPOLOGY_CHANGE" || e.type == "STATUS_CHANGE") {
    e.change = std::string(r.string());
    bytes_view addr = r.inetaddr();
    e.address.assign(addr.begin(), addr.end());
    e.port = r.i32();
  } else if (e.type == "SCHEMA_CHANGE") {
    e.schema = read_schema_change(r);
  } else {
    throw_malformed(fmt::format("unknown event type '{}'", e.type));
  }
  return e;
}

}  // namespace coodie::wire
