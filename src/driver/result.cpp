#include "coodie/driver/result.hpp"

namespace coodie {

namespace {
const std::vector<wire::column_spec> no_columns;
const std::vector<std::string> no_warnings;
}  // namespace

void driver::detail::result_data::build_index() const {
  if (indexed) {
    return;
  }
  if (const auto* rs = std::get_if<wire::rows_result>(&parsed)) {
    std::size_t width = static_cast<std::size_t>(rs->metadata.column_count);
    std::size_t rows = static_cast<std::size_t>(rs->row_count);
    // Every cell takes at least its 4-byte length: a count that the body cannot hold is malformed.
    if (width != 0 && rows > rs->rows.size() / (4 * width)) {
      throw protocol_error("the result announces " + std::to_string(rows) + " rows of " +
                           std::to_string(width) + " columns but carries only " +
                           std::to_string(rs->rows.size()) + " bytes");
    }
    cells.reserve(rows * width);
    wire::row_reader rr(rs->rows, rs->row_count, rs->metadata.column_count);
    while (rr.next_row()) {
      for (std::size_t c = 0; c < width; ++c) {
        cells.push_back(rr.next_cell());
      }
    }
  }
  indexed = true;
}

const wire::rows_result* result::rows() const noexcept {
  return data_ ? std::get_if<wire::rows_result>(&data_->parsed) : nullptr;
}

bool result::has_rows() const noexcept {
  return rows() != nullptr;
}

std::size_t result::size() const noexcept {
  const auto* rs = rows();
  return rs ? static_cast<std::size_t>(rs->row_count) : 0;
}

const std::vector<wire::column_spec>& result::columns() const noexcept {
  const auto* rs = rows();
  return rs ? rs->metadata.columns : no_columns;
}

std::size_t result::column_index(std::string_view name) const {
  const auto& cols = columns();
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == name) {
      return i;
    }
  }
  throw usage_error("the result has no column named '" + std::string(name) + "'");
}

bool result::has_more_pages() const noexcept {
  const auto* rs = rows();
  return rs && (rs->metadata.flags & wire::metadata_flags::has_more_pages) != 0 &&
         rs->metadata.paging_state.has_value();
}

std::optional<page_state> result::paging_state() const {
  if (!has_more_pages()) {
    return std::nullopt;
  }
  const auto& ps = *rows()->metadata.paging_state;
  return page_state(wire::byte_buffer(ps.begin(), ps.end()));
}

std::optional<uuid> result::trace_id() const noexcept {
  if (!data_ || !data_->tracing_id) {
    return std::nullopt;
  }
  return uuid(*data_->tracing_id);
}

const std::vector<std::string>& result::warnings() const noexcept {
  return data_ ? data_->warnings : no_warnings;
}

std::string_view result::set_keyspace() const noexcept {
  if (!data_) {
    return {};
  }
  const auto* ks = std::get_if<wire::set_keyspace_result>(&data_->parsed);
  return ks ? std::string_view(ks->keyspace) : std::string_view();
}

const wire::schema_change_result* result::schema_change() const noexcept {
  return data_ ? std::get_if<wire::schema_change_result>(&data_->parsed) : nullptr;
}

row result::at(std::size_t i) const {
  if (i >= size()) {
    throw usage_error("row " + std::to_string(i) + " is out of range (the page has " +
                      std::to_string(size()) + " rows)");
  }
  data_->build_index();
  return row(data_.get(), data_->cells.data() + i * columns().size());
}

result::iterator result::begin() const {
  if (!data_ || size() == 0) {
    return iterator();
  }
  data_->build_index();
  return iterator(data_.get(), 0, columns().size());
}

result::iterator result::end() const {
  if (!data_ || size() == 0) {
    return iterator();
  }
  return iterator(data_.get(), size(), columns().size());
}

std::size_t row::size() const noexcept {
  const auto* rs = std::get_if<wire::rows_result>(&data_->parsed);
  return rs ? rs->metadata.columns.size() : 0;
}

wire::value_view row::cell(std::size_t i) const {
  if (i >= size()) {
    throw usage_error("column " + std::to_string(i) + " is out of range (the row has " +
                      std::to_string(size()) + " columns)");
  }
  return cells_[i];
}

const wire::column_spec& row::column(std::size_t i) const {
  if (i >= size()) {
    throw usage_error("column " + std::to_string(i) + " is out of range (the row has " +
                      std::to_string(size()) + " columns)");
  }
  return std::get<wire::rows_result>(data_->parsed).metadata.columns[i];
}

std::size_t row::index_of(std::string_view name) const {
  const auto& cols = std::get<wire::rows_result>(data_->parsed).metadata.columns;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == name) {
      return i;
    }
  }
  throw usage_error("the row has no column named '" + std::string(name) + "'");
}

}  // namespace coodie
