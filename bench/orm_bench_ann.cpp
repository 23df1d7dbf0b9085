// The vector search rows of orm_bench: the ten nearest of 2,000 documents with a 64-dimensional
// embedding (an SAI vector index, cosine), through the ODM (find().order_by_ann().limit(10),
// whole documents and an id + similarity_cosine projection) and through the raw driver preparing
// the same text, binding the query vector and the limit, and decoding the rows by hand; one at a
// time and with a few queries in flight (the server's ANN search is the heavy part: many more in
// flight only queue on its two cores).
#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "coodie/orm/session.hpp"
#include "orm_bench_ops.hpp"
#include "orm_measure.hpp"

namespace orm_bench_ann {
using embedding = std::array<float, 64>;
struct Doc {
  std::int32_t id = 0;
  embedding vec{};
};
struct Hit {
  std::int32_t id = 0;
  coodie::similarity_cosine_of<&Doc::vec> score;
};
}  // namespace orm_bench_ann

template <>
inline constexpr auto coodie::model<orm_bench_ann::Doc> =
    coodie::table("bench_ann_doc")
        .partition_key<&orm_bench_ann::Doc::id>()
        .vector_index<&orm_bench_ann::Doc::vec>(coodie::similarity::cosine);

namespace coodie::bench {

namespace {

using orm_bench_ann::Doc;
using orm_bench_ann::embedding;
using orm_bench_ann::Hit;

constexpr int documents = 2000;
constexpr int queries = 64;
constexpr int max_inflight = 8;
constexpr const char* insert_text =
    "INSERT INTO coodie_bench.bench_ann_doc (id, vec) VALUES (?, ?)";
constexpr const char* top_text =
    "SELECT id, vec FROM coodie_bench.bench_ann_doc ORDER BY vec ANN OF ? LIMIT ?";
constexpr const char* score_text =
    "SELECT id, similarity_cosine(vec, ?) FROM coodie_bench.bench_ann_doc ORDER BY vec ANN OF ? "
    "LIMIT ?";

/// Gaussian vectors, fixed seed: the documents and the query vectors cycled through.
std::vector<embedding> random_vectors(int n, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> normal;
  std::vector<embedding> out(static_cast<std::size_t>(n));
  for (embedding& v : out) {
    std::generate(v.begin(), v.end(), [&] { return normal(gen); });
  }
  return out;
}

struct ann_data {
  std::vector<embedding> query = random_vectors(queries, 7);
  [[nodiscard]] const embedding& at(long n) const {
    return query[static_cast<std::size_t>(n) % queries];
  }
};

template <class Session>
auto odm_top(Session& s, const embedding& q) {
  return s.template find<Doc>().order_by_ann(coodie::col<&Doc::vec>, q).limit(10);
}
template <class Session>
auto odm_scores(Session& s, const embedding& q) {
  return s.template find<Doc>()
      .order_by_ann(coodie::col<&Doc::vec>, q)
      .limit(10)
      .template only<Hit>();
}

std::vector<Doc> top_by_hand(const coodie::result& r) {
  std::vector<Doc> docs;
  docs.reserve(r.size());
  for (const coodie::row& row : r) {
    docs.push_back(Doc{row.get<std::int32_t>(0), row.get<embedding>(1)});
  }
  return docs;
}
std::vector<Hit> scores_by_hand(const coodie::result& r) {
  std::vector<Hit> hits;
  hits.reserve(r.size());
  for (const coodie::row& row : r) {
    Hit h;
    h.id = row.get<std::int32_t>(0);
    h.score.value = row.get<float>(1);
    hits.push_back(h);
  }
  return hits;
}
template <class Rows>
void expect_ten(const Rows& rows) {
  if (rows.size() != 10) {
    throw std::runtime_error("orm_bench: an ANN query returned " + std::to_string(rows.size()) +
                             " rows, not 10");
  }
}

struct odm_top_async {
  coodie::aio::session* s;
  const ann_data* d;
  boost::asio::awaitable<void> operator()(long n) const {
    coodie::aio::query<Doc> q = odm_top(*s, d->at(n));
    std::vector<Doc> rows = co_await q.all();
    expect_ten(rows);
  }
};
struct raw_top_async {
  coodie::driver_session* db;
  const coodie::prepared_statement* st;
  const ann_data* d;
  boost::asio::awaitable<void> operator()(long n) const {
    coodie::bound_statement b = st->bind(d->at(n), std::int32_t{10});
    coodie::result r = co_await db->async_execute(b);
    expect_ten(top_by_hand(r));
  }
};

/// Fails unless the ODM sends the texts the raw path prepares and both read the same rows.
void check_same(coodie::sync::session& s, const coodie::prepared_statement& top,
                const coodie::prepared_statement& scores, const ann_data& d) {
  const std::string odm_texts[] = {odm_top(s, d.at(0)).cql(), odm_scores(s, d.at(0)).cql()};
  const char* raw_texts[] = {top_text, score_text};
  for (std::size_t i = 0; i < 2; ++i) {
    if (odm_texts[i] != raw_texts[i]) {
      throw std::runtime_error("orm_bench: the ODM sends \"" + odm_texts[i] +
                               "\" but the raw path prepares \"" + raw_texts[i] + "\"");
    }
  }
  const std::vector<Doc> a = odm_top(s, d.at(1)).all();
  const std::vector<Doc> b = top_by_hand(s.driver().execute(top.bind(d.at(1), std::int32_t{10})));
  const std::vector<Hit> c = odm_scores(s, d.at(1)).all();
  const std::vector<Hit> e =
      scores_by_hand(s.driver().execute(scores.bind(d.at(1), d.at(1), std::int32_t{10})));
  expect_ten(a);
  expect_ten(c);
  for (std::size_t i = 0; i < 10; ++i) {
    if (a[i].id != b[i].id || a[i].vec != b[i].vec || c[i].id != e[i].id ||
        *c[i].score != *e[i].score) {
      throw std::runtime_error("orm_bench: the ODM and the raw path read different ANN rows");
    }
  }
}

}  // namespace

void ann_rows(coodie::sync::session& s, coodie::aio::session& as, const settings& cfg) {
  if (!cfg.wants("ANN")) {
    return;
  }
  s.sync_table<Doc>();  // waits until the vector index is built
  coodie::driver_session& db = s.driver();
  if (s.find<Doc>().count() != documents) {
    // One at a time: Cassandra 5.0's vector index refuses many concurrent writes on few cores.
    const coodie::prepared_statement insert = db.prepare(insert_text);
    const std::vector<embedding> docs = random_vectors(documents, 1);
    for (int i = 0; i < documents; ++i) {
      db.execute(insert.bind(std::int32_t{i}, docs[static_cast<std::size_t>(i)]));
    }
  }
  const ann_data d;
  const coodie::prepared_statement top = db.prepare(top_text);
  const coodie::prepared_statement scores = db.prepare(score_text);
  check_same(s, top, scores, d);
  coodie::driver_session* adb = &as.driver();
  const coodie::prepared_statement atop = adb->prepare(top_text);
  const boost::asio::any_io_executor ex = adb->get_executor();
  const int k = std::min(cfg.inflight, max_inflight);

  compare(
      "ANN top 10 of 2,000 (64-d)", 1, cfg,
      [&](double sec) {
        return measure_sync(sec, [&](long n) { expect_ten(odm_top(s, d.at(n)).all()); });
      },
      [&](double sec) {
        return measure_sync(sec, [&](long n) {
          expect_ten(top_by_hand(db.execute(top.bind(d.at(n), std::int32_t{10}))));
        });
      });
  compare(
      "ANN top 10, id + similarity", 1, cfg,
      [&](double sec) {
        return measure_sync(sec, [&](long n) { expect_ten(odm_scores(s, d.at(n)).all()); });
      },
      [&](double sec) {
        return measure_sync(sec, [&](long n) {
          expect_ten(scores_by_hand(db.execute(scores.bind(d.at(n), d.at(n), std::int32_t{10}))));
        });
      });
  compare(
      "ANN top 10 of 2,000 (64-d)", k, cfg,
      [&](double sec) {
        return measure_concurrent(ex, k, sec, odm_top_async{&as, &d});
      },
      [&](double sec) {
        return measure_concurrent(ex, k, sec, raw_top_async{adb, &atop, &d});
      });
}

}  // namespace coodie::bench
