// The ODM against the local Cassandra, each test body run through both fronts (coodie::sync and
// coodie::aio): models with composite keys and static columns, every type through a model,
// schema evolution, documents, queries and pages.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_doc_test {

struct Reading {
  std::string sensor;
  std::int32_t day = 0;
  std::int64_t ts = 0;
  std::int32_t seq = 0;
  std::string site;
  double value = 0;
  std::optional<std::string> note;
};

struct AllTypes {
  std::int32_t id = 0;
  bool b = false;
  std::int8_t i8 = 0;
  std::int16_t i16 = 0;
  std::int64_t i64 = 0;
  float f = 0;
  double d = 0;
  std::string text;
  std::string ascii_text;
  coodie::blob bytes;
  coodie::uuid u;
  coodie::timeuuid tu;
  std::chrono::sys_time<std::chrono::milliseconds> at{};
  coodie::date day;
  coodie::time_of_day tod;
  coodie::duration dur;
  coodie::inet addr;
  coodie::varint big;
  coodie::decimal dec;
  std::vector<std::int32_t> list;
  std::set<std::string> set;
  std::map<std::string, std::int64_t> map;
  std::vector<std::vector<std::int32_t>> nested;
  std::tuple<std::int32_t, std::optional<std::string>> tup;
  std::array<float, 3> vec{};
  std::optional<std::int32_t> maybe;
  std::optional<std::vector<std::string>> maybe_list;
};

struct Profile {
  std::int32_t id = 0;
  std::string name;
  std::string email;
  std::optional<std::int32_t> age;
};

// The same table as Profile, one member more (schema evolution).
struct ProfileV2 {
  std::int32_t id = 0;
  std::string name;
  std::string email;
  std::optional<std::int32_t> age;
  std::optional<std::string> city;
};

// The same table, with age's type changed.
struct ProfileV3 {
  std::int32_t id = 0;
  std::string name;
  std::string email;
  std::optional<std::string> age;
};

// The same table, age as a float: as wide as the live int, so only the type check can tell.
struct ProfileV4 {
  std::int32_t id = 0;
  std::string name;
  std::string email;
  std::optional<float> age;
};

struct Item {
  std::string shop;
  std::int32_t n = 0;
  std::string brand;
  std::string color;
};

struct ItemName {
  std::int32_t n = 0;
  std::string brand;
};

struct ItemShop {
  std::string shop;
};

struct TickLabel {
  std::string label;
};

struct Tick {
  std::int32_t bucket = 0;
  std::int32_t n = 0;
  std::string label;
};

}  // namespace orm_doc_test

using namespace orm_doc_test;

template <>
inline constexpr auto coodie::model<Reading> = coodie::table("readings")
                                                   .partition_key<&Reading::sensor, &Reading::day>()
                                                   .clustering_key<&Reading::ts>(coodie::desc)
                                                   .clustering_key<&Reading::seq>(coodie::asc)
                                                   .static_column<&Reading::site>();
template <>
inline constexpr auto coodie::model<AllTypes> =
    coodie::table("all_types")
        .partition_key<&AllTypes::id>()
        .type<&AllTypes::ascii_text>(coodie::cql::ascii);
template <>
inline constexpr auto coodie::model<Profile> =
    coodie::table("profiles").partition_key<&Profile::id>();
template <>
inline constexpr auto coodie::model<ProfileV2> = coodie::table("profiles")
                                                     .partition_key<&ProfileV2::id>()
                                                     .index<&ProfileV2::city>("profiles_by_city");
template <>
inline constexpr auto coodie::model<ProfileV3> =
    coodie::table("profiles").partition_key<&ProfileV3::id>();
template <>
inline constexpr auto coodie::model<ProfileV4> =
    coodie::table("profiles").partition_key<&ProfileV4::id>();
template <>
inline constexpr auto coodie::model<Item> = coodie::table("items")
                                                .partition_key<&Item::shop>()
                                                .clustering_key<&Item::n>()
                                                .index<&Item::brand>();
template <>
inline constexpr auto coodie::model<Tick> =
    coodie::table("ticks").partition_key<&Tick::bucket>().clustering_key<&Tick::n>();

namespace {

using coodie::col;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmDocsBase, "orm_docs");

