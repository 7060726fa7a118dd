// top_k cosine similarity: hand-computed cosines, options, parallel determinism and a brute-force
// dense reference.
#include <algorithm>
#include <iterator>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <lexsim/lexsim.hpp>

#include "helpers.hpp"
#include <random>
#include <utility>
#include <vector>

using Mat = lexsim::SparseMatrix<double>;
using Dense = lexsim_test::Dense;
// One result row: (column, similarity) pairs in column order.
using Row = std::vector<std::pair<int, double>>;

namespace {

using lexsim_test::from_dense;

Row row_of(const Mat& m, int r) {
  Row out;
  for (Mat::InnerIterator it(m, r); it; ++it) out.emplace_back(static_cast<int>(it.col()), it.value());
  return out;
}

std::vector<int> cols_of(const Mat& m, int r) {
  std::vector<int> out;
  for (const auto& [c, v] : row_of(m, r)) out.push_back(c);
  return out;
}

// Rows of the hand-made matrix (3 columns). Cosines: c(0,1) = c(1,2) = c(1,5) = 1/sqrt(2),
// c(0,4) = c(4,5) = 3/5, c(1,4) = 3/(5 sqrt(2)), c(0,5) = 1, row 3 is zero, the rest 0.
const Dense kHand{{1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 0, 0}, {3, 0, 4}, {2, 0, 0}};
const double kR2 = 1.0 / std::sqrt(2.0);

// Random sparse matrix; values are small integers (many exact ties), some rows repeat or are zero.
Dense random_dense(std::mt19937& rng, int rows, int cols, double density, bool negative) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<int> val(negative ? -3 : 1, 3);
  Dense d(static_cast<std::size_t>(rows), std::vector<double>(static_cast<std::size_t>(cols), 0.0));
  for (std::size_t r = 0; r < d.size(); ++r) {
    const double roll = u(rng);
    if (roll < 0.05) continue;   // zero row
    if (roll < 0.15 && r > 0) {  // repeat an earlier row
      d[r] = d[std::uniform_int_distribution<std::size_t>(0, r - 1)(rng)];
      continue;
    }
    for (auto& v : d[r])
      if (u(rng) < density) v = val(rng);
  }
  return d;
}

// Brute force: unit rows, dense dot products in column order, sort by (-cosine, column).
std::vector<Row> brute_top_k(const Dense& A, const Dense* B, long k, std::optional<double> threshold) {
  auto unit = [](const Dense& m) {
    Dense out = m;
    for (auto& row : out) {
      double s = 0;
      for (double v : row) s += v * v;
      if (s == 0) continue;
      s = std::sqrt(s);
      for (double& v : row) v /= s;
    }
    return out;
  };
  const Dense ua = unit(A), ub = unit(B ? *B : A);
  std::vector<Row> result;
  for (std::size_t i = 0; i < ua.size(); ++i) {
    std::vector<std::pair<double, int>> cand;
    for (std::size_t j = 0; j < ub.size(); ++j) {
      if (!B && i == j) continue;
      double s = 0;
      for (std::size_t c = 0; c < ua[i].size(); ++c) s += ua[i][c] * ub[j][c];
      if (s == 0) continue;
      if (threshold && !(s > *threshold)) continue;
      cand.emplace_back(s, static_cast<int>(j));
    }
    std::sort(cand.begin(), cand.end(), [](const auto& x, const auto& y) {
      return x.first > y.first || (x.first == y.first && x.second < y.second);
    });
    if (static_cast<long>(cand.size()) > k) cand.resize(static_cast<std::size_t>(k));
    Row row;
    for (const auto& [s, j] : cand) row.emplace_back(j, s);
    std::sort(row.begin(), row.end());
    result.push_back(row);
  }
  return result;
}

void check_against_brute(const Mat& got, const std::vector<Row>& want) {
  REQUIRE(got.rows() == static_cast<Eigen::Index>(want.size()));
  for (std::size_t i = 0; i < want.size(); ++i) {
    const Row g = row_of(got, static_cast<int>(i));
    INFO("row " << i);
    REQUIRE(g.size() == want[i].size());
    for (std::size_t p = 0; p < g.size(); ++p) {
      CHECK(g[p].first == want[i][p].first);
      CHECK(g[p].second == Approx(want[i][p].second).epsilon(0).margin(1e-12));
    }
  }
}

