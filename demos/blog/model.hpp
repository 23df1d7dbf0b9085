// The blog's model: posts newest first in one partition per blog, tags in a list with a
// secondary index, and comments newest first in one partition per post.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <boost/json/object.hpp>

#include "coodie/coodie.hpp"
#include "demo/json.hpp"

namespace blog {

using millis = std::chrono::sys_time<std::chrono::milliseconds>;

/// The blog every post of this demo belongs to (the partition key leaves room for more).
inline const std::string main_blog = "main";

struct Post {
  std::string blog;     // partition key: a blog's posts live together, in time order
  coodie::timeuuid id;  // clustering key, descending: newest first, and the post's date
  std::string title;
  std::string author;
  std::string body;
  std::vector<std::string> tags;  // list<text>, with a secondary index (CONTAINS)
  std::optional<millis> updated;  // null until the post is edited
};

struct Comment {
  coodie::timeuuid post_id;  // partition key: a post's comments live together
  coodie::timeuuid id;       // clustering key, descending: newest first
  std::string author;
  std::string body;
};

/// ISO 8601 in UTC, to the second.
inline std::string iso(std::chrono::system_clock::time_point t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(t));
}

/// A post; `comments` is its comment count when the caller counted them.
inline boost::json::object to_json(const Post& p, std::optional<std::int64_t> comments = {}) {
  boost::json::object o{{"id", p.id.to_string()},
                        {"title", p.title},
                        {"author", p.author},
                        {"body", p.body},
                        {"tags", demo::json_strings(p.tags)},
                        {"created", iso(p.id.timestamp())},
                        {"updated", p.updated ? boost::json::value(iso(*p.updated)) : nullptr}};
  if (comments) {
    o["comments"] = *comments;
  }
  return o;
}

inline boost::json::object to_json(const Comment& c) {
  return {{"id", c.id.to_string()},
          {"post_id", c.post_id.to_string()},
          {"author", c.author},
          {"body", c.body},
          {"created", iso(c.id.timestamp())}};
}

}  // namespace blog

template <>
inline constexpr auto coodie::model<blog::Post> = coodie::table("posts")
                                                      .partition_key<&blog::Post::blog>()
                                                      .clustering_key<&blog::Post::id>(coodie::desc)
                                                      .index<&blog::Post::tags>();

template <>
inline constexpr auto coodie::model<blog::Comment> =
    coodie::table("comments")
        .partition_key<&blog::Comment::post_id>()
        .clustering_key<&blog::Comment::id>(coodie::desc);
