#include "identifiers.hpp"

#include "coodie/error.hpp"

namespace coodie::detail {

std::string quote_identifier(std::string_view name) {
  if (name.empty()) {
    throw usage_error("an identifier cannot be empty");
  }
  bool plain = name.size() <= 48 && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    if (c == '\0') {
      throw usage_error("an identifier cannot contain a NUL character");
    }
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (plain) {
    return std::string(name);
  }
  std::string out = "\"";
  for (char c : name) {
    out.push_back(c);
    if (c == '"') {
      out.push_back('"');
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace coodie::detail