lexsim::TopKOptions opts(long k, std::optional<double> threshold = std::nullopt, int n_jobs = 1) {
  lexsim::TopKOptions o;
  o.k = k;
  o.threshold = threshold;
  o.n_jobs = n_jobs;
  return o;
}

}  // namespace

TEST_CASE("top_k on a hand-made matrix") {
  const Mat X = from_dense(kHand, 3);
  const Mat S = lexsim::top_k(X, opts(2));
  REQUIRE(S.rows() == 6);
  REQUIRE(S.cols() == 6);
  CHECK(S.isCompressed());
  // Row 0: 5 (cos 1) and 1 (1/sqrt 2) beat 4 (0.6).
  CHECK(row_of(S, 0) == Row{{1, kR2}, {5, 1.0}});
  // Row 2: only row 1 shares a column.
  CHECK(row_of(S, 2) == Row{{1, kR2}});
  // Row 5: 0 (1) and 1 (1/sqrt 2).
  CHECK(row_of(S, 5) == Row{{0, 1.0}, {1, kR2}});
  CHECK(S.coeff(4, 0) == Approx(0.6));
}

TEST_CASE("top_k self-join leaves out the diagonal") {
  const Mat X = from_dense(kHand, 3);
  const Mat S = lexsim::top_k(X, opts(10));
  for (int r = 0; r < 6; ++r) CHECK(S.coeff(r, r) == 0.0);
  // Against B = A explicitly, each row's best match is itself.
  const Mat T = lexsim::top_k(X, X, opts(1));
  CHECK(row_of(T, 0) == Row{{0, 1.0}});
  CHECK(row_of(T, 2) == Row{{2, 1.0}});
  CHECK(T.coeff(4, 4) == Approx(1.0));
}

TEST_CASE("top_k with k larger than the number of rows keeps every non-zero match") {
  const Mat X = from_dense(kHand, 3);
  const Mat S = lexsim::top_k(X, opts(100));
  CHECK(cols_of(S, 0) == std::vector<int>{1, 4, 5});
  CHECK(cols_of(S, 1) == std::vector<int>{0, 2, 4, 5});
  CHECK(S.coeff(1, 4) == Approx(3.0 / (5.0 * std::sqrt(2.0))));
  CHECK(cols_of(S, 4) == std::vector<int>{0, 1, 5});
  CHECK(S.nonZeros() == 3 + 4 + 1 + 0 + 3 + 3);
}

TEST_CASE("top_k threshold keeps only similarities strictly above it") {
  const Mat X = from_dense(kHand, 3);
  const Mat S = lexsim::top_k(X, opts(10, 0.65));
  CHECK(cols_of(S, 0) == std::vector<int>{1, 5});
  CHECK(cols_of(S, 4).empty());
  // Row 4's best matches are exactly 0.6 (3/5): not kept by threshold 0.6.
  const Mat T = lexsim::top_k(X, opts(10, 0.6));
  CHECK(cols_of(T, 4).empty());
  CHECK(cols_of(T, 0) == std::vector<int>{1, 5});
  const Mat U = lexsim::top_k(X, opts(10, 0.59));
  CHECK(cols_of(U, 4) == std::vector<int>{0, 5});
}

TEST_CASE("top_k ties go to the lower column index") {
  const Mat X = from_dense(kHand, 3);
  const Mat S = lexsim::top_k(X, opts(2));
  // Row 1 ties at 1/sqrt(2) with rows 0, 2 and 5.
  CHECK(row_of(S, 1) == Row{{0, kR2}, {2, kR2}});
  // Row 4 ties at 0.6 with rows 0 and 5; k = 1 takes row 0.
  CHECK(cols_of(lexsim::top_k(X, opts(1)), 4) == std::vector<int>{0});
  // Identical rows of B.
  const Mat B = from_dense({{0, 2, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}}, 3);
  const Mat A = from_dense({{1, 1, 0}}, 3);
  CHECK(cols_of(lexsim::top_k(A, B, opts(2)), 0) == std::vector<int>{1, 2});
}

