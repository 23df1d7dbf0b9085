// Rule: a model needs a partition key.
// expect-error: coodie: the model has no partition key; add .partition_key<&T::member>()
#include <cstdint>
#include <string>

#include "coodie/orm/mapping.hpp"

struct Event {
  std::int32_t id = 0;
  std::string kind;
};

template <>
inline constexpr auto coodie::model<Event> = coodie::table("t").index<&Event::kind>();

void instantiate() {
  (void)coodie::schema_of<Event>();
}
