// Polymorphic single-table models through both ODM fronts: three subtypes in one table; a scan
// of the base returns each subtype intact; a query on one subtype returns only its rows; a row
// with a discriminator no subtype declares reads as the base and keeps the columns the base
// cannot place; a subtype read by key does not return another subtype's row.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/polymorphic.hpp"
#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "polymorphic_structs.hpp"
#include "support.hpp"

namespace orm_polymorphic_test {
using poly::Article;
using poly::Content;
using poly::Podcast;
using poly::Video;
/// What the table holds, read by hand.
struct Stored {
  std::string id;
  std::optional<std::string> kind;
  std::optional<std::string> body;
};
}  // namespace orm_polymorphic_test

namespace pt = orm_polymorphic_test;

template <>
inline constexpr auto coodie::model<pt::Content> =
    coodie::table("poly_content")
        .partition_key<&pt::Content::id>()
        .discriminator<&pt::Content::kind, pt::Article, pt::Video, pt::Podcast>()
        .sai_index<&pt::Content::kind>();
template <>
inline constexpr auto coodie::model<pt::Article> = coodie::subtype<pt::Content>("article");
template <>
inline constexpr auto coodie::model<pt::Video> = coodie::subtype<pt::Content>("video");
template <>
inline constexpr auto coodie::model<pt::Podcast> = coodie::subtype<pt::Content>("podcast");

namespace {

using coodie::col;
using pt::Article;
using pt::Content;
using pt::Podcast;
using pt::Video;
namespace test = coodie::test;

COODIE_KEYSPACE_SUITE(OrmPolymorphicBase, "orm_poly");

template <class F>
class OrmPolymorphic : public test::orm_suite<OrmPolymorphicBase, F> {
 protected:
  void SetUp() override {
    auto s = this->front();
    coodie::sync_result r = F::await([&] { return s.template sync_table<Content>(); });
    EXPECT_TRUE(r.differences.empty());
  }
};
TYPED_TEST_SUITE(OrmPolymorphic, test::orm_fronts, test::front_names);

TYPED_TEST(OrmPolymorphic, TheTableHoldsEveryColumnOnce) {
  const coodie::table_schema& t = coodie::model_info<Content>::stored_schema();
  std::vector<std::string> names;
  for (const coodie::column_schema& c : t.columns) {
    names.push_back(c.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"id", "kind", "title", "body", "tags", "seconds",
                                             "url", "episode"}));
  EXPECT_EQ(coodie::schema_of<Video>().name, "poly_content");
}

TYPED_TEST(OrmPolymorphic, AScanReturnsEachSubtypeIntactAndASubtypeQueryOnlyItsRows) {
  using F = TypeParam;
  auto s = this->front();
  const Article a{.id = "a1", .kind = "", .title = "Hello", .body = "text", .tags = {"x", "y"}};
  const Video v{.id = "v1", .kind = "video", .title = "Clip", .seconds = 90, .url = "http://v"};
  const Podcast p{.title = "Talk", .id = "p1", .kind = "", .seconds = 3600, .episode = 7};
  F::await([&] { return s.save(a); });
  F::await([&] { return s.save(v); });
  F::await([&] { return s.save(p); });

  std::vector<std::variant<Article, Video, Podcast, Content>> all =
      F::await([&] { return s.template find<Content>().all(); });
  ASSERT_EQ(all.size(), 3u);
  int seen = 0;
  for (const auto& c : all) {
    if (const auto* got = std::get_if<Article>(&c)) {
      EXPECT_EQ(got->kind, "article") << "saving a subtype writes its discriminator";
      EXPECT_EQ(got->body, "text");
      EXPECT_EQ(got->tags, a.tags);
      seen |= 1;
    } else if (const auto* vid = std::get_if<Video>(&c)) {
      EXPECT_EQ(vid->seconds, 90);
      EXPECT_EQ(vid->url, "http://v");
      seen |= 2;
    } else if (const auto* pod = std::get_if<Podcast>(&c)) {
      EXPECT_EQ(pod->seconds, 3600);
      EXPECT_EQ(pod->episode, 7);
      EXPECT_EQ(pod->title, "Talk");
      seen |= 4;
    }
  }
  EXPECT_EQ(seen, 7);

  std::vector<Video> videos = F::await([&] { return s.template find<Video>().all(); });
  ASSERT_EQ(videos.size(), 1u);
  EXPECT_EQ(videos[0].id, "v1");
  EXPECT_EQ(F::await([&] { return s.template find<Podcast>().count(); }), 1);
  std::vector<Article> long_articles = F::await([&] {
    return s.template find<Article>().where(col<&Article::title> == "Clip").allow_filtering().all();
  });
  EXPECT_TRUE(long_articles.empty()) << "the video titled Clip is not an article";

  // By key: the base returns the subtype; a subtype does not return another's row.
  auto one = F::await([&] { return s.template get<Content>(std::string("p1")); });
  EXPECT_TRUE(std::holds_alternative<Podcast>(one));
  EXPECT_FALSE(
      F::await([&] { return s.template find_one<Article>(std::string("v1")); }).has_value());
  EXPECT_THROW(F::await([&] { return s.template get<Article>(std::string("v1")); }),
               coodie::document_not_found);
  EXPECT_EQ(F::await([&] { return s.template get<Article>(std::string("a1")); }).body, "text");
}

