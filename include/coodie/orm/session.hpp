// The two fronts of the ODM: coodie::sync::session (blocking) and coodie::aio::session
// (coroutines). Both are one template over an execution mode, so they have the same calls with
// the same behaviour; sync returns values, aio returns asio::awaitable<value>.
//
// Example (blocking):
//   auto s = coodie::sync::connect({.hosts = {"127.0.0.1"}, .keyspace = "shop"});
//   s.sync_table<Product>();
//   s.save(Product{.id = coodie::uuid::random(), .name = "Widget", .price = 4.99});
//   Product p = s.get<Product>(id);                      // document_not_found when absent
//   auto cheap = s.find<Product>()
//                    .where(coodie::col<&Product::category> == "tools",
//                           coodie::col<&Product::price> < 10.0)
//                    .limit(10)
//                    .all();
//
// Example (coroutine):
//   asio::awaitable<void> run() {
//     auto s = co_await coodie::aio::connect({.hosts = {"127.0.0.1"}, .keyspace = "shop"});
//     co_await s.save(p);
//     std::optional<Product> q = co_await s.find_one<Product>(id);
//   }
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/this_coro.hpp>

#include "coodie/driver/session.hpp"
#include "coodie/orm/codec.hpp"
#include "coodie/orm/detail/core.hpp"
#include "coodie/orm/filter.hpp"
#include "coodie/orm/mapping.hpp"
#include "coodie/orm/schema.hpp"
#include "coodie/orm/statements.hpp"
#include "coodie/wire/frame.hpp"

