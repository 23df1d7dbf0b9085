// The answer to one request: for a SELECT, one page of rows decoded straight from the frame that
// carried them. A result owns that frame; rows and cells are views into it.
//
// Example:
//   coodie::result r = session.execute(coodie::statement("SELECT id, name FROM shop.items"));
//   for (const coodie::row& row : r) {
//     auto id = row.get<coodie::uuid>(0);
//     auto name = row.get<std::optional<std::string>>("name");
//   }
//   for (auto& [id, name] : r.as<coodie::uuid, std::string>()) { ... }
//   if (auto next = r.paging_state()) { st.set_paging_state(*next); }
#pragma once

#include <array>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "coodie/driver/statement.hpp"
#include "coodie/wire/messages.hpp"
#include "coodie/wire/traits.hpp"

namespace coodie {

namespace driver::detail {
/// The owned frame body of a RESULT plus what was parsed from it.
struct result_data {
  wire::byte_buffer body;
  std::vector<std::string> warnings;
  std::optional<std::array<std::byte, 16>> tracing_id;
  wire::result parsed;  ///< views point into body
  /// Row-major cell views, built on first random access.
  mutable std::vector<wire::value_view> cells;
  mutable bool indexed = false;
  void build_index() const;
};
}  // namespace driver::detail

class row;

/// One page of a result (or the outcome of a non-SELECT statement).
class result {
 public:
  result() = default;
  explicit result(std::shared_ptr<const driver::detail::result_data> data)
      : data_(std::move(data)) {}

  /// True for a Rows result (a SELECT), even when it holds no row.
  [[nodiscard]] bool has_rows() const noexcept;
  /// Number of rows in this page.
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  /// Column descriptions (name, CQL type) of a Rows result.
  [[nodiscard]] const std::vector<wire::column_spec>& columns() const noexcept;
  /// The index of a column by name; throws usage_error when absent.
  [[nodiscard]] std::size_t column_index(std::string_view name) const;
  /// True when more pages follow this one.
  [[nodiscard]] bool has_more_pages() const noexcept;
  /// The position after this page, to resume from; empty on the last page.
  [[nodiscard]] std::optional<page_state> paging_state() const;
  /// The id of the request's trace, when it was traced (coodie/driver/trace.hpp reads it).
  [[nodiscard]] std::optional<uuid> trace_id() const noexcept;
  /// Warnings the server attached to its answer (large batch, tombstones, ...).
  [[nodiscard]] const std::vector<std::string>& warnings() const noexcept;
  /// The keyspace of a USE statement's result, else empty.
  [[nodiscard]] std::string_view set_keyspace() const noexcept;
  /// The schema change a DDL statement caused, if any.
  [[nodiscard]] const wire::schema_change_result* schema_change() const noexcept;

  /// The i-th row; throws usage_error when out of range.
  [[nodiscard]] row at(std::size_t i) const;
  [[nodiscard]] row front() const;

  class iterator;
  [[nodiscard]] iterator begin() const;
  [[nodiscard]] iterator end() const;

  /// Decodes every row into a tuple of the given types, in column order, checking the column
  /// types once. Throws codec_error naming the column on a mismatch.
  template <class... Ts>
  [[nodiscard]] std::vector<std::tuple<Ts...>> as() const;

  /// Calls f(Ts...) for every row, decoding into reused locals (no allocation besides what the
  /// values themselves need). Column types are checked once.
  template <class... Ts, class F>
  void for_each(F&& f) const;

  [[nodiscard]] const std::shared_ptr<const driver::detail::result_data>& data() const noexcept {
    return data_;
  }

 private:
  [[nodiscard]] const wire::rows_result* rows() const noexcept;
  template <class... Ts>
  void check_columns() const;

  std::shared_ptr<const driver::detail::result_data> data_;
};

/// A row of a result: a view, valid while its result (or a copy of it) lives.
class row {
 public:
  row(const driver::detail::result_data* data, const wire::value_view* cells) noexcept
      : data_(data), cells_(cells) {}

