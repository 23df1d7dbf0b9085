// Rule: each struct that discriminator<...>() names is declared a subtype of that base with
// coodie::subtype<Base>("value"), not as a table of its own (nor as another base's subtype).
// expect-error: coodie: a subtype named by discriminator<...>() is not declared
// coodie::model<S> = coodie::subtype<Base>("value") of this base
#include "../polymorphic_structs.hpp"

#include "coodie/orm/polymorphic.hpp"

using poly::Article;
using poly::Content;

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content").partition_key<&Content::id>().discriminator<&Content::kind, Article>();
template <>
inline constexpr auto coodie::model<Article> =
    coodie::table("articles").partition_key<&Article::id>();

void instantiate() {
  (void)coodie::model_info<Content>::stored_schema();
}
