// Rule: discriminator<...>() lists each subtype once (a std::variant of a type twice has no
// alternative to read a row into).
// expect-error: coodie: discriminator<...>() lists a subtype twice, or the base itself
#include <string>

#include "coodie/orm/mapping.hpp"

struct Article;
struct Content {
  std::string id;
  std::string kind;
  std::string title;
};
struct Article {
  std::string id;
  std::string kind;
  std::string title;
  std::string body;
};

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content")
        .partition_key<&Content::id>()
        .discriminator<&Content::kind, Article, Article>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");

void instantiate() {
  (void)coodie::schema_of<Content>();
}
