// SearchIndex: BM25 and cosine against brute-force references written from the formulas, the idf
// floor, ties, threads, the news-seeds corpus and every rejected argument.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <lexsim/lexsim.hpp>

#include "helpers.hpp"
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using Mat = lexsim::SparseMatrix<double>;
using Dense = lexsim_test::Dense;
using Hits = std::vector<lexsim::Hit<double>>;

namespace {

using lexsim_test::from_dense;

// The Robertson variant unless told otherwise (its idf floor is what most cases below check).
lexsim::SearchOptions bm25(double k1 = 1.2, double b = 0.75, lexsim::Bm25Method method = lexsim::Bm25Method::robertson,
                           double delta = 0.5) {
  lexsim::SearchOptions o;
  o.scoring = lexsim::Scoring::bm25;
  o.method = method;
  o.delta = delta;
  o.k1 = k1;
  o.b = b;
  return o;
}

// Keeps the non-zero scores, best first (ties: lower document), at most k.
Hits rank(const std::vector<double>& scores, long k) {
  Hits h;
  for (std::size_t d = 0; d < scores.size(); ++d)
    if (scores[d] != 0.0) h.push_back({static_cast<std::int64_t>(d), scores[d]});
  std::sort(h.begin(), h.end(),
            [](const auto& x, const auto& y) { return x.score > y.score || (x.score == y.score && x.doc < y.doc); });
  if (static_cast<long>(h.size()) > k) h.resize(static_cast<std::size_t>(k));
  return h;
}

// BM25 straight from the table in search.hpp: the score of one query row against every document
// (documents without any query term score 0, as the index leaves them out).
std::vector<double> brute_bm25(const Dense& counts, const std::vector<double>& query, double k1, double b,
                               lexsim::Bm25Method method = lexsim::Bm25Method::robertson, double delta = 0.5) {
  using M = lexsim::Bm25Method;
  const double N = static_cast<double>(counts.size());
  const std::size_t terms = query.size();
  std::vector<double> len(counts.size(), 0.0), df(terms, 0.0);
  double total = 0;
  for (std::size_t d = 0; d < counts.size(); ++d) {
    for (std::size_t t = 0; t < terms; ++t) {
      len[d] += counts[d][t];
      if (counts[d][t] > 0) df[t] += 1;
    }
    total += len[d];
  }
  const double avgdl = total / N;
  auto idf = [&](double n) {
    switch (method) {
      case M::robertson: return std::max(0.0, std::log((N - n + 0.5) / (n + 0.5)));
      case M::lucene: return std::log(1.0 + (N - n + 0.5) / (n + 0.5));
      case M::atire: return std::log(N / n);
      case M::bm25l: return std::log((N + 1.0) / (n + 0.5));
      case M::bm25plus: return std::log((N + 1.0) / n);
    }
    return 0.0;
  };
  auto tfc = [&](double tf, double L) {
    switch (method) {
      case M::robertson:
      case M::lucene: return tf / (k1 * L + tf);
      case M::atire: return tf * (k1 + 1.0) / (tf + k1 * L);
      case M::bm25l: return (k1 + 1.0) * (tf / L + delta) / (k1 + tf / L + delta);
      case M::bm25plus: return (k1 + 1.0) * tf / (k1 * L + tf) + delta;
    }
    return 0.0;
  };
  std::vector<double> scores(counts.size(), 0.0);
  for (std::size_t d = 0; d < counts.size(); ++d) {
    bool any = false;
    double sum = 0;
    for (std::size_t t = 0; t < terms; ++t) {
      if (query[t] == 0 || df[t] == 0) continue;
      const double tf = counts[d][t];
      any = any || tf > 0;
      const bool baseline = method == M::bm25l || method == M::bm25plus;
      if (tf > 0)
        sum += idf(df[t]) * tfc(tf, 1.0 - b + b * len[d] / avgdl);
      else if (baseline)  // the score of an absent term: tfc(0)
        sum += idf(df[t]) * (method == M::bm25plus ? delta : (k1 + 1.0) * delta / (k1 + delta));
    }
    if (any) scores[d] = sum;
  }
  return scores;
}

// Cosine of unit rows, dense: one query row against every document.
std::vector<double> brute_cosine(const Dense& docs, const std::vector<double>& query) {
  auto norm = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
  };
  const double qn = norm(query);
  std::vector<double> scores(docs.size(), 0.0);
  for (std::size_t d = 0; d < docs.size(); ++d) {
    const double dn = norm(docs[d]);
    if (qn == 0 || dn == 0) continue;
    for (std::size_t t = 0; t < query.size(); ++t) scores[d] += (query[t] / qn) * (docs[d][t] / dn);
  }
  return scores;
}

