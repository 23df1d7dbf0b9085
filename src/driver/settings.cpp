// Connection settings from text: a connection URI, the COODIE_* environment variables, and the
// "host[:port]" form of a contact point. One table of named settings serves the URI's query and
// the environment, so both accept the same names and values.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <set>
#include <string>
#include <string_view>

#include "connection.hpp"
#include "coodie/driver/identifiers.hpp"
#include "coodie/driver/options.hpp"

namespace coodie {
namespace driver::detail {

endpoint parse_endpoint(std::string_view text, std::uint16_t default_port) {
  auto bad = [&](std::string_view why) {
    return usage_error(std::string(why) + " in host '" + std::string(text) + "'");
  };
  endpoint ep;
  ep.port = default_port;
  std::string_view s = text;
  std::string_view port_text;
  bool has_port = false;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos) {
      throw bad("unclosed '['");
    }
    ep.host = std::string(s.substr(1, close - 1));
    if (close + 1 < s.size()) {
      if (s[close + 1] != ':') {
        throw bad("text after ']'");
      }
      has_port = true;
      port_text = s.substr(close + 2);
    }
  } else if (std::count(s.begin(), s.end(), ':') == 1) {
    const auto colon = s.find(':');
    ep.host = std::string(s.substr(0, colon));
    has_port = true;
    port_text = s.substr(colon + 1);
  } else {
    ep.host = std::string(s);
  }
  if (has_port) {
    long port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) {
        throw bad("invalid port");
      }
      port = port * 10 + (c - '0');
    }
    if (port_text.empty() || port <= 0 || port > 65535) {
      throw bad("invalid port");
    }
    ep.port = static_cast<std::uint16_t>(port);
  }
  if (ep.host.empty()) {
    throw bad("empty host name");
  }
  return ep;
}

}  // namespace driver::detail

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// Splits on a separator, keeping empty pieces.
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) {
      return parts;
    }
    s.remove_prefix(at + 1);
  }
}