namespace coodie {

/// Options of one write. TTL and timestamp are bound values (USING TTL ? AND TIMESTAMP ?). A
/// delete takes no TTL (usage_error).
struct write_options {
  std::optional<std::int32_t> ttl = std::nullopt;        ///< seconds; 0 removes a default TTL
  std::optional<std::int64_t> timestamp = std::nullopt;  ///< microseconds since the epoch
  std::optional<consistency> cl = std::nullopt;
  /// Bounds the request (request_timeout_error after it); the session's request_timeout when
  /// unset. A statement's first PREPARE, shared by every caller of that statement, runs under
  /// the session's request_timeout.
  std::optional<std::chrono::milliseconds> timeout = std::nullopt;
};

/// Options of one read.
struct read_options {
  std::optional<consistency> cl = std::nullopt;
  std::optional<std::chrono::milliseconds> timeout = std::nullopt;
};

/// The outcome of an insert-if-not-exists: applied, or the row that was there.
template <class T>
struct insert_result {
  bool applied = false;
  std::optional<T> existing;
};

/// One page of a query and the token of the next one (absent on the last page). The token is
/// an opaque string, safe in a URL, that page() accepts back.
template <class R>
struct page_of {
  std::vector<R> items;
  std::optional<std::string> next;
};

/// The members whose columns an update writes: `coodie::members<&Product::price, &Product::name>`.
template <auto... Ms>
struct members_t {};
template <auto... Ms>
inline constexpr members_t<Ms...> members{};

namespace detail {

template <class T>
const table_schema& table_of() {
  return model_info<T>::schema();
}

/// A write's consistency and timeout; a plain write is idempotent when it carries a timestamp
/// (see settle_idempotence). Not plain: conditional writes (mark_conditional), counters, and
/// tables with a non-frozen list (Cassandra keys list elements by a time it picks per write, so
/// a resent overwrite appends the elements again). Call after rq.table is set.
inline void apply(orm_request& rq, const write_options& w) {
  rq.options.cl = w.cl;
  rq.options.timeout = w.timeout;
  const bool plain =
      rq.table == nullptr || (!rq.table->is_counter_table() && !rq.table->has_unfrozen_list());
  rq.options.idempotent = plain && w.timestamp.has_value();
  rq.idempotent_with_timestamp = plain;
}
/// A read's consistency and timeout; reads are always idempotent.
inline void apply(orm_request& rq, const read_options& r) {
  rq.options.cl = r.cl;
  rq.options.timeout = r.timeout;
  rq.options.idempotent = true;
}
/// A conditional write (IF ...) is never sent twice: a retry could report "not applied" for
/// its own first attempt.
inline void mark_conditional(orm_request& rq) {
  rq.options.idempotent = false;
  rq.idempotent_with_timestamp = false;
}

/// Refuses a TTL on a delete, which CQL has no place for (it would be dropped silently).
inline void check_no_ttl(const write_options& w, const table_schema& t, const char* op) {
  if (w.ttl.has_value()) {
    throw usage_error(std::string(op) + " of model " + t.model +
                      " takes no TTL: a DELETE has no USING TTL");
  }
}

inline dml::write_using using_of(const write_options& w) {
  return {w.ttl.has_value(), w.timestamp.has_value()};
}
// value_or, not *: GCC 12 at -O3 warns falsely of a disengaged optional read through *.
inline void bind_timestamp(value_list& v, const write_options& w) {
  if (w.timestamp.has_value()) {
    v.add_as(w.timestamp.value_or(0), wire::simple_type(wire::type_id::bigint));
  }
}
/// Binds USING TTL ? AND TIMESTAMP ? (what using_of(w) put in the text).
inline void bind_using(value_list& v, const write_options& w) {
  if (w.ttl.has_value()) {
    v.add_as(w.ttl.value_or(0), wire::simple_type(wire::type_id::int_));
  }
  bind_timestamp(v, w);
}

/// The size of a text or blob member's value (0 for other types, and for an empty optional).
template <class M>
std::size_t payload_size(const M& m) noexcept {
  if constexpr (std::is_same_v<M, std::string> || std::is_same_v<M, blob>) {
    return m.size();
  } else {
    (void)m;
    return 0;
  }
}
template <class M>
std::size_t payload_size(const std::optional<M>& m) noexcept {
  return m.has_value() ? payload_size(*m) : 0;
}

/// Encodes member I against its column's type. A text or blob larger than a CQL frame can carry
/// is refused before it is copied.
template <class T, std::size_t I>
void encode_member(value_list& v, const T& obj) {
  const table_schema& t = table_of<T>();
  const column_schema& c = t.columns[static_cast<std::size_t>(model_info<T>::column_of[I])];
  if (std::size_t n = payload_size(boost::pfr::get<I>(obj)); n > wire::max_body_size) {
    throw codec_error("model " + t.model + ", column " + c.name + ": a value of " +
                      std::to_string(n) + " bytes is larger than the " +
                      std::to_string(wire::max_body_size) + " bytes a CQL frame can carry");
  }
  try {
    v.add_as(boost::pfr::get<I>(obj), c.type);
  } catch (const codec_error& e) {
    throw codec_error("model " + t.model + ", column " + c.name + ": " + e.what());
  }
}
template <class T>
using member_encoder = void (*)(value_list&, const T&);
template <class T>
inline constexpr auto member_encoders = []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<member_encoder<T>, sizeof...(I)>{[](value_list& v, const T& obj) {
    if constexpr (model_info<T>::column_of[I] >= 0) {
      encode_member<T, I>(v, obj);
    } else {
      (void)v;
      (void)obj;
    }
  }...};
}
(std::make_index_sequence<field_count<T>>{});

template <class T>
void encode_all(value_list& v, const T& obj) {
  for (std::size_t i = 0; i < field_count<T>; ++i) {
    if (model_info<T>::column_of[i] >= 0) {
      member_encoders<T>[i](v, obj);
    }
  }
}

/// The members of T's primary key in key order: the partition key, then the clustering columns.
template <class T>
inline constexpr auto key_fields = [] {
  constexpr const auto& d = model_info<T>::decl;
  std::array<std::size_t, d.partition_count + d.clustering_count> out{};
  for (std::size_t i = 0; i < model_info<T>::field_count; ++i) {
    const member_decl& m = d.members[i];
    if (m.kind == role::partition_key) {
      out[m.key_position] = i;
    } else if (m.kind == role::clustering) {
      out[d.partition_count + m.key_position] = i;
    }
  }
  return out;
}();

template <class T>
void encode_key(value_list& v, const T& obj) {
  for (std::size_t f : key_fields<T>) {
    member_encoders<T>[f](v, obj);
  }
}
/// The primary key columns of model T, in key order (computed once).
template <class T>
const std::vector<const column_schema*>& key_columns() {
  static const std::vector<const column_schema*> columns = table_of<T>().primary_key();
  return columns;
}

/// The type of the member at key position P of model T.
template <class T, std::size_t P>
using key_type_t = field_type_t<T, key_fields<T>[P]>;

/// Each of K converts without loss to the member at its key position (as a restriction's value
/// must: filter_value), and there is one per key column.
template <class T, class... K>
consteval bool keys_fit() {
  if constexpr (sizeof...(K) != key_fields<T>.size()) {
    return false;
  } else {
    return []<std::size_t... P>(std::index_sequence<P...>) {
      return (filter_value<key_type_t<T, P>, K> && ...);
    }
    (std::index_sequence_for<K...>{});
  }
}

/// Encodes key values given one by one, in key order, as the key members' types and then
/// against the key columns' CQL types.
template <class T, class... K>
void encode_key_values(value_list& v, K&&... key) {
  static_assert(sizeof...(K) == key_fields<T>.size(),
                "coodie: give every primary key value of the model, in key order (partition key, "
                "then clustering columns)");
  static_assert(sizeof...(K) != key_fields<T>.size() || keys_fit<T, K...>(),
                "coodie: a key value must convert to its key member's type without loss (no "
                "narrowing, no number for a text key): pass values of the key members' types");
  const std::vector<const column_schema*>& pk = key_columns<T>();
  [&]<std::size_t... P>(std::index_sequence<P...>) {
    auto one = [&]<std::size_t I>(std::integral_constant<std::size_t, I>, auto&& k) {
      try {
        v.add_as(filter_cast<key_type_t<T, I>>(std::forward<decltype(k)>(k)), pk[I]->type);
      } catch (const codec_error& e) {
        throw codec_error("model " + table_of<T>().model + ", key column " + pk[I]->name + ": " +
                          e.what());
      }
    };
    (one(std::integral_constant<std::size_t, P>{}, std::forward<K>(key)), ...);
  }
  (std::index_sequence_for<K...>{});
}

template <class T>
std::optional<T> single_row(const result& r) {
  std::vector<T> rows;
  decode_page<T, T>(r, rows);
  if (rows.size() > 1) {
    throw multiple_documents_found("model " + table_of<T>().model + ": " +
                                   std::to_string(rows.size()) + " rows matched, one expected");
  }
  if (rows.empty()) {
    return std::nullopt;
  }
  return std::move(rows.front());
}

/// Decodes cell i of a row into member f of obj (run-time member choice).
template <class T>
void decode_column_into(const row& rw, std::size_t i, std::size_t f, T& obj) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          if (I == f) {
            rw.get_to(i, boost::pfr::get<I>(obj));
          }
        }(),
        ...);
  }
  (std::make_index_sequence<field_count<T>>{});
}

