// Rule: order_by_ann's query vector has the vector column's dimension.
// expect-error: coodie: the query vector's dimension differs from the vector column's
#include <array>
#include <cstdint>

#include "coodie/orm/session.hpp"

struct Doc {
  std::int32_t id = 0;
  std::array<float, 3> embedding{};
};

template <>
inline constexpr auto coodie::model<Doc> =
    coodie::table("docs").partition_key<&Doc::id>().vector_index<&Doc::embedding>();

void instantiate(coodie::sync::session& s) {
  const std::array<float, 4> v{};
  (void)s.find<Doc>().order_by_ann(coodie::col<&Doc::embedding>, v).limit(10).all();
}