/// %XX decoding; `what` names the part in the error (never its text: it may be a password).
std::string percent_decode(std::string_view s, std::string_view what) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) {
      throw settings_error("malformed percent-encoding in the " + std::string(what));
    }
    const int hi = hex(s[i + 1]);
    const int lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) {
      throw settings_error("malformed percent-encoding in the " + std::string(what));
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool parse_bool(std::string_view v) {
  const std::string s = lower(v);
  if (s == "1" || s == "true" || s == "yes" || s == "on")
    return true;
  if (s == "0" || s == "false" || s == "no" || s == "off")
    return false;
  throw settings_error("'" + std::string(v) +
                       "' is not a boolean (1/0, true/false, yes/no, on/off)");
}

/// A decimal number in [lo, hi].
std::uint64_t parse_number(std::string_view v, std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t n = 0;
  bool ok = !v.empty();
  for (char c : v) {
    if (c < '0' || c > '9' || n > hi) {
      ok = false;
      break;
    }
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!ok || n < lo || n > hi) {
    throw settings_error("'" + std::string(v) + "' is not a number from " + std::to_string(lo) +
                         " to " + std::to_string(hi));
  }
  return n;
}

std::chrono::milliseconds parse_duration(std::string_view v) {
  constexpr std::uint64_t max_ms = 24ull * 3600 * 1000;  // a day
  const std::string s = lower(v);
  std::string_view text = s;
  std::uint64_t scale = 0;
  if (text.ends_with("ms")) {
    scale = 1;
    text.remove_suffix(2);
  } else if (text.ends_with("s")) {
    scale = 1000;
    text.remove_suffix(1);
  }
  try {
    if (scale == 0) {
      throw settings_error("");
    }
    return std::chrono::milliseconds(parse_number(text, 0, max_ms / scale) * scale);
  } catch (const settings_error&) {
    throw settings_error("'" + std::string(v) + "' is not a duration (a number with ms or s, " +
                         "e.g. 500ms or 5s, up to a day)");
  }
}

consistency parse_consistency(std::string_view v) {
  const std::string want = lower(v);
  for (std::uint16_t code = 0; code <= 0x000A; ++code) {
    const auto c = static_cast<consistency>(code);
    if (lower(to_string(c)) == want) {
      return c;
    }
  }
  throw settings_error("'" + std::string(v) + "' is not a consistency level (e.g. local_quorum)");
}

std::vector<std::string> parse_hosts(std::string_view v) {
  std::vector<std::string> hosts;
  for (std::string_view h : split(v, ',')) {
    if (h.empty()) {
      throw settings_error("empty host in the host list");
    }
    try {
      driver::detail::parse_endpoint(h, 9042);
    } catch (const usage_error& e) {
      throw settings_error(e.what());
    }
    hosts.emplace_back(h);
  }
  return hosts;
}

struct setting {
  const char* name;
  bool in_query;  ///< false: the URI gives it in its structure (hosts, user, path)
  void (*apply)(session_options& o, std::string_view v);
};

// clang-format off
constexpr setting settings[] = {
    {"hosts", false, [](session_options& o, std::string_view v) { o.hosts = parse_hosts(v); }},
    {"port", false, [](session_options& o, std::string_view v) {
       o.port = static_cast<std::uint16_t>(parse_number(v, 1, 65535)); }},
    {"username", false, [](session_options& o, std::string_view v) { o.username = v; }},
    {"password", false, [](session_options& o, std::string_view v) { o.password = v; }},
    {"keyspace", false, [](session_options& o, std::string_view v) {
       try { check_name("keyspace", v); } catch (const usage_error& e) { throw settings_error(e.what()); }
       o.keyspace = v; }},
    {"consistency", true, [](session_options& o, std::string_view v) {
       o.default_consistency = parse_consistency(v); }},
    {"serial_consistency", true, [](session_options& o, std::string_view v) {
       o.default_serial_consistency = parse_consistency(v); }},
    {"local_dc", true, [](session_options& o, std::string_view v) { o.local_dc = v; }},
    {"tls", true, [](session_options& o, std::string_view v) { o.tls.enabled = parse_bool(v); }},
    {"tls_ca", true, [](session_options& o, std::string_view v) {
       o.tls.ca_file = v; o.tls.enabled = true; }},
    {"tls_cert", true, [](session_options& o, std::string_view v) {
       o.tls.cert_file = v; o.tls.enabled = true; }},
    {"tls_key", true, [](session_options& o, std::string_view v) {
       o.tls.key_file = v; o.tls.enabled = true; }},
    {"tls_verify_hostname", true, [](session_options& o, std::string_view v) {
       o.tls.verify_hostname = parse_bool(v); }},
    {"compression", true, [](session_options& o, std::string_view v) {
       const std::string s = lower(v);
       if (s != "none" && s != "lz4") {
         throw settings_error("'" + std::string(v) + "' is not a compression (none or lz4)");
       }
       o.compression = s == "lz4" ? compression::lz4 : compression::none; }},
    {"connect_timeout", true, [](session_options& o, std::string_view v) {
       o.connect_timeout = parse_duration(v); }},
    {"request_timeout", true, [](session_options& o, std::string_view v) {
       o.request_timeout = parse_duration(v); }},
    {"page_size", true, [](session_options& o, std::string_view v) {
       o.default_page_size = static_cast<std::int32_t>(
           parse_number(v, 0, static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max()))); }},
    {"io_threads", true, [](session_options& o, std::string_view v) {
       o.io_threads = parse_number(v, 0, 64); }},
    {"connections_per_host", true, [](session_options& o, std::string_view v) {
       o.connections_per_host = parse_number(v, 1, 64); }},
    {"discover_peers", true, [](session_options& o, std::string_view v) {
       o.discover_peers = parse_bool(v); }},
    {"token_aware", true, [](session_options& o, std::string_view v) {
       o.token_aware = parse_bool(v); }},
};
// clang-format on

const setting* find_setting(std::string_view name) {
  for (const setting& s : settings) {
    if (name == s.name) {
      return &s;
    }
  }
  return nullptr;
}