/// Reads a conditional write's answer: [applied], then the existing row's columns.
template <class T>
insert_result<T> lwt_outcome(const result& r) {
  insert_result<T> out;
  if (r.empty()) {
    out.applied = true;
    return out;
  }
  row first = r.front();
  out.applied = first.get<bool>(0);
  if (!out.applied && r.columns().size() > 1) {
    T existing{};
    for (std::size_t i = 1; i < r.columns().size(); ++i) {
      std::size_t f = model_info<T>::field_of_column(r.columns()[i].name);
      if (f < field_count<T>) {
        decode_column_into(first, i, f, existing);
      }
    }
    out.existing = std::move(existing);
  }
  return out;
}

/// Runs f(driver session, a...), a function returning an awaitable, once the core is
/// connected; the core stays alive until it ends.
template <class R, class F, class... A>
asio::awaitable<R> on_db(std::shared_ptr<orm_core> c, F f, A... a) {
  coodie::session* db = co_await c->async_db(c);
  co_return co_await f(*db, std::move(a)...);
}

/// sync_table with the session's cache of synced tables and the warm-up of the model's
/// statements.
asio::awaitable<sync_result> sync_table_op(std::shared_ptr<orm_core> c, const table_schema* t,
                                           sync_options o);
/// Drops, and forgets what the session knew of the table (synced, prepared statements).
asio::awaitable<void> drop_table_op(std::shared_ptr<orm_core> c, const table_schema* t);
asio::awaitable<void> drop_keyspace_op(std::shared_ptr<orm_core> c, std::string name);

}  // namespace detail

template <class T, class Mode, class R>
class basic_query;

/// A front of the ODM over one driver session; copies share the session. Mode is
/// detail::sync_mode or detail::aio_mode; use coodie::sync::session or coodie::aio::session.
template <class Mode>
class basic_session {
 public:
  template <class V>
  using result_t = typename Mode::template result_t<V>;

  /// An empty front that is connected to nothing, as a future or a member holds one before a
  /// connected session is assigned to it; every call throws usage_error until then.
  ///   std::future<coodie::aio::session> f =
  ///       asio::co_spawn(io, coodie::aio::connect(o), asio::use_future);
  basic_session() = default;

  /// A front over a connected driver session.
  explicit basic_session(coodie::session s)
      : core_(std::make_shared<detail::orm_core>(std::move(s))) {}
  /// A front that connects on first use (see sync::connect_lazily, aio::connect_lazily).
  basic_session(session_options lazy, detail::lazy_t)
      : core_(std::make_shared<detail::orm_core>(std::move(lazy), Mode::blocking)) {}

  /// Connects now when the session is lazy and not connected yet; otherwise does nothing.
  result_t<void> connect() { return Mode::run_coro(core(), connect_op(core())); }

  /// The driver session, for raw CQL. A lazy sync session connects here; a lazy aio session
  /// must have connected (any awaited call, or connect()) first, else usage_error.
  coodie::session& driver() { return core()->db(); }

  // --- schema -------------------------------------------------------------------------------

  /// Creates the table and its indexes when missing; on an existing table adds missing columns
  /// and indexes and alters changed options, and reports what it cannot change safely. Costs
  /// no round trip when this session synced the same model already. Prepares the model's
  /// statements. `s.sync_table<Product>({.dry_run = true}).statements` is the plan.
  template <class T>
  result_t<sync_result> sync_table(sync_options o = {}) {
    return Mode::run_coro(core(), detail::sync_table_op(core(), &detail::table_of<T>(), o));
  }
  /// DROP TABLE IF EXISTS; the next sync_table<T>() creates it again.
  template <class T>
  result_t<void> drop_table() {
    return Mode::run_coro(core(), detail::drop_table_op(core(), &detail::table_of<T>()));
  }
  /// TRUNCATE: removes every row.
  template <class T>
  result_t<void> truncate() {
    return Mode::run_coro(core(), detail::on_db<void>(
                                      core(),
                                      [](coodie::session& db, table_schema t, std::string ks) {
                                        return async_truncate(db, std::move(t), std::move(ks));
                                      },
                                      detail::table_of<T>(), core()->default_keyspace()));
  }
  /// CREATE KEYSPACE IF NOT EXISTS.
  result_t<void> create_keyspace(keyspace_options k) {
    return Mode::run_coro(core(), detail::on_db<void>(
                                      core(),
                                      [](coodie::session& db, keyspace_options o) {
                                        return async_create_keyspace(db, std::move(o));
                                      },
                                      std::move(k)));
  }
  /// DROP KEYSPACE IF EXISTS.
  result_t<void> drop_keyspace(std::string name) {
    return Mode::run_coro(core(), detail::drop_keyspace_op(core(), std::move(name)));
  }

