// coodie's side of the user type interop test with the reference Python driver
// (tests/interop/run-udt-interop runs both): it creates the schema, writes sample orders whose
// user types nest and sit in collections (and sets two fields of a non-frozen one alone), and
// reads orders back, printing each as JSON in the form tests/interop/udt_interop.py prints and
// compares.
//
// Usage: udt_interop setup KS | write KS | read KS ID... | drop KS
//   (connection from COODIE_HOSTS, COODIE_USERNAME, COODIE_PASSWORD, ...)
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <boost/json.hpp>
#include <boost/json/src.hpp>  // Boost.JSON header-only, in this one translation unit

#include "coodie/orm/session.hpp"
#include "coodie/orm/user_type.hpp"

namespace interop {
struct Product {
  std::string sku;
  std::map<std::string, std::string> attributes;
};
struct LineItem {
  Product product;
  std::int32_t quantity = 0;
  std::optional<std::string> note;
};
struct Address {
  std::string street;
  std::string city;
  std::optional<std::int32_t> zip;
  friend auto operator<=>(const Address&, const Address&) = default;
};
struct Order {
  std::int32_t id = 0;
  std::vector<LineItem> items;
  std::optional<Address> ship;
  std::map<std::string, Address> by_name;
  std::map<Address, std::int32_t> ranks;
  std::set<Address> places;
  std::tuple<Address, std::int32_t> pinned;
  Address home;  // not frozen
};
}  // namespace interop

template <>
inline constexpr auto coodie::udt<interop::Product> = coodie::user_type("iop_product");
template <>
inline constexpr auto coodie::udt<interop::LineItem> = coodie::user_type("iop_line_item");
template <>
inline constexpr auto coodie::udt<interop::Address> = coodie::user_type("iop_address");
template <>
inline constexpr auto coodie::model<interop::Order> = coodie::table("iop_orders")
                                                          .partition_key<&interop::Order::id>()
                                                          .unfrozen<&interop::Order::home>();

namespace {

using namespace interop;
namespace json = boost::json;

template <class T>
json::value opt(const std::optional<T>& v) {
  return v ? json::value_from(*v) : json::value(nullptr);
}

json::value to_json(const Address& a) {
  return {{"street", a.street}, {"city", a.city}, {"zip", opt(a.zip)}};
}

json::value to_json(const Order& o) {
  json::array items;
  for (const LineItem& i : o.items) {
    json::array attributes;
    for (const auto& [k, v] : i.product.attributes) {
      attributes.push_back(json::array{json::value(k), json::value(v)});
    }
    items.push_back({{"product", {{"sku", i.product.sku}, {"attributes", attributes}}},
                     {"quantity", i.quantity},
                     {"note", opt(i.note)}});
  }
  json::array by_name;
  for (const auto& [k, a] : o.by_name) {
    by_name.push_back(json::array{json::value(k), to_json(a)});
  }
  json::array ranks;
  for (const auto& [a, r] : o.ranks) {
    ranks.push_back(json::array{to_json(a), json::value(r)});
  }
  json::array places;
  for (const Address& a : o.places) {
    places.push_back(to_json(a));
  }
  return {{"id", o.id},
          {"items", items},
          {"ship", o.ship ? to_json(*o.ship) : json::value(nullptr)},
          {"by_name", by_name},
          {"ranks", ranks},
          {"places", places},
          {"pinned", json::array{to_json(std::get<0>(o.pinned)), std::get<1>(o.pinned)}},
          {"home", to_json(o.home)}};
}

std::vector<Order> samples() {
  const Address paris{.street = "1 rue de l'Église", .city = "Paris", .zip = 75001};
  const Address oslo{.street = "Karl Johans \"gate\" 2", .city = "Oslo", .zip = std::nullopt};
  const Address kyoto{.street = "四条通", .city = "京都", .zip = 600};
  Order full{
      .id = 1,
      .items = {{.product = {.sku = "anvil", .attributes = {{"color", "black"}, {"kg", "50"}}},
                 .quantity = 2,
                 .note = "fragile"},
                {.product = {.sku = "rope", .attributes = {}},
                 .quantity = 10,
                 .note = std::nullopt}},
      .ship = paris,
      .by_name = {{"home", oslo}, {"work", kyoto}},
      .ranks = {{paris, 1}, {oslo, 2}, {kyoto, 3}},
      .places = {paris, oslo},
      .pinned = {kyoto, -7},
      .home = oslo};
  Order sparse{.id = 2,
               .items = {},
               .ship = std::nullopt,
               .by_name = {},
               .ranks = {},
               .places = {},
               .pinned = {Address{.street = "", .city = "", .zip = 0}, 0},
               .home = kyoto};
  return {full, sparse};
}

int usage() {
  std::cerr << "usage: udt_interop setup KS | write KS | read KS ID... | drop KS\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 3) {
    return usage();
  }
  const std::string mode = argv[1];
  const std::string ks = argv[2];
  coodie::session_options o = coodie::session_options::from_env();
  if (o.username.empty()) {  // the local node's superuser, as the integration tests
    o.username = "cassandra";
    o.password = "cassandra";
  }
  coodie::session_options in = o;
  in.keyspace = ks;
  coodie::sync::session s = coodie::sync::connect(o);
  if (mode == "setup") {
    s.create_keyspace({.name = ks, .replication_factor = 1});
    coodie::sync::session in_ks = coodie::sync::connect(in);
    in_ks.sync_table<Order>();
  } else if (mode == "drop") {
    s.drop_keyspace(ks);
  } else if (mode == "write" || mode == "read") {
    coodie::sync::session in_ks = coodie::sync::connect(in);
    json::array out;
    if (mode == "write") {
      std::vector<Order> orders = samples();
      for (const Order& order : orders) {
        in_ks.save(order);
      }
      // Two fields of order 2's non-frozen home set alone, one to null.
      in_ks.find<Order>()
          .where(coodie::col<&Order::id> == 2)
          .update({coodie::assign<&Order::home, &Address::city>("Bergen"),
                   coodie::assign<&Order::home, &Address::zip>(std::nullopt)});
      orders[1].home.city = "Bergen";
      orders[1].home.zip = std::nullopt;
      for (const Order& order : orders) {
        out.push_back(to_json(order));
      }
    } else {
      for (int i = 3; i < argc; ++i) {
        out.push_back(to_json(in_ks.get<Order>(std::stoi(argv[i]))));
      }
    }
    std::cout << out << "\n";
  } else {
    return usage();
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "udt_interop: " << e.what() << "\n";
  return 1;
}
