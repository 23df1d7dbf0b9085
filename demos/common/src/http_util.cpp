// The parts of the HTTP kit that do no I/O: requests' parameters, replies, the router.
#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "demo/http.hpp"
#include "http_detail.hpp"

namespace demo {

std::optional<std::string> request::param(std::string_view name) const {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) {
    return std::nullopt;
  }
  return it->second;
}

std::int64_t request::int_param(std::string_view name, std::int64_t fallback, std::int64_t lo,
                                std::int64_t hi) const {
  const std::optional<std::string> text = param(name);
  if (!text) {
    return fallback;
  }
  std::int64_t v = 0;
  const char* end = text->data() + text->size();
  auto [p, ec] = std::from_chars(text->data(), end, v);
  if (ec != std::errc{} || p != end || v < lo || v > hi) {
    throw bad_request("parameter " + std::string(name) + " must be an integer from " +
                      std::to_string(lo) + " to " + std::to_string(hi) + ", not '" + *text + "'");
  }
  return v;
}

boost::json::value request::json() const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(message.body(), ec);
  if (ec) {
    throw bad_request("the body is not JSON: " + ec.message());
  }
  return v;
}

response json_reply(const boost::json::value& v, http::status s) {
  response r{s, 11};
  r.set(http::field::content_type, "application/json");
  r.set(http::field::cache_control, "no-store");
  r.body() = boost::json::serialize(v);
  r.prepare_payload();
  return r;
}

response no_content() {
  response r{http::status::no_content, 11};
  r.prepare_payload();
  return r;
}

router& router::add(http::verb method, std::string pattern, handler h) {
  routes_.push_back({method, detail::split_path(pattern), std::move(h)});
  return *this;
}

const handler* router::match(request& q, bool& path_known) const {
  const std::vector<std::string> parts = detail::split_path(q.path);
  path_known = false;
  for (const route& r : routes_) {
    if (r.parts.size() != parts.size()) {
      continue;
    }
    std::vector<std::string> args;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& want = r.parts[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        std::optional<std::string> arg = detail::percent_decode(parts[i], false);
        if (!arg) {
          throw bad_request("the path has a bad %-escape: " + parts[i]);
        }
        args.push_back(std::move(*arg));
      } else {
        ok = want == parts[i];
      }
    }
    if (!ok) {
      continue;
    }
    const bool head_as_get = q.message.method() == http::verb::head && r.method == http::verb::get;
    if (r.method != q.message.method() && !head_as_get) {
      path_known = true;
      continue;
    }
    q.args = std::move(args);
    return &r.h;
  }
  return nullptr;
}

namespace detail {

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      unsigned v = 0;
      if (i + 2 >= s.size()) {
        return std::nullopt;
      }
      auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec != std::errc{} || p != s.data() + i + 3) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(v));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    const std::size_t j = std::min(path.find('/', i), path.size());
    if (j > i) {
      parts.emplace_back(path.substr(i, j - i));
    }
    i = j + 1;
  }
  return parts;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace detail
}  // namespace demo
