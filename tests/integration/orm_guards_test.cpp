// Guards against silent wrong data, through both ODM fronts: a live table whose column types
// differ from the model's (nested types included) is refused before anything is written or
// read; a page token resumes only the query that handed it out; and a model's declared
// keyspace is where its table is created, written, read, truncated and dropped.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_guard_test {

struct MapInt {
  std::int32_t id = 0;
  std::map<std::string, std::int32_t> m;
};
struct ListInt {
  std::int32_t id = 0;
  std::vector<std::int32_t> l;
};
struct SetText {
  std::int32_t id = 0;
  std::set<std::string> s;
};
struct TupleIntText {
  std::int32_t id = 0;
  std::tuple<std::int32_t, std::string> t;
};
struct NestedMap {
  std::int32_t id = 0;
  std::vector<std::map<std::string, std::int32_t>> n;
};
struct TupleList {
  std::int32_t id = 0;
  std::vector<std::tuple<std::int32_t, std::string>> tl;
};

struct Widened {
  std::int32_t id = 0;
  std::int64_t v = 0;
};

struct Bulk {
  std::int32_t p = 0;
  std::int32_t c = 0;
};
struct OtherBulk {
  std::int32_t p = 0;
  std::int32_t c = 0;
};

/// Declared in a keyspace of its own, used on sessions whose keyspace is another one. One per
/// front, since ctest runs the two instantiations of a typed test in parallel.
template <class F>
struct Pinned {
  std::int32_t id = 0;
  std::string v;
};
template <class F>
inline constexpr std::string_view pinned_keyspace = std::string_view(F::name) == "sync"
                                                        ? "coodie_guard_pinned_sync"
                                                        : "coodie_guard_pinned_aio";

}  // namespace orm_guard_test

using namespace orm_guard_test;

template <>
inline constexpr auto coodie::model<MapInt> = coodie::table("mm_map").partition_key<&MapInt::id>();
template <>
inline constexpr auto coodie::model<ListInt> =
    coodie::table("mm_list").partition_key<&ListInt::id>();
template <>
inline constexpr auto coodie::model<SetText> =
    coodie::table("mm_set").partition_key<&SetText::id>();
template <>
inline constexpr auto coodie::model<TupleIntText> =
    coodie::table("mm_tuple").partition_key<&TupleIntText::id>();
template <>
inline constexpr auto coodie::model<NestedMap> =
    coodie::table("mm_nested").partition_key<&NestedMap::id>();
template <>
inline constexpr auto coodie::model<TupleList> =
    coodie::table("mm_tuple_list").partition_key<&TupleList::id>();
template <>
inline constexpr auto coodie::model<Widened> =
    coodie::table("mm_changed").partition_key<&Widened::id>();
template <>
inline constexpr auto coodie::model<Bulk> =
    coodie::table("bulk").partition_key<&Bulk::p>().clustering_key<&Bulk::c>();
template <>
inline constexpr auto coodie::model<OtherBulk> =
    coodie::table("other_bulk").partition_key<&OtherBulk::p>().clustering_key<&OtherBulk::c>();
template <class F>
inline constexpr auto coodie::model<Pinned<F>> =
    coodie::table("pinned").keyspace(pinned_keyspace<F>).template partition_key<&Pinned<F>::id>();

namespace {

using coodie::col;
using ::testing::HasSubstr;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmGuardsBase, "orm_guards");

template <class F>
class OrmGuards : public test::orm_suite<OrmGuardsBase, F> {
 protected:
  /// Creates the live table by hand (dropping an earlier one), as another program would have.
  void live_table(const std::string& table, const std::string& columns) {
    const std::string& ks = OrmGuardsBase::ks();
    OrmGuardsBase::db().execute(coodie::statement("DROP TABLE IF EXISTS " + ks + "." + table));
    OrmGuardsBase::db().execute(
        coodie::statement("CREATE TABLE " + ks + "." + table + " (" + columns + ")"));
  }
  std::int64_t rows_in(const std::string& table) {
    return OrmGuardsBase::db()
        .execute(coodie::statement("SELECT COUNT(*) FROM " + OrmGuardsBase::ks() + "." + table))
        .front()
        .template get<std::int64_t>(0);
  }
};
TYPED_TEST_SUITE(OrmGuards, test::orm_fronts, test::front_names);

/// Runs call, which must throw schema_error naming the model and column.
template <class Call>
void expect_mismatch(Call call, const std::string& model, const std::string& column) {
  try {
    call();
    ADD_FAILURE() << "no schema_error for " << model << "." << column;
  } catch (const coodie::schema_error& e) {
    EXPECT_EQ(e.column(), column);
    EXPECT_THAT(e.what(), HasSubstr(model));
    EXPECT_THAT(e.what(), HasSubstr("column " + column));
  }
}

