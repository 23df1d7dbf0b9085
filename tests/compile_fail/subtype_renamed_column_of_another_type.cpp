// Rule: a subtype's member is stored in the base's column of its name, renamed or not, and has
// that column's type.
// expect-error: coodie: two members stored in the same column, in the polymorphic base or its
// subtypes, have different types
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
  int headline = 0;  // the base's title column is named headline, and is text
};

template <>
inline constexpr auto coodie::model<Content> = coodie::table("content")
                                                   .partition_key<&Content::id>()
                                                   .column<&Content::title>("headline")
                                                   .discriminator<&Content::kind, Article>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");

void instantiate() {
  (void)coodie::schema_of<Article>();
}
