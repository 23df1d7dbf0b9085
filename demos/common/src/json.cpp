#include "demo/json.hpp"

#include <cmath>

#include <fmt/format.h>

#include "demo/http.hpp"

namespace demo {
namespace {

std::string trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) {
    return {};
  }
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

[[noreturn]] void refuse(std::string_view field, std::string_view why) {
  throw bad_request(std::string(field) + " " + std::string(why));
}

const boost::json::value* find(const boost::json::object& o, std::string_view field) {
  auto it = o.find(field);
  return it == o.end() || it->value().is_null() ? nullptr : &it->value();
}

}  // namespace

const boost::json::object& as_object(const boost::json::value& v) {
  if (!v.is_object()) {
    throw bad_request("the body must be a JSON object");
  }
  return v.get_object();
}

std::string text(const boost::json::object& o, std::string_view field, text_rule rule) {
  const boost::json::value* v = find(o, field);
  if (v == nullptr) {
    refuse(field, "is required");
  }
  if (!v->is_string()) {
    refuse(field, "must be a string");
  }
  std::string s = trimmed(v->get_string());
  if (s.size() < rule.min || s.size() > rule.max) {
    refuse(field, "must have " + std::to_string(rule.min) + " to " + std::to_string(rule.max) +
                      " characters");
  }
  return s;
}

std::optional<std::string> optional_text(const boost::json::object& o, std::string_view field,
                                         std::size_t max) {
  const boost::json::value* v = find(o, field);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_string()) {
    refuse(field, "must be a string");
  }
  std::string s = trimmed(v->get_string());
  if (s.size() > max) {
    refuse(field, "must have at most " + std::to_string(max) + " characters");
  }
  if (s.empty()) {
    return std::nullopt;
  }
  return s;
}

double number(const boost::json::object& o, std::string_view field, double lo, double hi) {
  const boost::json::value* v = find(o, field);
  if (v == nullptr) {
    refuse(field, "is required");
  }
  double d = 0;
  if (v->is_double()) {
    d = v->get_double();
  } else if (v->is_int64()) {
    d = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    d = static_cast<double>(v->get_uint64());
  } else {
    refuse(field, "must be a number");
  }
  if (!std::isfinite(d) || d < lo || d > hi) {
    refuse(field, fmt::format("must be a number from {:g} to {:g}", lo, hi));
  }
  return d;
}

std::int64_t integer(const boost::json::object& o, std::string_view field, std::int64_t lo,
                     std::int64_t hi) {
  const boost::json::value* v = find(o, field);
  if (v == nullptr) {
    refuse(field, "is required");
  }
  std::int64_t n = 0;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(hi)) {
    n = static_cast<std::int64_t>(v->get_uint64());
  } else {
    refuse(field,
           "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  if (n < lo || n > hi) {
    refuse(field,
           "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  return n;
}

std::vector<std::string> text_list(const boost::json::object& o, std::string_view field,
                                   std::size_t items, std::size_t max) {
  const boost::json::value* v = find(o, field);
  std::vector<std::string> out;
  if (v == nullptr) {
    return out;
  }
  if (!v->is_array()) {
    refuse(field, "must be a list of strings");
  }
  if (v->get_array().size() > items) {
    refuse(field, "may hold at most " + std::to_string(items) + " items");
  }
  for (const boost::json::value& e : v->get_array()) {
    if (!e.is_string()) {
      refuse(field, "must be a list of strings");
    }
    std::string s = trimmed(e.get_string());
    if (s.empty() || s.size() > max) {
      refuse(field, "items must have 1 to " + std::to_string(max) + " characters");
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::set<std::string> text_set(const boost::json::object& o, std::string_view field,
                               std::size_t items, std::size_t max) {
  std::vector<std::string> l = text_list(o, field, items, max);
  return {std::make_move_iterator(l.begin()), std::make_move_iterator(l.end())};
}

}  // namespace demo
