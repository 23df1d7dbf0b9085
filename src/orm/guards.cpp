// Applying a guardrail's setting: nothing, a warning through the session's notes, or a refusal.
#include "coodie/orm/detail/guards.hpp"

#include <cstdio>

namespace coodie::orm::detail {

void apply_guard(const session_options& o, guard g, const std::string& message,
                 std::string_view statement) {
  if (g == guard::allow) {
    return;
  }
  if (g == guard::refuse) {
    throw guardrail_error("guardrail: " + message);
  }
  response_notes notes;
  notes.statement = std::string(statement);
  notes.warnings.push_back("coodie guardrail: " + message);
  if (o.on_response_notes) {
    try {
      o.on_response_notes(notes);
    } catch (...) {  // NOLINT(bugprone-empty-catch): a warning never fails the call it is about
    }
    return;
  }
  std::fprintf(stderr, "coodie: %s\n", notes.warnings.front().c_str());
}

}  // namespace coodie::orm::detail
