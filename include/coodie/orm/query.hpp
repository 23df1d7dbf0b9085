// A query on a model: restrictions through typed column references, limits, ordering,
// projections, and its reads (all rows, first, count, a page, a stream) and bulk writes. Every
// refinement returns a new query; the plans it runs are built in coodie/orm/detail/queries.hpp.
//
// Example:
//   using coodie::col;
//   auto cheap = s.find<Product>()
//                    .where(col<&Product::category> == "tools", col<&Product::price> < 10.0)
//                    .limit(10)
//                    .all();
//   auto next = s.find<Product>().fetch_size(20).page(token);
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "coodie/driver/session.hpp"
#include "coodie/orm/detail/codec.hpp"
#include "coodie/orm/detail/core.hpp"
#include "coodie/orm/detail/queries.hpp"
#include "coodie/orm/filter.hpp"
#include "coodie/orm/options.hpp"
#include "coodie/orm/selectors.hpp"
#include "coodie/orm/stream.hpp"
#include "coodie/orm/updates.hpp"

namespace coodie {

/// A query on model T read into R (T, or a projection struct); immutable: every refinement
/// returns a new query.
template <class T, class Mode, class R = T>
class basic_query {
 public:
  template <class V>
  using result_t = typename Mode::template result_t<V>;

  /// A query on a polymorphic subtype starts restricted to its discriminator value.
  explicit basic_query(std::shared_ptr<orm::detail::orm_core> core) : core_(std::move(core)) {
    if constexpr (model_info<T>::is_subtype && model_info<T>::decl.discriminator_field >= 0) {
      constexpr auto d = static_cast<std::size_t>(model_info<T>::decl.discriminator_field);
      const column_schema& c =
          orm::detail::table_of<T>().columns[static_cast<std::size_t>(model_info<T>::column_of[d])];
      state_.spec.where.push_back({{c.name}, dml::op::eq});
      state_.where_values.add_as(std::string(model_info<T>::decl.kind_value), c.type);
    }
  }

  /// Adds restrictions (ANDed).
  template <class... F>
  basic_query where(filter<T> first, F... more) const {
    basic_query q = *this;
    q.add(std::move(first));
    (q.add(filter<T>(std::move(more))), ...);
    return q;
  }
  /// A restriction on a column named at run time, with the relation as CQL spells it:
  /// =, <, <=, >, >=, IN, CONTAINS or CONTAINS KEY. The column, the relation and the value's
  /// type are checked at run time (invalid_model, usage_error, codec_error naming the column).
  ///   q.where("brand", "=", std::string("Acme"));
  template <class V>
  basic_query where(std::string_view column, std::string_view relation, const V& value) const {
    return where(where_column<T>(column, dml::parse_op(relation), value));
  }
  /// At most n rows.
  basic_query limit(std::int32_t n) const {
    basic_query q = *this;
    q.state_.limit = n;
    return q;
  }
  /// At most n rows per partition.
  basic_query per_partition_limit(std::int32_t n) const {
    basic_query q = *this;
    q.state_.per_partition_limit = n;
    return q;
  }
  /// Orders by a clustering column.
  template <auto M>
  basic_query order_by(order o = order::asc) const {
    static_assert(std::is_same_v<orm::detail::member_class_t<M>, T>,
                  "coodie: order_by names a member of another model");
    static_assert(model_info<T>::decl.members[orm::detail::field_index<M>()].kind ==
                      orm::detail::role::clustering,
                  "coodie: order_by names a column that is not a clustering key");
    basic_query q = *this;
    q.state_.spec.order_by.emplace_back(
        std::string(model_info<T>::column_names[orm::detail::field_index<M>()]), o);
    return q;
  }
  /// Orders rows by closeness of vector column M (a std::array<float, N> member with a
  /// vector_index) to v, nearest first: `ORDER BY embedding ANN OF ?`. Needs limit() from 1 to
  /// 1000; restrictions may name partition key columns and indexed columns only (usage_error
  /// before anything is sent). A std::array of another dimension does not compile.
  ///   auto top = s.find<Doc>().order_by_ann(coodie::col<&Doc::embedding>, v).limit(10).all();
  template <auto M, std::size_t N>
  basic_query order_by_ann(column_ref<M>, const std::array<float, N>& v) const {
    static_assert(std::is_same_v<orm::detail::member_class_t<M>, T>,
                  "coodie: order_by_ann names a member of another model");
    static_assert(orm::detail::is_float_vector<orm::detail::member_value_t<M>>,
                  "coodie: order_by_ann names a member that is not a std::array<float, N>");
    static_assert(N == orm::detail::vector_dimension<orm::detail::member_value_t<M>>,
                  "coodie: the query vector's dimension differs from the vector column's");
    basic_query q = *this;
    const column_schema& c = column_ref<M>::column();
    q.state_.spec.ann_of = c.name;
    q.state_.ann_vector = value_list();
    q.state_.ann_vector.add_as(v, c.type);
    return q;
  }
  /// The same with a vector whose size is known at run time (a std::vector<float>, a span):
  /// codec_error naming the model and column when its size is not the column's dimension.
  template <auto M>
  basic_query order_by_ann(column_ref<M> col, std::span<const float> v) const {
    static_assert(orm::detail::is_float_vector<orm::detail::member_value_t<M>>,
                  "coodie: order_by_ann names a member that is not a std::array<float, N>");
    constexpr std::size_t n = orm::detail::vector_dimension<orm::detail::member_value_t<M>>;
    if (v.size() != n) {
      throw codec_error("model " + orm::detail::table_of<T>().model + ", column " +
                        column_ref<M>::column().name + ": a query vector of " +
                        std::to_string(v.size()) + " floats for a vector<float, " +
                        std::to_string(n) + ">");
    }
    std::array<float, n> a;  // on the stack: no allocation per element
    std::copy(v.begin(), v.end(), a.begin());
    return order_by_ann(col, a);
  }

