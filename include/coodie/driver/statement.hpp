// Statements: CQL text with bound values (statement), a statement prepared on the server
// (prepared_statement) and its bound form (bound_statement), batches, and the opaque paging state.
//
// Example:
//   coodie::statement st("INSERT INTO shop.items (id, name) VALUES (?, ?)", coodie::uuid::random(),
//                        std::string("widget"));
//   st.set_consistency(coodie::consistency::quorum).set_timeout(std::chrono::seconds(2));
//   session.execute(st);
//
//   coodie::prepared_statement ps = session.prepare("SELECT name FROM shop.items WHERE id = ?");
//   coodie::result r = session.execute(ps.bind(id));
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coodie/error.hpp"
#include "coodie/wire/messages.hpp"
#include "coodie/wire/traits.hpp"

namespace coodie {

/// The opaque position of a page, handed out with a result and accepted back by a statement to
/// resume there. It survives a round trip through a string (URL-safe base64).
class page_state {
 public:
  page_state() = default;
  explicit page_state(wire::byte_buffer bytes) : bytes_(std::move(bytes)) {}
  [[nodiscard]] wire::bytes_view bytes() const noexcept { return bytes_; }
  [[nodiscard]] bool empty() const noexcept { return bytes_.empty(); }
  /// URL-safe base64 without padding.
  [[nodiscard]] std::string to_string() const;
  /// Parses to_string()'s output; throws usage_error on invalid text.
  static page_state from_string(std::string_view text);
  friend bool operator==(const page_state&, const page_state&) = default;

 private:
  wire::byte_buffer bytes_;
};

/// Options shared by every kind of statement. Unset options take the session's defaults.
struct statement_options {
  std::optional<consistency> cl;
  std::optional<consistency> serial_cl;
  /// Rows per page; 0 or less disables paging for this statement.
  std::optional<std::int32_t> page_size;
  std::optional<page_state> paging_state;
  /// Client-side request timeout for this statement.
  std::optional<std::chrono::milliseconds> timeout;
  /// USING TIMESTAMP-like default timestamp in microseconds since the epoch.
  std::optional<std::int64_t> timestamp;
  /// Whether running the statement twice has the same effect as once (retry policies use it).
  bool idempotent = false;
  /// The statement is a lightweight transaction (it has an IF clause). After a failure that may
  /// have reached Paxos it is never sent again: a second run would answer "not applied" for a write
  /// that the first one applied. The object mapper sets it on every conditional write.
  bool conditional = false;
  /// Ask the server to trace this request (its answer then carries a trace id, see
  /// coodie/driver/trace.hpp). Unset: session_options::tracing.
  std::optional<bool> tracing;
  /// Send only to this node ("127.0.0.2" or "127.0.0.2:9042"), for node-local tables such as
  /// system.local; no other node is tried. Empty: the load-balancing plan.
  std::string node = {};
};

/// The bound values of a statement, encoded in order as the protocol sends them: what crosses
/// from the object mapper (or any caller) to the driver. Appending checks the 65,535-value limit.
///   coodie::value_list v;
///   v.add(std::int32_t{42});                                              // as its own type
///   v.add_as(9.5, coodie::wire::simple_type(coodie::wire::type_id::float_));  // as a column's
///   coodie::bound_statement b(ps, std::move(v));
class value_list {
 public:
  template <class T>
  void add(const T& v) {
    if (count_ == 0xFFFF) {
      throw usage_error("a statement cannot bind more than 65535 values");
    }
    reserve_first();
    wire::writer w(data_);
    wire::encode_value(v, w);
    ++count_;
  }
  template <class T>
  void add_as(const T& v, const wire::data_type& target) {
    if (count_ == 0xFFFF) {
      throw usage_error("a statement cannot bind more than 65535 values");
    }
    reserve_first();
    wire::writer w(data_);
    wire::encode_value(v, target, w);
    ++count_;
  }
  /// Appends a value already encoded (a cell read from a result, bound back as it came).
  void add_encoded(wire::value_view v) {
    if (count_ == 0xFFFF) {
      throw usage_error("a statement cannot bind more than 65535 values");
    }
    reserve_first();
    wire::writer(data_).value(v);
    ++count_;
  }
  /// Appends the values of another list.
  void append(const value_list& other) {
    if (count_ + other.count_ > 0xFFFF) {
      throw usage_error("a statement cannot bind more than 65535 values");
    }
    data_.insert(data_.end(), other.data_.begin(), other.data_.end());
    count_ = static_cast<std::uint16_t>(count_ + other.count_);
  }
  [[nodiscard]] wire::bound_values view() const noexcept { return {count_, data_}; }
  [[nodiscard]] std::uint16_t size() const noexcept { return count_; }
  void clear() noexcept {
    data_.clear();
    count_ = 0;
  }