TEST_CASE("top_k zero rows give empty rows and match nothing") {
  const Mat X = from_dense(kHand, 3);
  const Mat S = lexsim::top_k(X, opts(10));
  CHECK(cols_of(S, 3).empty());
  for (int r = 0; r < 6; ++r) CHECK(S.coeff(r, 3) == 0.0);
  const Mat Z = from_dense({{0, 0}, {0, 0}}, 2);
  const Mat T = lexsim::top_k(Z, opts(3));
  CHECK(T.rows() == 2);
  CHECK(T.nonZeros() == 0);
}

TEST_CASE("top_k does not depend on n_jobs") {
  std::mt19937 rng(12345);
  const Mat X = from_dense(random_dense(rng, 300, 50, 0.1, false), 50);
  const Mat ref = lexsim::top_k(X, opts(7, std::nullopt, 1));
  REQUIRE(ref.nonZeros() > 300);
  for (int jobs : {2, -1, 3, 16}) {
    INFO("n_jobs " << jobs);
    const Mat S = lexsim::top_k(X, opts(7, std::nullopt, jobs));
    REQUIRE(S.nonZeros() == ref.nonZeros());
    CHECK(std::equal(S.outerIndexPtr(), S.outerIndexPtr() + S.rows() + 1, ref.outerIndexPtr()));
    CHECK(std::equal(S.innerIndexPtr(), S.innerIndexPtr() + S.nonZeros(), ref.innerIndexPtr()));
    CHECK(std::equal(S.valuePtr(), S.valuePtr() + S.nonZeros(), ref.valuePtr()));
  }
}

TEST_CASE("top_k equals a brute-force dense cosine") {
  std::mt19937 rng(2024);
  for (int trial = 0; trial < 12; ++trial) {
    const bool negative = trial % 3 == 2;
    const int rows = 20 + trial * 7, cols = 3 + trial;
    const long k = 1 + trial % 5;
    const std::optional<double> threshold = trial % 4 == 1 ? std::optional<double>(0.3) : std::nullopt;
    INFO("trial " << trial);
    const Dense a = random_dense(rng, rows, cols, 0.3, negative);
    const Dense b = random_dense(rng, rows / 2 + 1, cols, 0.3, negative);
    // Self-join (alternating 1 and 2 threads) and A against B.
    check_against_brute(lexsim::top_k(from_dense(a, cols), opts(k, threshold, 1 + trial % 2)),
                        brute_top_k(a, nullptr, k, threshold));
    check_against_brute(lexsim::top_k(from_dense(a, cols), from_dense(b, cols), opts(k, threshold)),
                        brute_top_k(a, &b, k, threshold));
  }
}

// Against a B whose rows are spread over a very large, mostly empty matrix, few products are
// summed without a dense buffer; the scores must be the very numbers of the compact B (same
// products added in the same order), at the spread rows.
TEST_CASE("top_k against a large, mostly empty B scores bit for bit as against the compact B") {
  std::mt19937 rng(31);
  for (int trial = 0; trial < 4; ++trial) {
    const int rows_a = 12, rows_b = 40 + 5 * trial, cols = 8, stride = 5000 + trial;
    const Dense a = random_dense(rng, rows_a, cols, 0.4, true), b = random_dense(rng, rows_b, cols, 0.3, true);
    Dense spread(static_cast<std::size_t>(rows_b * stride), std::vector<double>(static_cast<std::size_t>(cols), 0.0));
    for (std::size_t r = 0; r < b.size(); ++r) spread[r * static_cast<std::size_t>(stride)] = b[r];
    for (const long k : {1L, 3L, 100L}) {
      INFO("trial " << trial << " k " << k);
      const Mat compact = lexsim::top_k(from_dense(a, cols), from_dense(b, cols), opts(k, std::nullopt, 1 + trial % 2));
      const Mat wide =
          lexsim::top_k(from_dense(a, cols), from_dense(spread, cols), opts(k, std::nullopt, 2 - trial % 2));
      REQUIRE(wide.cols() == rows_b * stride);
      REQUIRE(wide.nonZeros() == compact.nonZeros());
      for (Eigen::Index p = 0; p < compact.nonZeros(); ++p) {
        CHECK(wide.innerIndexPtr()[p] == compact.innerIndexPtr()[p] * stride);
        CHECK(wide.valuePtr()[p] == compact.valuePtr()[p]);
      }
      CHECK(std::equal(wide.outerIndexPtr(), wide.outerIndexPtr() + rows_a + 1, compact.outerIndexPtr()));
    }
  }
}

