// The umbrella header: everything a coodie user includes.
//
// Example:
//   #include <coodie/coodie.hpp>
//
//   struct Product {
//     std::string category;
//     std::string name;
//     double price = 0;
//   };
//   template <>
//   inline constexpr auto coodie::model<Product> =
//       coodie::table("products").keyspace("shop")
//           .partition_key<&Product::category>().clustering_key<&Product::name>();
//
//   auto s = coodie::sync::connect(coodie::session_options::from_env());  // COODIE_HOSTS, ...
//   s.sync_table<Product>();
//   s.save(Product{"tools", "anvil", 89.90});
//   Product p = s.get<Product>("tools", "anvil");
#pragma once

#include "coodie/driver/options.hpp"
#include "coodie/driver/result.hpp"
#include "coodie/driver/session.hpp"
#include "coodie/driver/statement.hpp"
#include "coodie/driver/trace.hpp"
#include "coodie/driver/version.hpp"
#include "coodie/error.hpp"
#include "coodie/orm/model.hpp"
#include "coodie/orm/polymorphic.hpp"
#include "coodie/orm/session.hpp"
#include "coodie/orm/user_type.hpp"
#include "coodie/orm/view.hpp"
#include "coodie/wire/traits.hpp"
#include "coodie/wire/values.hpp"
