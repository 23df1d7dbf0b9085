// Rule: the discriminator member is a std::string (not an integer, an enum or a std::optional).
// expect-error: coodie: the discriminator member is a std::string
#include <cstdint>
#include <string>

#include "coodie/orm/polymorphic.hpp"

struct Article;
struct Content {
  std::string id;
  std::int32_t kind = 0;
  std::string title;
};
struct Article {
  std::string id;
  std::int32_t kind = 0;
  std::string title;
  std::string body;
};

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content").partition_key<&Content::id>().discriminator<&Content::kind, Article>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");

void instantiate() {
  (void)coodie::schema_of<Content>();
}
