// Rule: a user type cannot contain itself, directly or through other user types: CQL types are
// finite, and its description would never end.
// expect-error: a user type cannot contain itself
#include <string>
#include <vector>

#include "coodie/orm/session.hpp"

struct Part;
struct Assembly {
  std::string name;
  std::vector<Part> parts;
};
struct Part {
  std::string sku;
  std::vector<Assembly> sub_assemblies;  // Part -> Assembly -> Part
};
struct Machine {
  int id = 0;
  Part root;
};

template <>
inline constexpr auto coodie::udt<Assembly> = coodie::user_type("assembly");
template <>
inline constexpr auto coodie::udt<Part> = coodie::user_type("part");
template <>
inline constexpr auto coodie::model<Machine> =
    coodie::table("machines").partition_key<&Machine::id>();

void instantiate(coodie::sync::session& s) {
  s.save(Machine{});
}
