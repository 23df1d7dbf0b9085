#include "coodie/orm/type_text.hpp"

namespace coodie {

namespace {

bool freezable(const wire::data_type& t) {
  switch (t.id) {
    case wire::type_id::list:
    case wire::type_id::set:
    case wire::type_id::map:
    case wire::type_id::tuple:
    case wire::type_id::udt:
      return true;
    default:
      return false;
  }
}

void append(std::string& out, const wire::data_type& t, bool frozen) {
  // Tuples are always frozen; so is anything nested in a collection or tuple.
  bool wrap = freezable(t) && (frozen || t.id == wire::type_id::tuple);
  if (wrap) {
    out += "frozen<";
  }
  switch (t.id) {
    case wire::type_id::list:
    case wire::type_id::set:
    case wire::type_id::map:
    case wire::type_id::tuple:
      out += t.id == wire::type_id::list  ? "list<"
             : t.id == wire::type_id::set ? "set<"
             : t.id == wire::type_id::map ? "map<"
                                          : "tuple<";
      for (std::size_t i = 0; i < t.params.size(); ++i) {
        if (i > 0) {
          out += ", ";
        }
        append(out, t.params[i], true);
      }
      out += '>';
      break;
    case wire::type_id::vector:
      out += "vector<";
      if (!t.params.empty()) {
        append(out, t.params.front(), true);
      }
      out += ", " + std::to_string(t.dimension) + ">";
      break;
    case wire::type_id::udt:
      out += t.name;
      break;
    default:
      out += wire::to_cql(t);
      break;
  }
  if (wrap) {
    out += '>';
  }
}

}  // namespace

std::string cql_type_text(const wire::data_type& t, bool frozen) {
  std::string out;
  append(out, t, frozen);
  return out;
}

}  // namespace coodie