  // --- documents ----------------------------------------------------------------------------

  /// Upsert of every column of obj.
  template <class T>
  result_t<void> save(const T& obj, write_options w = {}) {
    detail::orm_request rq = write_request<T>(w, false);
    detail::encode_all(rq.values, obj);
    detail::bind_using(rq.values, w);
    return Mode::run(core(), std::move(rq), [](const result&) {});
  }

  /// INSERT ... IF NOT EXISTS: applied, or the row already there.
  template <class T>
  result_t<insert_result<T>> insert(const T& obj, write_options w = {}) {
    detail::orm_request rq = write_request<T>(w, true);
    detail::encode_all(rq.values, obj);
    detail::bind_using(rq.values, w);
    return Mode::run(core(), std::move(rq),
                     [](const result& r) { return detail::lwt_outcome<T>(r); });
  }

  /// The row with this primary key (partition key then clustering values, in key order);
  /// document_not_found when there is none. Each value converts without loss to its key
  /// member's type, and there is one per key column: anything else does not compile.
  ///   Product p = s.get<Product>("tools", "anvil");
  template <class T, class... K>
  result_t<T> get(K&&... key) {
    return Mode::run(core(), key_read<T>(std::forward<K>(key)...), [](const result& r) {
      std::optional<T> found = detail::single_row<T>(r);
      if (!found) {
        throw document_not_found("model " + detail::table_of<T>().model + " (table " +
                                 detail::table_of<T>().name + "): no row with that primary key");
      }
      return std::move(*found);
    });
  }

  /// The row with this primary key, or std::nullopt.
  template <class T, class... K>
  result_t<std::optional<T>> find_one(K&&... key) {
    return Mode::run(core(), key_read<T>(std::forward<K>(key)...),
                     [](const result& r) { return detail::single_row<T>(r); });
  }

  /// Writes only the named members' columns of obj's row (other columns are left alone).
  template <class T, auto... Ms>
  result_t<void> update(const T& obj, members_t<Ms...>, write_options w = {}) {
    static_assert(sizeof...(Ms) > 0, "coodie: update names no member");
    static_assert((std::is_same_v<detail::member_class_t<Ms>, T> && ...),
                  "coodie: update names a member of another type");
    constexpr std::array<std::size_t, sizeof...(Ms)> fields{detail::field_index<Ms>()...};
    std::vector<std::string> names;
    for (std::size_t f : fields) {
      names.emplace_back(model_info<T>::column_names[f]);
    }
    detail::orm_request rq = base_request<T>(
        dml::update(detail::table_of<T>(), core()->default_keyspace(), names, detail::using_of(w)));
    detail::apply(rq, w);
    detail::bind_using(rq.values, w);
    for (std::size_t f : fields) {
      detail::member_encoders<T>[f](rq.values, obj);
    }
    detail::encode_key(rq.values, obj);
    return Mode::run(core(), std::move(rq), [](const result&) {});
  }

  /// Deletes obj's row.
  template <class T>
  result_t<void> remove(const T& obj, write_options w = {}) {
    detail::check_no_ttl(w, detail::table_of<T>(), "remove");
    const bool ts = w.timestamp.has_value();
    detail::orm_request rq = shaped_request<T>(
        detail::stmt_kind::remove, ts ? 2 : 0,
        [ts](const table_schema& t, const std::string& ks) { return dml::remove(t, ks, {}, ts); });
    detail::apply(rq, w);
    detail::bind_timestamp(rq.values, w);
    detail::encode_key(rq.values, obj);
    return Mode::run(core(), std::move(rq), [](const result&) {});
  }

  /// Deletes (nulls) the named members' columns of obj's row.
  template <class T, auto... Ms>
  result_t<void> remove_columns(const T& obj, members_t<Ms...>, write_options w = {}) {
    static_assert(sizeof...(Ms) > 0, "coodie: remove_columns names no member");
    detail::check_no_ttl(w, detail::table_of<T>(), "remove_columns");
    std::vector<std::string> names{
        std::string(model_info<T>::column_names[detail::field_index<Ms>()])...};
    detail::orm_request rq = base_request<T>(dml::remove(
        detail::table_of<T>(), core()->default_keyspace(), names, w.timestamp.has_value()));
    detail::apply(rq, w);
    detail::bind_timestamp(rq.values, w);
    detail::encode_key(rq.values, obj);
    return Mode::run(core(), std::move(rq), [](const result&) {});
  }

