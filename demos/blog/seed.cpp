// Fills the blog with generated posts (one every day or two, going back from a fixed date) and
// 0 to 12 comments on each, from a fixed seed: the same blog every run.
#include <algorithm>
#include <array>
#include <iostream>
#include <numeric>
#include <random>
#include <span>

#include "demo/app.hpp"
#include "demo/seed.hpp"
#include "model.hpp"

using blog::Comment;
using blog::Post;
using namespace std::chrono_literals;

namespace {

struct subject {
  const char* text;
  std::array<const char*, 2> tags;  // "" for none
};
constexpr std::array subjects{
    subject{"partition keys", {"cassandra", "databases"}},
    subject{"secondary indexes", {"cassandra", "databases"}},
    subject{"C++20 coroutines", {"cpp", ""}},
    subject{"compile times", {"cpp", "tooling"}},
    subject{"sourdough", {"cooking", ""}},
    subject{"a ramen broth", {"cooking", ""}},
    subject{"the Dolomites on foot", {"travel", "photography"}},
    subject{"night trains", {"travel", ""}},
    subject{"flaky tests", {"testing", "tooling"}},
    subject{"dark colour palettes", {"design", ""}},
    subject{"tail latency", {"performance", "databases"}},
    subject{"code review", {"opinion", ""}},
    subject{"film cameras", {"photography", ""}},
    subject{"hand-wired keyboards", {"hardware", ""}},
    subject{"time zones", {"howto", ""}},
    subject{"page tokens", {"databases", "howto"}},
};
constexpr std::array extra_tags{"notes", "opinion", "howto", "weekend", "beginners", "deep-dive"};
constexpr std::array titles{"Notes on {}",          "What I learned from {}",
                            "A weekend with {}",    "Getting started with {}",
                            "The trouble with {}",  "Field notes: {}",
                            "Ten lessons about {}", "In defence of {}",
                            "A second look at {}"};
constexpr std::array sentences{
    "I have spent the last few weeks thinking about {}, and this post collects what stuck.",
    "The short version: with {}, patience beats cleverness.",
    "Most of what I got wrong at first came from reading about {} instead of trying it.",
    "A small experiment beats a long argument, so I set one up.",
    "The numbers surprised me: the simple approach was within a few percent of the clever one.",
    "If you only take one thing away, measure before you change anything.",
    "There is a lot of folklore around {}; some of it is even true.",
    "I kept a notebook the whole time, and most of this post comes straight from it.",
    "The first attempt failed in an instructive way.",
    "Friends who know more than me pointed out two mistakes, both fixed below.",
    "It took three tries to get right, and the third was the simplest.",
    "Next time I would start smaller and write things down earlier.",
    "None of this is new, but putting it in one place helped me.",
    "The hardest part was not technical at all: it was deciding what to leave out.",
    "Thanks to everyone who wrote in after the last post; your questions shaped this one."};
constexpr std::array authors{"Ada Moreau", "Bilal Khan",   "Chiara Rossi", "Dmitri Volkov",
                             "Emi Tanaka", "Felix Brandt", "Grace Okafor", "Hugo Lindqvist"};
constexpr std::array commenters{"sam",   "priya_k", "jonas", "mei",  "oluwaseun", "lucia",
                                "tom_b", "nadia",   "kenji", "rosa", "ivan",      "zoe"};
constexpr std::array remarks{
    "Great write-up, thanks!",
    "This matches my experience almost exactly.",
    "Could you share the numbers behind the second paragraph?",
    "I tried this last weekend and it worked on the first try.",
    "Interesting: I had the opposite result, but with a much smaller setup.",
    "Bookmarked. The part about starting smaller is gold.",
    "Do you have a follow-up planned?",
    "Small typo in the third paragraph, otherwise lovely.",
    "How long did the whole thing take you?",
    "Sharing this with my team tomorrow.",
    "I would add one thing: write the test first.",
    "More posts like this one, please!"};

// The newest seeded post; new posts (timeuuid::now()) come after every seeded one.
const auto newest = std::chrono::sys_days{std::chrono::year{2025} / 5 / 30} + 9h;

/// A timeuuid of time t with a clock sequence and node from rng (deterministic, unique).
coodie::timeuuid at(std::chrono::system_clock::time_point t, std::mt19937_64& rng) {
  std::array<std::byte, 16> b = coodie::timeuuid::min_for(t).bytes();
  const std::uint64_t r = rng();
  for (std::size_t i = 8; i < 16; ++i) {
    b[i] = static_cast<std::byte>(r >> (8 * (i - 8)));
  }
  b[8] = (b[8] & std::byte{0x3f}) | std::byte{0x80};  // the RFC 4122 variant
  return coodie::timeuuid::from_bytes(b);
}

struct generated {
  Post post;
  std::vector<Comment> comments;
};

generated make(std::size_t i) {
  std::mt19937_64 rng(0xB106 + i);
  auto pick = [&rng](const auto& list) { return list[rng() % list.size()]; };
  generated g;
  Post& p = g.post;
  const subject& s = pick(subjects);
  p.blog = blog::main_blog;
  const auto when = newest - std::chrono::hours(36 * i) - std::chrono::minutes(rng() % 600);
  p.id = at(when, rng);
  p.title = fmt::format(fmt::runtime(pick(titles)), s.text);
  p.author = pick(authors);
  std::array<std::size_t, sentences.size()> order{};  // each sentence once per post
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  std::size_t next = 0;
  for (std::size_t para = 2 + rng() % 2; para > 0; --para) {
    std::string text;
    for (std::size_t n = 3 + rng() % 2; n > 0; --n) {
      text +=
          (text.empty() ? "" : " ") + fmt::format(fmt::runtime(sentences[order[next++]]), s.text);
    }
    p.body += (p.body.empty() ? "" : "\n\n") + text;
  }
  for (const char* t : s.tags) {
    if (*t != '\0') {
      p.tags.emplace_back(t);
    }
  }
  if (rng() % 2 == 0) {
    const std::string t = pick(extra_tags);
    if (std::find(p.tags.begin(), p.tags.end(), t) == p.tags.end()) {
      p.tags.push_back(t);
    }
  }
  auto t = when;
  for (std::size_t n = rng() % 13; n > 0; --n) {
    t += std::chrono::minutes(5 + rng() % 240);
    g.comments.push_back({p.id, at(t, rng), pick(commenters), pick(remarks)});
  }
  return g;
}

}  // namespace

int main(int argc, char** argv) {
  return demo::seed_main(
      argc, argv, demo::seed_info("blog-seed", "coodie_demo_blog", 40),
      [](coodie::sync::session& db, const demo::settings& cfg) {
        db.sync_table<Post>();
        db.sync_table<Comment>();
        std::vector<Comment> comments;  // every post's, in order: small next to the posts
        for (std::size_t i = 0; i < cfg.count; ++i) {
          std::vector<Comment> c = make(i).comments;
          comments.insert(comments.end(), c.begin(), c.end());
        }
        demo::seed_rows<Post>(db, cfg.count, "posts", [](std::size_t i) { return make(i).post; });
        demo::seed_rows<Comment>(db, comments.size(), "comments",
                                 [&comments](std::size_t i) { return comments[i]; });
      });
}