bool close(double x, double y) { return std::abs(x - y) <= 1e-12 * std::max(1.0, std::abs(y)); }

// The hits are the reference's k best: position by position the same score (to 1e-12), each hit's
// reference score is that score, no document twice, and equal scores in document order. Scores
// that differ only by rounding may come in either order; exact ties (identical documents) may not.
void check_hits(const Hits& got, const std::vector<double>& reference, long k) {
  const Hits want = rank(reference, k);
  REQUIRE(got.size() == want.size());
  std::vector<bool> seen(reference.size(), false);
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("rank " << i << ": got document " << got[i].doc << " (" << got[i].score << "), want " << want[i].doc << " ("
                 << want[i].score << ")");
    REQUIRE(got[i].doc >= 0);
    REQUIRE(got[i].doc < static_cast<std::int64_t>(reference.size()));
    CHECK(close(got[i].score, want[i].score));
    CHECK(close(reference[static_cast<std::size_t>(got[i].doc)], want[i].score));
    CHECK_FALSE(seen[static_cast<std::size_t>(got[i].doc)]);
    seen[static_cast<std::size_t>(got[i].doc)] = true;
    if (i > 0 && got[i].score == got[i - 1].score) CHECK(got[i - 1].doc < got[i].doc);
  }
}

// Exactly these hits (hand-computed scores, to 1e-12).
void check_hits(const Hits& got, const Hits& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("rank " << i);
    CHECK(got[i].doc == want[i].doc);
    CHECK(close(got[i].score, want[i].score));
  }
}

// Small non-negative integers; about 1 row in 6 repeats an earlier one, some rows are empty.
Dense random_counts(std::mt19937& rng, int rows, int cols, double density) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<int> val(1, 4);
  Dense d(static_cast<std::size_t>(rows), std::vector<double>(static_cast<std::size_t>(cols), 0.0));
  for (std::size_t r = 0; r < d.size(); ++r) {
    const double roll = u(rng);
    if (roll < 0.04) continue;
    if (roll < 0.2 && r > 0) {
      d[r] = d[std::uniform_int_distribution<std::size_t>(0, r - 1)(rng)];
      continue;
    }
    for (auto& v : d[r])
      if (u(rng) < density) v = val(rng);
  }
  return d;
}

using lexsim_test::read_news_seeds;

std::vector<long> docs_of(const Hits& hits) {
  std::vector<long> out;
  for (const auto& h : hits) out.push_back(static_cast<long>(h.doc));
  return out;
}

}  // namespace