  // --- queries ------------------------------------------------------------------------------

  /// A query on model T, refined by chaining (each call returns a new query).
  template <class T>
  basic_query<T, Mode, T> find() const {
    return basic_query<T, Mode, T>(core());
  }

 private:
  template <class T, class Mode2, class R>
  friend class basic_query;

  template <class T>
  detail::orm_request base_request(std::string text) const {
    detail::orm_request rq;
    rq.text = std::move(text);
    rq.table = &detail::table_of<T>();
    return rq;
  }
  /// A request for one of the model's fixed statements: found prepared by its shape, or with
  /// its text built (once per session) by make_text.
  template <class T, class MakeText>
  detail::orm_request shaped_request(detail::stmt_kind kind, std::uint8_t flags,
                                     MakeText make_text) const {
    detail::orm_request rq;
    rq.table = &detail::table_of<T>();
    rq.key = detail::stmt_key{rq.table, kind, flags};
    rq.prepared = core()->cached(*rq.key);
    if (!rq.prepared) {
      rq.text = make_text(*rq.table, core()->default_keyspace());
    }
    return rq;
  }
  template <class T>
  detail::orm_request write_request(const write_options& w, bool if_not_exists) const {
    const dml::write_using u = detail::using_of(w);
    const auto flags = static_cast<std::uint8_t>((u.ttl ? 1U : 0U) | (u.timestamp ? 2U : 0U) |
                                                 (if_not_exists ? 4U : 0U));
    detail::orm_request rq = shaped_request<T>(detail::stmt_kind::insert, flags,
                                               [&](const table_schema& t, const std::string& ks) {
                                                 return dml::insert(t, ks, u, if_not_exists);
                                               });
    detail::apply(rq, w);
    if (if_not_exists) {
      detail::mark_conditional(rq);
    }
    return rq;
  }
  template <class T, class... K>
  detail::orm_request key_read(K&&... key) const {
    detail::orm_request rq = shaped_request<T>(
        detail::stmt_kind::select_by_key, 0,
        [](const table_schema& t, const std::string& ks) { return dml::select_by_key(t, ks); });
    detail::encode_key_values<T>(rq.values, std::forward<K>(key)...);
    rq.options.idempotent = true;
    return rq;
  }

  static asio::awaitable<void> connect_op(std::shared_ptr<detail::orm_core> c) {
    co_await c->async_db(c);
  }

  /// The shared state; usage_error on a default-constructed (empty) front.
  const std::shared_ptr<detail::orm_core>& core() const {
    if (!core_) {
      throw usage_error(
          "this coodie session is empty (default-constructed): assign a connected one first");
    }
    return core_;
  }

  std::shared_ptr<detail::orm_core> core_;
};

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

  basic_stream(std::shared_ptr<detail::orm_core> core, pager p)
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
    if constexpr (!detail::row_target<T, R>::reads_every_member) {
      item_ = R{};  // members that read no column start from their defaults on every row
    }
    detail::row_target<T, R>::decode(*reader_, rows_->metadata.columns, item_);
    return &item_;
  }
  void load(result page) {
    reader_.reset();
    page_ = std::move(page);
    ++pages_;
    rows_ = detail::rows_of(page_);
    held_ = rows_ == nullptr ? 0 : static_cast<std::size_t>(rows_->row_count);
    if (held_ > 0) {
      detail::row_target<T, R>::check(rows_->metadata.columns);
      reader_.emplace(rows_->rows, rows_->row_count, rows_->metadata.column_count);
    }
  }
  asio::awaitable<R*> next_awaiting() {
    for (;;) {
      if (R* item = next_in_page()) {
        co_return item;
      }
      std::optional<result> page = co_await pager_.async_next(asio::use_awaitable);
      if (!page) {
        co_return nullptr;
      }
      load(std::move(*page));
    }
  }

  std::shared_ptr<detail::orm_core> core_;  // keeps the driver session alive
  pager pager_;
  result page_;
  const wire::rows_result* rows_ = nullptr;
  std::optional<wire::row_reader> reader_;
  R item_{};
  std::size_t pages_ = 0;
  std::size_t held_ = 0;
};

/// A query on model T read into R (T, or a projection struct); immutable: every refinement
/// returns a new query.
template <class T, class Mode, class R = T>
class basic_query {
 public:
  template <class V>
  using result_t = typename Mode::template result_t<V>;

