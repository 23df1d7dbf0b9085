// Rule: a model is a plain aggregate: a private member makes it none, and the one error says so
// (not a hundred lines from the reflection library).
// expect-error: coodie: a model is a plain aggregate struct: public members only
#include <cstdint>

#include "coodie/orm/mapping.hpp"

class Row {
 public:
  std::int32_t id = 0;

 private:
  std::int32_t secret = 0;
};

template <>
inline constexpr auto coodie::model<Row> = coodie::table("r").partition_key<&Row::id>();

void instantiate() {
  (void)coodie::schema_of<Row>();
}