TEST_CASE("BM25 weights by hand") {
  // 4 documents, 3 terms. Lengths 3, 1, 2, 2 (avgdl 2); term 0 in 3 documents, term 1 in 1, term 2 in 2.
  const Dense counts{{2, 1, 0}, {1, 0, 0}, {0, 0, 2}, {1, 0, 1}};
  const lexsim::SearchIndex index(from_dense(counts, 3), bm25());
  CHECK(index.n_documents() == 4);
  CHECK(index.n_terms() == 3);
  CHECK(index.average_length() == 2.0);
  // idf: term 0 ln(1.5/3.5) < 0 -> 0; term 1 ln(3.5/1.5); term 2 ln(2.5/2.5) = 0.
  REQUIRE(index.idf().size() == 3);
  CHECK(index.idf()[0] == 0.0);
  CHECK(index.idf()[1] == Approx(std::log(3.5 / 1.5)));
  CHECK(index.idf()[2] == 0.0);
  // Only (0, 1) keeps a non-zero weight: idf * 1 / (1 + 1.2 * (0.25 + 0.75 * 3 / 2)).
  const double w = std::log(3.5 / 1.5) / (1.0 + 1.2 * (0.25 + 0.75 * 1.5));
  CHECK(index.matrix().nnz() == 1);
  CHECK(index.matrix().indices == std::vector<std::int32_t>{1});
  CHECK(index.matrix().data[0] == Approx(w).epsilon(1e-15));
  check_hits(index.search({{0, 1.0}, {1, 1.0}, {2, 1.0}}), Hits{{0, w}});
  // A term in three of the four documents adds nothing: the floor at 0.
  CHECK(index.search({{0, 5.0}}).empty());
}

TEST_CASE("BM25 equals a brute force over random counts with ties") {
  std::mt19937 rng(77);
  for (int trial = 0; trial < 10; ++trial) {
    const int rows = 30 + 17 * trial, cols = 4 + trial;
    const double k1 = trial % 3 == 0 ? 0.0 : 0.5 + 0.3 * trial, b = (trial % 5) / 4.0;
    const long k = 1 + trial % 6;
    INFO("trial " << trial << " k1 " << k1 << " b " << b << " k " << k);
    const Dense counts = random_counts(rng, rows, cols, 0.3);
    const Dense queries = random_counts(rng, 25, cols, 0.4);
    const lexsim::SearchIndex index(from_dense(counts, cols), bm25(k1, b));
    const Mat q = from_dense(queries, cols);
    const auto result = index.search(lexsim::view(q), k, 1 + trial % 2);
    REQUIRE(result.rows == 25);
    REQUIRE(result.cols == rows);
    for (int qi = 0; qi < 25; ++qi) {
      INFO("query " << qi);
      check_hits(lexsim::ranked(result, qi), brute_bm25(counts, queries[static_cast<std::size_t>(qi)], k1, b), k);
    }
  }
}

TEST_CASE("every BM25 method equals its formula over random counts") {
  using M = lexsim::Bm25Method;
  std::mt19937 rng(91);
  int trial = 0;
  for (const M method : {M::robertson, M::lucene, M::atire, M::bm25l, M::bm25plus}) {
    for (int round = 0; round < 3; ++round, ++trial) {
      const int rows = 25 + 11 * trial, cols = 5 + trial % 4;
      const double k1 = round == 0 ? (method == M::bm25l ? 0.1 : 0.0) : 0.4 + 0.5 * round, b = round / 2.0,
                   delta = 0.25 * round + 0.5;
      const long k = 2 + trial % 7;
      INFO(lexsim::method_name(method) << " k1 " << k1 << " b " << b << " delta " << delta << " k " << k);
      const Dense counts = random_counts(rng, rows, cols, 0.3);
      const Dense queries = random_counts(rng, 20, cols, 0.4);
      const lexsim::SearchIndex index(from_dense(counts, cols), bm25(k1, b, method, delta));
      CHECK(index.options().method == method);
      CHECK(index.baseline().empty() == (method != M::bm25l && method != M::bm25plus));
      const Mat q = from_dense(queries, cols);
      const auto result = index.search(lexsim::view(q), k, 2);
      for (int qi = 0; qi < 20; ++qi) {
        INFO("query " << qi);
        check_hits(lexsim::ranked(result, qi),
                   brute_bm25(counts, queries[static_cast<std::size_t>(qi)], k1, b, method, delta), k);
      }
    }
  }
}

