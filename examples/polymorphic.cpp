// Polymorphic single-table models with the blocking front (coodie::sync): articles, videos and
// podcasts stored in one content table whose kind column says which each row is. sync_table
// creates the union of their columns; saving a subtype writes its kind; a scan of the base
// returns a std::variant per row, visited here; a query on one subtype reads its rows only (an
// index on kind serves it); a row whose kind no subtype declares reads as the base, and saving
// the base leaves the columns it does not know.
#include <concepts>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "coodie/coodie.hpp"
#include "example_check.hpp"

namespace media {

// --8<-- [start:content]
// The base: the columns every kind of content has. kind is the discriminator.
struct Content {
  std::string id;
  std::string kind;  // "article", "video", "podcast", or a kind a newer program wrote
  std::string title;
};
// --8<-- [end:content]

// --8<-- [start:subtypes]
// Each subtype is a struct of its own with the base's members (same names, same types) and its
// own; a member of the same name in two subtypes is one column (seconds).
struct Article {
  std::string id;
  std::string kind;
  std::string title;
  std::string body;
};
struct Video {
  std::string id;
  std::string kind;
  std::string title;
  std::int32_t seconds = 0;
  std::string url;
};
struct Podcast {
  std::string id;
  std::string kind;
  std::string title;
  std::int32_t seconds = 0;
  std::int32_t episode = 0;
};
// --8<-- [end:subtypes]

}  // namespace media

// --8<-- [start:declarations]
template <>
inline constexpr auto coodie::model<media::Content> =
    coodie::table("content")
        .keyspace("coodie_example_polymorphic")
        .partition_key<&media::Content::id>()
        .discriminator<&media::Content::kind, media::Article, media::Video, media::Podcast>()
        .sai_index<&media::Content::kind>();  // serves the subtypes' queries (WHERE kind = ?)
template <>
inline constexpr auto coodie::model<media::Article> = coodie::subtype<media::Content>("article");
template <>
inline constexpr auto coodie::model<media::Video> = coodie::subtype<media::Content>("video");
template <>
inline constexpr auto coodie::model<media::Podcast> = coodie::subtype<media::Content>("podcast");
// --8<-- [end:declarations]

namespace {

// --8<-- [start:overloaded]
/// One call operator per alternative, for std::visit.
template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;  // C++20 deduces it; Clang 14 needs it spelled out
// --8<-- [end:overloaded]

/// A row of the table read by hand: a column no model of this program reads.
struct Leftover {
  std::string id;
  std::optional<std::string> body;
};

}  // namespace

