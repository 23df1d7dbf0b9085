// Vector search through both ODM fronts: over 2,000 random 64-dimensional vectors, the server's
// ANN top 10 for 20 query vectors matches the brute-force cosine top 10 computed here (recall
// reported, at least 0.95), and the similarity projection equals the C++ cosine within 1e-5.
// The server's rules are checked before sending: a limit from 1 to 1000, restrictions on
// partition key or indexed columns, a runtime vector of the column's dimension.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coodie/orm/session.hpp"
#include "orm_fronts.hpp"
#include "support.hpp"

namespace orm_vector_test {
using embedding = std::array<float, 64>;
struct Doc {
  std::int32_t id = 0;
  std::string topic;
  std::string title;
  embedding vec{};
};
struct Hit {
  std::int32_t id = 0;
  coodie::similarity_cosine_of<&Doc::vec> score;
};
}  // namespace orm_vector_test

template <>
inline constexpr auto coodie::model<orm_vector_test::Doc> =
    coodie::table("vector_docs")
        .partition_key<&orm_vector_test::Doc::id>()
        .vector_index<&orm_vector_test::Doc::vec>(coodie::similarity::cosine)
        .sai_index<&orm_vector_test::Doc::topic>();

namespace {

using coodie::col;
using orm_vector_test::Doc;
using orm_vector_test::embedding;
using orm_vector_test::Hit;
namespace test = coodie::test;

constexpr int doc_count = 2000;
constexpr int query_count = 20;
constexpr std::size_t k = 10;

embedding random_vector(std::mt19937& rng, float sigma = 1.0F) {
  std::normal_distribution<float> d(0.0F, sigma);
  embedding v{};
  for (float& x : v) {
    x = d(rng);
  }
  return v;
}

/// Random vectors as embeddings are: around topics (40 random centres), each point its centre
/// plus noise. Uniform noise in 64 dimensions has no near neighbours for an index to find.
struct topics {
  std::vector<embedding> centres;
  explicit topics(std::mt19937& rng) {
    for (int i = 0; i < 40; ++i) {
      centres.push_back(random_vector(rng));
    }
  }
  embedding near(std::mt19937& rng) const {
    embedding v = centres[rng() % centres.size()];
    const embedding noise = random_vector(rng, 0.35F);
    for (std::size_t i = 0; i < v.size(); ++i) {
      v[i] += noise[i];
    }
    return v;
  }
};

double cosine(const embedding& a, const embedding& b) {
  double dot = 0;
  double na = 0;
  double nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    dot += double(a[i]) * b[i];
    na += double(a[i]) * a[i];
    nb += double(b[i]) * b[i];
  }
  return dot / std::sqrt(na * nb);
}

/// The server's similarity_cosine: (1 + cosine) / 2.
double score_of(const embedding& a, const embedding& b) {
  return (1 + cosine(a, b)) / 2;
}

COODIE_KEYSPACE_SUITE(OrmVectorBase, "orm_vector");

template <class F>
class OrmVector : public test::orm_suite<OrmVectorBase, F> {
 protected:
  void SetUp() override {
    auto s = this->front();
    F::await([&] { return s.template sync_table<Doc>(); });
    std::mt19937 rng(42);
    const topics t(rng);
    docs_.clear();
    for (int i = 0; i < doc_count; ++i) {
      docs_.push_back(Doc{.id = i,
                          .topic = i % 2 == 0 ? "even" : "odd",
                          .title = "doc " + std::to_string(i),
                          .vec = t.near(rng)});
    }
    // Cassandra 5.0's vector index refuses writes applied on more threads at once than its
    // graph builder pools (the node's processors): one request in flight.
    coodie::bulk_save_options one_at_a_time;
    one_at_a_time.concurrency = 1;
    F::await([&] { return s.save_many(docs_, one_at_a_time); });
  }
  std::vector<Doc> docs_;
};
TYPED_TEST_SUITE(OrmVector, test::orm_fronts, test::front_names);

