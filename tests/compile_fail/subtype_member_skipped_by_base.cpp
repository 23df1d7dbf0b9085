// Rule: a name the polymorphic base skips is not a column of any subtype (the subtypes declare
// nothing of their own, so they cannot skip it).
// expect-error: coodie: a subtype has a member named like a member its polymorphic base skips; a
// name the base skips is no subtype's column
#include <cstdint>
#include <string>

#include "coodie/orm/mapping.hpp"

struct Article;
struct Content {
  std::string id;
  std::string kind;
  std::int64_t cache_hits = 0;  // not stored
};
struct Article {
  std::string id;
  std::string kind;
  std::int64_t cache_hits = 0;
  std::string body;
};

template <>
inline constexpr auto coodie::model<Content> = coodie::table("content")
                                                   .partition_key<&Content::id>()
                                                   .skip<&Content::cache_hits>()
                                                   .discriminator<&Content::kind, Article>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");

void instantiate() {
  (void)coodie::schema_of<Article>();
}
