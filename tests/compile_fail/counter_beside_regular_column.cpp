// Rule: a table with a counter column has only counters beside its keys.
// expect-error: coodie: a counter column cannot stand beside non-counter regular columns; every
// column outside the primary key of a counter table is a counter
#include <cstdint>
#include <string>

#include "coodie/orm/mapping.hpp"

struct PageView {
  std::string url;
  std::int64_t hits = 0;
  std::string title;
};

template <>
inline constexpr auto coodie::model<PageView> =
    coodie::table("t").partition_key<&PageView::url>().type<&PageView::hits>(coodie::cql::counter);

void instantiate() {
  (void)coodie::schema_of<PageView>();
}
