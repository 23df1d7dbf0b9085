// Rule: members of the same name, in a polymorphic base or any of its subtypes, have the same type
// (std::optional aside): they are one column of the shared table.
// expect-error: coodie: two members stored in the same column, in the polymorphic base or its
// subtypes, have different types
#include <cstdint>
#include <string>

#include "coodie/orm/polymorphic.hpp"

struct Video;
struct Podcast;
struct Content {
  std::string id;
  std::string kind;
  std::string title;
};
struct Video {
  std::string id;
  std::string kind;
  std::string title;
  std::int32_t seconds = 0;
};
struct Podcast {
  std::string id;
  std::string kind;
  std::string title;
  double seconds = 0;  // Video::seconds is a std::int32_t
};

template <>
inline constexpr auto coodie::model<Content> = coodie::table("content")
                                                   .partition_key<&Content::id>()
                                                   .discriminator<&Content::kind, Video, Podcast>();
template <>
inline constexpr auto coodie::model<Video> = coodie::subtype<Content>("video");
template <>
inline constexpr auto coodie::model<Podcast> = coodie::subtype<Content>("podcast");

void instantiate() {
  (void)coodie::model_info<Content>::stored_schema();
}
