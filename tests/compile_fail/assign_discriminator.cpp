// Rule: an update's assignment never writes the discriminator of a polymorphic table: the value
// would relabel the row without the columns of its new kind.
// expect-error: coodie: the discriminator column of a polymorphic table is not assigned by an
// update; save the subtype (or the base) instead
#include "../polymorphic_structs.hpp"

#include "coodie/orm/updates.hpp"

using poly::Article;
using poly::Content;

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content").partition_key<&Content::id>().discriminator<&Content::kind, Article>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");

void instantiate() {
  (void)coodie::assign<&Content::kind>(std::string("video"));
}
