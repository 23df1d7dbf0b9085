// Builds table_schema columns by hand, for tests of the schema code that need no model.
#pragma once

#include <string>
#include <utility>

#include "coodie/orm/table_schema.hpp"

namespace coodie::test {

/// A column with its wire type, its CQL type text as system_schema spells it, and its place.
inline column_schema column(std::string name, wire::data_type type, std::string cql,
                            column_kind kind = column_kind::regular, int position = -1,
                            order o = order::asc) {
  column_schema c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.cql_type = std::move(cql);
  c.kind = kind;
  c.position = position;
  c.clustering_order = o;
  return c;
}

}  // namespace coodie::test
