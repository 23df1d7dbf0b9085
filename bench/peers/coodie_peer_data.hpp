// coodie_peer's view of the peer benchmark schema (bench/peers/PROTOCOL.md): the models the ODM
// fronts map onto the tables `coodie_peer setup` creates, the CQL the driver front runs by hand,
// and the values every workload writes and reads.
//
// Example:
//   coodie_peer::Product p = coodie_peer::fresh_product(42);  // a random id, name product-42
//   coodie::uuid id = coodie_peer::seed_id(42);  // 00000000-0000-4000-8000-00000000002a
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coodie/coodie.hpp"

namespace coodie_peer {

struct Product {
  coodie::uuid id;
  std::string name;
  std::string brand;
  std::string category;
  double price = 0;
  std::vector<std::string> tags;
  std::string description;
};
using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
struct Review {
  coodie::uuid product_id;
  timestamp created_at;
  std::string author;
  std::int32_t rating = 0;
};
struct Event {
  coodie::uuid id;
  std::string event_type;
  std::string payload;
};
struct PageViews {
  std::string url;
  std::int64_t views = 0;
};
struct Kv {
  std::int32_t k = 0;
  coodie::blob v;
};
struct IterateRow {
  std::int32_t p = 0;
  std::int32_t c = 0;
  std::string v;
};

}  // namespace coodie_peer

// The models, mapped onto the existing tables (the ODM fronts never sync them).
template <>
inline constexpr auto coodie::model<coodie_peer::Product> =
    coodie::table("product").keyspace("coodie_peers").partition_key<&coodie_peer::Product::id>();
template <>
inline constexpr auto coodie::model<coodie_peer::Review> =
    coodie::table("review")
        .keyspace("coodie_peers")
        .partition_key<&coodie_peer::Review::product_id>()
        .clustering_key<&coodie_peer::Review::created_at>(coodie::desc);
template <>
inline constexpr auto coodie::model<coodie_peer::Event> =
    coodie::table("event").keyspace("coodie_peers").partition_key<&coodie_peer::Event::id>();
template <>
inline constexpr auto coodie::model<coodie_peer::PageViews> =
    coodie::table("page_views")
        .keyspace("coodie_peers")
        .partition_key<&coodie_peer::PageViews::url>()
        .type<&coodie_peer::PageViews::views>(coodie::cql::counter);
template <>
inline constexpr auto coodie::model<coodie_peer::IterateRow> =
    coodie::table("iterate_rows")
        .keyspace("coodie_peers")
        .partition_key<&coodie_peer::IterateRow::p>()
        .clustering_key<&coodie_peer::IterateRow::c>();

