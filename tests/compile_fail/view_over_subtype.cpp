// Rule: a view's base model is a table: a plain model or a polymorphic base, not a polymorphic
// subtype (whose rows are a part of its base's table).
// expect-error: coodie: a view's base model is a table (not a view or a polymorphic subtype)
#include <string>

#include "../polymorphic_structs.hpp"

#include "coodie/orm/polymorphic.hpp"
#include "coodie/orm/view.hpp"

using poly::Article;
using poly::Content;

struct ArticleByTitle {
  std::string title;
  std::string id;
};

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content").partition_key<&Content::id>().discriminator<&Content::kind, Article>();
template <>
inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");
template <>
inline constexpr auto coodie::model<ArticleByTitle> = coodie::view<Article>("articles_by_title")
                                                          .partition_key<&ArticleByTitle::title>()
                                                          .clustering_key<&ArticleByTitle::id>();

void instantiate() {
  (void)coodie::schema_of<ArticleByTitle>();
}