TYPED_TEST(OrmGuards, ParameterizedTypeMismatchesWriteNothing) {
  using F = TypeParam;
  auto s = this->front();
  this->live_table("mm_map", "id int PRIMARY KEY, m map<text, float>");
  this->live_table("mm_list", "id int PRIMARY KEY, l list<float>");
  this->live_table("mm_set", "id int PRIMARY KEY, s set<blob>");
  this->live_table("mm_tuple", "id int PRIMARY KEY, t tuple<float, blob>");
  this->live_table("mm_nested", "id int PRIMARY KEY, n list<frozen<map<text, float>>>");
  this->live_table("mm_tuple_list", "id int PRIMARY KEY, tl list<frozen<tuple<float, blob>>>");

  expect_mismatch([&] { F::await([&] { return s.save(MapInt{1, {{"a", 1}}}); }); }, "MapInt", "m");
  expect_mismatch([&] { F::await([&] { return s.save(ListInt{1, {1, 2}}); }); }, "ListInt", "l");
  expect_mismatch([&] { F::await([&] { return s.save(SetText{1, {"x"}}); }); }, "SetText", "s");
  expect_mismatch([&] { F::await([&] {
                          return s.save(TupleIntText{1, {1, "x"}});
                        }); },
                  "TupleIntText", "t");
  expect_mismatch([&] { F::await([&] {
                          return s.save(NestedMap{1, {{{"a", 1}}}});
                        }); },
                  "NestedMap", "n");
  expect_mismatch([&] { F::await([&] {
                          return s.save(TupleList{1, {{1, "x"}}});
                        }); }, "TupleList",
                  "tl");
  for (const char* table :
       {"mm_map", "mm_list", "mm_set", "mm_tuple", "mm_nested", "mm_tuple_list"}) {
    EXPECT_EQ(this->rows_in(table), 0) << table;
  }

  // Reads and restrictions are checked the same way: a row another program wrote is not
  // decoded into the wrong type, and a restriction's value is not sent as the wrong type.
  this->db().execute(
      coodie::statement("INSERT INTO " + this->ks() + ".mm_list (id, l) VALUES (1, [1.5, 2.5])"));
  expect_mismatch([&] { F::await([&] { return s.template find_one<ListInt>(1); }); }, "ListInt",
                  "l");
  expect_mismatch(
      [&] {
        F::await([&] {
          return s.template find<ListInt>()
              .where(col<&ListInt::l>.contains(std::int32_t{1}))
              .allow_filtering()
              .all();
        });
      },
      "ListInt", "l");
  // The model's own update of one member is refused too, and the row keeps its value.
  expect_mismatch(
      [&] { F::await([&] {
              return s.update(ListInt{1, {7}}, coodie::members<&ListInt::l>);
            }); },
      "ListInt", "l");
  auto kept = this->db().execute(
      coodie::statement("SELECT l FROM " + this->ks() + ".mm_list WHERE id = 1"));
  EXPECT_EQ(kept.front().template get<std::vector<float>>(0), (std::vector<float>{1.5F, 2.5F}));
}

TYPED_TEST(OrmGuards, ATableChangedAfterItsCheckIsNamedNotTheServersWords) {
  using F = TypeParam;
  auto s = this->front();
  this->live_table("mm_changed", "id int PRIMARY KEY, v bigint");
  F::await([&] { return s.save(Widened{1, 5}); });  // prepared and checked: the types match
  // Another program recreates the table with v as an int. The statement this session checked
  // is prepared again by the driver, and the server refuses the 8-byte value ("Expected 4 or 0
  // byte int (8)"): the error that reaches the caller names the model and the column.
  this->live_table("mm_changed", "id int PRIMARY KEY, v int");
  expect_mismatch([&] { F::await([&] { return s.save(Widened{2, 6}); }); }, "Widened", "v");
  EXPECT_EQ(this->rows_in("mm_changed"), 0);
  // And the session checks the new statement from now on, before sending.
  expect_mismatch([&] { F::await([&] { return s.save(Widened{3, 7}); }); }, "Widened", "v");
}

TYPED_TEST(OrmGuards, MatchingParameterizedTypesStillWork) {
  using F = TypeParam;
  auto s = this->front();
  this->live_table("mm_map", "id int PRIMARY KEY, m map<text, int>");
  this->live_table("mm_tuple_list", "id int PRIMARY KEY, tl list<frozen<tuple<int, text>>>");
  F::await([&] { return s.save(MapInt{1, {{"a", 1}, {"b", 2}}}); });
  F::await([&] { return s.save(TupleList{2, {{1, "x"}, {2, "y"}}}); });
  EXPECT_EQ(F::await([&] { return s.template get<MapInt>(1); }).m.at("b"), 2);
  EXPECT_EQ(std::get<1>(F::await([&] { return s.template get<TupleList>(2); }).tl.at(1)), "y");
  auto in = F::await([&] {
    return s.template find<MapInt>()
        .where(col<&MapInt::id>.in(std::vector<std::int32_t>{1, 5}))
        .all();
  });
  ASSERT_EQ(in.size(), 1U);
  auto with_b = F::await([&] {
    return s.template find<MapInt>()
        .where(col<&MapInt::m>.contains_key(std::string("b")))
        .allow_filtering()
        .all();
  });
  EXPECT_EQ(with_b.size(), 1U);
}

