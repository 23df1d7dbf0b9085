// Rule: coodie::subtype<Base>() names a polymorphic base (one with discriminator<...>()) that
// lists the subtype; a plain table has no discriminator column to hold the subtype's value.
// expect-error: coodie: coodie::subtype<Base>(...) names a base that does not list this type;
// add it to the base's .discriminator<&Base::member, Subtypes...>()
#include "../polymorphic_structs.hpp"

#include "coodie/orm/session.hpp"

using poly::Article;
using poly::Content;

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content").partition_key<&Content::id>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");

void instantiate(coodie::sync::session& s) {
  (void)s.find<Article>();
}
