// Collection updates through both ODM fronts, each checked against what the server stores: set
// add/remove; list append, prepend, set-at-index, remove-values, erase-at-index; map put (one
// and many), remove keys, erase one key; on one row and on every row a query matches.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_collections_test {
struct Post {
  std::string blog;
  std::int32_t seq = 0;
  std::string title;
  std::set<std::string> tags;
  std::vector<std::string> lines;
  std::map<std::string, std::int32_t> meta;
  std::vector<std::int32_t> marks;  // a set<int> column
};
}  // namespace orm_collections_test

template <>
inline constexpr auto coodie::model<orm_collections_test::Post> =
    coodie::table("collection_posts")
        .partition_key<&orm_collections_test::Post::blog>()
        .clustering_key<&orm_collections_test::Post::seq>()
        .type<&orm_collections_test::Post::marks>(coodie::cql::set);

namespace {

using coodie::col;
using orm_collections_test::Post;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmCollectionsBase, "orm_collections");

template <class F>
class OrmCollections : public test::orm_suite<OrmCollectionsBase, F> {
 protected:
  void SetUp() override {
    auto s = this->front();
    F::await([&] { return s.template sync_table<Post>(); });
  }
};
TYPED_TEST_SUITE(OrmCollections, test::orm_fronts, test::front_names);

TYPED_TEST(OrmCollections, SetAndMapOperationsChangeOnlyTheirElements) {
  using F = TypeParam;
  auto s = this->front();
  const Post p{.blog = std::string(F::name) + "-sets",
               .seq = 1,
               .title = "t",
               .tags = {"a", "b"},
               .lines = {},
               .meta = {{"x", 1}, {"y", 2}},
               .marks = {3}};
  F::await([&] { return s.save(p); });
  F::await([&] {
    return s.update(
        p, {coodie::set_add<&Post::tags>({"c", "d"}), coodie::set_remove<&Post::tags>({"a"}),
            coodie::set_add<&Post::marks>({1, 2}), coodie::map_put<&Post::meta>("z", 26),
            coodie::map_put<&Post::meta>({{"x", 10}, {"w", 23}}),
            coodie::assign<&Post::title>("changed")});
  });
  Post now = F::await([&] { return s.template get<Post>(p.blog, p.seq); });
  EXPECT_EQ(now.tags, (std::set<std::string>{"b", "c", "d"}));
  EXPECT_EQ(now.marks, (std::vector<std::int32_t>{1, 2, 3}));
  EXPECT_EQ(now.meta,
            (std::map<std::string, std::int32_t>{{"w", 23}, {"x", 10}, {"y", 2}, {"z", 26}}));
  EXPECT_EQ(now.title, "changed");

  F::await([&] {
    return s.update(
        p, {coodie::map_remove<&Post::meta>({"w", "x"}), coodie::map_erase<&Post::meta>("z")});
  });
  now = F::await([&] { return s.template get<Post>(p.blog, p.seq); });
  EXPECT_EQ(now.meta, (std::map<std::string, std::int32_t>{{"y", 2}}));
}

TYPED_TEST(OrmCollections, ListOperationsKeepOrderAndIndexes) {
  using F = TypeParam;
  auto s = this->front();
  const Post p{.blog = std::string(F::name) + "-lists",
               .seq = 1,
               .title = "t",
               .tags = {},
               .lines = {"b", "c"},
               .meta = {},
               .marks = {}};
  F::await([&] { return s.save(p); });
  F::await([&] { return s.update(p, {coodie::list_append<&Post::lines>({"d", "x", "e"})}); });
  F::await([&] { return s.update(p, {coodie::list_prepend<&Post::lines>({"a0", "a"})}); });
  Post now = F::await([&] { return s.template get<Post>(p.blog, p.seq); });
  EXPECT_EQ(now.lines, (std::vector<std::string>{"a0", "a", "b", "c", "d", "x", "e"}));

  F::await([&] { return s.update(p, {coodie::list_set<&Post::lines>(2, "B")}); });
  F::await([&] { return s.update(p, {coodie::list_erase<&Post::lines>(0)}); });
  F::await([&] { return s.update(p, {coodie::list_remove<&Post::lines>({"x", "nothing"})}); });
  now = F::await([&] { return s.template get<Post>(p.blog, p.seq); });
  EXPECT_EQ(now.lines, (std::vector<std::string>{"a", "B", "c", "d", "e"}));

  // An index past the end is the server's error, and nothing changes.
  EXPECT_THROW(F::await([&] { return s.update(p, {coodie::list_set<&Post::lines>(40, "far")}); }),
               coodie::invalid_query_error);
  EXPECT_EQ(F::await([&] { return s.template get<Post>(p.blog, p.seq); }).lines, now.lines);
}

TYPED_TEST(OrmCollections, AQueryUpdateChangesEveryRowItMatches) {
  using F = TypeParam;
  auto s = this->front();
  const std::string blog = std::string(F::name) + "-bulk";
  for (std::int32_t i = 0; i < 5; ++i) {
    F::await([&] {
      return s.save(Post{.blog = blog,
                         .seq = i,
                         .title = "t",
                         .tags = {"old"},
                         .lines = {"l"},
                         .meta = {},
                         .marks = {}});
    });
  }
  F::await([&] {
    return s.template find<Post>()
        .where(col<&Post::blog> == blog)
        .update({coodie::set_add<&Post::tags>({"new"}), coodie::set_remove<&Post::tags>({"old"}),
                 coodie::list_append<&Post::lines>({"more"})});
  });
  // A query that is not by whole rows reads the keys first and changes row by row.
  F::await([&] {
    return s.template find<Post>()
        .where(col<&Post::blog> == blog, col<&Post::seq> >= 3)
        .update({coodie::map_put<&Post::meta>("late", 1)});
  });
  auto rows =
      F::await([&] { return s.template find<Post>().where(col<&Post::blog> == blog).all(); });
  ASSERT_EQ(rows.size(), 5U);
  for (const Post& r : rows) {
    EXPECT_EQ(r.tags, (std::set<std::string>{"new"})) << r.seq;
    EXPECT_EQ(r.lines, (std::vector<std::string>{"l", "more"})) << r.seq;
    EXPECT_EQ(r.meta.size(), r.seq >= 3 ? 1U : 0U) << r.seq;
  }
}

}  // namespace
