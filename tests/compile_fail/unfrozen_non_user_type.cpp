// Rule: only a user type column can be declared unfrozen; a collection is unfrozen unless
// declared frozen, and a scalar has no cells to split.
// expect-error: .unfrozen<&T::member>() applies to a user type column only
#include <string>
#include <vector>

#include "coodie/orm/session.hpp"

struct Note {
  int id = 0;
  std::vector<std::string> tags;
};

template <>
inline constexpr auto coodie::model<Note> =
    coodie::table("notes").partition_key<&Note::id>().unfrozen<&Note::tags>();

void instantiate(coodie::sync::session& s) {
  s.save(Note{});
}