namespace coodie_peer {

/// The seed id i: 00000000-0000-4000-8000- followed by i as 12 hexadecimal digits.
inline coodie::uuid seed_id(std::uint64_t i) {
  std::array<std::byte, 16> b{};
  b[6] = std::byte{0x40};
  b[8] = std::byte{0x80};
  for (std::size_t k = 0; k < 6; ++k) {
    b[15 - k] = static_cast<std::byte>((i >> (8 * k)) & 0xFF);
  }
  return coodie::uuid(b);
}

/// "prefix<n>" (built in place: `prefix + std::to_string(n)` trips GCC 12's -Wrestrict at -O3).
inline std::string labelled(std::string_view prefix, long n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

/// The product columns of the protocol with this id and name.
inline Product product(coodie::uuid id, std::string name) {
  return Product{
      id, std::move(name), "Brand", "general", 9.99, {"a", "b", "c"}, "benchmark product"};
}
/// The product operation n inserts: a fresh random (v4) id, named product-<n>.
inline Product fresh_product(long n) {
  return product(coodie::uuid::random(), labelled("product-", n));
}

/// Seed rows: products 0..99, review partitions 1000..1049 of 20 rows, kv keys 0..9999.
inline constexpr int seed_products = 100;
inline constexpr int review_first = 1000;
inline constexpr int review_partitions = 50;
inline constexpr int reviews_per_partition = 20;
inline constexpr int kv_keys = 10000;
inline constexpr int counter_pages = 100;
inline constexpr std::size_t kv_value_size = 100;
inline constexpr std::size_t iterate_value_size = 100;

/// The seed product operation n reads or updates.
inline coodie::uuid seed_product_id(long n) {
  return seed_id(static_cast<std::uint64_t>(n % seed_products));
}
/// The review partition operation n reads.
inline coodie::uuid review_partition(long n) {
  return seed_id(static_cast<std::uint64_t>(review_first + n % review_partitions));
}
/// The creation time of review j: 2026-01-01T00:00:00Z plus j seconds.
inline timestamp review_time(int j) {
  using namespace std::chrono;
  return timestamp(sys_days(year(2026) / January / 1)) + seconds(j);
}
/// The seed products, as the update workload holds them.
inline std::vector<Product> seed_product_list() {
  std::vector<Product> out;
  for (int i = 0; i < seed_products; ++i) {
    out.push_back(product(seed_id(static_cast<std::uint64_t>(i)), labelled("product-", i)));
  }
  return out;
}
/// The counter row operation n increments: page-<n % 100>.
inline std::string page_url(long n) {
  return labelled("page-", n % counter_pages);
}
/// The event a batch row writes: a fresh random id, click, payload.
inline Event fresh_event() {
  return Event{coodie::uuid::random(), "click", "payload"};
}
inline constexpr int batch_rows = 10;

/// The unlogged batch of batch_rows fresh events (either ODM front's session).
template <class Session>
coodie::write_batch event_batch(Session& s) {
  coodie::write_batch b = s.batch(coodie::batch_kind::unlogged);
  for (int i = 0; i < batch_rows; ++i) {
    b.save(fresh_event());
  }
  return b;
}

/// The kv value: byte b is b % 256.
inline coodie::blob kv_value() {
  coodie::blob v(kv_value_size);
  for (std::size_t b = 0; b < v.size(); ++b) {
    v[b] = static_cast<std::byte>(b % 256);
  }
  return v;
}

// The protocol's statements, as the driver front prepares them.
inline constexpr const char* insert_product_cql =
    "INSERT INTO coodie_peers.product (id, name, brand, category, price, tags, description) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
inline constexpr const char* insert_product_ttl_cql =
    "INSERT INTO coodie_peers.product (id, name, brand, category, price, tags, description) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL 60";
inline constexpr const char* insert_product_lwt_cql =
    "INSERT INTO coodie_peers.product (id, name, brand, category, price, tags, description) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS";
inline constexpr const char* select_product_cql =
    "SELECT id, name, brand, category, price, tags, description FROM coodie_peers.product "
    "WHERE id = ?";
inline constexpr const char* select_reviews_cql =
    "SELECT product_id, created_at, author, rating FROM coodie_peers.review WHERE product_id = ?";
inline constexpr const char* update_price_cql =
    "UPDATE coodie_peers.product SET price = ? WHERE id = ?";
inline constexpr const char* delete_product_cql = "DELETE FROM coodie_peers.product WHERE id = ?";
inline constexpr const char* insert_event_cql =
    "INSERT INTO coodie_peers.event (id, event_type, payload) VALUES (?, ?, ?)";
inline constexpr const char* increment_cql =
    "UPDATE coodie_peers.page_views SET views = views + 1 WHERE url = ?";
inline constexpr const char* insert_kv_cql = "INSERT INTO coodie_peers.kv (k, v) VALUES (?, ?)";
inline constexpr const char* select_kv_cql = "SELECT k, v FROM coodie_peers.kv WHERE k = ?";
inline constexpr const char* select_iterate_cql = "SELECT p, c, v FROM coodie_peers.iterate_rows";
inline constexpr const char* insert_iterate_cql =
    "INSERT INTO coodie_peers.iterate_rows (p, c, v) VALUES (?, ?, ?)";
inline constexpr const char* insert_review_cql =
    "INSERT INTO coodie_peers.review (product_id, created_at, author, rating) VALUES (?, ?, ?, ?)";

}  // namespace coodie_peer
