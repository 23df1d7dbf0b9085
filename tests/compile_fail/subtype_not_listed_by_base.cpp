// Rule: a subtype is listed by its base's discriminator<...>(): reading the base picks the
// alternative from that list, so an unlisted subtype's rows would read as the base.
// expect-error: coodie: coodie::subtype<Base>(...) names a base that does not list this type;
// add it to the base's .discriminator<&Base::member, Subtypes...>()
#include <string>

#include "content_article_models.hpp"

#include "coodie/orm/session.hpp"

struct Video;
struct Video {
  std::string id;
  std::string kind;
  std::string title;
  int seconds = 0;
};

template <>
inline constexpr auto coodie::model<Video> = coodie::subtype<Content>("video");

void instantiate(coodie::sync::session& s) {
  (void)s.find<Video>();
}
