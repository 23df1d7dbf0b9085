// Rule: an update's assignment never writes the discriminator of a polymorphic table: the value
// would relabel the row without the columns of its new kind.
// expect-error: coodie: the discriminator column of a polymorphic table is not assigned by an
// update; save the subtype (or the base) instead
#include "content_article_models.hpp"

#include "coodie/orm/updates.hpp"

void instantiate() {
  (void)coodie::assign<&Content::kind>(std::string("video"));
}
