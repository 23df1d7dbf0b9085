// The blog demo's server, on the blocking front: the HTTP server runs on one io_context thread
// and every API call runs on a pool of four threads with a coodie::sync::session. Posts newest
// first with page tokens, posts by tag through the secondary index on the tags list, comments
// newest first with their count, create, edit and delete.
#include <algorithm>
#include <cctype>
#include <map>

#include "demo/app.hpp"
#include "model.hpp"

using blog::Comment;
using blog::Post;
using coodie::col;
using demo::request;
using demo::response;

namespace {

constexpr std::int64_t max_page = 50;
constexpr std::size_t max_tags = 8;
constexpr std::size_t max_tag = 24;

/// Tags are matched exactly by the index, so they are stored lower-case, each once.
std::string tag_text(std::string t) {
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return t;
}

std::vector<std::string> read_tags(const boost::json::object& in) {
  std::vector<std::string> tags;
  for (std::string& t : demo::text_list(in, "tags", max_tags, max_tag)) {
    t = tag_text(std::move(t));
    if (std::find(tags.begin(), tags.end(), t) == tags.end()) {
      tags.push_back(std::move(t));
    }
  }
  return tags;
}

/// The n-th path placeholder as a timeuuid (post and comment ids are version-1 UUIDs).
coodie::timeuuid id_arg(const request& q, std::size_t n, const char* what) {
  const std::optional<coodie::uuid> u = coodie::uuid::try_parse(q.arg(n));
  if (!u || u->version() != 1) {
    throw demo::bad_request(std::string("not a ") + what + " id: " + q.arg(n));
  }
  return coodie::timeuuid(*u);
}

std::int64_t comment_count(coodie::sync::session& db, const coodie::timeuuid& post) {
  return db.find<Comment>().where(col<&Comment::post_id> == post).count();
}

Post get_post(coodie::sync::session& db, const request& q) {
  return db.get<Post>(blog::main_blog, id_arg(q, 0, "post"));  // 404 when absent
}

// GET /api/posts?tag=T&size=N&page=TOKEN: newest first, each with its comment count.
response list_posts(coodie::sync::session& db, request& q) {
  const auto size = static_cast<std::int32_t>(q.int_param("size", 10, 1, max_page));
  auto query = db.find<Post>().where(col<&Post::blog> == blog::main_blog).fetch_size(size);
  if (std::optional<std::string> tag = q.param("tag")) {
    if (tag->size() > max_tag) {
      throw demo::bad_request("parameter tag must be at most 24 bytes");
    }
    // The partition key plus the index on the list: no ALLOW FILTERING, clustering order kept.
    query = query.where(col<&Post::tags>.contains(tag_text(*tag)));
  }
  const coodie::page_of<Post> page = query.page(q.param("page"));
  boost::json::array items;
  for (const Post& p : page.items) {
    items.push_back(blog::to_json(p, comment_count(db, p.id)));
  }
  return demo::json_reply({{"items", std::move(items)},
                           {"next", page.next ? boost::json::value(*page.next) : nullptr}});
}

/// Reads the tags column only.
struct PostTags {
  std::vector<std::string> tags;
};

// GET /api/tags: every tag with its number of posts, the most used first.
response list_tags(coodie::sync::session& db, request&) {
  std::map<std::string, std::int64_t> counts;
  auto rows = db.find<Post>()
                  .where(col<&Post::blog> == blog::main_blog)
                  .only<PostTags>()
                  .fetch_size(500)
                  .stream();
  for (const PostTags& r : rows) {
    for (const std::string& t : r.tags) {
      ++counts[t];
    }
  }
  std::vector<std::pair<std::string, std::int64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  boost::json::array out;
  for (const auto& [tag, n] : sorted) {
    out.push_back(boost::json::object{{"tag", tag}, {"posts", n}});
  }
  return demo::json_reply(out);
}

response get_one(coodie::sync::session& db, request& q) {
  const Post p = get_post(db, q);
  return demo::json_reply(blog::to_json(p, comment_count(db, p.id)));
}

response create_post(coodie::sync::session& db, request& q) {
  const boost::json::value body = q.json();
  const boost::json::object& in = demo::as_object(body);
  Post p;
  p.blog = blog::main_blog;
  p.id = coodie::timeuuid::now();  // the post's date, and its place at the top of the list
  p.title = demo::text(in, "title", {.max = 120});
  p.author = demo::text(in, "author", {.max = 40});
  p.body = demo::text(in, "body", {.max = 20000});
  p.tags = read_tags(in);
  db.save(p);
  return demo::json_reply(blog::to_json(p, 0), demo::http::status::created);
}

// PUT /api/posts/{id}: the title, body and tags; the author and date stay.
response edit_post(coodie::sync::session& db, request& q) {
  const boost::json::value body = q.json();
  const boost::json::object& in = demo::as_object(body);
  Post p = get_post(db, q);
  p.title = demo::text(in, "title", {.max = 120});
  p.body = demo::text(in, "body", {.max = 20000});
  p.tags = read_tags(in);
  p.updated = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  db.update(p, coodie::members<&Post::title, &Post::body, &Post::tags, &Post::updated>);
  return demo::json_reply(blog::to_json(p, comment_count(db, p.id)));
}

response delete_post(coodie::sync::session& db, request& q) {
  const Post p = get_post(db, q);
  // The comments first (one DELETE of their partition): a failure leaves the post to retry.
  db.find<Comment>().where(col<&Comment::post_id> == p.id).remove();
  db.remove(p);
  return demo::no_content();
}

// GET /api/posts/{id}/comments?size=N&page=TOKEN: newest first.
response list_comments(coodie::sync::session& db, request& q) {
  const Post p = get_post(db, q);
  const auto size = static_cast<std::int32_t>(q.int_param("size", 20, 1, max_page));
  const coodie::page_of<Comment> page = db.find<Comment>()
                                            .where(col<&Comment::post_id> == p.id)
                                            .fetch_size(size)
                                            .page(q.param("page"));
  boost::json::array items;
  for (const Comment& c : page.items) {
    items.push_back(blog::to_json(c));
  }
  return demo::json_reply({{"items", std::move(items)},
                           {"next", page.next ? boost::json::value(*page.next) : nullptr}});
}

response add_comment(coodie::sync::session& db, request& q) {
  const boost::json::value body = q.json();
  const boost::json::object& in = demo::as_object(body);
  const Post p = get_post(db, q);  // no comments on a post that is gone
  Comment c;
  c.post_id = p.id;
  c.id = coodie::timeuuid::now();
  c.author = demo::text(in, "author", {.max = 40});
  c.body = demo::text(in, "body", {.max = 2000});
  db.save(c);
  return demo::json_reply(blog::to_json(c), demo::http::status::created);
}

response delete_comment(coodie::sync::session& db, request& q) {
  const Comment c = db.get<Comment>(id_arg(q, 0, "post"), id_arg(q, 1, "comment"));
  db.remove(c);
  return demo::no_content();
}

void prepare(coodie::sync::session& db) {
  db.sync_table<Post>();
  db.sync_table<Comment>();
}

}  // namespace

int main(int argc, char** argv) {
  using demo::verb;
  const demo::settings cfg = demo::parse_settings(
      argc, argv, demo::server_info("blog", 8082, "coodie_demo_blog", BLOG_STATIC_DIR));
  // Every database call blocks: serve_sync runs the handlers on a pool of four threads.
  return demo::serve_sync(cfg, prepare,
                          {{verb::get, "/api/tags", list_tags},
                           {verb::get, "/api/posts", list_posts},
                           {verb::post, "/api/posts", create_post},
                           {verb::get, "/api/posts/{id}", get_one},
                           {verb::put, "/api/posts/{id}", edit_post},
                           {verb::delete_, "/api/posts/{id}", delete_post},
                           {verb::get, "/api/posts/{id}/comments", list_comments},
                           {verb::post, "/api/posts/{id}/comments", add_comment},
                           {verb::delete_, "/api/posts/{id}/comments/{comment}", delete_comment}});
}