  /// GROUP BY the members' columns, which must begin the primary key in key order (the
  /// partition key, then clustering columns); read the groups with only<P>() where P holds the
  /// grouped columns and aggregates (coodie::count_of, sum_of, avg_of, min_of, max_of).
  template <auto... Ms>
  basic_query group_by() const {
    static_assert(sizeof...(Ms) > 0, "coodie: group_by names no member");
    static_assert((std::is_same_v<orm::detail::member_class_t<Ms>, T> && ...),
                  "coodie: group_by names a member of another model");
    static_assert(
        [] {
          constexpr std::size_t fields[] = {orm::detail::field_index<Ms>()...};
          if (sizeof...(Ms) < model_info<T>::decl.partition_count) {
            return false;  // the whole partition key, or none of it
          }
          for (std::size_t i = 0; i < sizeof...(Ms); ++i) {
            if (i >= orm::detail::key_fields<T>.size() ||
                orm::detail::key_fields<T>[i] != fields[i]) {
              return false;
            }
          }
          return true;
        }(),
        "coodie: group_by names primary key columns from the first, in key order (the whole "
        "partition key first)");
    basic_query q = *this;
    q.state_.spec.group_by = {
        std::string(model_info<T>::column_names[orm::detail::field_index<Ms>()])...};
    return q;
  }
  /// SUM of member M's column over the matching rows, of the column's type.
  template <auto M>
  result_t<orm::detail::column_value_t<M>> sum() const {
    return aggregate<sum_of<M>>();
  }
  /// AVG of member M's column (an integer column averages in integers).
  template <auto M>
  result_t<orm::detail::column_value_t<M>> avg() const {
    return aggregate<avg_of<M>>();
  }
  /// MIN of member M's column; std::nullopt when no row matches.
  template <auto M>
  result_t<std::optional<orm::detail::column_value_t<M>>> min() const {
    return aggregate<min_of<M>>();
  }
  /// MAX of member M's column; std::nullopt when no row matches.
  template <auto M>
  result_t<std::optional<orm::detail::column_value_t<M>>> max() const {
    return aggregate<max_of<M>>();
  }

