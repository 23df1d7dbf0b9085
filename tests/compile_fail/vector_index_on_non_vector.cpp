// Rule: a vector index is on a vector column, a std::array<float, N> member (a std::vector<float>
// is a list<float>).
// expect-error: coodie: vector_index names a member that is not a std::array<float, N>
#include <cstdint>
#include <vector>

#include "coodie/orm/mapping.hpp"

struct Doc {
  std::int32_t id = 0;
  std::vector<float> embedding;
};

template <>
inline constexpr auto coodie::model<Doc> =
    coodie::table("docs").partition_key<&Doc::id>().vector_index<&Doc::embedding>();

void instantiate() {
  (void)coodie::schema_of<Doc>();
}
