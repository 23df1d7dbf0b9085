// Rule: truncate takes the polymorphic base: a subtype's table is its base's, and TRUNCATE would
// empty the other subtypes' rows too.
// expect-error: coodie: truncate takes a table's model: a view cannot be truncated (truncate its
// base), and a subtype's table is its polymorphic base's
#include "content_article_models.hpp"

#include "coodie/orm/session.hpp"

void instantiate(coodie::sync::session& s) {
  s.truncate<Article>();
}