TYPED_TEST(OrmPolymorphic, AnUnknownDiscriminatorReadsAsTheBaseWithoutLosingColumns) {
  using F = TypeParam;
  auto s = this->front();
  // A row a newer program wrote: a subtype this one does not know, with an article's body.
  F::await([&] {
    return s.template query<pt::Stored>(
        "INSERT INTO poly_content (id, kind, title, body) VALUES (?, ?, ?, ?)", std::string("n1"),
        std::string("newsletter"), std::string("Weekly"), std::string("kept"));
  });
  auto read = F::await([&] { return s.template get<Content>(std::string("n1")); });
  ASSERT_TRUE(std::holds_alternative<Content>(read));
  Content base = std::get<Content>(read);
  EXPECT_EQ(base.kind, "newsletter");
  EXPECT_EQ(base.title, "Weekly");

  base.title = "Weekly, edited";
  F::await([&] { return s.save(base); });
  std::vector<pt::Stored> rows = F::await([&] {
    return s.template query<pt::Stored>("SELECT id, kind, body FROM poly_content WHERE id = ?",
                                        std::string("n1"));
  });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "newsletter");
  EXPECT_EQ(rows[0].body, "kept") << "saving the base leaves the columns it cannot place";
  EXPECT_FALSE(
      F::await([&] { return s.template find_one<Article>(std::string("n1")); }).has_value());
}

TYPED_TEST(OrmPolymorphic, ASubtypeHoldingAnotherDiscriminatorIsRefused) {
  using F = TypeParam;
  auto s = this->front();
  const Article wrong{.id = "w1", .kind = "video", .title = "Mixed", .body = "", .tags = {}};
  EXPECT_THROW(F::await([&] { return s.save(wrong); }), coodie::codec_error);
  EXPECT_FALSE(
      F::await([&] { return s.template find_one<Content>(std::string("w1")); }).has_value());
}

TYPED_TEST(OrmPolymorphic, TheBaseHoldingASubtypesDiscriminatorIsRefused) {
  using F = TypeParam;
  auto s = this->front();
  const Content wrong{.id = "w2", .kind = "podcast", .title = "Not a podcast"};
  try {
    F::await([&] { return s.save(wrong); });
    ADD_FAILURE() << "a Content of kind podcast was saved";
  } catch (const coodie::codec_error& e) {
    EXPECT_NE(std::string(e.what()).find("the value of subtype Podcast"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(
      F::await([&] { return s.template find_one<Content>(std::string("w2")); }).has_value());
  // A kind no subtype declares is the base's to save.
  const Content other{.id = "w3", .kind = "newsletter", .title = "Weekly"};
  F::await([&] { return s.save(other); });
  auto read = F::await([&] { return s.template find_one<Content>(std::string("w3")); });
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(std::get<Content>(*read).title, "Weekly");
}

TYPED_TEST(OrmPolymorphic, AConditionalInsertOverAnotherKindsRowReturnsNoSubtypeForIt) {
  using F = TypeParam;
  auto s = this->front();
  const Video v{.id = "x1", .kind = "", .title = "Clip", .seconds = 5, .url = "http://x"};
  F::await([&] { return s.save(v); });
  const Article a{.id = "x1", .kind = "", .title = "Words", .body = "b", .tags = {}};
  coodie::lwt_result<Article> r = F::await([&] { return s.insert(a); });
  EXPECT_FALSE(r.applied);
  EXPECT_FALSE(r.existing.has_value()) << "the video row was returned as an Article";
  auto read = F::await([&] { return s.template find_one<Video>(std::string("x1")); });
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->url, "http://x");
  // Over a row of its own kind, the existing row comes back.
  const Article first{.id = "x2", .kind = "", .title = "First", .body = "one", .tags = {}};
  F::await([&] { return s.save(first); });
  const Article again{.id = "x2", .kind = "", .title = "Second", .body = "two", .tags = {}};
  r = F::await([&] { return s.insert(again); });
  EXPECT_FALSE(r.applied);
  ASSERT_TRUE(r.existing.has_value());
  EXPECT_EQ(r.existing->body, "one");
}

}  // namespace