std::string query_names() {
  std::string names;
  for (const setting& s : settings) {
    if (s.in_query) {
      names += names.empty() ? "" : ", ";
      names += s.name;
    }
  }
  return names;
}

/// Applies one setting; an error names `where` (the variable, or the redacted URI) first.
void apply(session_options& o, const setting& s, std::string_view value, const std::string& where) {
  try {
    s.apply(o, value);
  } catch (const settings_error& e) {
    throw settings_error(where + ": " + s.name + ": " + e.what());
  }
}

}  // namespace

session_options session_options::from_uri(std::string_view uri) {
  constexpr std::string_view scheme = "cassandra://";
  // The user information ends at the last '@': a password is never echoed, even one holding an
  // unencoded '/' or '?'.
  const auto at = uri.rfind('@');
  std::string shown(uri);
  if (at != std::string_view::npos) {
    const auto colon = uri.find(':', std::min(uri.size(), scheme.size()));
    if (colon != std::string_view::npos && colon < at) {
      shown = std::string(uri.substr(0, colon + 1)) + "***" + std::string(uri.substr(at));
    }
  }
  const std::string where = "connection URI '" + shown + "'";
  if (uri.size() < scheme.size() || lower(uri.substr(0, scheme.size())) != scheme) {
    throw settings_error(where + ": must start with " + std::string(scheme));
  }
  session_options o;
  std::string_view rest = uri.substr(scheme.size());
  if (at != std::string_view::npos) {
    const std::string_view userinfo = uri.substr(scheme.size(), at - scheme.size());
    const auto colon = userinfo.find(':');
    o.username = percent_decode(userinfo.substr(0, colon), "user name");
    if (colon != std::string_view::npos) {
      o.password = percent_decode(userinfo.substr(colon + 1), "password");
    }
    if (o.username.empty()) {
      throw settings_error(where + ": empty user name before '@'");
    }
    rest = uri.substr(at + 1);
  }
  const auto question = rest.find('?');
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : rest.substr(question + 1);
  rest = rest.substr(0, question);
  const auto slash = rest.find('/');
  const std::string_view hosts = rest.substr(0, slash);
  if (hosts.empty()) {
    throw settings_error(where + ": no host");
  }
  apply(o, *find_setting("hosts"), hosts, where);
  if (slash != std::string_view::npos && slash + 1 < rest.size()) {
    apply(o, *find_setting("keyspace"), rest.substr(slash + 1), where);
  }
  std::set<std::string, std::less<>> seen;
  for (std::string_view pair : split(query, '&')) {
    if (pair.empty()) {
      continue;
    }
    const auto eq = pair.find('=');
    const std::string name = percent_decode(pair.substr(0, eq), "setting name");
    const setting* s = find_setting(name);
    if (s == nullptr || !s->in_query) {
      throw settings_error(where + ": unknown setting '" + name + "' (known: " + query_names() +
                           ")");
    }
    if (eq == std::string_view::npos) {
      throw settings_error(where + ": " + name + " has no value (write " + name + "=...)");
    }
    if (!seen.insert(name).second) {
      throw settings_error(where + ": " + name + " is given twice");
    }
    apply(o, *s, percent_decode(pair.substr(eq + 1), std::string(name) + " value"), where);
  }
  return o;
}

session_options session_options::from_env() {
  return from_env([](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v != nullptr ? std::optional<std::string>(v) : std::nullopt;
  });
}

session_options session_options::from_env(
    const std::function<std::optional<std::string>(const std::string& name)>& lookup) {
  session_options o;
  if (auto uri = lookup("COODIE_URI"); uri && !uri->empty()) {
    try {
      o = from_uri(*uri);
    } catch (const settings_error& e) {
      throw settings_error(std::string("COODIE_URI: ") + e.what());
    }
  }
  for (const setting& s : settings) {
    const std::string var = "COODIE_" + [&] {
      std::string up = s.name;
      std::transform(up.begin(), up.end(), up.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      return up;
    }();
    if (auto v = lookup(var); v && !v->empty()) {
      apply(o, s, *v, var);
    }
  }
  return o;
}

}  // namespace coodie
