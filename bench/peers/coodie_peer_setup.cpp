// `coodie_peer setup`: creates keyspace coodie_peers and the protocol's tables when missing, and
// seeds them. Products, reviews and kv rows are upserted every time (cheap); iterate_rows is
// truncated and reloaded only when the marker in coodie_peers.seeded gives another row count.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <future>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "coodie/coodie.hpp"
#include "coodie_peer.hpp"
#include "coodie_peer_data.hpp"

namespace coodie_peer {

namespace {

constexpr const char* schema[] = {
    "CREATE KEYSPACE IF NOT EXISTS coodie_peers WITH replication = "
    "{'class': 'SimpleStrategy', 'replication_factor': 1}",
    "CREATE TABLE IF NOT EXISTS coodie_peers.product (id uuid PRIMARY KEY, name text, "
    "brand text, category text, price double, tags list<text>, description text)",
    "CREATE TABLE IF NOT EXISTS coodie_peers.review (product_id uuid, created_at timestamp, "
    "author text, rating int, PRIMARY KEY (product_id, created_at)) "
    "WITH CLUSTERING ORDER BY (created_at DESC)",
    "CREATE TABLE IF NOT EXISTS coodie_peers.event (id uuid PRIMARY KEY, event_type text, "
    "payload text)",
    "CREATE TABLE IF NOT EXISTS coodie_peers.page_views (url text PRIMARY KEY, views counter)",
    "CREATE TABLE IF NOT EXISTS coodie_peers.kv (k int PRIMARY KEY, v blob)",
    "CREATE TABLE IF NOT EXISTS coodie_peers.iterate_rows (p int, c int, v text, "
    "PRIMARY KEY (p, c))",
    // Not in the protocol: how many rows setup loaded into iterate_rows last time.
    "CREATE TABLE IF NOT EXISTS coodie_peers.seeded (name text PRIMARY KEY, rows bigint)",
};

constexpr int load_window = 512;  // requests in flight while seeding

/// The shared state of one load.
struct load_state {
  std::atomic<std::int64_t> next{0};
  std::atomic<int> lanes{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::exception_ptr error;
  std::promise<void> done;
};

/// Starts the next statement of a lane, or ends the lane when none is left (or one failed).
template <class Make>
void load_next(coodie::driver_session& db, const Make& make, std::int64_t count,
               const std::shared_ptr<load_state>& st) {
  const std::int64_t i = st->next.fetch_add(1);
  if (i >= count || st->failed) {
    if (st->lanes.fetch_sub(1) == 1) {
      st->done.set_value();
    }
    return;
  }
  db.async_execute(make(i), [&db, &make, count, st](std::exception_ptr e, coodie::result) {
    if (e) {
      std::lock_guard lock(st->mutex);
      st->error = st->error ? st->error : e;
      st->failed = true;
    }
    load_next(db, make, count, st);
  });
}

/// Runs make(0) ... make(count - 1) with up to load_window requests in flight; rethrows the
/// first failure.
template <class Make>
void load(coodie::driver_session& db, std::int64_t count, const Make& make) {
  auto st = std::make_shared<load_state>();
  std::future<void> done = st->done.get_future();
  st->lanes = load_window;
  for (int i = 0; i < load_window; ++i) {
    load_next(db, make, count, st);
  }
  done.get();
  if (st->error) {
    std::rethrow_exception(st->error);
  }
}

/// The row count the marker gives for iterate_rows, if any.
std::optional<std::int64_t> loaded_rows(coodie::driver_session& db) {
  coodie::result r = db.execute("SELECT rows FROM coodie_peers.seeded WHERE name = 'iterate_rows'");
  if (r.empty()) {
    return std::nullopt;
  }
  return r.front().get<std::int64_t>(0);
}

void seed_documents(coodie::driver_session& db) {
  const coodie::prepared_statement product_st = db.prepare(insert_product_cql);
  load(db, seed_products, [&](std::int64_t i) {
    const Product p = product(seed_id(static_cast<std::uint64_t>(i)), labelled("product-", i));
    return product_st.bind(p.id, p.name, p.brand, p.category, p.price, p.tags, p.description);
  });
  const coodie::prepared_statement review_st = db.prepare(insert_review_cql);
  load(db, std::int64_t{review_partitions} * reviews_per_partition, [&](std::int64_t i) {
    const auto j = static_cast<int>(i % reviews_per_partition);
    const auto partition = static_cast<std::uint64_t>(review_first + i / reviews_per_partition);
    return review_st.bind(seed_id(partition), review_time(j), labelled("author-", j),
                          std::int32_t{j % 5});
  });
  const coodie::prepared_statement kv_st = db.prepare(insert_kv_cql);
  const coodie::blob value = kv_value();
  load(db, kv_keys,
       [&](std::int64_t k) { return kv_st.bind(static_cast<std::int32_t>(k), value); });
  std::cerr << "setup: upserted " << seed_products << " products, "
            << review_partitions * reviews_per_partition << " reviews in " << review_partitions
            << " partitions, " << kv_keys << " kv rows\n";
}

void seed_iterate_rows(coodie::driver_session& db, std::int64_t rows) {
  const std::optional<std::int64_t> loaded = loaded_rows(db);
  if (loaded == rows) {
    std::cerr << "setup: iterate_rows already holds " << rows << " rows\n";
    return;
  }
  coodie::statement truncate("TRUNCATE coodie_peers.iterate_rows");
  truncate.set_timeout(std::chrono::minutes(2));
  db.execute(truncate);
  const coodie::prepared_statement st = db.prepare(insert_iterate_cql);
  const std::string v(iterate_value_size, 'x');
  load(db, rows, [&](std::int64_t n) {
    return st.bind(static_cast<std::int32_t>(n / 1000), static_cast<std::int32_t>(n % 1000), v);
  });
  db.execute(db.prepare("INSERT INTO coodie_peers.seeded (name, rows) VALUES ('iterate_rows', ?)")
                 .bind(rows));
  std::cerr << "setup: loaded " << rows << " rows into iterate_rows ("
            << (loaded ? "the marker said " + std::to_string(*loaded) : std::string("no marker"))
            << ")\n";
}

}  // namespace

void setup(std::int64_t iterate_rows) {
  coodie::driver_session db = coodie::driver_session::connect(connection_options());
  for (const char* cql : schema) {
    db.execute(cql);
  }
  std::cerr << "setup: keyspace coodie_peers and its tables exist\n";
  seed_documents(db);
  seed_iterate_rows(db, iterate_rows);
}

}  // namespace coodie_peer
