// Rule: drop_table takes the polymorphic base: a subtype's table is its base's, shared with the
// other subtypes.
// expect-error: coodie: drop_table takes a table's model: drop_view<V>() drops a view, and a
// subtype's table is its polymorphic base's
#include "../polymorphic_structs.hpp"

#include "coodie/orm/session.hpp"

using poly::Article;
using poly::Content;

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content").partition_key<&Content::id>().discriminator<&Content::kind, Article>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");

void instantiate(coodie::sync::session& s) {
  s.drop_table<Article>();
}