TEST_CASE("BM25 method names and the default") {
  using M = lexsim::Bm25Method;
  CHECK(lexsim::SearchOptions{}.method == M::lucene);
  for (const M m : {M::robertson, M::lucene, M::atire, M::bm25l, M::bm25plus})
    CHECK(lexsim::parse_bm25_method(lexsim::method_name(m)) == m);
  CHECK(std::string(lexsim::method_name(M::bm25plus)) == "bm25+");
  CHECK_THROWS_WITH(lexsim::parse_bm25_method("okapi"),
                    Catch::Matchers::Contains("unknown BM25 method 'okapi'") && Catch::Matchers::Contains("bm25+"));
  // lucene's idf is positive for a term in every document: a query for it still ranks.
  const lexsim::SearchIndex lucene(from_dense({{1, 1}, {2, 0}, {1, 0}}, 2), bm25(1.2, 0.75, M::lucene));
  CHECK(lucene.idf()[0] == Approx(std::log(1.0 + 0.5 / 3.5)));
  CHECK(docs_of(lucene.search({{0, 1.0}})) == std::vector<long>{1, 2, 0});  // tf 2; then the shorter one
  const lexsim::SearchIndex plus(from_dense({{1}}, 1), bm25(1.2, 0.75, M::bm25plus, 1.0));
  CHECK(plus.baseline() == std::vector<double>{std::log(2.0) * 1.0});
}

TEST_CASE("Scoring, Bm25Method and GroupMethod: one name table each, which messages and index codes read") {
  using M = lexsim::Bm25Method;
  using lexsim::enum_position;
  using lexsim::from_string;
  using lexsim::to_string;
  CHECK(to_string(lexsim::Scoring::bm25) == "bm25");
  CHECK(from_string<lexsim::Scoring>("cosine") == lexsim::Scoring::cosine);
  CHECK(to_string(M::bm25plus) == "bm25+");
  CHECK(from_string<M>("bm25+") == M::bm25plus);
  CHECK_FALSE(from_string<M>("bm25plus").has_value());
  CHECK(to_string(lexsim::GroupMethod::single) == "single");
  CHECK(from_string<lexsim::GroupMethod>("leiden") == lexsim::GroupMethod::leiden);
  for (const auto& [value, name] : lexsim::EnumNames<M>::entries)
    CHECK(std::string(lexsim::method_name(value)) == name);
  CHECK(std::string(lexsim::method_name(static_cast<M>(9))) == "unknown");
  // The index file's codes are the tables' positions: they must never move.
  CHECK(enum_position(lexsim::Scoring::cosine) == 0u);
  CHECK(enum_position(lexsim::Scoring::bm25) == 1u);
  std::size_t code = 0;
  for (const M m : {M::robertson, M::lucene, M::atire, M::bm25l, M::bm25plus}) CHECK(enum_position(m) == code++);
  CHECK_FALSE(enum_position(static_cast<M>(9)).has_value());
  // The messages, word for word.
  CHECK_THROWS_WITH(lexsim::parse_bm25_method("okapi"),
                    "unknown BM25 method 'okapi'; expected 'robertson', 'lucene', 'atire', 'bm25l' or 'bm25+'");
  const auto D = from_dense({{1, 0}, {0, 1}}, 2);
  lexsim::SearchOptions unknown;
  unknown.scoring = static_cast<lexsim::Scoring>(7);
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, unknown), "unknown scoring 7 (expected cosine or bm25)");
  auto odd = bm25();
  odd.method = static_cast<M>(9);
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, odd),
                    "unknown BM25 method 9 (expected robertson, lucene, atire, bm25l or bm25+)");
}

