// An application's models as the migration tools see them: tables and the user types they use.
// A program that has the models compiled in hands them over directly; the standalone `coodie`
// reads a snapshot of them (JSON) written by that program, so there is one source of truth.
//
// Example:
//   coodie::migrate::model_set m = coodie::migrate::models<Product, Review>();
//   std::ofstream("models.json") << coodie::migrate::to_snapshot(m);   // coodie ... --models
//   coodie::migrate::model_set again = coodie::migrate::from_snapshot(text, "models.json");
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "coodie/orm/mapping.hpp"
#include "coodie/orm/table_schema.hpp"
#include "coodie/orm/type_schema.hpp"
#include "coodie/wire/data_type.hpp"

namespace coodie::migrate {

struct model_set {
  std::vector<table_schema> tables = {};
  /// Every user type the tables use, each once, a type's own user types before it.
  std::vector<wire::data_type> types = {};

  [[nodiscard]] bool empty() const noexcept { return tables.empty() && types.empty(); }
  /// Adds a table (once: a polymorphic base and its subtypes share one) and the user types it
  /// uses that are not there yet. A view goes after its base table.
  void add(const table_schema& t);
};

/// The models' tables and user types.
template <class... Models>
model_set models() {
  model_set out;
  (out.add(model_info<Models>::stored_schema()), ...);
  return out;
}

/// The snapshot: a JSON document with each table (keyspace, name, model, columns with their CQL
/// type, kind, position and clustering order, indexes, options) and each user type (keyspace,
/// name, fields and their CQL types).
std::string to_snapshot(const model_set& m);

/// Reads a snapshot back. Throws invalid_model naming `source` and the part at fault for JSON
/// that is not a snapshot (a missing member, an unknown type or kind).
model_set from_snapshot(std::string_view json, std::string_view source);

}  // namespace coodie::migrate
