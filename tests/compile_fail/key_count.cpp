// Rule: a key-based read takes every primary key value: the partition key alone is not enough
// for a table with a clustering key.
// expect-error: give every primary key value of the model, in key order
#include <cstdint>
#include <string>

#include "coodie/orm/session.hpp"

struct Product {
  std::string category;
  std::string name;
  double price = 0;
};

template <>
inline constexpr auto coodie::model<Product> =
    coodie::table("products").partition_key<&Product::category>().clustering_key<&Product::name>();

void instantiate(coodie::aio::session& s) {
  (void)s.find_one<Product>("tools");
}
