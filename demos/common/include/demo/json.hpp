// Reading a request's JSON body field by field, each refusal a bad_request naming the field.
//
// Example:
//   const boost::json::object& in = demo::as_object(q.json());
//   p.name = demo::text(in, "name", {.max = 80});
//   p.price = demo::number(in, "price", 0, 1e6);
//   p.tags = demo::text_set(in, "tags", 10, 24);
//   p.description = demo::optional_text(in, "description", 500);
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace demo {

/// The value as an object; bad_request otherwise.
const boost::json::object& as_object(const boost::json::value& v);

struct text_rule {
  std::size_t min = 1;
  std::size_t max = 200;
};
/// A required string of min..max bytes, trimmed of surrounding spaces.
std::string text(const boost::json::object& o, std::string_view field, text_rule rule = {});
/// A string of up to `max` bytes; nullopt when absent, null or empty after trimming.
std::optional<std::string> optional_text(const boost::json::object& o, std::string_view field,
                                         std::size_t max);
/// A required number in [lo, hi].
double number(const boost::json::object& o, std::string_view field, double lo, double hi);
/// A required integer in [lo, hi].
std::int64_t integer(const boost::json::object& o, std::string_view field, std::int64_t lo,
                     std::int64_t hi);
/// A list of strings (absent: empty), each trimmed and non-empty, at most `items` of `max` bytes.
std::vector<std::string> text_list(const boost::json::object& o, std::string_view field,
                                   std::size_t items, std::size_t max);
/// The same as a set (duplicates merged).
std::set<std::string> text_set(const boost::json::object& o, std::string_view field,
                               std::size_t items, std::size_t max);

/// JSON of a list of strings.
boost::json::array json_strings(const auto& range) {
  boost::json::array a;
  for (const auto& s : range) {
    a.emplace_back(std::string_view(s));
  }
  return a;
}

}  // namespace demo