 private:
  /// The first value reserves room for a typical row's values at once: growing from empty
  /// through each length prefix and value would allocate three or four times per row.
  void reserve_first() {
    if (data_.capacity() == 0) {
      data_.reserve(first_reservation);
    }
  }
  static constexpr std::size_t first_reservation = 128;

  wire::byte_buffer data_;
  std::uint16_t count_ = 0;
};

namespace driver::detail {

/// Mixin providing the chainable option setters.
template <class Derived>
class statement_base {
 public:
  Derived& set_consistency(consistency c) {
    opts_.cl = c;
    return self();
  }
  Derived& set_tracing(bool v = true) {
    opts_.tracing = v;
    return self();
  }
  Derived& set_serial_consistency(consistency c) {
    opts_.serial_cl = c;
    return self();
  }
  Derived& set_page_size(std::int32_t rows) {
    opts_.page_size = rows;
    return self();
  }
  Derived& set_paging_state(page_state state) {
    opts_.paging_state = std::move(state);
    return self();
  }
  Derived& set_timeout(std::chrono::milliseconds t) {
    opts_.timeout = t;
    return self();
  }
  Derived& set_timestamp(std::int64_t micros) {
    opts_.timestamp = micros;
    return self();
  }
  Derived& set_idempotent(bool v = true) {
    opts_.idempotent = v;
    return self();
  }
  /// Runs on this node only (see statement_options::node).
  /// Example: `s.execute(statement("SELECT * FROM system.local").set_node("127.0.0.2"));`
  Derived& set_node(std::string address) {
    opts_.node = std::move(address);
    return self();
  }
  [[nodiscard]] const statement_options& options() const noexcept { return opts_; }
  [[nodiscard]] statement_options& options() noexcept { return opts_; }

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
  statement_options opts_;
};

}  // namespace driver::detail

/// CQL text plus positional values, sent with QUERY.
class statement : public driver::detail::statement_base<statement> {
 public:
  statement() = default;
  template <class... Args>
  explicit statement(std::string cql, const Args&... args) : cql_(std::move(cql)) {
    (values_.add(args), ...);
  }
  /// Appends one positional value.
  template <class T>
  statement& bind(const T& v) {
    values_.add(v);
    return *this;
  }
  [[nodiscard]] const std::string& cql() const noexcept { return cql_; }
  [[nodiscard]] const value_list& values() const noexcept { return values_; }

 private:
  std::string cql_;
  value_list values_;
};

namespace driver::detail {
/// What the server told us about a prepared statement.
struct prepared_data {
  std::string cql;
  std::string keyspace;  ///< the session keyspace it was prepared under
  wire::byte_buffer id;
  std::vector<std::uint16_t> pk_indexes;
  std::vector<wire::column_spec> variables;
  std::vector<wire::column_spec> result_columns;
};
}  // namespace driver::detail

class bound_statement;

/// A statement prepared on the server. Cheap to copy; binding checks each value's C++ type against
/// the bind marker's CQL type before anything is sent.
class prepared_statement {
 public:
  prepared_statement() = default;
  explicit prepared_statement(std::shared_ptr<const driver::detail::prepared_data> data)
      : data_(std::move(data)) {}

