#include "coodie/orm/detail/plan.hpp"

namespace coodie::orm::detail {

std::string shape_text(const stmt_key& key, std::string_view keyspace) {
  const table_schema& t = *key.table;
  const bool ts = (key.flags & with_timestamp) != 0;
  switch (key.kind) {
    case stmt_kind::insert:
      return dml::insert(t, keyspace, {(key.flags & with_ttl) != 0, ts},
                         (key.flags & if_not_exists) != 0);
    case stmt_kind::select_by_key:
      return dml::select_by_key(t, keyspace);
    case stmt_kind::remove:
      return dml::remove(t, keyspace, {}, ts);
  }
  throw usage_error("unknown statement shape of model " + t.model);
}

}  // namespace coodie::orm::detail
