// Rule: a view's base model is a table: a plain model or a polymorphic base, not a polymorphic
// subtype (whose rows are a part of its base's table).
// expect-error: coodie: a view's base model is a table (not a view or a polymorphic subtype)
#include <string>

#include "content_article_models.hpp"

#include "coodie/orm/polymorphic.hpp"
#include "coodie/orm/view.hpp"

struct ArticleByTitle {
  std::string title;
  std::string id;
};

template <>
inline constexpr auto coodie::model<ArticleByTitle> = coodie::view<Article>("articles_by_title")
                                                          .partition_key<&ArticleByTitle::title>()
                                                          .clustering_key<&ArticleByTitle::id>();

void instantiate() {
  (void)coodie::schema_of<ArticleByTitle>();
}
