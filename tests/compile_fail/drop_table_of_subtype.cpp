// Rule: drop_table takes the polymorphic base: a subtype's table is its base's, shared with the
// other subtypes.
// expect-error: coodie: drop_table takes a table's model: drop_view<V>() drops a view, and a
// subtype's table is its polymorphic base's
#include "content_article_models.hpp"

#include "coodie/orm/session.hpp"

void instantiate(coodie::sync::session& s) {
  s.drop_table<Article>();
}