TEST_CASE("BM25 counts a query term once and duplicate documents tie") {
  const Dense counts{{1, 2, 0, 0}, {0, 0, 3, 1}, {1, 2, 0, 0}, {0, 0, 0, 1}, {0, 0, 0, 2}, {0, 0, 0, 0}, {0, 1, 0, 0}};
  const lexsim::SearchIndex index(from_dense(counts, 4), bm25());
  const Hits once = index.search({{1, 1.0}});
  CHECK(index.search({{1, 7.0}}) == once);
  CHECK(index.search({{1, 0.25}, {1, 0.25}}) == once);  // duplicate pairs: one term
  // Document 6 holds the term once in 1 term; documents 0 and 2 (identical) twice in 3.
  REQUIRE(once.size() == 3);
  CHECK(docs_of(once) == std::vector<long>{6, 0, 2});
  CHECK(once[1].score == once[2].score);  // identical documents, identical scores
  CHECK(docs_of(index.search({{1, 1.0}}, 2)) == std::vector<long>{6, 0});
}

TEST_CASE("BM25 k1 = 0 scores presence and b = 0 ignores length") {
  const Dense counts{{3, 0, 0, 0}, {1, 5, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 0, 1}};
  const lexsim::SearchIndex presence(from_dense(counts, 4), bm25(0.0, 0.75));
  const double idf0 = std::log(3.5 / 2.5);
  check_hits(presence.search({{0, 1.0}}), Hits{{0, idf0}, {1, idf0}});
  const lexsim::SearchIndex flat(from_dense(counts, 4), bm25(1.2, 0.0));
  // b = 0: tf saturation only, tf / (tf + 1.2).
  check_hits(flat.search({{0, 1.0}}), Hits{{0, idf0 * 3 / 4.2}, {1, idf0 / 2.2}});
}

TEST_CASE("BM25 with one document, or terms everywhere, finds nothing") {
  const lexsim::SearchIndex one(from_dense({{1, 2}}, 2), bm25());
  CHECK(one.search({{0, 1.0}, {1, 1.0}}).empty());
  const lexsim::SearchIndex everywhere(from_dense({{1, 1}, {2, 0}, {1, 0}}, 2), bm25());
  CHECK(everywhere.idf()[0] == 0.0);
  CHECK(everywhere.matrix().indices == std::vector<std::int32_t>{1});
  const lexsim::SearchIndex empty(from_dense({{0, 0}, {0, 0}}, 2), bm25());
  CHECK(empty.average_length() == 0.0);
  CHECK(empty.search({{0, 1.0}}).empty());
}

TEST_CASE("cosine search equals a dense brute force and top_k") {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 6; ++trial) {
    const int rows = 40 + 11 * trial, cols = 5 + trial;
    Dense docs = random_counts(rng, rows, cols, 0.35);
    for (auto& row : docs)  // TF-IDF-like weights, but repeated rows stay repeated
      for (auto& v : row) v = v == 0 ? 0 : v * 0.37;
    const Dense queries = random_counts(rng, 20, cols, 0.4);
    const long k = 2 + trial;
    const Mat D = from_dense(docs, cols), Q = from_dense(queries, cols);
    const lexsim::SearchIndex index(D);
    const Mat got = index.search(Q, k, 2);
    lexsim::TopKOptions o;
    o.k = k;
    const Mat ref = lexsim::top_k(Q, D, o);
    REQUIRE(got.nonZeros() == ref.nonZeros());
    CHECK(std::equal(got.innerIndexPtr(), got.innerIndexPtr() + got.nonZeros(), ref.innerIndexPtr()));
    CHECK(std::equal(got.valuePtr(), got.valuePtr() + got.nonZeros(), ref.valuePtr()));
    const auto csr = index.search(lexsim::view(Q), k);
    for (int qi = 0; qi < 20; ++qi) {
      INFO("trial " << trial << " query " << qi);
      check_hits(lexsim::ranked(csr, qi), brute_cosine(docs, queries[static_cast<std::size_t>(qi)]), k);
    }
  }
}

