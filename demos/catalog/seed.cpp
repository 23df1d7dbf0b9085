// Fills the catalog with generated products: eight categories, fifteen brands, names, prices,
// stock, tags and descriptions from a fixed seed (the same catalog every run).
#include <array>
#include <iostream>
#include <random>

#include "demo/app.hpp"
#include "demo/seed.hpp"
#include "model.hpp"

using catalog::Product;

namespace {

struct category_words {
  const char* name;
  std::array<const char*, 4> nouns;
};
constexpr std::array categories{
    category_words{"audio", {"Speaker", "Headphones", "Turntable", "Soundbar"}},
    category_words{"books", {"Novel", "Cookbook", "Atlas", "Field Guide"}},
    category_words{"cameras", {"Camera", "Tripod", "Lens", "Flash"}},
    category_words{"games", {"Console", "Controller", "Board Game", "Puzzle"}},
    category_words{"garden", {"Shears", "Hose", "Planter", "Rake"}},
    category_words{"kitchen", {"Kettle", "Blender", "Skillet", "Knife Set"}},
    category_words{"outdoor", {"Lantern", "Backpack", "Tent", "Grill"}},
    category_words{"tools", {"Drill", "Wrench", "Saw", "Toolbox"}},
};
constexpr std::array brands{"Acme",    "Borealis", "Cobalt",  "Dynamo", "Ember",
                            "Fjord",   "Granite",  "Halcyon", "Ionic",  "Juniper",
                            "Kestrel", "Lumen",    "Monarch", "Nimbus", "Orchid"};
constexpr std::array adjectives{"Compact", "Deluxe", "Rugged", "Silent", "Smart", "Classic",
                                "Ultra",   "Travel", "Pro",    "Mini",   "Eco",   "Turbo"};
constexpr std::array tag_pool{"new",  "sale",    "bestseller", "eco",
                              "gift", "limited", "bundle",     "refurbished"};

Product make(std::size_t i) {
  std::mt19937_64 rng(0xC0D1E + i);
  auto pick = [&rng](const auto& list) { return list[rng() % list.size()]; };
  Product p;
  const category_words& c = pick(categories);
  p.category = c.name;
  const std::array<std::uint64_t, 2> id_bits{rng(), rng()};
  p.id = coodie::uuid::from_bytes(std::as_bytes(std::span(id_bits)));
  p.brand = pick(brands);
  p.name =
      std::string(pick(adjectives)) + ' ' + pick(c.nouns) + ' ' + std::to_string(100 + rng() % 900);
  p.price = static_cast<double>(199 + rng() % 50'000) / 100.0;
  p.stock = static_cast<std::int32_t>(rng() % 250);
  for (std::size_t t = rng() % 4; t > 0; --t) {
    p.tags.insert(pick(tag_pool));
  }
  if (rng() % 3 != 0) {
    p.description = "The " + p.name + " by " + p.brand + ", for " + p.category + " lovers.";
  }
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  return demo::seed_main(argc, argv, demo::seed_info("catalog-seed", "coodie_demo_catalog", 500),
                         [](coodie::sync::session& db, const demo::settings& cfg) {
                           db.sync_table<Product>();
                           demo::seed_rows<Product>(db, cfg.count, "products", make);
                         });
}
