// The valid polymorphic declaration the compile-failure cases misuse: Content, a base listing
// Article, and Article declared its subtype. A case that breaks a rule of the declaration itself
// writes its own.
#pragma once

#include "../polymorphic_structs.hpp"

#include "coodie/orm/polymorphic.hpp"

using poly::Article;
using poly::Content;

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content").partition_key<&Content::id>().discriminator<&Content::kind, Article>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");