  explicit basic_query(std::shared_ptr<detail::orm_core> core) : core_(std::move(core)) {}

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
    q.limit_ = n;
    return q;
  }
  /// At most n rows per partition.
  basic_query per_partition_limit(std::int32_t n) const {
    basic_query q = *this;
    q.per_partition_limit_ = n;
    return q;
  }
  /// Orders by a clustering column.
  template <auto M>
  basic_query order_by(order o = order::asc) const {
    static_assert(std::is_same_v<detail::member_class_t<M>, T>,
                  "coodie: order_by names a member of another model");
    static_assert(
        model_info<T>::decl.members[detail::field_index<M>()].kind == detail::role::clustering,
        "coodie: order_by names a column that is not a clustering key");
    basic_query q = *this;
    q.spec_.order_by.emplace_back(
        std::string(model_info<T>::column_names[detail::field_index<M>()]), o);
    return q;
  }
  /// Lets the server filter rows (needed, and asked for explicitly, when the restrictions are
  /// not served by the keys or an index).
  basic_query allow_filtering() const {
    basic_query q = *this;
    q.spec_.allow_filtering = true;
    return q;
  }
  /// Rows per page fetched from the server.
  basic_query fetch_size(std::int32_t rows) const {
    basic_query q = *this;
    q.fetch_size_ = rows;
    return q;
  }
  /// Consistency and timeout of the query's requests.
  basic_query options(read_options o) const {
    basic_query q = *this;
    q.read_ = o;
    return q;
  }
  /// Reads into a projection struct whose members are named like columns of T.
  template <class P>
  basic_query<T, Mode, P> only() const {
    basic_query<T, Mode, P> q(core_);
    q.copy_from(*this);
    q.spec_.columns = detail::row_target<T, P>::columns();
    return q;
  }

  /// SELECT DISTINCT: one row per partition. R (see only()) must read partition key and static
  /// columns only.
  basic_query distinct() const {
    static_assert(
        [] {
          for (int f : detail::row_target<T, R>::model_field) {
            if (f >= 0) {
              detail::role k = model_info<T>::decl.members[static_cast<std::size_t>(f)].kind;
              if (k != detail::role::partition_key && k != detail::role::static_column) {
                return false;
              }
            }
          }
          return true;
        }(),
        "coodie: distinct() reads partition key and static columns only; project with only<P>() "
        "into a struct of those columns");
    basic_query q = *this;
    q.spec_.distinct = true;
    return q;
  }

  /// Every matching row (all pages).
  result_t<std::vector<R>> all() const {
    return Mode::run_coro(core_, all_op(core_, request(false), fetch_size_));
  }
  /// The first matching row, or std::nullopt.
  result_t<std::optional<R>> first() const {
    return Mode::run(core_, limit(1).request(false), [](const result& r) {
      std::vector<R> rows;
      detail::decode_page<T, R>(r, rows);
      return rows.empty() ? std::nullopt : std::optional<R>(std::move(rows.front()));
    });
  }
  /// The number of matching rows (SELECT COUNT(*)).
  result_t<std::int64_t> count() const {
    basic_query q = *this;
    q.spec_.count = true;
    q.limit_.reset();
    return Mode::run(core_, q.request(false), [](const result& r) {
      return r.empty() ? 0 : r.front().get<std::int64_t>(0);
    });
  }
  /// One page of rows and the token of the next; pass the token back to read the next page.
  result_t<page_of<R>> page(std::optional<std::string> token = std::nullopt) const {
    detail::orm_request rq = request(false);
    rq.options.page_size = fetch_size_.value_or(100);
    if (token) {
      rq.options.paging_state = detail::read_page_token(rq, *token);
    }
    // The next token is bound to this query's text and values (copied: rq moves into run).
    detail::orm_request bound;
    bound.text = rq.text;
    bound.values = rq.values;
    return Mode::run(core_, std::move(rq), [bound = std::move(bound)](const result& r) {
      page_of<R> p;
      detail::decode_page<T, R>(r, p.items);
      if (auto st = r.paging_state()) {
        p.next = detail::page_token(bound, *st);
      }
      return p;
    });
  }
  /// Every matching row, page by page, with memory bounded by the fetch size (default 5000).
  result_t<basic_stream<T, Mode, R>> stream() const {
    detail::orm_request rq = request(false);
    rq.options.page_size = fetch_size_.value_or(5000);
    if constexpr (Mode::blocking) {
      prepared_statement ps = detail::prepare_blocking(*core_, rq);
      return basic_stream<T, Mode, R>(
          core_, core_->db().pages(detail::bind_request(*core_, std::move(ps), std::move(rq))));
    } else {
      return stream_op(core_, std::move(rq));
    }
  }

  /// Deletes every row the query matches. Restrictions on whole partitions or key ranges run as
  /// one DELETE; any other query (filters, limits) reads the matching keys page by page and
  /// deletes row by row.
  result_t<void> remove(write_options w = {}) const {
    const table_schema& t = detail::table_of<T>();
    if (spec_.where.empty()) {
      throw usage_error("a bulk delete of model " + t.model +
                        " needs restrictions; use truncate() to remove every row");
    }
    detail::check_no_ttl(w, t, "a bulk delete");
    detail::orm_request write = write_base(w);
    bool direct = restricts_keys_only(false);
    write.text = dml::remove(t, core_->default_keyspace(), {}, w.timestamp.has_value(),
                             direct ? spec_.where : std::vector<dml::where_term>{});
    detail::bind_timestamp(write.values, w);
    return run_write(std::move(write), direct);
  }

  /// Writes the assignments into every row the query matches:
  /// `q.update({coodie::assign<&Product::price>(9.99), coodie::assign<&Product::note>("sale")})`.
  /// Restrictions naming whole rows by = or IN run as one UPDATE; any other query reads the
  /// matching keys page by page and updates row by row.
  result_t<void> update(std::vector<assignment<T>> set, write_options w = {}) const {
    const table_schema& t = detail::table_of<T>();
    if (spec_.where.empty()) {
      throw usage_error("a bulk update of model " + t.model + " needs restrictions");
    }
    if (set.empty()) {
      throw usage_error("a bulk update of model " + t.model + " assigns no column");
    }
    std::vector<std::string> names;
    for (const assignment<T>& a : set) {
      names.push_back(a.column);
    }
    bool direct = restricts_keys_only(true);
    detail::orm_request write = write_base(w);
    write.text = dml::update(t, core_->default_keyspace(), names, detail::using_of(w),
                             direct ? spec_.where : std::vector<dml::where_term>{});
    detail::bind_using(write.values, w);
    for (const assignment<T>& a : set) {
      write.values.append(a.value);
    }
    return run_write(std::move(write), direct);
  }

  /// The SELECT text of the query (for logs and tests).
  [[nodiscard]] std::string cql() const { return request(false).text; }

 private:
  template <class T2, class Mode2, class R2>
  friend class basic_query;

  template <class Other>
  void copy_from(const Other& o) {
    spec_ = o.spec_;
    where_values_ = o.where_values_;
    limit_ = o.limit_;
    per_partition_limit_ = o.per_partition_limit_;
    fetch_size_ = o.fetch_size_;
    read_ = o.read_;
  }

  /// The write request of a bulk operation, with the query's consistency and timeout.
  detail::orm_request write_base(const write_options& w) const {
    detail::orm_request rq;
    rq.table = &detail::table_of<T>();
    detail::apply(rq, w);
    if (!w.cl && !w.timeout) {
      rq.options.cl = read_.cl;
      rq.options.timeout = read_.timeout;
    }
    return rq;
  }

  /// True when the restrictions are on key columns only, every partition key column by = or IN,
  /// with no limit: a single DELETE (or, with whole_rows, an UPDATE needing every clustering
  /// column by = or IN) can name the rows.
  bool restricts_keys_only(bool whole_rows) const {
    const table_schema& t = detail::table_of<T>();
    if (limit_ || per_partition_limit_) {
      return false;
    }
    (void)request(false);  // a query the server would have to filter is refused first
    auto restricted = [&](const column_schema* c) {
      for (const dml::where_term& w : spec_.where) {
        if (!w.token && w.columns.size() == 1 && w.columns.front() == c->name &&
            (w.relation == dml::op::eq || w.relation == dml::op::in)) {
          return true;
        }
      }
      return false;
    };
    for (const dml::where_term& w : spec_.where) {
      if (w.token || w.columns.size() != 1) {
        return false;
      }
      const column_schema* c = t.find(w.columns.front());
      if (c == nullptr ||
          (c->kind != column_kind::partition_key && c->kind != column_kind::clustering)) {
        return false;
      }
    }
    for (const column_schema* c : t.partition_key()) {
      if (!restricted(c)) {
        return false;
      }
    }
    if (whole_rows) {
      for (const column_schema* c : t.clustering_key()) {
        if (!restricted(c)) {
          return false;
        }
      }
    }
    return true;
  }

  /// Runs a bulk write: at once with the query's values when direct, else once per matching
  /// row with that row's key appended.
  result_t<void> run_write(detail::orm_request write, bool direct) const {
    if (direct) {
      write.values.append(where_values_);
      return Mode::run(core_, std::move(write), [](const result&) {});
    }
    basic_query<T, Mode, T> keys(core_);
    keys.copy_from(*this);
    keys.spec_.columns.clear();
    for (const column_schema* c : detail::table_of<T>().primary_key()) {
      keys.spec_.columns.push_back(c->name);
    }
    detail::orm_request select = keys.request(false);
    select.options.page_size = fetch_size_.value_or(5000);
    return Mode::run_coro(core_, for_each_key(core_, std::move(select), std::move(write)));
  }

  /// Reads the keys select returns, page by page, and runs write once per row with the key's
  /// cells appended to its values (bound as they came, not decoded).
  static asio::awaitable<void> for_each_key(std::shared_ptr<detail::orm_core> c,
                                            detail::orm_request select, detail::orm_request write) {
    coodie::session* db = co_await c->async_db(c);
    prepared_statement sel = co_await detail::prepare_awaiting(c, select.text, select.table);
    prepared_statement wr = co_await detail::prepare_awaiting(c, write.text, write.table);
    detail::settle_idempotence(*c, write);
    pager pages = db->pages(detail::bind_request(*c, std::move(sel), std::move(select)));
    for (;;) {
      std::optional<result> page = co_await pages.async_next(asio::use_awaitable);
      if (!page) {
        break;
      }
      const wire::rows_result* rs = detail::rows_of(*page);
      if (rs == nullptr) {
        continue;
      }
      wire::row_reader rr(rs->rows, rs->row_count, rs->metadata.column_count);
      while (rr.next_row()) {
        detail::value_list v = write.values;
        for (std::int32_t i = 0; i < rs->metadata.column_count; ++i) {
          v.add_encoded(rr.next_cell());
        }
        bound_statement b(wr, std::move(v));
        b.options() = write.options;
        co_await db->async_execute(b, asio::use_awaitable);
      }
    }
  }

  static asio::awaitable<basic_stream<T, Mode, R>> stream_op(std::shared_ptr<detail::orm_core> c,
                                                             detail::orm_request rq) {
    coodie::session* db = co_await c->async_db(c);
    prepared_statement ps = co_await detail::prepare_awaiting(c, rq.text, rq.table);
    co_return basic_stream<T, Mode, R>(
        c, db->pages(detail::bind_request(*c, std::move(ps), std::move(rq))));
  }

  void add(filter<T> f) {
    spec_.where.push_back(std::move(f.term));
    where_values_.append(f.value);
  }

  detail::orm_request request(bool) const {
    const table_schema& t = detail::table_of<T>();
    if (!spec_.allow_filtering) {
      detail::orm_core::index_list live = core_->live_indexes(&t);
      std::string why = dml::filtering_reason(t, spec_.where, live.get());
      if (!why.empty()) {
        throw usage_error("query on model " + t.model + " (table " + t.name +
                          ") needs ALLOW FILTERING: " + why +
                          "; add .allow_filtering() if a scan is intended");
      }
    }
    dml::select_spec s = spec_;
    s.limit = limit_.has_value();
    s.per_partition_limit = per_partition_limit_.has_value();
    if (s.columns.empty() && !s.count) {
      s.columns = detail::row_target<T, R>::columns();
    }
    detail::orm_request rq;
    rq.table = &t;
    rq.text = dml::select(t, core_->default_keyspace(), s);
    rq.values = where_values_;
    if (per_partition_limit_) {
      rq.values.add_as(*per_partition_limit_, wire::simple_type(wire::type_id::int_));
    }
    if (limit_) {
      rq.values.add_as(*limit_, wire::simple_type(wire::type_id::int_));
    }
    detail::apply(rq, read_);
    return rq;
  }

  /// Reads page after page; memory holds the rows returned plus one page.
  static asio::awaitable<std::vector<R>> all_op(std::shared_ptr<detail::orm_core> c,
                                                detail::orm_request rq,
                                                std::optional<std::int32_t> fetch) {
    std::vector<R> out;
    rq.options.page_size = fetch.value_or(5000);
    for (;;) {
      detail::orm_request one = rq;
      result r =
          co_await detail::aio_mode::run(c, std::move(one), [](const result& res) { return res; });
      detail::decode_page<T, R>(r, out);
      std::optional<page_state> next = r.paging_state();
      if (!next) {
        break;
      }
      rq.options.paging_state = std::move(*next);
    }
    co_return out;
  }

  std::shared_ptr<detail::orm_core> core_;
  dml::select_spec spec_;
  detail::value_list where_values_;
  std::optional<std::int32_t> limit_;
  std::optional<std::int32_t> per_partition_limit_;
  std::optional<std::int32_t> fetch_size_;
  read_options read_;
};

