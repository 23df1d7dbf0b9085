// An application's own management program, as the docs show it: its models, handed to
// coodie::cli::main. Built three times (COODIE_MODEL_VERSION 1 to 3) so that tests can change
// the models between runs the way a team changes them between releases; version 2 adds a table
// with a materialized view over it.
#include <optional>
#include <string>
#include <vector>

#include "coodie/cli.hpp"
#include "coodie/coodie.hpp"

namespace app {

struct Address {
  std::string street;
  std::string city;
};

struct Product {
  coodie::uuid id;
  std::string category;
  std::string name;
  double price = 0;
  Address ship_from;
#if COODIE_MODEL_VERSION < 3
  std::vector<std::string> tags;  // version 3 drops it
#endif
#if COODIE_MODEL_VERSION >= 2
  std::string brand;  // version 2 adds it, with an index
#endif
};

#if COODIE_MODEL_VERSION >= 2
struct Review {
  coodie::uuid product_id;
  std::int32_t number = 0;
  std::string text;
  std::int32_t stars = 0;
};
/// The reviews by their stars: a materialized view over reviews.
struct ReviewByStars {
  std::int32_t stars = 0;
  coodie::uuid product_id;
  std::int32_t number = 0;
  std::string text;
};
#endif

}  // namespace app

template <>
inline constexpr auto coodie::udt<app::Address> = coodie::user_type("address");

#if COODIE_MODEL_VERSION >= 2
template <>
inline constexpr auto coodie::model<app::Product> = coodie::table("products")
                                                        .partition_key<&app::Product::id>()
                                                        .clustering_key<&app::Product::category>()
                                                        .index<&app::Product::brand>()
                                                        .option("gc_grace_seconds", 3600);
template <>
inline constexpr auto coodie::model<app::Review> =
    coodie::table("reviews")
        .partition_key<&app::Review::product_id>()
        .clustering_key<&app::Review::number>(coodie::desc);
template <>
inline constexpr auto coodie::model<app::ReviewByStars> =
    coodie::view<app::Review>("reviews_by_stars")
        .partition_key<&app::ReviewByStars::stars>()
        .clustering_key<&app::ReviewByStars::product_id>()
        .clustering_key<&app::ReviewByStars::number>();
#else
template <>
inline constexpr auto coodie::model<app::Product> = coodie::table("products")
                                                        .partition_key<&app::Product::id>()
                                                        .clustering_key<&app::Product::category>();
#endif

int main(int argc, char** argv) {
#if COODIE_MODEL_VERSION >= 2
  // The view before its base: makemigration creates it after every table all the same.
  coodie::migrate::model_set models =
      coodie::migrate::models<app::Product, app::ReviewByStars, app::Review>();
#else
  coodie::migrate::model_set models = coodie::migrate::models<app::Product>();
#endif
  return coodie::cli::main(argc, argv, {.models = std::move(models), .name = "shop-admin"});
}