  [[nodiscard]] std::size_t size() const noexcept;
  /// The raw cell (null, or its bytes).
  [[nodiscard]] wire::value_view cell(std::size_t i) const;
  [[nodiscard]] bool is_null(std::size_t i) const { return cell(i).is_null(); }

  /// Decodes column i into a T; throws codec_error naming the column when T does not match its
  /// type or the value is null and T is not optional.
  template <class T>
  [[nodiscard]] T get(std::size_t i) const {
    T out{};
    get_to(i, out);
    return out;
  }
  template <class T>
  [[nodiscard]] T get(std::string_view column) const {
    return get<T>(index_of(column));
  }
  /// Decodes column i into an existing object, reusing its storage.
  template <class T>
  void get_to(std::size_t i, T& out) const {
    const wire::column_spec& spec = column(i);
    try {
      wire::decode_value(cell(i), spec.type, out);
    } catch (const codec_error& e) {
      throw codec_error("column " + spec.name + ": " + e.what());
    }
  }

 private:
  [[nodiscard]] const wire::column_spec& column(std::size_t i) const;
  [[nodiscard]] std::size_t index_of(std::string_view column) const;
  const driver::detail::result_data* data_;
  const wire::value_view* cells_;
};

class result::iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = row;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = row;

  iterator() = default;
  iterator(const driver::detail::result_data* data, std::size_t index, std::size_t width) noexcept
      : data_(data), index_(index), width_(width) {}
  row operator*() const { return row(data_, data_->cells.data() + index_ * width_); }
  iterator& operator++() noexcept {
    ++index_;
    return *this;
  }
  iterator operator++(int) noexcept {
    iterator copy = *this;
    ++index_;
    return copy;
  }
  friend bool operator==(const iterator& a, const iterator& b) noexcept {
    return a.index_ == b.index_;
  }

 private:
  const driver::detail::result_data* data_ = nullptr;
  std::size_t index_ = 0;
  std::size_t width_ = 0;
};

inline row result::front() const {
  return at(0);
}

template <class... Ts>
void result::check_columns() const {
  const auto& cols = columns();
  if (cols.size() != sizeof...(Ts)) {
    throw codec_error("the result has " + std::to_string(cols.size()) + " columns but " +
                      std::to_string(sizeof...(Ts)) + " types were asked for");
  }
  std::size_t i = 0;
  auto check_one = [&](bool ok) {
    if (!ok) {
      throw codec_error("column " + cols[i].name + " of type " + wire::to_cql(cols[i].type) +
                        " cannot be read into the requested C++ type (position " +
                        std::to_string(i) + ")");
    }
    ++i;
  };
  (check_one(cql_traits<Ts>::accepts(cols[i].type)), ...);
}

template <class... Ts, class F>
void result::for_each(F&& f) const {
  const wire::rows_result* rs = rows();
  if (rs == nullptr || rs->row_count == 0) {
    return;
  }
  check_columns<Ts...>();
  const auto& cols = columns();
  std::tuple<Ts...> values{};
  wire::row_reader rr(rs->rows, rs->row_count, rs->metadata.column_count);
  while (rr.next_row()) {
    std::size_t i = 0;
    std::apply(
        [&](auto&... v) {
          auto one = [&](auto& dst) {
            wire::value_view cell = rr.next_cell();  // protocol_error when the frame is short
            try {
              // Types were checked once above: decode without checking them per cell.
              wire::detail::decode_value_unchecked(cell, &cols[i].type, dst);
            } catch (const protocol_error& e) {
              throw codec_error("column " + cols[i].name + ": " + e.what());
            } catch (const codec_error& e) {
              throw codec_error("column " + cols[i].name + ": " + e.what());
            }
            ++i;
          };
          (one(v), ...);
        },
        values);
    std::apply(f, values);
  }
}

template <class... Ts>
std::vector<std::tuple<Ts...>> result::as() const {
  std::vector<std::tuple<Ts...>> out;
  out.reserve(size());
  for_each<Ts...>([&](const Ts&... v) { out.emplace_back(v...); });
  return out;
}

}  // namespace coodie