/// A fresh items table: 30 rows in shops 0-2 (n % 3), brand acme for even n and zeta for odd,
/// color c0-c4 (n % 5).
template <class F, class S>
void seed_items(S& s) {
  F::await([&] { return s.template drop_table<Item>(); });
  F::await([&] { return s.template sync_table<Item>(); });
  for (std::int32_t i = 0; i < 30; ++i) {
    Item it{"shop" + std::to_string(i % 3), i, i % 2 == 0 ? "acme" : "zeta",
            "c" + std::to_string(i % 5)};
    F::await([&] { return s.save(it); });
  }
}

template <class F>
class OrmDocs : public test::orm_suite<OrmDocsBase, F> {};
using test::orm_fronts;
TYPED_TEST_SUITE(OrmDocs, orm_fronts, test::front_names);

TYPED_TEST(OrmDocs, CompositeKeyMixedOrderAndStaticColumn) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template drop_table<Reading>(); });
  auto r = F::await([&] { return s.template sync_table<Reading>(); });
  EXPECT_TRUE(r.created);
  for (std::int32_t i = 0; i < 4; ++i) {
    Reading x{"s1", 7, 100 + i / 2, i % 2, "site-" + std::to_string(i), i * 1.5, std::nullopt};
    F::await([&] { return s.save(x); });
  }
  auto rows = F::await([&] {
    return s.template find<Reading>()
        .where(col<&Reading::sensor> == "s1", col<&Reading::day> == 7)
        .all();
  });
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].ts, 101);  // ts DESC, then seq ASC
  EXPECT_EQ(rows[0].seq, 0);
  EXPECT_EQ(rows[1].ts, 101);
  EXPECT_EQ(rows[1].seq, 1);
  EXPECT_EQ(rows[3].ts, 100);
  for (const Reading& x : rows) {
    EXPECT_EQ(x.site, "site-3");  // one static value per partition: the last written
    EXPECT_FALSE(x.note.has_value());
  }
  Reading one =
      F::await([&] { return s.template get<Reading>(std::string("s1"), 7, std::int64_t{100}, 1); });
  EXPECT_DOUBLE_EQ(one.value, 1.5);
  EXPECT_THROW(
      F::await([&] { return s.template get<Reading>(std::string("s1"), 7, std::int64_t{5}, 0); }),
      coodie::document_not_found);
  auto none = F::await(
      [&] { return s.template find_one<Reading>(std::string("s2"), 7, std::int64_t{5}, 0); });
  EXPECT_FALSE(none.has_value());
}

TYPED_TEST(OrmDocs, EveryTypeRoundTripsThroughAModel) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template sync_table<AllTypes>(); });
  AllTypes a;
  a.id = 1;
  a.b = true;
  a.i8 = -8;
  a.i16 = 1600;
  a.i64 = -(std::int64_t{1} << 40);
  a.f = 1.25f;
  a.d = -2.5;
  a.text = "zażółć";
  a.ascii_text = "plain";
  a.bytes = coodie::blob{std::byte{0}, std::byte{255}};
  a.u = coodie::uuid::random();
  a.tu = coodie::timeuuid::now();
  a.at = std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(1700000000123));
  a.day = coodie::date::from_days(19000);
  a.tod = coodie::time_of_day(std::chrono::nanoseconds(3600000000001));
  a.dur = coodie::duration{1, 2, 3};
  a.addr = coodie::inet::parse("10.0.0.1");
  a.big = coodie::varint::parse("123456789012345678901234567890");
  a.dec = coodie::decimal::parse("-12.345");
  a.list = {3, 1, 2};
  a.set = {"x", "y"};
  a.map = {{"k", 9}};
  a.nested = {{1}, {}, {2, 3}};
  a.tup = {4, std::nullopt};
  a.vec = {0.5f, -1.0f, 2.0f};
  a.maybe_list = std::vector<std::string>{"only"};
  F::await([&] { return s.save(a); });
  AllTypes b = F::await([&] { return s.template get<AllTypes>(1); });
  EXPECT_EQ(b.b, a.b);
  EXPECT_EQ(b.i8, a.i8);
  EXPECT_EQ(b.i16, a.i16);
  EXPECT_EQ(b.i64, a.i64);
  EXPECT_EQ(b.f, a.f);
  EXPECT_EQ(b.d, a.d);
  EXPECT_EQ(b.text, a.text);
  EXPECT_EQ(b.ascii_text, a.ascii_text);
  EXPECT_EQ(b.bytes, a.bytes);
  EXPECT_EQ(b.u, a.u);
  EXPECT_EQ(b.tu, a.tu);
  EXPECT_EQ(b.at, a.at);
  EXPECT_EQ(b.day, a.day);
  EXPECT_EQ(b.tod, a.tod);
  EXPECT_EQ(b.dur, a.dur);
  EXPECT_EQ(b.addr, a.addr);
  EXPECT_EQ(b.big, a.big);
  EXPECT_EQ(b.dec, a.dec);
  EXPECT_EQ(b.list, a.list);
  EXPECT_EQ(b.set, a.set);
  EXPECT_EQ(b.map, a.map);
  EXPECT_EQ(b.nested, a.nested);
  EXPECT_EQ(b.tup, a.tup);
  EXPECT_EQ(b.vec, a.vec);
  EXPECT_FALSE(b.maybe.has_value());
  EXPECT_EQ(b.maybe_list, a.maybe_list);
  // Empty collections and nulls come back empty and absent.
  AllTypes empty;
  empty.id = 2;
  F::await([&] { return s.save(empty); });
  AllTypes e = F::await([&] { return s.template get<AllTypes>(2); });
  EXPECT_TRUE(e.list.empty());
  EXPECT_TRUE(e.map.empty());
  EXPECT_FALSE(e.maybe_list.has_value());
}