TYPED_TEST(OrmVector, AnnTopTenMatchesBruteForceCosineWithItsScores) {
  using F = TypeParam;
  auto s = this->front();
  std::mt19937 rng(42);
  const topics t(rng);  // the same centres as the documents'
  std::size_t found = 0;
  double worst_score_error = 0;
  for (int q = 0; q < query_count; ++q) {
    const embedding v = t.near(rng);
    std::vector<std::pair<double, std::int32_t>> exact;
    for (const Doc& d : this->docs_) {
      exact.emplace_back(cosine(v, d.vec), d.id);
    }
    std::sort(exact.begin(), exact.end(), std::greater<>());
    const double tenth = exact[k - 1].first;

    std::vector<Hit> hits = F::await([&] {
      return s.template find<Doc>()
          .order_by_ann(col<&Doc::vec>, v)
          .limit(k)
          .template only<Hit>()
          .all();
    });
    ASSERT_EQ(hits.size(), k);
    for (const Hit& h : hits) {
      const embedding& stored = this->docs_[static_cast<std::size_t>(h.id)].vec;
      worst_score_error = std::max(worst_score_error, std::abs(*h.score - score_of(v, stored)));
      // A tie with the tenth exact neighbour counts as found.
      if (cosine(v, stored) >= tenth - 1e-6) {
        ++found;
      }
    }
    for (std::size_t i = 1; i < hits.size(); ++i) {
      EXPECT_GE(*hits[i - 1].score, *hits[i].score) << "nearest first";
    }
  }
  const double recall = double(found) / (query_count * k);
  std::cout << "[ recall   ] " << F::name << ": " << recall << " over " << query_count
            << " queries of the top " << k << ", worst score error " << worst_score_error << "\n";
  EXPECT_GE(recall, 0.95);
  EXPECT_LE(worst_score_error, 1e-5);
}

TYPED_TEST(OrmVector, RestrictionsOnIndexedOrKeyColumnsNarrowTheNeighbours) {
  using F = TypeParam;
  auto s = this->front();
  const embedding v = this->docs_[10].vec;
  std::vector<Doc> odd = F::await([&] {
    return s.template find<Doc>()
        .where(col<&Doc::topic> == "odd")
        .order_by_ann(col<&Doc::vec>, v)
        .limit(5)
        .all();
  });
  ASSERT_EQ(odd.size(), 5u);
  for (const Doc& d : odd) {
    EXPECT_EQ(d.id % 2, 1);
  }
  std::vector<Doc> one = F::await([&] {
    return s.template find<Doc>()
        .where(col<&Doc::id> == 10)
        .order_by_ann(col<&Doc::vec>, v)
        .limit(3)
        .all();
  });
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].vec, v) << "the vector reads back whole";
}

TYPED_TEST(OrmVector, TheServersRulesAreCheckedBeforeSending) {
  using F = TypeParam;
  auto s = this->front();
  const embedding v = this->docs_[0].vec;
  auto q = s.template find<Doc>().order_by_ann(col<&Doc::vec>, v);
  EXPECT_THROW(F::await([&] { return q.all(); }), coodie::usage_error) << "no limit";
  EXPECT_THROW(F::await([&] { return q.limit(1001).all(); }), coodie::usage_error);
  EXPECT_THROW(F::await([&] { return q.where(col<&Doc::title> == "doc 1").limit(3).all(); }),
               coodie::usage_error)
      << "title has no index";
  EXPECT_THROW(F::await([&] { return s.template find<Doc>().limit(3).template only<Hit>().all(); }),
               coodie::usage_error)
      << "a similarity needs the ANN vector";

  // A vector known at run time: its size is checked against the column's dimension.
  const std::vector<float> short_one(32, 0.5F);
  EXPECT_THROW((void)s.template find<Doc>().order_by_ann(col<&Doc::vec>, short_one),
               coodie::codec_error);
  const std::vector<float> right(v.begin(), v.end());
  std::vector<Doc> same = F::await([&] {
    return s.template find<Doc>()
        .order_by_ann(col<&Doc::vec>, std::span<const float>(right))
        .limit(1)
        .all();
  });
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].id, 0);
}

}  // namespace
