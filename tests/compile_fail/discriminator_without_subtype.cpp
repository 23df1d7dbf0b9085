// Rule: discriminator<&T::member, Subtypes...>() names at least one subtype.
// expect-error: coodie: discriminator names no subtype
#include <string>

#include "coodie/orm/polymorphic.hpp"

struct Content {
  std::string id;
  std::string kind;
  std::string title;
};

template <>
inline constexpr auto coodie::model<Content> =
    coodie::table("content").partition_key<&Content::id>().discriminator<&Content::kind>();

void instantiate() {
  (void)coodie::schema_of<Content>();
}