TYPED_TEST(OrmDocs, SchemaEvolvesAndSyncIsIdempotent) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template drop_table<Profile>(); });
  F::await([&] { return s.template sync_table<Profile>(); });
  EXPECT_TRUE(F::await([&] { return s.template sync_table<Profile>(); }).statements.empty());
  auto fresh = this->front();  // a new session reads the live table: nothing to do
  EXPECT_TRUE(F::await([&] { return fresh.template sync_table<Profile>(); }).statements.empty());
  F::await([&] { return s.save(Profile{1, "Ann", "ann@x", 30}); });

  auto plan = F::await([&] { return s.template sync_table<ProfileV2>({.dry_run = true}); });
  ASSERT_EQ(plan.statements.size(), 2u);
  auto applied = F::await([&] { return s.template sync_table<ProfileV2>(); });
  EXPECT_TRUE(applied.applied);
  ProfileV2 old = F::await([&] { return s.template get<ProfileV2>(1); });
  EXPECT_EQ(old.name, "Ann");
  EXPECT_FALSE(old.city.has_value());  // the new column reads as null on old rows
  F::await([&] { return s.save(ProfileV2{2, "Bob", "bob@x", std::nullopt, "Oslo"}); });
  auto idx = this->db().execute(coodie::statement(
      "SELECT index_name FROM system_schema.indexes WHERE keyspace_name = ? AND table_name = ?",
      this->ks(), std::string("profiles")));
  ASSERT_EQ(idx.size(), 1u);
  EXPECT_EQ(idx.front().template get<std::string>(0), "profiles_by_city");
  // sync_table returned after the new index was built: it answers at once.
  std::vector<ProfileV2> in_oslo = F::await(
      [&] { return s.template find<ProfileV2>().where(col<&ProfileV2::city> == "Oslo").all(); });
  ASSERT_EQ(in_oslo.size(), 1u);
  EXPECT_EQ(in_oslo[0].name, "Bob");

  auto v3 = F::await([&] { return s.template sync_table<ProfileV3>(); });
  ASSERT_FALSE(v3.differences.empty());
  EXPECT_EQ(v3.differences[0].column, "age");
  EXPECT_EQ(test::live_column_type(this->db(), this->ks(), "profiles", "age"),
            "int");  // not applied

  // Writing through a model whose column type differs from the live one fails before anything
  // is written, even where the widths match (float into int).
  auto v4 = F::await([&] { return s.template sync_table<ProfileV4>(); });
  ASSERT_FALSE(v4.differences.empty());
  ProfileV4 wrong{3, "Cat", "cat@x", 1.5F};
  EXPECT_THROW(F::await([&] { return s.save(wrong); }), coodie::schema_error);
  EXPECT_FALSE(F::await([&] { return s.template find_one<Profile>(3); }).has_value());

  // A dropped table is created again by the next sync of the same session.
  F::await([&] { return s.template drop_table<Profile>(); });
  EXPECT_TRUE(F::await([&] { return s.template sync_table<Profile>(); }).created);
  F::await([&] { return s.save(Profile{4, "Dan", "dan@x", 7}); });
  EXPECT_EQ(F::await([&] { return s.template get<Profile>(4); }).name, "Dan");
}

