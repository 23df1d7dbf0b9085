// An application's management program built against the package: coodie::cli with a model.
// scripts/package-test runs it with --help (no server needed).
#include <string>

#include <coodie/cli.hpp>
#include <coodie/coodie.hpp>

namespace shop {
struct Product {
  std::string sku;
  double price = 0;
};
}  // namespace shop

template <>
inline constexpr auto coodie::model<shop::Product> =
    coodie::table("products").partition_key<&shop::Product::sku>();

int main(int argc, char** argv) {
  return coodie::cli::main(argc, argv,
                           {.models = coodie::migrate::models<shop::Product>(), .name = "shop"});
}
