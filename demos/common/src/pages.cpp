// Static files and error pages.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "coodie/error.hpp"
#include "http_detail.hpp"

namespace demo::detail {
namespace {

std::string_view mime_type(std::string_view path) {
  const auto dot = path.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (ext == "html")
    return "text/html; charset=utf-8";
  if (ext == "css")
    return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs")
    return "text/javascript; charset=utf-8";
  if (ext == "json")
    return "application/json";
  if (ext == "svg")
    return "image/svg+xml";
  if (ext == "png")
    return "image/png";
  if (ext == "ico")
    return "image/x-icon";
  return "application/octet-stream";
}

bool wants_json(const request& q) {
  return q.path.starts_with("/api/") ||
         q.message[http::field::accept].find("application/json") != std::string_view::npos;
}

}  // namespace

std::optional<response> static_file(const std::vector<std::string>& dirs, std::string_view path,
                                    unsigned version) {
  std::string rel;
  for (const std::string& part : split_path(path)) {
    std::optional<std::string> p = percent_decode(part, false);
    if (!p || p->empty() || *p == "." || *p == ".." || p->find('/') != std::string::npos ||
        p->find('\\') != std::string::npos || p->find('\0') != std::string::npos) {
      return std::nullopt;
    }
    rel += '/' + *p;
  }
  if (rel.empty()) {
    rel = "/index.html";
  }
  for (const std::string& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(dir + rel, ec)) {
      continue;  // absent, or a folder of that name
    }
    std::ifstream in(dir + rel, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in.is_open() || in.bad()) {
      continue;  // unreadable (an empty file reads as empty)
    }
    response r{http::status::ok, version};
    r.set(http::field::content_type, mime_type(rel));
    r.set(http::field::cache_control, "no-cache");
    r.body() = std::move(body).str();
    r.prepare_payload();
    return r;
  }
  return std::nullopt;
}

response status_reply(http::status s, std::string_view message, const request& q) {
  response r{s, q.message.version()};
  if (wants_json(q)) {
    r = json_reply({{"error", message}, {"status", static_cast<int>(s)}}, s);
    r.version(q.message.version());
    return r;
  }
  const std::string code = std::to_string(static_cast<int>(s));
  r.set(http::field::content_type, "text/html; charset=utf-8");
  r.body() =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + code +
      "</title><link rel=\"stylesheet\" href=\"/theme.css\"></head><body class=\"error-page\">"
      "<main><h1>" +
      code + " " + html_escape(std::string(http::obsolete_reason(s))) + "</h1><p>" +
      html_escape(message) +
      "</p><p><a href=\"/\">Back to the start</a></p>"
      "</main></body></html>";
  r.prepare_payload();
  return r;
}

response error_reply(std::exception_ptr e, const request& q, std::string& logged) {
  http::status s = http::status::internal_server_error;
  std::string message;
  try {
    std::rethrow_exception(e);
  } catch (const bad_request& x) {
    s = x.status();
    message = x.what();
  } catch (const coodie::document_not_found& x) {
    s = http::status::not_found;
    message = x.what();
  } catch (const coodie::codec_error& x) {
    s = http::status::bad_request;  // a value the model refuses
    message = x.what();
  } catch (const coodie::page_token_error& x) {
    s = http::status::bad_request;
    message = x.what();
  } catch (const std::exception& x) {
    message = x.what();
  } catch (...) {
    message = "an error that is not a std::exception";
  }
  logged = message;
  return status_reply(s, message, q);
}

}  // namespace demo::detail
