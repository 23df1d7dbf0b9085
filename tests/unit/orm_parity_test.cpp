// Parity of the two fronts: every call of the ODM is listed once below, and both coodie::sync
// and coodie::aio must offer it with the same arguments, sync returning V where aio returns
// boost::asio::awaitable<V>. The fronts are one template (basic_session<Mode>), so a call added to
// the template reaches both; a call offered by one front only (a specialization, a requires-clause
// on the mode) fails the checks below for the other. The one listed exception: a sync stream is
// also a range (begin/end), since a range-for cannot await.
#include <concepts>
#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "coodie/orm/session.hpp"

namespace orm_parity_test {

struct Doc {
  std::int32_t id = 0;
  std::int32_t n = 0;
  std::string body;
  std::optional<std::string> note;
};

struct DocId {
  std::int32_t id = 0;
};

struct Hits {
  std::int32_t id = 0;
  std::int64_t hits = 0;
};

}  // namespace orm_parity_test

using orm_parity_test::Doc;
using orm_parity_test::DocId;
using orm_parity_test::Hits;

template <>
inline constexpr auto coodie::model<Doc> =
    coodie::table("docs").partition_key<&Doc::id>().clustering_key<&Doc::n>();
template <>
inline constexpr auto coodie::model<Hits> =
    coodie::table("hits").partition_key<&Hits::id>().type<&Hits::hits>(coodie::cql::counter);

