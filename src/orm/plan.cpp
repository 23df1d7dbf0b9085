#include "coodie/orm/detail/plan.hpp"

#include <vector>

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
    case stmt_kind::change: {
      std::vector<dml::set_term> set;
      set.reserve(key.term_count);
      for (std::size_t i = 0; i < key.term_count; ++i) {
        set.push_back({t.columns.at(key.terms[i] >> 8U).name,
                       {},
                       static_cast<dml::set_op>(key.terms[i] & 0xFFU)});
      }
      return dml::update(t, keyspace, set, {(key.flags & with_ttl) != 0, ts});
    }
  }
  throw usage_error("unknown statement shape of model " + t.model);
}

}  // namespace coodie::orm::detail
