// Vector search with the blocking front (coodie::sync), on Cassandra 5: documents with an
// embedding (a std::array<float, 8>, stored as vector<float, 8>) and a storage-attached vector
// index that ranks them by cosine similarity; the three documents nearest a query vector with
// their similarity scores, the nearest within one topic (a restriction on an SAI-indexed column),
// and the rules coodie checks before sending.
#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "coodie/coodie.hpp"
#include "example_check.hpp"

namespace library {

// --8<-- [start:doc]
// Eight made-up features, by hand: databases, Cassandra, cooking, baking, travel, trains,
// music, guitar. A real application stores a model's embeddings (hundreds of dimensions).
using embedding = std::array<float, 8>;  // vector<float, 8>

struct Doc {
  std::int32_t id = 0;
  std::string topic;
  std::string title;
  embedding features{};
  // --8<-- [end:doc]
};

// --8<-- [start:hit]
// A projection: the title and the similarity of each row's vector to the query vector.
struct Hit {
  std::string title;
  coodie::similarity_cosine_of<&Doc::features> score;  // similarity_cosine(features, ?)
};
// --8<-- [end:hit]

}  // namespace library

// --8<-- [start:doc-model]
template <>
inline constexpr auto coodie::model<library::Doc> =
    coodie::table("docs")
        .keyspace("coodie_example_vector_search")
        .partition_key<&library::Doc::id>()
        .vector_index<&library::Doc::features>(coodie::similarity::cosine)  // docs_features_idx
        .sai_index<&library::Doc::topic>();  // ANN queries may restrict indexed columns
// --8<-- [end:doc-model]

namespace {

/// What the server's similarity_cosine computes: (1 + cosine) / 2, from 0 (opposite) to 1.
double cosine_score(const library::embedding& a, const library::embedding& b) {
  double dot = 0;
  double aa = 0;
  double bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    dot += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return (1 + dot / std::sqrt(aa * bb)) / 2;
}

}  // namespace

int main() try {
  using coodie::col;
  using library::Doc;
  using library::embedding;
  using library::Hit;

  coodie::sync::session s = coodie::sync::connect(coodie::session_options::from_env());
  s.create_keyspace({.name = "coodie_example_vector_search", .replication_factor = 1});
  s.drop_table<Doc>();  // start every run from an empty table
  // CREATE TABLE ... (..., features vector<float, 8>, ...), then the two indexes; sync_table
  // waits until they are built.
  s.sync_table<Doc>();

  const std::vector<Doc> docs{
      {1, "databases", "Cassandra data modeling", {0.9F, 0.8F, 0, 0, 0, 0, 0.1F, 0}},
      {2, "databases", "Tuning compaction", {0.8F, 0.6F, 0, 0, 0, 0.1F, 0, 0}},
      {3, "databases", "SQL joins explained", {0.9F, 0.1F, 0, 0, 0, 0, 0, 0.1F}},
      {4, "cooking", "Sourdough basics", {0, 0, 0.7F, 0.9F, 0, 0, 0, 0}},
      {5, "cooking", "Weeknight pasta", {0, 0, 0.9F, 0.2F, 0.1F, 0, 0, 0}},
      {6, "travel", "Night trains of Europe", {0, 0, 0, 0, 0.8F, 0.9F, 0, 0}},
      {7, "music", "Learning jazz guitar", {0, 0, 0, 0, 0, 0, 0.7F, 0.9F}},
  };
  for (const Doc& d : docs) {
    s.save(d);
  }

  // --- the nearest documents --------------------------------------------------------------------
  // --8<-- [start:nearest]
  // "How do I design a Cassandra table?": mostly databases and Cassandra.
  const embedding question{0.85F, 0.9F, 0, 0, 0, 0, 0, 0};
  std::vector<Hit> top = s.find<Doc>()
                             .order_by_ann(col<&Doc::features>, question)  // ORDER BY ... ANN OF ?
                             .limit(3)                                     // required: 1 to 1000
                             .only<Hit>()
                             .all();
  // --8<-- [end:nearest]
  for (const Hit& h : top) {
    std::cout << *h.score << "  " << h.title << '\n';
  }
  examples::check(top.size() == 3, "the three nearest");
  examples::check(top[0].title == "Cassandra data modeling",
                  "the nearest is the data modeling doc");
  examples::check(top[1].title == "Tuning compaction" && top[2].title == "SQL joins explained",
                  "then the other database docs, nearest first");
  examples::check(std::abs(*top[0].score - cosine_score(question, docs[0].features)) < 1e-5,
                  "the score is (1 + cosine) / 2");

  // --- within one topic -----------------------------------------------------------------------
  // --8<-- [start:topic]
  // Restrictions may name partition key columns and SAI-indexed columns (here topic).
  const embedding bread{0, 0, 0.3F, 1, 0, 0, 0, 0};
  std::optional<Doc> recipe = s.find<Doc>()
                                  .where(col<&Doc::topic> == "cooking")
                                  .order_by_ann(col<&Doc::features>, bread)
                                  .first();  // LIMIT 1
  // --8<-- [end:topic]
  examples::check(recipe && recipe->title == "Sourdough basics", "the nearest cooking doc");
  std::cout << "nearest cooking doc: " << recipe->title << '\n';

  // --- what coodie refuses before sending -----------------------------------------------------
  // --8<-- [start:refused]
  auto ann = s.find<Doc>().order_by_ann(col<&Doc::features>, question);
  examples::check(examples::throws<coodie::usage_error>([&] { (void)ann.all(); }),
                  "an ANN query needs a limit");
  examples::check(examples::throws<coodie::usage_error>([&] { (void)ann.limit(1001).all(); }),
                  "the limit is at most 1000");
  examples::check(examples::throws<coodie::usage_error>(
                      [&] { (void)ann.where(col<&Doc::title> == "x").limit(3).all(); }),
                  "title is neither a partition key column nor indexed");
  // A std::array of another size does not compile; a vector known at run time is checked.
  const std::vector<float> four(4, 0.5F);
  examples::check(examples::throws<coodie::codec_error>(
                      [&] { (void)s.find<Doc>().order_by_ann(col<&Doc::features>, four); }),
                  "a query vector of 4 floats for a vector<float, 8>");
  // --8<-- [end:refused]

  std::cout << "vector_search: ok\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "vector_search failed: " << e.what() << '\n';
  return 1;
}