TEST_CASE("top_k on CSR views in float and with 32-bit indptr") {
  const Mat X = from_dense(kHand, 3);
  lexsim::CsrMatrix<float> m;
  m.rows = 6;
  m.cols = 3;
  m.indptr.assign(X.outerIndexPtr(), X.outerIndexPtr() + 7);
  m.indices.assign(X.innerIndexPtr(), X.innerIndexPtr() + X.nonZeros());
  m.data.assign(X.valuePtr(), X.valuePtr() + X.nonZeros());
  const auto v = lexsim::view(m);
  const lexsim::CsrMatrix<float> S = lexsim::top_k(v, static_cast<decltype(&v)>(nullptr), opts(2));
  CHECK(S.rows == 6);
  CHECK(S.cols == 6);
  CHECK(S.indptr == std::vector<std::int64_t>{0, 2, 4, 5, 5, 7, 9});
  CHECK(S.indices == std::vector<std::int32_t>{1, 5, 0, 2, 1, 0, 5, 0, 1});
  CHECK(S.data[1] == Approx(1.0f));

  const auto v32 = lexsim::view(X);  // Eigen: int indptr and indices
  const auto S32 = lexsim::top_k(v32, &v32, opts(1));
  // Each row's best match is itself, except that row 5 ties with row 0 (cos 1) and the zero row has none.
  CHECK(S32.indptr == std::vector<std::int64_t>{0, 1, 2, 3, 3, 4, 5});
  CHECK(S32.indices == std::vector<std::int32_t>{0, 1, 2, 4, 0});
}

TEST_CASE("top_k rejects invalid arguments") {
  const Mat X = from_dense(kHand, 3);
  CHECK_THROWS_AS(lexsim::top_k(X, opts(0)), lexsim::InvalidArgument);
  CHECK_THROWS_AS(lexsim::top_k(X, opts(-3)), lexsim::InvalidArgument);
  CHECK_THROWS_AS(lexsim::top_k(X, opts(2, std::numeric_limits<double>::quiet_NaN())), lexsim::InvalidArgument);

  Mat bad = X;
  bad.coeffRef(1, 1) = std::numeric_limits<double>::quiet_NaN();
  bad.makeCompressed();
  CHECK_THROWS_AS(lexsim::top_k(bad, opts(2)), lexsim::InvalidArgument);
  CHECK_THROWS_AS(lexsim::top_k(X, bad, opts(2)), lexsim::InvalidArgument);
  Mat inf = X;
  inf.coeffRef(0, 0) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(lexsim::top_k(inf, opts(2)), lexsim::InvalidArgument);

  const Mat other = from_dense({{1, 0, 0, 1}}, 4);
  CHECK_THROWS_AS(lexsim::top_k(X, other, opts(2)), lexsim::InvalidArgument);

  Mat uncompressed(2, 3);
  uncompressed.reserve(Eigen::VectorXi::Constant(2, 2));
  uncompressed.insert(0, 0) = 1.0;
  REQUIRE_FALSE(uncompressed.isCompressed());
  CHECK_THROWS_AS(lexsim::top_k(uncompressed, opts(2)), lexsim::InvalidArgument);
}

// ---------------------------------------------------------------------------------------------
// similar_pairs, group, top_terms, explain