// Few documents holding a term among very many: search scores candidates without a buffer per
// document, and add() keeps BM25 lengths only for the documents that hold a term (a small index
// file claiming a billion documents made both allocate gigabytes). The results are the formulas'.
TEST_CASE("an index of many documents, few holding a term, equals the formulas") {
  using M = lexsim::Bm25Method;
  std::mt19937 rng(404);
  const int cols = 6, n = 200000, stride = 6000;
  const Dense held = random_counts(rng, 30, cols, 0.45);
  Dense docs(static_cast<std::size_t>(n), std::vector<double>(static_cast<std::size_t>(cols), 0.0));
  for (std::size_t r = 0; r < held.size(); ++r) docs[r * stride + 7] = held[r];
  const Dense queries = random_counts(rng, 10, cols, 0.5);
  const Mat D = from_dense(docs, cols), Q = from_dense(queries, cols);
  Dense grown = docs;
  grown.push_back(held[3]);
  const Mat extra = from_dense(Dense{held[3]}, cols);
  for (const M method : {M::robertson, M::lucene, M::atire, M::bm25l, M::bm25plus}) {
    INFO(lexsim::method_name(method));
    lexsim::SearchIndex index(D, bm25(1.2, 0.75, method, 0.5));
    const auto before = index.search(lexsim::view(Q), 5, 2);
    index.add(extra);
    REQUIRE(index.n_documents() == n + 1);
    const auto after = index.search(lexsim::view(Q), 5, 1);
    for (int qi = 0; qi < 10; ++qi) {
      INFO("query " << qi);
      const auto& query = queries[static_cast<std::size_t>(qi)];
      check_hits(lexsim::ranked(before, qi), brute_bm25(docs, query, 1.2, 0.75, method, 0.5), 5);
      check_hits(lexsim::ranked(after, qi), brute_bm25(grown, query, 1.2, 0.75, method, 0.5), 5);
    }
  }
  const lexsim::SearchIndex cosine(D);
  const auto hits = cosine.search(lexsim::view(Q), 4, 2);
  for (int qi = 0; qi < 10; ++qi) {
    INFO("cosine query " << qi);
    check_hits(lexsim::ranked(hits, qi), brute_cosine(docs, queries[static_cast<std::size_t>(qi)]), 4);
  }
}

TEST_CASE("search does not depend on n_jobs and is safe from many threads") {
  std::mt19937 rng(99);
  const Dense counts = random_counts(rng, 500, 40, 0.1);
  const Dense queries = random_counts(rng, 200, 40, 0.1);
  const Mat Q = from_dense(queries, 40);
  for (auto scoring : {lexsim::Scoring::cosine, lexsim::Scoring::bm25}) {
    lexsim::SearchOptions o;
    o.scoring = scoring;
    const lexsim::SearchIndex<double> index(from_dense(counts, 40), o);
    const Mat ref = index.search(Q, 5, 1);
    REQUIRE(ref.nonZeros() > 200);
    for (int jobs : {2, 3, -1}) {
      const Mat got = index.search(Q, 5, jobs);
      REQUIRE(got.nonZeros() == ref.nonZeros());
      CHECK(std::equal(got.outerIndexPtr(), got.outerIndexPtr() + got.rows() + 1, ref.outerIndexPtr()));
      CHECK(std::equal(got.innerIndexPtr(), got.innerIndexPtr() + got.nonZeros(), ref.innerIndexPtr()));
      CHECK(std::equal(got.valuePtr(), got.valuePtr() + got.nonZeros(), ref.valuePtr()));
    }
    std::vector<Mat> results(8);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t)
      threads.emplace_back([&, t] { results[t] = index.search(Q, 5, 1 + static_cast<int>(t % 2)); });
    for (auto& t : threads) t.join();
    for (const Mat& got : results) {
      REQUIRE(got.nonZeros() == ref.nonZeros());
      CHECK(std::equal(got.valuePtr(), got.valuePtr() + got.nonZeros(), ref.valuePtr()));
      CHECK(std::equal(got.innerIndexPtr(), got.innerIndexPtr() + got.nonZeros(), ref.innerIndexPtr()));
    }
  }
}

