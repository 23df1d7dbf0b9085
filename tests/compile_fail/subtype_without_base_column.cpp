// Rule: a subtype has a member named like each column of its polymorphic base (it is stored in
// the base's table, and read and saved through the base's columns).
// expect-error: coodie: a subtype lacks a column of its polymorphic base; give it a member named
// like each column of the base
#include <string>

#include "coodie/orm/polymorphic.hpp"

struct Article;
struct Content {
  std::string id;
  std::string kind;
  std::string title;
};
struct Article {
  std::string id;
  std::string kind;
  std::string body;  // no title
};

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content").partition_key<&Content::id>().discriminator<&Content::kind, Article>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");

void instantiate() {
  (void)coodie::model_info<Content>::stored_schema();
}
