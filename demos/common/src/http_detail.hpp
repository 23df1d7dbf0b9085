// Helpers shared by the kit's sources (not a public header).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "demo/http.hpp"

namespace demo::detail {

/// %XX escapes (and '+' as a space in a query); nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
/// The non-empty segments of a path, as they are (still escaped).
std::vector<std::string> split_path(std::string_view path);
std::string html_escape(std::string_view s);

/// A file of one of the static folders for a GET path ("/" is index.html); nullopt when none
/// has it or the path tries to leave the folder.
std::optional<response> static_file(const std::vector<std::string>& dirs, std::string_view path,
                                    unsigned version);
/// The reply for an exception a handler threw: JSON under /api/, an HTML page elsewhere.
response error_reply(std::exception_ptr e, const request& q, std::string& logged);
/// A reply with a status and a message, JSON or HTML as error_reply chooses.
response status_reply(http::status s, std::string_view message, const request& q);

}  // namespace demo::detail
