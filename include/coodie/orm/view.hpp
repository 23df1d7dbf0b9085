// Materialized views: a model declared over a base model, kept up to date by the server. The
// view is a struct of base columns (members named like them, of the same types) with its own
// primary key; it is read like any model and never written (a write does not compile).
//
// Example:
//   struct ProductByCategory {  // members named like Product's columns
//     std::string category;
//     coodie::uuid id;
//     std::string name;
//     double price = 0;
//   };
//   template <>
//   inline constexpr auto coodie::model<ProductByCategory> =
//       coodie::view<Product>("products_by_category")
//           .partition_key<&ProductByCategory::category>()
//           .clustering_key<&ProductByCategory::id>();
//
//   s.sync_view<ProductByCategory>();  // syncs Product first, then CREATE MATERIALIZED VIEW
//   auto tools = s.find<ProductByCategory>()
//                    .where(coodie::col<&ProductByCategory::category> == "tools").all();
//   s.drop_view<ProductByCategory>();
//
// Rules checked at compile time: every member names a column of the base model, of the same type
// (std::optional aside); the view's primary key holds every primary key column of the base and at
// most one other column; a view has no index, no static column and no default TTL. The server
// needs materialized views enabled (materialized_views_enabled in cassandra.yaml; the project's
// scripts/cassandra enables them). Views are eventually consistent with their base table.
#pragma once

#include <string_view>

#include "coodie/orm/mapping.hpp"

namespace coodie {

/// Starts the declaration of a materialized view over model B, named `name` (without a name:
/// snake_case of the view's type name). The view lives in B's keyspace.
template <class B>
constexpr table_decl<void, orm::detail::view_over<B>> view(std::string_view name = {}) {
  orm::detail::check_declared_name("view", name);
  table_decl<void, orm::detail::view_over<B>> d;
  d.table_name = name;
  return d;
}

}  // namespace coodie
