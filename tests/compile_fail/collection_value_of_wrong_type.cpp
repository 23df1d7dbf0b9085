// Rule: a collection operation's value has the member's element type.
// expect-error: no matching function for call to 'map_put<&Post::meta>
#include <cstdint>
#include <map>
#include <string>

#include "coodie/orm/updates.hpp"

struct Post {
  std::string id;
  std::map<std::string, std::int32_t> meta;
};

template <>
inline constexpr auto coodie::model<Post> = coodie::table("posts").partition_key<&Post::id>();

void instantiate() {
  (void)coodie::map_put<&Post::meta>("views", std::string("many"));
}