TYPED_TEST(OrmDocs, WritesReadsAndQueries) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template drop_table<Profile>(); });
  F::await([&] { return s.template sync_table<Profile>(); });
  Profile p{10, "Cy", "cy@x", 40};
  auto first = F::await([&] { return s.insert(p); });
  EXPECT_TRUE(first.applied);
  Profile other{10, "Dee", "dee@x", 1};
  auto second = F::await([&] { return s.insert(other); });
  EXPECT_FALSE(second.applied);
  ASSERT_TRUE(second.existing.has_value());
  EXPECT_EQ(second.existing->name, "Cy");

  // A partial update leaves a concurrent write to another column intact.
  Profile stale = p;
  stale.name = "Cyrus";
  this->db().execute(
      coodie::statement("UPDATE " + this->ks() + ".profiles SET email = ? WHERE id = ?",
                        std::string("new@x"), std::int32_t{10}));
  F::await([&] { return s.update(stale, coodie::members<&Profile::name>); });
  Profile now = F::await([&] { return s.template get<Profile>(10); });
  EXPECT_EQ(now.name, "Cyrus");
  EXPECT_EQ(now.email, "new@x");

  // Deletes with their options, as the server applies them: an older timestamp deletes
  // nothing, a newer one deletes; the consistency reaches the request; a TTL, which a DELETE
  // cannot take, is refused.
  coodie::write_options older{.timestamp = 1};
  F::await([&] { return s.remove_columns(now, coodie::members<&Profile::age>, older); });
  EXPECT_EQ(F::await([&] { return s.template get<Profile>(10); }).age, 40);
  F::await([&] { return s.remove(now, older); });
  EXPECT_TRUE(F::await([&] { return s.template find_one<Profile>(10); }).has_value());
  coodie::write_options three{.cl = coodie::consistency::three};  // one node: unavailable
  EXPECT_THROW(F::await([&] { return s.remove(now, three); }), coodie::unavailable_error);
  EXPECT_THROW(
      F::await([&] { return s.remove_columns(now, coodie::members<&Profile::age>, three); }),
      coodie::unavailable_error);
  coodie::write_options ttl{.ttl = 60};
  EXPECT_THROW(F::await([&] { return s.remove(now, ttl); }), coodie::usage_error);
  EXPECT_THROW(F::await([&] { return s.remove_columns(now, coodie::members<&Profile::age>, ttl); }),
               coodie::usage_error);
  EXPECT_TRUE(F::await([&] { return s.template find_one<Profile>(10); }).has_value());
  F::await([&] { return s.remove_columns(now, coodie::members<&Profile::age>); });
  EXPECT_FALSE(F::await([&] { return s.template get<Profile>(10); }).age.has_value());

  // USING TIMESTAMP: an older write loses to a newer one.
  F::await([&] { return s.save(Profile{11, "new", "n", 1}, {.timestamp = 2000}); });
  F::await([&] { return s.save(Profile{11, "old", "o", 1}, {.timestamp = 1000}); });
  EXPECT_EQ(F::await([&] { return s.template get<Profile>(11); }).name, "new");

  // TTL: the server stores it (checked with TTL(), whatever the machine's load), and a row
  // written with a short one expires. The server counts a TTL in whole seconds from the second
  // of the write, so a 1 s TTL is gone at most a second after the write returned.
  F::await([&] { return s.save(Profile{12, "lasting", "l", 1}, {.ttl = 600}); });
  ASSERT_TRUE(F::await([&] { return s.template find_one<Profile>(12); }).has_value());
  auto left = this->db()
                  .execute(coodie::statement("SELECT TTL(name) FROM " + this->ks() +
                                             ".profiles WHERE id = 12"))
                  .front()
                  .template get<std::int32_t>(0);
  EXPECT_GT(left, 500);
  EXPECT_LE(left, 600);
  F::await([&] { return s.save(Profile{13, "brief", "b", 1}, {.ttl = 1}); });
  // The write was applied before save returned, so it expires within a second of now.
  std::this_thread::sleep_for(std::chrono::milliseconds(1600));
  EXPECT_FALSE(F::await([&] { return s.template find_one<Profile>(13); }).has_value());

  F::await([&] { return s.remove(now); });
  EXPECT_FALSE(F::await([&] { return s.template find_one<Profile>(10); }).has_value());
}

