// Control: a valid model through the same path as the failing cases (same header, same
// instantiation). It must compile, so a harness that fails every case for another reason (a wrong
// include path, a missing dependency) is caught here.
// expect-success
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "coodie/orm/mapping.hpp"
#include "coodie/orm/updates.hpp"
#include "coodie/orm/user_type.hpp"

struct Reading {
  std::string sensor;
  std::chrono::sys_time<std::chrono::milliseconds> ts;
  std::set<std::string> tags;
  std::string site;
  std::vector<std::string> notes;
  double value = 0;
  std::int64_t cached = 0;
};

template <>
inline constexpr auto coodie::model<Reading> = coodie::table("readings")
                                                   .partition_key<&Reading::sensor>()
                                                   .clustering_key<&Reading::ts>(coodie::desc)
                                                   .clustering_key<&Reading::tags>()
                                                   .frozen<&Reading::tags>()
                                                   .static_column<&Reading::site>()
                                                   .index<&Reading::value>()
                                                   .skip<&Reading::cached>();

// A member of a type coodie does not map is fine when it is skipped.
struct Opaque {
  int v = 0;
};
struct WithCache {
  std::int32_t id = 0;
  Opaque cache;
};

template <>
inline constexpr auto coodie::model<WithCache> =
    coodie::table("with_cache").partition_key<&WithCache::id>().skip<&WithCache::cache>();

struct PageView {
  std::string url;
  std::int64_t hits = 0;
};

template <>
inline constexpr auto coodie::model<PageView> = coodie::table("page_views")
                                                    .partition_key<&PageView::url>()
                                                    .type<&PageView::hits>(coodie::cql::counter);

// A user type column, frozen by default and here declared unfrozen: one field can be assigned.
struct Place {
  std::string city;
  std::string street;
};
struct Customer {
  std::int32_t id = 0;
  Place home;
  Place work;
};

template <>
inline constexpr auto coodie::udt<Place> = coodie::user_type("place");
template <>
inline constexpr auto coodie::model<Customer> =
    coodie::table("customers").partition_key<&Customer::id>().unfrozen<&Customer::home>();

void instantiate() {
  (void)coodie::schema_of<Customer>();
  (void)coodie::assign<&Customer::home, &Place::city>("Lyon");
  (void)coodie::assign<&Customer::work>(Place{"Oak", "1 Elm"});
  (void)coodie::schema_of<Reading>();
  (void)coodie::schema_of<PageView>();
  (void)coodie::schema_of<WithCache>();
  (void)(coodie::col<&Reading::value> > 0);  // an int literal against a double column
}
