// Rule: distinct() reads partition key and static columns only.
// expect-error: coodie: distinct() reads partition key and static columns only
#include <cstdint>
#include <string>

#include "coodie/orm/session.hpp"

struct A {
  std::int32_t id = 0;
  std::int32_t n = 0;
  std::string name;
};
struct IdName {
  std::int32_t id = 0;
  std::string name;
};

template <>
inline constexpr auto coodie::model<A> =
    coodie::table("a").partition_key<&A::id>().clustering_key<&A::n>();

void instantiate(coodie::sync::session& s) {
  (void)s.find<A>().only<IdName>().distinct();
}