namespace {

// Every cosine by brute force, summed over the shared columns in increasing order.
Dense brute_cosines(const Dense& m) {
  Dense u = m;
  for (auto& row : u) {
    double s = 0;
    for (double v : row) s += v * v;
    if (s == 0) continue;
    s = std::sqrt(s);
    for (double& v : row) v /= s;
  }
  Dense S(u.size(), std::vector<double>(u.size(), 0.0));
  for (std::size_t i = 0; i < u.size(); ++i)
    for (std::size_t j = 0; j < u.size(); ++j)
      for (std::size_t c = 0; c < u[i].size(); ++c) S[i][j] += u[i][c] * u[j][c];
  return S;
}

}  // namespace

TEST_CASE("similar_pairs equals a brute-force search, with ties and duplicates") {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 12; ++trial) {
    const bool negative = trial % 4 == 3;
    const Dense d = random_dense(rng, 50, 10, 0.3, negative);
    const Mat X = from_dense(d, 10);
    const Dense S = brute_cosines(d);
    for (double t : {0.25, 0.5, 0.8, 1.0}) {
      lexsim::PairsOptions o;
      o.threshold = t;
      o.n_jobs = 1 + trial % 2;
      const auto pairs = lexsim::similar_pairs(X, o);
      std::vector<std::pair<int, int>> got, want;
      for (std::size_t p = 0; p < pairs.size(); ++p) {
        got.emplace_back(pairs.rows[p], pairs.cols[p]);
        CHECK(pairs.rows[p] < pairs.cols[p]);
        CHECK(pairs.scores[p] >= t);
        CHECK(pairs.scores[p] == Approx(S[pairs.rows[p]][pairs.cols[p]]).margin(1e-12));
      }
      CHECK(std::is_sorted(got.begin(), got.end()));
      for (std::size_t i = 0; i < d.size(); ++i)
        for (std::size_t j = i + 1; j < d.size(); ++j)
          if (S[i][j] >= t) want.emplace_back(static_cast<int>(i), static_cast<int>(j));
      // Only pairs whose cosine is the threshold up to rounding may differ.
      std::vector<std::pair<int, int>> diff;
      std::set_symmetric_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(diff));
      for (const auto& [i, j] : diff) CHECK(std::abs(S[i][j] - t) < 1e-12);
    }
  }
}

TEST_CASE("similar_pairs scores equal top_k's and do not depend on n_jobs") {
  std::mt19937 rng(3);
  const Dense d = random_dense(rng, 300, 30, 0.1, false);
  const Mat X = from_dense(d, 30);
  lexsim::PairsOptions o;
  o.threshold = 0.3;
  const auto one = lexsim::similar_pairs(X, o);
  o.n_jobs = 2;
  const auto two = lexsim::similar_pairs(X, o);
  CHECK(one.rows == two.rows);
  CHECK(one.cols == two.cols);
  CHECK(one.scores == two.scores);
  const Mat K = lexsim::top_k(X, opts(300));
  for (std::size_t p = 0; p < one.size(); ++p) CHECK(one.scores[p] == K.coeff(one.rows[p], one.cols[p]));
}

