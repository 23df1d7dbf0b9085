// Rule: each subtype of a polymorphic base declares its own discriminator value: a row's value
// picks the one subtype it reads as.
// expect-error: coodie: two subtypes of a polymorphic base declare the same discriminator value,
// or one declares an empty value; each needs its own
#include <string>

#include "../polymorphic_structs.hpp"

#include "coodie/orm/mapping.hpp"

using poly::Article;
using poly::Content;

struct Note;
struct Note {
  std::string id;
  std::string kind;
  std::string title;
};

template <>
inline constexpr auto coodie::model<Content> = coodie::table("content")
                                                   .partition_key<&Content::id>()
                                                   .discriminator<&Content::kind, Article, Note>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");
template <>
inline constexpr auto coodie::model<Note> = coodie::subtype<Content>("article");

void instantiate() {
  (void)coodie::schema_of<Content>();
}