  /// Lets the server filter rows (needed, and asked for explicitly, when the restrictions are
  /// not served by the keys or an index).
  basic_query allow_filtering() const {
    basic_query q = *this;
    q.state_.spec.allow_filtering = true;
    return q;
  }
  /// Rows per page fetched from the server.
  basic_query fetch_size(std::int32_t rows) const {
    basic_query q = *this;
    q.state_.fetch_size = rows;
    return q;
  }
  /// Consistency and timeout of the query's requests.
  basic_query options(read_options o) const {
    basic_query q = *this;
    q.state_.read = o;
    return q;
  }
  /// Reads into a projection struct whose members are named like columns of T.
  template <class P>
  basic_query<T, Mode, P> only() const {
    basic_query<T, Mode, P> q(core_);
    q.state_ = state_;
    q.state_.spec.columns = orm::detail::row_target<T, P>::columns();
    return q;
  }

  /// SELECT DISTINCT: one row per partition. R (see only()) must read partition key and static
  /// columns only.
  basic_query distinct() const {
    static_assert(
        [] {
          for (int f : orm::detail::row_target<T, R>::model_field) {
            if (f >= 0) {
              orm::detail::role k = model_info<T>::decl.members[static_cast<std::size_t>(f)].kind;
              if (k != orm::detail::role::partition_key && k != orm::detail::role::static_column) {
                return false;
              }
            }
          }
          return true;
        }(),
        "coodie: distinct() reads partition key and static columns only; project with only<P>() "
        "into a struct of those columns");
    basic_query q = *this;
    q.state_.spec.distinct = true;
    return q;
  }

  /// Every matching row (all pages; one unpaged request for a limit of at most 100 rows that fits
  /// in one page).
  result_t<std::vector<R>> all() const {
    orm::detail::orm_request rq = request();
    rq.options.page_size = orm::detail::all_rows_page_size(state_);
    return Mode::run_coro(core_, all_op(core_, std::move(rq)));
  }
  /// The first matching row, or std::nullopt.
  result_t<std::optional<R>> first() const {
    return Mode::run(core_, orm::detail::first_plan<T, R>(state_, site()));
  }
  /// The number of matching rows (SELECT COUNT(*)).
  result_t<std::int64_t> count() const {
    return Mode::run(core_, orm::detail::count_plan<T>(state_, site()));
  }
  /// One page of rows and the token of the next; pass the token back to read the next page.
  result_t<page_of<R>> page(std::optional<std::string> token = std::nullopt) const {
    return Mode::run(core_, orm::detail::page_plan<T, R>(state_, site(), token));
  }
  /// Every matching row, page by page, with memory bounded by the fetch size (default 5000).
  result_t<basic_stream<T, Mode, R>> stream() const {
    orm::detail::orm_request rq = request();
    rq.options.page_size = state_.fetch_size.value_or(5000);
    if constexpr (Mode::blocking) {
      prepared_statement ps = Mode::prepare(core_, rq);
      return basic_stream<T, Mode, R>(core_, core_->db().pages(orm::detail::bind_request(
                                                 *core_, std::move(ps), std::move(rq))));
    } else {
      return stream_op(core_, std::move(rq));
    }
  }

  /// Deletes every row the query matches. Restrictions on whole partitions or key ranges run as
  /// one DELETE; any other query (filters, limits) reads the matching keys page by page and
  /// deletes row by row.
  result_t<void> remove(write_options w = {}) const {
    return run_bulk(orm::detail::bulk_remove_plan<T>(state_, site(), w));
  }

  /// Writes the changes into every row the query matches (assign, or a collection operation of
  /// coodie/orm/updates.hpp):
  /// `q.update({coodie::assign<&Product::price>(9.99),
  /// coodie::set_add<&Product::tags>({"sale"})})`. Restrictions naming whole rows by = or IN run as
  /// one UPDATE; any other query reads the matching keys page by page and updates row by row.
  result_t<void> update(std::vector<assignment<T>> set, write_options w = {}) const {
    return run_bulk(orm::detail::bulk_update_plan<T>(state_, site(), set, w));
  }

  /// The SELECT text of the query (for logs and tests).
  [[nodiscard]] std::string cql() const {
    orm::detail::query_site at = site();
    at.options = nullptr;  // nothing is sent: no guardrail
    return orm::detail::select_request<T, R>(state_, at).text;
  }

 private:
  template <class T2, class Mode2, class R2>
  friend class basic_query;

