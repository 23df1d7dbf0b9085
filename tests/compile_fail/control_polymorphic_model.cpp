// Control: a valid polymorphic model through the same paths as the failing polymorphic cases (same
// headers, same instantiations). It must compile, so that those cases fail for their rule and not
// for a broken declaration around it.
// expect-success
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "coodie/orm/polymorphic.hpp"
#include "coodie/orm/session.hpp"
#include "coodie/orm/view.hpp"

struct Article;
struct Video;
struct Podcast;
struct Content {
  std::string channel;
  std::string id;
  std::string kind;
  std::string title;
};
struct Article {
  std::string channel;
  std::string id;
  std::string kind;
  std::string title;
  std::string body;
  std::vector<std::string> tags;
};
struct Video {
  std::string channel;
  std::string id;
  std::string kind;
  std::string title;
  std::int32_t seconds = 0;
};
struct Podcast {
  std::string id;  // members in another order than the base's: matched by name
  std::string channel;
  std::string kind;
  std::string title;
  std::optional<std::int32_t> seconds;  // Video's std::int32_t, std::optional aside
  std::int32_t episode = 0;
};
// A view over a polymorphic base: its columns are the base's.
struct ContentById {
  std::string id;
  std::string channel;
  std::string title;
};

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content")
        .partition_key<&Content::channel>()
        .clustering_key<&Content::id>()
        .discriminator<&Content::kind, Article, Video, Podcast>()
        .index<&Content::kind>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");
template <>
inline constexpr auto coodie::model<Video> = coodie::subtype<Content>("video");
template <>
inline constexpr auto coodie::model<Podcast> = coodie::subtype<Content>("podcast");
template <>
inline constexpr auto coodie::model<ContentById> = coodie::view<Content>("content_by_id")
                                                       .partition_key<&ContentById::id>()
                                                       .clustering_key<&ContentById::channel>();

void instantiate(coodie::sync::session& s) {
  (void)coodie::model_info<Content>::stored_schema();
  (void)coodie::schema_of<Podcast>();
  (void)coodie::schema_of<ContentById>();
  s.sync_table<Content>();
  s.sync_table<Video>();
  s.save(Article{});
  s.save(Podcast{});
  s.save(Content{});
  std::vector<std::variant<Article, Video, Podcast, Content>> all =
      s.find<Content>().where(coodie::col<&Content::channel> == "c").all();
  std::vector<Video> videos =
      s.find<Video>().where(coodie::col<&Video::seconds> > 60).allow_filtering().all();
  std::variant<Article, Video, Podcast, Content> one =
      s.get<Content>(std::string("c"), std::string("a1"));
  std::optional<Podcast> podcast = s.find_one<Podcast>(std::string("c"), std::string("p1"));
  (void)s.find<Podcast>().count();
  s.remove(Article{});
  s.drop_table<Content>();
}
