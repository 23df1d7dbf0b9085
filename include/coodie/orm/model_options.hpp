// The values a model declaration takes beside member pointers: the CQL type chosen for a member
// whose C++ type can stand for several, a map-valued table option, and the similarity function
// of a vector index.
//
// Example:
//   coodie::table("events")
//       .partition_key<&Event::id>()
//       .type<&Event::at>(coodie::cql::timestamp)
//       .compaction({{"class", "TimeWindowCompactionStrategy"}})
//       .vector_index<&Event::embedding>(coodie::similarity::dot_product);
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "coodie/wire/data_type.hpp"

namespace coodie {

/// A CQL type chosen for a member whose C++ type can stand for several: std::int64_t as bigint
/// or counter, std::string as text or ascii, coodie::uuid as uuid or timeuuid, a std::vector as
/// a list or a set, a sys_days as a date or a timestamp.
struct cql_choice {
  wire::type_id id;
};

namespace cql {
inline constexpr cql_choice counter{wire::type_id::counter};
inline constexpr cql_choice bigint{wire::type_id::bigint};
inline constexpr cql_choice ascii{wire::type_id::ascii};
inline constexpr cql_choice text{wire::type_id::varchar};
inline constexpr cql_choice uuid{wire::type_id::uuid};
inline constexpr cql_choice timeuuid{wire::type_id::timeuuid};
inline constexpr cql_choice list{wire::type_id::list};
inline constexpr cql_choice set{wire::type_id::set};
inline constexpr cql_choice date{wire::type_id::date};
inline constexpr cql_choice timestamp{wire::type_id::timestamp};
}  // namespace cql

/// The value of a map-valued table option, at most 8 entries:
///   coodie::option_map{{"class", "LeveledCompactionStrategy"}}
struct option_map {
  static constexpr std::size_t capacity = 8;
  std::array<std::pair<std::string_view, std::string_view>, capacity> entries{};
  std::size_t size = 0;
  constexpr option_map() = default;
  constexpr option_map(std::initializer_list<std::pair<std::string_view, std::string_view>> l) {
    for (const auto& e : l) {
      if (size == capacity) {
        throw "coodie: an option map holds at most 8 entries";
      }
      entries[size++] = e;
    }
  }
};

/// The similarity function of a vector index (coodie::table_decl::vector_index): how the server
/// ranks rows by closeness to a query vector in `ORDER BY ... ANN OF ?`.
enum class similarity : std::uint8_t { none, cosine, euclidean, dot_product };

}  // namespace coodie
