// C++ models from a live keyspace: a header with a struct and a declaration for each table and
// user type, and an all_models() function listing them, so that the generated header handed to
// coodie::cli::main (or to schema-diff) shows no difference from the keyspace it came from.
//
// The mapping: text/varchar/ascii std::string (ascii declared with coodie::cql::ascii),
// int std::int32_t, bigint std::int64_t (counter declared), uuid coodie::uuid, timeuuid
// coodie::timeuuid, timestamp sys_time<milliseconds>, date coodie::date, lists std::vector,
// sets std::set, maps std::map, tuples std::tuple, vector<float, N> std::array<float, N>, user
// types their generated structs. A regular or static column (and a user type's field) that can
// be null is a std::optional, collections aside (an empty collection is null). Table options are
// left out (a model that sets none is not compared on them); an index on keys(), entries() or
// full() of a collection, and a custom index other than SAI, become comments.
//
// Example:
//   std::string header = coodie::migrate::generate_models(session, {.name_space = "shop"});
//   std::ofstream("shop_models.hpp") << header;
#pragma once

#include <string>
#include <vector>

#include "coodie/driver/session.hpp"
#include "coodie/orm/schema.hpp"
#include "coodie/orm/type_schema.hpp"

namespace coodie::migrate {

struct codegen_options {
  /// The C++ namespace of the generated structs and of all_models().
  std::string name_space = "models";
  /// Shown in the header's first comment ("from keyspace shop on ...").
  std::string generated_at = {};
};

/// A live user type: its name and system_schema's field names and types.
struct live_type {
  std::string name;
  existing_type fields;
};

/// The header for these tables and types (pure). Types are given in any order; the header
/// declares each after the types it uses. Throws invalid_model for a type text it cannot map.
std::string render_models(const std::string& keyspace, const std::vector<existing_table>& tables,
                          const std::vector<live_type>& types, const codegen_options& o);

/// Reads every table and user type of the session's keyspace (the coodie_ state tables left
/// out) and renders them.
std::string generate_models(driver_session& s, const codegen_options& o);

}  // namespace coodie::migrate