  /// Binds all values at once; their number must match the bind markers.
  template <class... Args>
  bound_statement bind(const Args&... args) const;

  [[nodiscard]] const std::string& cql() const noexcept { return data_->cql; }
  [[nodiscard]] const std::vector<wire::column_spec>& variables() const noexcept {
    return data_->variables;
  }
  [[nodiscard]] const std::vector<wire::column_spec>& result_columns() const noexcept {
    return data_->result_columns;
  }
  [[nodiscard]] const std::vector<std::uint16_t>& partition_key_indexes() const noexcept {
    return data_->pk_indexes;
  }
  [[nodiscard]] const std::shared_ptr<const driver::detail::prepared_data>& data() const noexcept {
    return data_;
  }
  [[nodiscard]] explicit operator bool() const noexcept { return data_ != nullptr; }
  /// Throws usage_error, naming the statement (after `context`, e.g. "batch entry "), unless
  /// `bound` values fill its bind markers exactly.
  void check_bound(std::size_t bound, std::string_view context = {}) const;

 private:
  std::shared_ptr<const driver::detail::prepared_data> data_;
};

/// A prepared statement with its values, sent with EXECUTE.
class bound_statement : public driver::detail::statement_base<bound_statement> {
 public:
  explicit bound_statement(prepared_statement ps) : prepared_(std::move(ps)) {}
  /// A statement with every value already encoded (the ODM encodes against its column types and
  /// checks them against the prepared metadata once). Throws usage_error when the count differs.
  bound_statement(prepared_statement ps, value_list values)
      : prepared_(std::move(ps)), values_(std::move(values)) {
    prepared_.check_bound(values_.size());
  }

  /// Appends the next value, checked against its bind marker's type.
  template <class T>
  bound_statement& bind(const T& v) {
    const auto& vars = prepared_.variables();
    std::size_t i = values_.size();
    if (i >= vars.size()) {
      throw usage_error("too many values bound to \"" + prepared_.cql() + "\": it has " +
                        std::to_string(vars.size()) + " bind markers");
    }
    try {
      values_.add_as(v, vars[i].type);
    } catch (const codec_error& e) {
      throw codec_error("column " + vars[i].name + " (bind marker " + std::to_string(i) +
                        "): " + e.what());
    }
    return *this;
  }
  [[nodiscard]] const prepared_statement& prepared() const noexcept { return prepared_; }
  [[nodiscard]] const value_list& values() const noexcept { return values_; }

 private:
  prepared_statement prepared_;
  value_list values_;
};

template <class... Args>
bound_statement prepared_statement::bind(const Args&... args) const {
  bound_statement b(*this);
  (b.bind(args), ...);
  check_bound(sizeof...(Args));
  return b;
}

/// A BATCH of statements and bound statements, applied together.
class batch : public driver::detail::statement_base<batch> {
 public:
  explicit batch(wire::batch_type type = wire::batch_type::logged) : type_(type) {}
  /// Makes room for n statements, so that adding them moves none: `b.reserve(rows.size())`.
  batch& reserve(std::size_t n) {
    entries_.reserve(n);
    return *this;
  }
  batch& add(statement st) {
    entries_.push_back(entry{std::move(st), std::nullopt});
    return *this;
  }
  batch& add(bound_statement st) {
    entries_.push_back(entry{std::nullopt, std::move(st)});
    return *this;
  }
  [[nodiscard]] wire::batch_type type() const noexcept { return type_; }
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

  struct entry {
    std::optional<statement> simple;
    std::optional<bound_statement> bound;
  };
  [[nodiscard]] const std::vector<entry>& entries() const noexcept { return entries_; }

 private:
  wire::batch_type type_;
  std::vector<entry> entries_;
};

}  // namespace coodie