TYPED_TEST(OrmDocs, QueriesLimitsPagesAndBulkDelete) {
  using F = TypeParam;
  auto s = this->front();
  seed_items<F>(s);
  auto per = F::await([&] { return s.template find<Item>().per_partition_limit(2).all(); });
  std::map<std::string, int> counts;
  for (const Item& it : per) {
    ++counts[it.shop];
  }
  EXPECT_EQ(counts.size(), 3u);
  for (const auto& [shop, n] : counts) {
    EXPECT_EQ(n, 2) << shop;
  }
  EXPECT_EQ(F::await([&] { return s.template find<Item>().count(); }), 30);
  auto q = s.template find<Item>().where(col<&Item::shop> == "shop1");
  EXPECT_EQ(F::await([&] { return q.count(); }), 10);
  auto top = F::await([&] { return q.template order_by<&Item::n>(coodie::desc).limit(3).all(); });
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].n, 28);
  auto names = F::await([&] { return q.template only<ItemName>().all(); });
  ASSERT_EQ(names.size(), 10u);
  EXPECT_EQ(names[0].n, 1);
  EXPECT_EQ(names[0].brand, "zeta");
  auto acme =
      F::await([&] { return s.template find<Item>().where(col<&Item::brand> == "acme").all(); });
  EXPECT_EQ(acme.size(), 15u);
  auto in = F::await([&] {
    return q.where(col<&Item::n>.in(std::vector<std::int32_t>{1, 4, 5})).all();
  });
  EXPECT_EQ(in.size(), 2u);

  // A filter that needs ALLOW FILTERING fails before any request; with it, it runs.
  auto needs = s.template find<Item>().where(col<&Item::color> == "c1");
  EXPECT_THROW(F::await([&] { return needs.all(); }), coodie::usage_error);
  EXPECT_EQ(F::await([&] { return needs.allow_filtering().all(); }).size(), 6u);

  // Page tokens survive a string round trip and resume at the right row.
  auto paged = q.fetch_size(4);
  auto p1 = F::await([&] { return paged.page(); });
  ASSERT_EQ(p1.items.size(), 4u);
  ASSERT_TRUE(p1.next.has_value());
  std::string token = *p1.next;
  auto p2 = F::await([&] { return paged.page(std::string(token)); });
  ASSERT_EQ(p2.items.size(), 4u);
  EXPECT_EQ(p2.items[0].n, 13);  // shop1 holds 1, 4, 7, 10 | 13, ...

  // Bulk delete removes exactly the matched rows.
  F::await([&] {
    return s.template find<Item>().where(col<&Item::shop> == "shop2", col<&Item::n> >= 20).remove();
  });
  EXPECT_EQ(
      F::await([&] { return s.template find<Item>().where(col<&Item::shop> == "shop2").count(); }),
      6);  // 20, 23, 26, 29 went
  EXPECT_EQ(F::await([&] { return s.template find<Item>().count(); }), 26);
}

TYPED_TEST(OrmDocs, StreamsTenThousandRowsOncePageByPage) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template drop_table<Tick>(); });
  F::await([&] { return s.template sync_table<Tick>(); });
  // 100 partitions of 100 rows, written in unlogged batches of one partition each.
  coodie::prepared_statement ins = this->db().prepare("INSERT INTO " + this->ks() +
                                                      ".ticks (bucket, n, label) VALUES (?, ?, ?)");
  for (std::int32_t b = 0; b < 100; ++b) {
    coodie::batch batch(coodie::wire::batch_type::unlogged);
    for (std::int32_t n = 0; n < 100; ++n) {
      batch.add(ins.bind(b, n, "t" + std::to_string(b * 100 + n)));
    }
    this->db().execute(batch);
  }
  std::vector<int> seen(10000, 0);
  std::size_t rows = 0;
  std::size_t held = F::each(s.template find<Tick>().fetch_size(250), [&](Tick& t) {
    ++rows;
    int id = t.bucket * 100 + t.n;
    ASSERT_GE(id, 0);
    ASSERT_LT(id, 10000);
    ++seen[static_cast<std::size_t>(id)];
    EXPECT_EQ(t.label, "t" + std::to_string(id));
  });
  EXPECT_EQ(rows, 10000u);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), 10000);
  // Memory: never more than one page of rows held, and the rows came in 40 pages (the server
  // may end with an empty one).
  EXPECT_LE(held, 250u);
  EXPECT_GE(F::pages, 40u);
  EXPECT_LE(F::pages, 41u);

  // Reads of one page go unpaged (a count of more rows than a page, a small limit within the
  // fetch size); a larger limit still reads page by page, and each returns exactly its rows.
  EXPECT_EQ(F::await([&] { return s.template find<Tick>().count(); }), 10000);
  auto ticks = s.template find<Tick>().fetch_size(250);
  EXPECT_EQ(F::await([&] { return ticks.limit(80).all(); }).size(), 80u);
  EXPECT_EQ(F::await([&] { return ticks.limit(600).all(); }).size(), 600u);
  EXPECT_EQ(F::await([&] { return s.template find<Tick>().limit(7000).all(); }).size(), 7000u);

  // A projection streams too, and an empty result ends at once.
  std::size_t labels = 0;
  F::each(s.template find<Tick>()
              .where(col<&Tick::bucket> == 7)
              .template only<TickLabel>()
              .fetch_size(30),
          [&](TickLabel& t) {
            EXPECT_EQ(t.label.substr(0, 2), "t7");
            ++labels;
          });
  EXPECT_EQ(labels, 100u);
  std::size_t none = 0;
  F::each(s.template find<Tick>().where(col<&Tick::bucket> == 1000), [&](Tick&) { ++none; });
  EXPECT_EQ(none, 0u);
}

