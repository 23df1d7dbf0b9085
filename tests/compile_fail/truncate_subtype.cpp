// Rule: truncate takes the polymorphic base: a subtype's table is its base's, and TRUNCATE would
// empty the other subtypes' rows too.
// expect-error: coodie: truncate takes a table's model: a view cannot be truncated (truncate its
// base), and a subtype's table is its polymorphic base's
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
  s.truncate<Article>();
}
