// Rule: the discriminator of a polymorphic base is a column: every row holds its kind there.
// expect-error: coodie: the discriminator member of a polymorphic base cannot be skipped
#include "../polymorphic_structs.hpp"

#include "coodie/orm/mapping.hpp"

using poly::Article;
using poly::Content;

template <>
inline constexpr auto coodie::model<Content> = coodie::table("content")
                                                   .partition_key<&Content::id>()
                                                   .discriminator<&Content::kind, Article>()
                                                   .skip<&Content::kind>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");

void instantiate() {
  (void)coodie::schema_of<Content>();
}