TYPED_TEST(OrmGuards, PageTokensBelongToTheirQuery) {
  using F = TypeParam;
  auto s = this->front();
  F::await([&] { return s.template drop_table<Bulk>(); });
  F::await([&] { return s.template drop_table<OtherBulk>(); });
  F::await([&] { return s.template sync_table<Bulk>(); });
  F::await([&] { return s.template sync_table<OtherBulk>(); });
  for (std::int32_t p = 1; p <= 2; ++p) {
    for (std::int32_t c = 0; c < 250; ++c) {
      F::await([&] { return s.save(Bulk{p, c}); });
      F::await([&] { return s.save(OtherBulk{p, c}); });
    }
  }
  auto first = s.template find<Bulk>().where(col<&Bulk::p> == 1).fetch_size(100);
  auto p1 = F::await([&] { return first.page(); });
  ASSERT_EQ(p1.items.size(), 100U);
  ASSERT_TRUE(p1.next.has_value());
  const std::string token = *p1.next;

  // Another restriction, another table, an unrestricted scan: refused before sending.
  auto other_p = s.template find<Bulk>().where(col<&Bulk::p> == 2).fetch_size(100);
  EXPECT_THROW(F::await([&] { return other_p.page(token); }), coodie::page_token_error);
  auto other_table = s.template find<OtherBulk>().where(col<&OtherBulk::p> == 1).fetch_size(100);
  EXPECT_THROW(F::await([&] { return other_table.page(token); }), coodie::page_token_error);
  auto scan = s.template find<Bulk>().fetch_size(100);
  EXPECT_THROW(F::await([&] { return scan.page(token); }), coodie::page_token_error);
  EXPECT_THROW(F::await([&] { return first.page(std::string("not-a-token!")); }),
               coodie::page_token_error);
  std::string truncated = token.substr(0, 6);
  EXPECT_THROW(F::await([&] { return first.page(truncated); }), coodie::page_token_error);

  // The same query resumes exactly where it stopped, whatever its page size now.
  auto p2 = F::await([&] { return first.page(token); });
  ASSERT_EQ(p2.items.size(), 100U);
  EXPECT_EQ(p2.items.front().c, 100);
  EXPECT_EQ(p2.items.back().c, 199);
  auto smaller = first.fetch_size(30);
  auto p2b = F::await([&] { return smaller.page(token); });
  ASSERT_EQ(p2b.items.size(), 30U);
  EXPECT_EQ(p2b.items.front().c, 100);
  ASSERT_TRUE(p2.next.has_value());
  for (char ch : *p2.next) {  // opaque and URL-safe
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '-' || ch == '_') << ch;
  }
  auto p3 = F::await([&] { return first.page(*p2.next); });
  ASSERT_EQ(p3.items.size(), 50U);
  EXPECT_EQ(p3.items.front().c, 200);
  EXPECT_FALSE(p3.next.has_value());
}

TYPED_TEST(OrmGuards, TheModelsKeyspaceWinsOverTheSessions) {
  using F = TypeParam;
  using Pin = Pinned<F>;
  const std::string pinned(pinned_keyspace<F>);
  auto s = this->front();  // its keyspace is the suite's, not the model's
  F::await([&] { return s.drop_keyspace(pinned); });
  F::await([&] { return s.create_keyspace({.name = pinned}); });
  auto where = [&](const std::string& ks) {
    return this->db()
        .execute(coodie::statement(
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND "
            "table_name = 'pinned'",
            ks))
        .size();
  };
  auto created = F::await([&] { return s.template sync_table<Pin>(); });
  EXPECT_TRUE(created.created);
  EXPECT_EQ(where(pinned), 1U);
  EXPECT_EQ(where(this->ks()), 0U);
  // A second sync of another session reads the same live table: nothing to do.
  auto fresh = this->front();
  EXPECT_TRUE(F::await([&] { return fresh.template sync_table<Pin>(); }).statements.empty());

  F::await([&] { return s.save(Pin{1, "one"}); });
  F::await([&] { return s.save(Pin{2, "two"}); });
  auto raw =
      this->db().execute(coodie::statement("SELECT v FROM " + pinned + ".pinned WHERE id = 1"));
  ASSERT_EQ(raw.size(), 1U);
  EXPECT_EQ(raw.front().template get<std::string>(0), "one");
  EXPECT_EQ(F::await([&] { return s.template get<Pin>(2); }).v, "two");
  EXPECT_EQ(F::await([&] { return s.template find<Pin>().count(); }), 2);

  F::await([&] { return s.template truncate<Pin>(); });
  EXPECT_EQ(F::await([&] { return s.template find<Pin>().count(); }), 0);
  F::await([&] { return s.template drop_table<Pin>(); });
  EXPECT_EQ(where(pinned), 0U);
  F::await([&] { return s.drop_keyspace(pinned); });
}

}  // namespace
