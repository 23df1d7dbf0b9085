// A program that uses coodie as a package: scripts/package-test builds it four ways
// (find_package after install, FetchContent, add_subdirectory, pkg-config) and runs it. It needs
// no server: it prints what the library computes and exits non-zero when that is not what it
// expects. Given a URI (cassandra://host), it also connects.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <coodie/coodie.hpp>
#include <coodie/orm/schema.hpp>
#include <coodie/wire/frame.hpp>

namespace shop {

struct Product {
  std::string category;
  std::string name;
  double price = 0;
  std::set<std::string> tags;
  std::optional<std::string> description;
};

}  // namespace shop

template <>
inline constexpr auto coodie::model<shop::Product> = coodie::table("products")
                                                         .keyspace("shop")
                                                         .partition_key<&shop::Product::category>()
                                                         .clustering_key<&shop::Product::name>();

namespace {

int failures = 0;

void expect(std::string_view what, std::string_view got, std::string_view want) {
  std::cout << what << ": " << got << '\n';
  if (got != want) {
    std::cerr << "consumer: wrong " << what << "; expected: " << want << '\n';
    ++failures;
  }
}

}  // namespace

int main(int argc, char** argv) try {
  // The object mapper: the model's table as DDL text.
  expect("create table", coodie::ddl::create_table(coodie::schema_of<shop::Product>(), ""),
         "CREATE TABLE IF NOT EXISTS shop.products (category text, name text, price double, "
         "tags set<text>, description text, PRIMARY KEY (category, name)) "
         "WITH CLUSTERING ORDER BY (name ASC)");

  // The codec: an LZ4 round trip (liblz4 is a private dependency of the static coodie::wire).
  const std::string body(1000, 'x');
  coodie::wire::byte_buffer compressed;
  coodie::wire::lz4_compress(coodie::wire::as_bytes(body), compressed);
  coodie::wire::byte_buffer restored;
  coodie::wire::lz4_decompress(compressed, restored);
  expect("lz4 round trip", coodie::wire::as_chars(restored) == body ? "same" : "different", "same");

  // The driver: the library's version is the package's.
  expect("version", coodie::version(), COODIE_EXPECTED_VERSION);

  // Connecting links the rest of the driver (Asio, OpenSSL); with no argument it does not run.
  if (argc > 1) {
    coodie::sync::session s = coodie::sync::connect(coodie::session_options::from_uri(argv[1]));
    std::cout << "connected\n";
  }
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
} catch (const std::exception& e) {
  std::cerr << "consumer: " << e.what() << '\n';
  return EXIT_FAILURE;
}