TEST_CASE("the index owns its data and reads unsorted rows, duplicates and int32 or float buffers") {
  lexsim::CsrMatrix<float> m;
  m.rows = 3;
  m.cols = 3;
  // Row 0 unsorted with a duplicate (column 2: 1 + 1), row 1 with an explicit zero.
  m.indptr = {0, 3, 5, 6};
  m.indices = {2, 0, 2, 1, 0, 1};
  m.data = {1, 1, 1, 0, 3, 4};
  auto index = std::make_unique<lexsim::SearchIndex<float>>(lexsim::view(m), bm25());
  m = {};  // the index keeps its own copy
  // Term 0 in 2 of 3 documents (idf 0), term 1 in 1 (row 2), term 2 in 1 (row 0).
  const auto& w = index->matrix();
  CHECK(w.indptr == std::vector<std::int64_t>{0, 1, 1, 2});
  CHECK(w.indices == std::vector<std::int32_t>{2, 1});
  const auto hits = index->search({{1, 1.0f}, {2, 1.0f}});
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].doc == 2);  // its term 4 times in 4 terms beats 2 times in 3
  CHECK(hits[1].doc == 0);

  // Eigen's int indptr view and a CsrMatrix view give the same result.
  const Mat D = from_dense({{1, 0, 2}, {0, 1, 1}, {1, 1, 0}}, 3);
  const lexsim::SearchIndex<double> a(lexsim::view(D));
  lexsim::CsrMatrix<double> c;
  c.rows = 3;
  c.cols = 3;
  c.indptr.assign(D.outerIndexPtr(), D.outerIndexPtr() + 4);
  c.indices.assign(D.innerIndexPtr(), D.innerIndexPtr() + D.nonZeros());
  c.data.assign(D.valuePtr(), D.valuePtr() + D.nonZeros());
  const lexsim::SearchIndex<double> b(lexsim::view(c));
  CHECK(a.search({{2, 1.0}}) == b.search({{2, 1.0}}));
  CHECK(docs_of(a.search({{2, 1.0}})) == std::vector<long>{0, 1});
}

TEST_CASE("news-seeds: cosine puts the Idlib articles first, BM25 floors terms in most articles", "[corpora]") {
  const auto docs = read_news_seeds();
  REQUIRE(docs.size() == 5);
  lexsim::TfidfOptions o;
  o.analysis.strip_accents = lexsim::StripAccents::unicode;
  o.analysis.stop_words = lexsim::english_stop_words();
  o.sublinear_tf = true;
  lexsim::TfidfVectorizer vec(o);
  const lexsim::SearchIndex cosine(vec.fit_transform(docs));
  const Mat q = vec.transform(std::vector<std::string>{"Idlib ceasefire"});
  const auto hits = lexsim::ranked(cosine.search(lexsim::view(q), 10), 0);
  auto first3 = docs_of(hits);
  REQUIRE(first3.size() >= 3);
  first3.resize(3);
  std::sort(first3.begin(), first3.end());
  CHECK(first3 == std::vector<long>{0, 2, 3});
  for (std::size_t i = 3; i < hits.size(); ++i) CHECK(hits[i].score < hits[2].score);

  lexsim::CountOptions co;
  co.analysis = o.analysis;
  lexsim::CountVectorizer counter(co);
  const lexsim::SearchIndex<double> okapi(counter.fit_transform(docs), bm25());
  // "idlib" is in 3 of the 5 articles: idf floored to 0, so BM25 finds nothing for it.
  const Mat idlib = counter.transform(std::vector<std::string>{"Idlib"});
  CHECK(okapi.search(idlib).nonZeros() == 0);
  // "lavrov" only in 003 and "soldiers" only in 000: each article matches one term.
  const Mat rare = counter.transform(std::vector<std::string>{"Lavrov soldiers"});
  const auto found = lexsim::ranked(okapi.search(lexsim::view(rare), 10), 0);
  auto found_docs = docs_of(found);
  std::sort(found_docs.begin(), found_docs.end());
  CHECK(found_docs == std::vector<long>{0, 3});
}