  /// The keyspace and live indexes the query's plans are built for.
  orm::detail::query_site site() const {
    return {core_->default_keyspace(), core_->live_indexes(&orm::detail::stored_table_of<T>()),
            &core_->options()};
  }
  orm::detail::orm_request request() const {
    return orm::detail::select_request<T, R>(state_, site());
  }

  /// The one value of aggregate S over the matching rows.
  template <class S>
  result_t<typename S::value_type> aggregate() const {
    static_assert(std::is_same_v<orm::detail::member_class_t<S::member>, T>,
                  "coodie: the aggregate names a member of another model");
    orm::detail::query_state st = state_;
    st.spec.columns = orm::detail::row_target<T, orm::detail::one_selected<S>>::columns();
    return Mode::run(core_, orm::detail::aggregate_plan<T, S>(st, site()));
  }

  /// Runs a bulk write: at once when direct, else once per matching row.
  result_t<void> run_bulk(orm::detail::bulk_plan b) const {
    if (b.direct) {
      return Mode::run(core_, orm::detail::plan{std::move(b.write), orm::detail::no_answer{}});
    }
    return Mode::run_coro(core_, for_each_key(core_, std::move(b.keys), std::move(b.write)));
  }

  /// Reads the keys select returns, page by page, and runs write once per row with the key's
  /// cells appended to its values (bound as they came, not decoded).
  static boost::asio::awaitable<void> for_each_key(std::shared_ptr<orm::detail::orm_core> c,
                                                   orm::detail::orm_request select,
                                                   orm::detail::orm_request write) {
    coodie::driver_session* db = co_await c->async_db(c);
    prepared_statement sel = co_await orm::detail::prepare_awaiting(c, select.text, select.table);
    prepared_statement wr = co_await orm::detail::prepare_awaiting(c, write.text, write.table);
    orm::detail::settle_idempotence(*c, write);
    pager pages = db->pages(orm::detail::bind_request(*c, std::move(sel), std::move(select)));
    for (;;) {
      std::optional<result> page = co_await pages.async_next(boost::asio::use_awaitable);
      if (!page) {
        break;
      }
      const wire::rows_result* rs = orm::detail::rows_of(*page);
      if (rs == nullptr) {
        continue;
      }
      wire::row_reader rr(rs->rows, rs->row_count, rs->metadata.column_count);
      while (rr.next_row()) {
        value_list v = write.values;
        for (std::int32_t i = 0; i < rs->metadata.column_count; ++i) {
          v.add_encoded(rr.next_cell());
        }
        bound_statement b(wr, std::move(v));
        b.options() = write.options;
        co_await db->async_execute(b, boost::asio::use_awaitable);
      }
    }
  }

  static boost::asio::awaitable<basic_stream<T, Mode, R>> stream_op(
      std::shared_ptr<orm::detail::orm_core> c, orm::detail::orm_request rq) {
    coodie::driver_session* db = co_await c->async_db(c);
    prepared_statement ps = co_await orm::detail::prepare_awaiting(c, rq.text, rq.table);
    co_return basic_stream<T, Mode, R>(
        c, db->pages(orm::detail::bind_request(*c, std::move(ps), std::move(rq))));
  }

  /// Reads page after page; memory holds the rows returned plus one page.
  static boost::asio::awaitable<std::vector<R>> all_op(std::shared_ptr<orm::detail::orm_core> c,
                                                       orm::detail::orm_request rq) {
    std::vector<R> out;
    for (;;) {
      // A named plan: GCC 12 destroys a temporary aggregate inside co_await twice.
      orm::detail::plan one{rq, [](const result& res) { return res; }};
      result r = co_await orm::detail::aio_mode::run(c, std::move(one));
      orm::detail::decode_page<T, R>(r, out);
      std::optional<page_state> next = r.paging_state();
      if (!next) {
        break;
      }
      rq.options.paging_state = std::move(*next);
    }
    co_return out;
  }

  void add(filter<T> f) {
    state_.spec.where.push_back(std::move(f.term));
    state_.where_values.append(f.value);
  }

  std::shared_ptr<orm::detail::orm_core> core_;
  orm::detail::query_state state_;
};

}  // namespace coodie
