// Rule: each collection operation names a member of its kind (a list operation on a list).
// expect-error: coodie: the member is a set: use set_add or set_remove
#include <set>
#include <string>

#include "coodie/orm/updates.hpp"

struct Post {
  std::string id;
  std::set<std::string> tags;
};

template <>
inline constexpr auto coodie::model<Post> = coodie::table("posts").partition_key<&Post::id>();

void instantiate() {
  (void)coodie::list_append<&Post::tags>({"a"});
}