TEST_CASE("similar_pairs and group reject bad thresholds") {
  const Mat X = from_dense(kHand, 3);
  for (double t : {0.0, -0.5, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    lexsim::PairsOptions o;
    o.threshold = t;
    CHECK_THROWS_AS(lexsim::similar_pairs(X, o), lexsim::InvalidArgument);
    lexsim::GroupOptions g;
    g.threshold = t;
    CHECK_THROWS_AS(lexsim::group(X, g), lexsim::InvalidArgument);
  }
}

TEST_CASE("group: components of the pair graph, largest first, representatives and centroid terms") {
  // Cosines of kHand: c(0,1) = c(1,2) = c(1,5) = 0.707, c(0,4) = c(4,5) = 0.6, c(0,5) = 1.
  const Mat X = from_dense(kHand, 3);
  lexsim::GroupOptions o;
  o.method = lexsim::GroupMethod::single;
  o.threshold = 0.7;
  o.n_terms = 2;
  const auto g = lexsim::group(X, o);
  // {0, 1, 2, 5} linked through 1; 3 (zero row) and 4 alone.
  REQUIRE(g.size() == 3);
  CHECK(g.labels == std::vector<std::int32_t>{0, 0, 0, 1, 2, 0});
  CHECK(std::vector<std::int32_t>(g.members.begin(), g.members.begin() + 4) == std::vector<std::int32_t>{0, 1, 2, 5});
  CHECK(g.offsets == std::vector<std::int64_t>{0, 4, 5, 6});
  // Summed cosines: row 1: 3 * 0.707; rows 0 and 5: 1 + 0.707; row 2: 0.707 + 0 + 0.
  CHECK(g.representative[0] == 1);
  CHECK(g.representative[1] == 3);
  CHECK(g.representative[2] == 4);
  // Centroid of unit rows 0, 1, 2, 5: column 0 = (1 + 0.707 + 0 + 1) / 4, column 1 = (0.707 + 1) / 4.
  const auto& t = g.top_terms;
  REQUIRE(t.indptr[1] == 2);
  CHECK(t.indices[0] == 0);
  CHECK(t.data[0] == Approx((2 + kR2) / 4));
  CHECK(t.data[1] == Approx((1 + kR2) / 4));
  CHECK(t.indptr[2] - t.indptr[1] == 0);  // the zero row has no terms
}

TEST_CASE("top_terms keeps each row's n largest values, ties to the lower column") {
  const Mat X = from_dense({{1, 3, 3, 0, 2}, {0, 0, 0, 0, 0}, {5, 0, 0, 0, 0}}, 5);
  const Mat T = lexsim::top_terms(X, 2);
  CHECK(cols_of(T, 0) == std::vector<int>{1, 2});
  CHECK(cols_of(T, 1).empty());
  CHECK(cols_of(T, 2) == std::vector<int>{0});
  CHECK_THROWS_AS(lexsim::top_terms(X, 0), lexsim::InvalidArgument);
}

TEST_CASE("explain: shared columns ranked by contribution, adding up to the cosine") {
  std::mt19937 rng(5);
  const Dense d = random_dense(rng, 30, 8, 0.5, true);
  const Mat X = from_dense(d, 8);
  const Dense S = brute_cosines(d);
  for (int i = 0; i < 30; i += 3) {
    for (int j = 0; j < 30; ++j) {
      const auto parts = lexsim::explain(X, i, j);
      double sum = 0;
      for (std::size_t p = 0; p < parts.size(); ++p) {
        sum += parts[p].contribution;
        CHECK(parts[p].contribution == parts[p].weight_i * parts[p].weight_j);
        if (p > 0) CHECK(parts[p - 1].contribution >= parts[p].contribution);
      }
      CHECK(sum == Approx(S[i][j]).margin(1e-12));
    }
  }
  CHECK_THROWS_AS(lexsim::explain(X, 0, 30), lexsim::InvalidArgument);
  CHECK_THROWS_AS(lexsim::explain(X, -1, 0), lexsim::InvalidArgument);
}

TEST_CASE("TopKIndex gives top_k's result without preparing B again") {
  std::mt19937 rng(9);
  const Dense da = random_dense(rng, 40, 12, 0.3, true), db = random_dense(rng, 70, 12, 0.3, true);
  const Mat A = from_dense(da, 12), B = from_dense(db, 12);
  for (bool normalize : {true, false}) {
    const lexsim::TopKIndex<double> index(lexsim::view(B), normalize);
    CHECK(index.rows() == 70);
    CHECK(index.cols() == 12);
    for (int n_jobs : {1, 2}) {
      auto o = opts(5, std::nullopt, n_jobs);
      o.normalize = normalize;
      const auto a = lexsim::view(A), b = lexsim::view(B);
      const auto want = lexsim::top_k(a, &b, o);
      const auto got = index.top_k(a, o);
      CHECK(got.indptr == want.indptr);
      CHECK(got.indices == want.indices);
      CHECK(got.data == want.data);
    }
  }
  const Mat wrong = from_dense({{1, 2}}, 2);
  const lexsim::TopKIndex<double> index(lexsim::view(B));
  CHECK_THROWS_AS(index.top_k(lexsim::view(wrong)), lexsim::InvalidArgument);
}
