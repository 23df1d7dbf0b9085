// Rule: a similarity projection member reads a vector column (a std::array<float, N> member).
// expect-error: coodie: a similarity (similarity_cosine_of, ...) reads a vector column
#include <array>
#include <cstdint>
#include <string>

#include "coodie/orm/session.hpp"

struct Doc {
  std::int32_t id = 0;
  std::string title;
  std::array<float, 3> embedding{};
};
struct Hit {
  std::int32_t id = 0;
  coodie::similarity_cosine_of<&Doc::title> score;  // title is text
};

template <>
inline constexpr auto coodie::model<Doc> =
    coodie::table("docs").partition_key<&Doc::id>().vector_index<&Doc::embedding>();

void instantiate(coodie::sync::session& s) {
  const std::array<float, 3> v{};
  (void)s.find<Doc>().order_by_ann(coodie::col<&Doc::embedding>, v).limit(10).only<Hit>().all();
}