int main() try {
  using coodie::col;
  using media::Article;
  using media::Content;
  using media::Podcast;
  using media::Video;

  coodie::sync::session s = coodie::sync::connect(coodie::session_options::from_env());
  s.drop_keyspace("coodie_example_polymorphic");  // start every run from an empty keyspace
  s.create_keyspace({.name = "coodie_example_polymorphic", .replication_factor = 1});

  // --- one table, the union of the columns ----------------------------------------------------
  // --8<-- [start:dry-run]
  coodie::sync_result plan = s.sync_table<Content>({.dry_run = true});
  // --8<-- [end:dry-run]
  std::cout << "sync_table<Content> would run:\n";
  examples::print_statements(plan);
  examples::check(plan.statements.size() == 2 &&
                      plan.statements[0] ==
                          "CREATE TABLE IF NOT EXISTS coodie_example_polymorphic.content (id text, "
                          "kind text, title text, body text, seconds int, url text, episode int, "
                          "PRIMARY KEY (id))",
                  "the base's columns, then each subtype's others, once each (the plan has " +
                      std::to_string(plan.statements.size()) + " statements)");
  s.sync_table<Content>();

  // --- saving a subtype writes its kind -------------------------------------------------------
  // --8<-- [start:save]
  s.save(Article{.id = "a-1", .kind = "", .title = "Modeling by query", .body = "Start from..."});
  s.save(Video{.id = "v-1",
               .kind = "",
               .title = "Tables in 5 minutes",
               .seconds = 300,
               .url = "https://example.com/v-1"});
  s.save(Podcast{
      .id = "p-1", .kind = "podcast", .title = "Compaction talk", .seconds = 2700, .episode = 12});
  // --8<-- [end:save]
  // --8<-- [start:refused]
  // A subtype whose kind member holds another subtype's value is refused, not stored.
  examples::check(examples::throws<coodie::codec_error>([&] {
                    s.save(Article{.id = "a-2", .kind = "video", .title = "?", .body = ""});
                  }),
                  "an Article is stored as \"article\"");
  // The base holding a subtype's value would read back as that subtype, without its columns.
  examples::check(examples::throws<coodie::codec_error>(
                      [&] { s.save(Content{.id = "c-1", .kind = "video", .title = "?"}); }),
                  "a Content holding \"video\" is refused");
  // --8<-- [end:refused]

  // --- reading the base: one std::variant per row ---------------------------------------------
  // --8<-- [start:read-base]
  std::vector<std::variant<Article, Video, Podcast, Content>> all = s.find<Content>().all();
  int articles = 0;
  int videos = 0;
  int podcasts = 0;
  std::int32_t seconds = 0;
  for (const auto& c : all) {
    std::visit(overloaded{
                   [&](const Article& a) {
                     std::cout << "article " << a.id << ": " << a.title << '\n';
                     articles += a.kind == "article" && a.body == "Start from..." ? 1 : 0;
                   },
                   [&](const Video& v) {
                     std::cout << "video   " << v.id << ": " << v.title << " (" << v.seconds
                               << " s)\n";
                     videos += v.kind == "video" && v.url == "https://example.com/v-1" ? 1 : 0;
                     seconds += v.seconds;
                   },
                   [&](const Podcast& p) {
                     std::cout << "podcast " << p.id << ": " << p.title << ", episode " << p.episode
                               << '\n';
                     podcasts += p.episode == 12 ? 1 : 0;
                     seconds += p.seconds;
                   },
                   [&](const Content& other) {
                     std::cout << "content " << other.id << " of kind " << other.kind << '\n';
                   },
               },
               c);
  }
  examples::check(all.size() == 3 && articles == 1 && videos == 1 && podcasts == 1,
                  "each row read back as its subtype, with its own columns");
  examples::check(seconds == 3000, "videos and podcasts share the seconds column");
  // --8<-- [end:read-base]
  // --8<-- [start:by-key]
  // By key, the base returns whichever subtype the row holds.
  std::variant<Article, Video, Podcast, Content> one = s.get<Content>("v-1");
  examples::check(std::holds_alternative<Video>(one), "v-1 is a video");
  // --8<-- [end:by-key]

  // --- a query on a subtype reads its rows only -----------------------------------------------
  // --8<-- [start:subtype-query]
  auto video_query = s.find<Video>();
  std::cout << video_query.cql() << '\n';
  examples::check(video_query.cql() ==
                      "SELECT id, kind, title, seconds, url FROM "
                      "coodie_example_polymorphic.content WHERE kind = ?",
                  "a subtype's query selects its columns and restricts kind");
  // --8<-- [end:subtype-query]
  std::vector<Video> only_videos = video_query.all();
  examples::check(only_videos.size() == 1 && only_videos[0].seconds == 300, "one video");
  examples::check(s.find<Podcast>().all().size() == 1, "one podcast");
  // --8<-- [start:not-article]
  // By key, a subtype does not return another subtype's row.
  examples::check(!s.find_one<Article>("v-1"), "v-1 is not an article");
  // --8<-- [end:not-article]
  // --8<-- [start:long-ones]
  // Other restrictions follow the usual rules: episode has no index, so the server would filter.
  auto long_ones = s.find<Podcast>().where(col<&Podcast::episode> > 10);
  examples::check(examples::throws<coodie::usage_error>([&] { (void)long_ones.all(); }),
                  "a restriction on a column without an index needs allow_filtering()");
  examples::check(long_ones.allow_filtering().all().size() == 1, "episode 12, filtered");
  // --8<-- [end:long-ones]

  // --- a kind this program does not know ------------------------------------------------------
  // --8<-- [start:unknown]
  // A row a newer program wrote, with a body column this program's Content cannot hold.
  s.driver().execute(coodie::statement(
      "INSERT INTO coodie_example_polymorphic.content (id, kind, title, body) VALUES (?, ?, ?, ?)",
      std::string("n-1"), std::string("newsletter"), std::string("Weekly digest"),
      std::string("kept")));
  std::variant<Article, Video, Podcast, Content> unknown = s.get<Content>("n-1");
  examples::check(std::holds_alternative<Content>(unknown), "an unknown kind reads as the base");
  // --8<-- [end:unknown]
  Content digest = std::get<Content>(unknown);
  examples::check(digest.kind == "newsletter" && digest.title == "Weekly digest",
                  "with the base's columns");
  // --8<-- [start:save-base]
  // Saving the base writes the base's columns only: the row keeps its kind and its body.
  digest.title = "Weekly digest, edited";
  s.save(digest);
  std::vector<Leftover> rows = s.query<Leftover>(
      "SELECT id, body FROM coodie_example_polymorphic.content WHERE id = ?", std::string("n-1"));
  examples::check(rows.size() == 1 && rows[0].body == "kept", "the body is still there");
  // --8<-- [end:save-base]
  std::cout << "newsletter n-1 read as Content, saved, body kept\n";

  std::cout << "polymorphic: ok\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "polymorphic failed: " << e.what() << '\n';
  return 1;
}