namespace {

template <class Front, class V>
using ret = typename Front::template result_t<V>;

template <class S>
concept session_calls = requires(S s, const Doc& d, const Hits& h) {
  { s.connect() } -> std::same_as<ret<S, void>>;
  { s.driver() } -> std::same_as<coodie::driver_session&>;
  { s.template sync_table<Doc>() } -> std::same_as<ret<S, coodie::sync_result>>;
  { s.template sync_table<Doc>({.dry_run = true}) } -> std::same_as<ret<S, coodie::sync_result>>;
  { s.template drop_table<Doc>() } -> std::same_as<ret<S, void>>;
  { s.template truncate<Doc>() } -> std::same_as<ret<S, void>>;
  { s.create_keyspace(coodie::keyspace_options{}) } -> std::same_as<ret<S, void>>;
  { s.drop_keyspace(std::string("ks")) } -> std::same_as<ret<S, void>>;
  { s.save(d) } -> std::same_as<ret<S, void>>;
  { s.save(d, coodie::write_options{.ttl = 5}) } -> std::same_as<ret<S, void>>;
  { s.insert(d) } -> std::same_as<ret<S, coodie::lwt_result<Doc>>>;
  { s.template get<Doc>(1, 2) } -> std::same_as<ret<S, Doc>>;
  { s.template find_one<Doc>(1, 2) } -> std::same_as<ret<S, std::optional<Doc>>>;
  { s.update(d, coodie::members<&Doc::body>) } -> std::same_as<ret<S, void>>;
  { s.remove(d) } -> std::same_as<ret<S, void>>;
  {
    s.update(d, coodie::members<&Doc::body>, coodie::if_exists)
    } -> std::same_as<ret<S, coodie::lwt_result<Doc>>>;
  {
    s.update(d, coodie::members<&Doc::body>, coodie::when(coodie::col<&Doc::note> != "x"))
    } -> std::same_as<ret<S, coodie::lwt_result<Doc>>>;
  { s.remove(d, coodie::if_exists) } -> std::same_as<ret<S, coodie::lwt_result<Doc>>>;
  { s.remove_columns(d, coodie::members<&Doc::note>) } -> std::same_as<ret<S, void>>;
  { s.update(d, {coodie::assign<&Doc::body>("x")}) } -> std::same_as<ret<S, void>>;
  { s.increment(h, coodie::by<&Hits::hits>(1)) } -> std::same_as<ret<S, void>>;
  { s.decrement(h, {coodie::by<&Hits::hits>(1)}, {}) } -> std::same_as<ret<S, void>>;
  { s.batch() } -> std::same_as<coodie::write_batch>;
  {
    s.execute(s.batch(coodie::batch_kind::unlogged))
    } -> std::same_as<ret<S, coodie::batch_result>>;
  { s.save_many(std::vector<Doc>{}) } -> std::same_as<ret<S, coodie::bulk_save_result>>;
  s.template find<Doc>();
};

template <class Q, class S, class R>
concept query_calls = requires(const Q q) {
  { q.where(coodie::col<&Doc::id> == 1) } -> std::same_as<Q>;
  { q.where("id", "=", std::int32_t{1}) } -> std::same_as<Q>;
  { q.limit(1) } -> std::same_as<Q>;
  { q.per_partition_limit(1) } -> std::same_as<Q>;
  { q.template order_by<&Doc::n>() } -> std::same_as<Q>;
  { q.allow_filtering() } -> std::same_as<Q>;
  { q.fetch_size(10) } -> std::same_as<Q>;
  { q.options(coodie::read_options{}) } -> std::same_as<Q>;
  q.template only<DocId>();
  { q.all() } -> std::same_as<ret<S, std::vector<R>>>;
  { q.first() } -> std::same_as<ret<S, std::optional<R>>>;
  { q.count() } -> std::same_as<ret<S, std::int64_t>>;
  { q.page() } -> std::same_as<ret<S, coodie::page_of<R>>>;
  { q.page(std::string("token")) } -> std::same_as<ret<S, coodie::page_of<R>>>;
  { q.remove() } -> std::same_as<ret<S, void>>;
  { q.update({coodie::assign<&Doc::body>("x")}) } -> std::same_as<ret<S, void>>;
  { q.cql() } -> std::same_as<std::string>;
};

template <class St, class S, class R>
concept stream_calls = requires(St st) {
  { st.next() } -> std::same_as<ret<S, R*>>;
  { st.pages_read() } -> std::same_as<std::size_t>;
  { st.rows_held() } -> std::same_as<std::size_t>;
};

template <class S, template <class, class> class Query, template <class, class> class Stream>
constexpr bool front_complete() {
  static_assert(session_calls<S>);
  static_assert(query_calls<Query<Doc, Doc>, S, Doc>);
  static_assert(query_calls<Query<Doc, DocId>, S, DocId>);
  static_assert(stream_calls<Stream<Doc, Doc>, S, Doc>);
  static_assert(std::same_as<decltype(std::declval<S&>().template find<Doc>()), Query<Doc, Doc>>);
  static_assert(std::same_as<decltype(std::declval<Query<Doc, Doc>&>().template only<DocId>()),
                             Query<Doc, DocId>>);
  static_assert(std::same_as<decltype(std::declval<Query<Doc, DocId>&>().stream()),
                             ret<S, Stream<Doc, DocId>>>);
  return true;
}

template <class T>
struct front_template : std::false_type {};
template <class Mode>
struct front_template<coodie::basic_session<Mode>> : std::true_type {};

// --8<-- [start:parity]
TEST(OrmParity, BothFrontsOfferEveryCall) {
  static_assert(front_complete<coodie::sync::session, coodie::sync::query, coodie::sync::stream>());
  static_assert(front_complete<coodie::aio::session, coodie::aio::query, coodie::aio::stream>());
  // One template serves both, so a call added to it reaches both fronts.
  static_assert(front_template<coodie::sync::session>::value);
  static_assert(front_template<coodie::aio::session>::value);
  // sync returns values where aio returns awaitables: the modes differ only there.
  static_assert(std::same_as<ret<coodie::sync::session, int>, int>);
  static_assert(std::same_as<ret<coodie::aio::session, int>, boost::asio::awaitable<int>>);
  // The one deliberate difference: a sync stream is a range; an aio one cannot be.
  static_assert(std::ranges::input_range<coodie::sync::stream<Doc>>);
  static_assert(!std::ranges::range<coodie::aio::stream<Doc>>);

  // The free functions of the two namespaces: same names, same arguments.
  using opts = coodie::session_options;
  static_assert(std::same_as<decltype(coodie::sync::connect(opts{})), coodie::sync::session>);
  static_assert(std::same_as<decltype(coodie::aio::connect(opts{})),
                             boost::asio::awaitable<coodie::aio::session>>);
  static_assert(
      std::same_as<decltype(coodie::sync::connect_lazily(opts{})), coodie::sync::session>);
  static_assert(std::same_as<decltype(coodie::aio::connect_lazily(opts{})), coodie::aio::session>);
  static_assert(std::same_as<decltype(coodie::sync::init(opts{})), void>);
  static_assert(std::same_as<decltype(coodie::aio::init(opts{})), boost::asio::awaitable<void>>);
  static_assert(std::same_as<decltype(coodie::sync::init_lazily(opts{})), void>);
  static_assert(std::same_as<decltype(coodie::aio::init_lazily(opts{})), void>);
  static_assert(std::same_as<decltype(coodie::sync::default_session()), coodie::sync::session>);
  static_assert(std::same_as<decltype(coodie::aio::default_session()), coodie::aio::session>);
  static_assert(std::same_as<decltype(coodie::sync::clear_default_session()), void>);
  static_assert(std::same_as<decltype(coodie::aio::clear_default_session()), void>);
  static_assert(std::same_as<decltype(coodie::sync::set_default_session(
                                 std::declval<coodie::sync::session>())),
                             void>);
  static_assert(
      std::same_as<decltype(coodie::aio::set_default_session(std::declval<coodie::aio::session>())),
                   void>);

  // And at run time: with no default session set, both fronts refuse the same way.
  coodie::sync::clear_default_session();
  coodie::aio::clear_default_session();
  EXPECT_THROW(coodie::sync::default_session(), coodie::usage_error);
  EXPECT_THROW(coodie::aio::default_session(), coodie::usage_error);
}
// --8<-- [end:parity]

// --8<-- [start:empty-fronts]
TEST(OrmParity, EmptyFrontsRefuseEveryCall) {
  // A front can be default-constructed (what a future holds), so connecting through use_future
  // compiles; nothing runs until the io_context does.
  boost::asio::io_context io;
  coodie::session_options o;
  std::future<coodie::aio::session> f =
      boost::asio::co_spawn(io, coodie::aio::connect(o), boost::asio::use_future);
  EXPECT_TRUE(f.valid());

  coodie::sync::session s;
  coodie::aio::session a;
  EXPECT_THROW(s.driver(), coodie::usage_error);
  EXPECT_THROW(a.driver(), coodie::usage_error);
  EXPECT_THROW(s.save(orm_parity_test::Doc{}), coodie::usage_error);
  EXPECT_THROW((void)s.find<orm_parity_test::Doc>(), coodie::usage_error);
  EXPECT_THROW((void)a.find<orm_parity_test::Doc>(), coodie::usage_error);
}
// --8<-- [end:empty-fronts]

}  // namespace