namespace sync {
/// The blocking front.
using session = basic_session<detail::sync_mode>;
template <class T, class R = T>
using query = basic_query<T, detail::sync_mode, R>;
template <class T, class R = T>
using stream = basic_stream<T, detail::sync_mode, R>;

/// Connects (blocking) with an I/O thread of the session's own.
session connect(session_options options);
/// A session that connects (blocking) on its first call.
session connect_lazily(session_options options);

/// The default session, for code that does not pass one around (like the Python init_coodie):
/// `coodie::sync::init({.hosts = {"127.0.0.1"}, .keyspace = "shop"});` then
/// `coodie::sync::default_session().save(p);`. Explicit sessions remain the norm.
void init(session_options options);
/// Makes a session that connects on first use the default one.
void init_lazily(session_options options);
/// Makes s the default session (replacing any other).
void set_default_session(session s);
/// Forgets the default session (closing it when no copy is left).
void clear_default_session();
/// The default session; usage_error when none was set.
session default_session();
}  // namespace sync

namespace aio {
/// The coroutine front.
using session = basic_session<detail::aio_mode>;
template <class T, class R = T>
using query = basic_query<T, detail::aio_mode, R>;
template <class T, class R = T>
using stream = basic_stream<T, detail::aio_mode, R>;

/// Connects on the awaiting coroutine's executor; `auto s = co_await aio::connect(o);`.
asio::awaitable<session> connect(session_options options);
/// A session that connects on the executor of the first coroutine that awaits one of its calls.
session connect_lazily(session_options options);

/// The default session (see coodie::sync::init): `co_await coodie::aio::init(o);`.
asio::awaitable<void> init(session_options options);
void init_lazily(session_options options);
void set_default_session(session s);
void clear_default_session();
session default_session();
}  // namespace aio

}  // namespace coodie