TEST_CASE("search rejects bad arguments and names them") {
  const Mat D = from_dense({{1, 0, 2}, {0, 1, 1}}, 3);
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, bm25(-0.1)), Contains("k1") && Contains("-0.1"));
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, bm25(std::numeric_limits<double>::infinity())), Contains("k1"));
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, bm25(std::nan(""))), Contains("k1"));
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, bm25(1.2, -0.5)), Contains("b must be in [0, 1]") && Contains("-0.5"));
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, bm25(1.2, 1.5)), Contains("1.5"));
  CHECK_THROWS_AS(lexsim::SearchIndex(D, bm25(1.2, std::nan(""))), lexsim::InvalidArgument);
  lexsim::SearchOptions unknown;
  unknown.scoring = static_cast<lexsim::Scoring>(7);
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, unknown), Contains("unknown scoring 7"));
  auto odd = bm25();
  odd.method = static_cast<lexsim::Bm25Method>(9);
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, odd), Contains("unknown BM25 method 9"));
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, bm25(1.2, 0.75, lexsim::Bm25Method::bm25l, -1.0)),
                    Contains("delta must be finite and >= 0") && Contains("-1"));
  CHECK_THROWS_WITH(lexsim::SearchIndex(D, bm25(0.0, 0.75, lexsim::Bm25Method::bm25l)), Contains("bm25l needs k1 > 0"));

  // BM25 documents must be counts: the first bad value is named with its row and column.
  CHECK_THROWS_WITH(lexsim::SearchIndex(from_dense({{1, 0, 2}, {0, 0.5, 1.5}}, 3), bm25()),
                    Contains("term counts") && Contains("0.5 at row 1, column 1"));
  CHECK_THROWS_WITH(lexsim::SearchIndex(from_dense({{1, -2, 0}}, 3), bm25()), Contains("-2 at row 0, column 1"));
  Mat nan = D;
  nan.coeffRef(1, 2) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(lexsim::SearchIndex(nan), Contains("non-finite") && Contains("row 1, column 2"));
  Mat inf = D;
  inf.coeffRef(0, 0) = -std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(lexsim::SearchIndex(inf, bm25()), Contains("non-finite") && Contains("row 0, column 0"));

  const lexsim::SearchIndex cosine(D);
  const lexsim::SearchIndex okapi(D, bm25());
  const Mat q = from_dense({{1, 0, 0}}, 3);
  CHECK_THROWS_WITH(cosine.search(q, 0), Contains("k must be a positive integer; got 0"));
  CHECK_THROWS_WITH(okapi.search(q, -4), Contains("got -4"));
  CHECK_THROWS_WITH(cosine.search(from_dense({{1, 0}}, 2)), Contains("2 columns") && Contains("3 terms"));
  CHECK_THROWS_WITH(okapi.search(from_dense({{1, 0, -1}}, 3)), Contains("negative") && Contains("row 0, column 2"));
  CHECK_THROWS_WITH(cosine.search({{3, 1.0}}), Contains("column index 3 out of range"));
  CHECK_THROWS_WITH(cosine.search({{0, std::numeric_limits<double>::quiet_NaN()}}), Contains("non-finite"));
  CHECK_THROWS_AS(lexsim::ranked(cosine.search(lexsim::view(q)), 1), lexsim::InvalidArgument);

  lexsim::CsrMatrix<double> broken;
  broken.rows = 2;
  broken.cols = 3;
  broken.indptr = {0, 2, 1};
  broken.indices = {0, 1};
  broken.data = {1, 1};
  CHECK_THROWS_WITH(lexsim::SearchIndex<double>(lexsim::view(broken)), Contains("indptr decreases at row 1"));
}
