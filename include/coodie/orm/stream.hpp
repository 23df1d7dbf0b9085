// A stream of a query's rows, read page by page as iteration proceeds (see basic_stream).
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "coodie/driver/result.hpp"
#include "coodie/driver/session.hpp"
#include "coodie/orm/detail/codec.hpp"
#include "coodie/orm/detail/core.hpp"

namespace coodie {

/// Every row of a query, read page by page as iteration proceeds: it holds the page being read
/// (and, while it travels, the next one), never the whole result. Rows decode straight from the
/// page into one R; the pointer next() returns stays valid until the following call.
///
///   auto st = s.find<Reading>().fetch_size(500).stream();          // sync
///   while (Reading* r = st.next()) { use(*r); }
///   for (Reading& r : s.find<Reading>().stream()) { use(r); }     // sync only: a range
///
///   auto st = co_await s.find<Reading>().fetch_size(500).stream(); // aio
///   while (Reading* r = co_await st.next()) { use(*r); }
template <class T, class Mode, class R>
class basic_stream {
 public:
  template <class V>
  using result_t = typename Mode::template result_t<V>;

  basic_stream(std::shared_ptr<orm::detail::orm_core> core, pager p)
      : core_(std::move(core)), pager_(std::move(p)) {}

  /// The next row, or nullptr after the last one.
  result_t<R*> next() {
    if constexpr (Mode::blocking) {
      for (;;) {
        if (R* item = next_in_page()) {
          return item;
        }
        std::optional<result> page = pager_.next();
        if (!page) {
          return nullptr;
        }
        load(std::move(*page));
      }
    } else {
      return next_awaiting();
    }
  }

  /// Pages received so far.
  [[nodiscard]] std::size_t pages_read() const noexcept { return pages_; }
  /// Rows of the page held now (at most the fetch size).
  [[nodiscard]] std::size_t rows_held() const noexcept { return held_; }

  /// Blocking iteration (sync only).
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = R;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(basic_stream* s) : stream_(s), item_(s->next()) {}
    R& operator*() const { return *item_; }
    R* operator->() const { return item_; }
    iterator& operator++() {
      item_ = stream_->next();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, std::default_sentinel_t) noexcept {
      return a.item_ == nullptr;
    }

   private:
    basic_stream* stream_ = nullptr;
    R* item_ = nullptr;
  };
  iterator begin() requires Mode::blocking { return iterator(this); }
  std::default_sentinel_t end() const noexcept requires Mode::blocking { return {}; }

 private:
  R* next_in_page() {
    if (!reader_ || !reader_->next_row()) {
      return nullptr;
    }
    if constexpr (!orm::detail::row_target<T, R>::reads_every_member) {
      item_ = R{};  // members that read no column start from their defaults on every row
    }
    orm::detail::row_target<T, R>::decode(*reader_, rows_->metadata.columns, item_);
    return &item_;
  }
  void load(result page) {
    reader_.reset();
    page_ = std::move(page);
    ++pages_;
    rows_ = orm::detail::rows_of(page_);
    held_ = rows_ == nullptr ? 0 : static_cast<std::size_t>(rows_->row_count);
    if (held_ > 0) {
      orm::detail::row_target<T, R>::check(rows_->metadata.columns);
      reader_.emplace(rows_->rows, rows_->row_count, rows_->metadata.column_count);
    }
  }
  boost::asio::awaitable<R*> next_awaiting() {
    for (;;) {
      if (R* item = next_in_page()) {
        co_return item;
      }
      std::optional<result> page = co_await pager_.async_next(boost::asio::use_awaitable);
      if (!page) {
        co_return nullptr;
      }
      load(std::move(*page));
    }
  }

  std::shared_ptr<orm::detail::orm_core> core_;  // keeps the driver session alive
  pager pager_;
  result page_;
  const wire::rows_result* rows_ = nullptr;
  std::optional<wire::row_reader> reader_;
  R item_{};
  std::size_t pages_ = 0;
  std::size_t held_ = 0;
};

}  // namespace coodie
