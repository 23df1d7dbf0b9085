// Rule: discriminator<...>() lists each subtype once (a std::variant of a type twice has no
// alternative to read a row into).
// expect-error: coodie: discriminator<...>() lists a subtype twice, or the base itself
#include "../polymorphic_structs.hpp"

#include "coodie/orm/mapping.hpp"

using poly::Article;
using poly::Content;

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