TYPED_TEST(OrmDocs, BulkUpdateDistinctAndFilteredDelete) {
  using F = TypeParam;
  auto s = this->front();
  seed_items<F>(s);
  using coodie::assign;
  auto color_is = [&](const std::string& c) {
    return F::await([&] {
      return s.template find<Item>().where(col<&Item::color> == c).allow_filtering().all();
    });
  };
  // Whole rows named by key: one UPDATE.
  F::await([&] {
    return s.template find<Item>()
        .where(col<&Item::shop> == "shop0", col<&Item::n>.in(std::vector<std::int32_t>{3, 6}))
        .update({assign<&Item::color>("red")});
  });
  auto red = color_is("red");
  ASSERT_EQ(red.size(), 2u);
  EXPECT_EQ(red[0].shop, "shop0");

  // Rows matched through the index: read the keys, then update each.
  F::await([&] {
    return s.template find<Item>()
        .where(col<&Item::brand> == "zeta")
        .update({assign<&Item::color>("blue")}, {.ttl = 3600});
  });
  auto blue = color_is("blue");
  EXPECT_EQ(blue.size(), 15u);
  // The TTL reached every row the bulk update wrote, and only those.
  auto ttls =
      this->db().execute(coodie::statement("SELECT n, TTL(color) FROM " + this->ks() + ".items"));
  std::size_t with_ttl = 0;
  for (coodie::row rw : ttls) {
    auto t = rw.template get<std::optional<std::int32_t>>(1);
    bool zeta = rw.template get<std::int32_t>(0) % 2 == 1;
    EXPECT_EQ(t.has_value(), zeta) << "n " << rw.template get<std::int32_t>(0);
    if (t) {
      EXPECT_GT(*t, 3500);
      EXPECT_LE(*t, 3600);
      ++with_ttl;
    }
  }
  EXPECT_EQ(with_ttl, 15U);
  for (const Item& it : blue) {
    EXPECT_EQ(it.brand, "zeta");
    EXPECT_EQ(it.n % 2, 1);
  }
  auto red_now = color_is("red");  // 3 is zeta, so it turned blue; 6 is acme and stays red
  ASSERT_EQ(red_now.size(), 1u);
  EXPECT_EQ(red_now[0].n, 6);

  // Distinct partition keys.
  auto shops =
      F::await([&] { return s.template find<Item>().template only<ItemShop>().distinct().all(); });
  std::set<std::string> names;
  for (const ItemShop& x : shops) {
    names.insert(x.shop);
  }
  EXPECT_EQ(names, (std::set<std::string>{"shop0", "shop1", "shop2"}));

  // A filtered delete removes exactly the matching rows.
  auto c1 = color_is("c1").size();
  ASSERT_GT(c1, 0u);
  F::await([&] {
    return s.template find<Item>().where(col<&Item::color> == "c1").allow_filtering().remove();
  });
  EXPECT_EQ(color_is("c1").size(), 0u);
  EXPECT_EQ(F::await([&] { return s.template find<Item>().count(); }),
            static_cast<std::int64_t>(30 - c1));
  // Without restrictions, bulk writes refuse.
  EXPECT_THROW(F::await([&] { return s.template find<Item>().remove(); }), coodie::usage_error);
}

}  // namespace
