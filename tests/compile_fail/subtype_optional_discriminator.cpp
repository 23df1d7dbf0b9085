// Rule: a subtype's discriminator member is a std::string like the base's: every row of a
// subtype holds its value.
// expect-error: coodie: a subtype's discriminator member is a std::string, like the base's
#include <optional>
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
  std::optional<std::string> kind;
  std::string title;
  std::string body;
};

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content").partition_key<&Content::id>().discriminator<&Content::kind, Article>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");

void instantiate() {
  (void)coodie::schema_of<Article>();
}
