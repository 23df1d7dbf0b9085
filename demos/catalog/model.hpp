// The catalog's model: products by category, newest id first within one, with an index on brand.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <boost/json/object.hpp>

#include "coodie/coodie.hpp"
#include "demo/json.hpp"

namespace catalog {

struct Product {
  std::string category;
  coodie::uuid id;
  std::string name;
  std::string brand;
  double price = 0;
  std::int32_t stock = 0;
  std::set<std::string> tags;
  std::optional<std::string> description;
};

inline boost::json::object to_json(const Product& p) {
  return {{"category", p.category},
          {"id", p.id.to_string()},
          {"name", p.name},
          {"brand", p.brand},
          {"price", p.price},
          {"stock", p.stock},
          {"tags", demo::json_strings(p.tags)},
          {"description", p.description ? boost::json::value(*p.description) : nullptr}};
}

}  // namespace catalog

template <>
inline constexpr auto coodie::model<catalog::Product> =
    coodie::table("products")
        .partition_key<&catalog::Product::category>()
        .clustering_key<&catalog::Product::id>()
        .index<&catalog::Product::brand>();
