// TfidfTransformer: hand-computed weights, the exactness of partial_fit and merge, bad input, and
// the weighting TfidfVectorizer gives (it is one of these transformers).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <lexsim/lexsim.hpp>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace {

using lexsim::CsrMatrix;
using lexsim::TfidfTransformer;
using lexsim::TfidfWeighting;

// A CSR matrix from dense rows (zeros are not stored).
template <class T>
CsrMatrix<T> csr(const std::vector<std::vector<T>>& rows) {
  CsrMatrix<T> m;
  m.rows = static_cast<std::int64_t>(rows.size());
  m.cols = rows.empty() ? 0 : static_cast<std::int64_t>(rows[0].size());
  for (const auto& row : rows) {
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (row[j] != T(0)) {
        m.indices.push_back(static_cast<std::int32_t>(j));
        m.data.push_back(row[j]);
      }
    }
    m.indptr.push_back(static_cast<std::int64_t>(m.data.size()));
  }
  return m;
}

// Rows [begin, end) of m.
template <class T>
CsrMatrix<T> rows_of(const CsrMatrix<T>& m, std::int64_t begin, std::int64_t end) {
  CsrMatrix<T> out;
  out.rows = end - begin;
  out.cols = m.cols;
  out.indptr.clear();
  const auto b = m.indptr[static_cast<std::size_t>(begin)];
  for (auto r = begin; r <= end; ++r) out.indptr.push_back(m.indptr[static_cast<std::size_t>(r)] - b);
  out.indices.assign(m.indices.begin() + b, m.indices.begin() + m.indptr[static_cast<std::size_t>(end)]);
  out.data.assign(m.data.begin() + b, m.data.begin() + m.indptr[static_cast<std::size_t>(end)]);
  return out;
}

// Random counts: about `density` of the cells hold 1..5, some columns never used.
CsrMatrix<std::int64_t> random_counts(std::int64_t rows, std::int64_t cols, double density, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::uniform_int_distribution<std::int64_t> count(1, 5);
  CsrMatrix<std::int64_t> m;
  m.rows = rows;
  m.cols = cols;
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < cols - 3; ++j) {  // the last 3 columns stay empty
      if (coin(rng) < density) {
        m.indices.push_back(static_cast<std::int32_t>(j));
        m.data.push_back(count(rng));
      }
    }
    m.indptr.push_back(static_cast<std::int64_t>(m.data.size()));
  }
  return m;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

template <class T>
bool same_matrix(const CsrMatrix<T>& a, const CsrMatrix<T>& b) {
  return a.rows == b.rows && a.cols == b.cols && a.indptr == b.indptr && a.indices == b.indices &&
         same_bits(a.data, b.data);
}

TfidfWeighting weighting(lexsim::Norm norm, bool use_idf, bool smooth_idf, bool sublinear_tf) {
  TfidfWeighting w;
  w.norm = norm;
  w.use_idf = use_idf;
  w.smooth_idf = smooth_idf;
  w.sublinear_tf = sublinear_tf;
  return w;
}

// Every combination of the four parameters.
std::vector<TfidfWeighting> all_weightings() {
  std::vector<TfidfWeighting> out;
  for (auto norm : {lexsim::Norm::none, lexsim::Norm::l1, lexsim::Norm::l2})
    for (bool use_idf : {true, false})
      for (bool smooth : {true, false})
        for (bool sublinear : {false, true}) out.push_back(weighting(norm, use_idf, smooth, sublinear));
  return out;
}

}  // namespace

TEST_CASE("TfidfTransformer: hand-computed idf and weights") {
  // 3 documents; df = [2, 1, 2].
  const auto X = csr<double>({{1, 0, 2}, {0, 1, 1}, {3, 0, 0}});
  TfidfTransformer t;
  t.fit(lexsim::view(X));
  CHECK(t.n_documents() == 3);
  CHECK(t.n_features() == 3);
  CHECK(t.document_frequencies() == std::vector<std::int64_t>{2, 1, 2});
  const double a = std::log(4.0 / 3.0) + 1, b = std::log(2.0) + 1;  // smooth: ln((n + 1) / (df + 1)) + 1
  REQUIRE(t.idf().size() == 3);
  CHECK(t.idf()[0] == Approx(a).epsilon(1e-15));
  CHECK(t.idf()[1] == Approx(b).epsilon(1e-15));
  CHECK(t.idf()[2] == Approx(a).epsilon(1e-15));
  CHECK(t.idf_float()[1] == std::log(2.0f) + 1.0f);

  const auto W = t.transform<double>(lexsim::view(X));
  CHECK(W.indptr == X.indptr);
  CHECK(W.indices == X.indices);
  const double n0 = std::sqrt(a * a + 4 * a * a), n1 = std::sqrt(b * b + a * a);
  const std::vector<double> want{a / n0, 2 * a / n0, b / n1, a / n1, 1.0};
  for (std::size_t k = 0; k < want.size(); ++k) CHECK(W.data[k] == Approx(want[k]).epsilon(1e-15));

  SECTION("no smoothing, l1, sublinear tf") {
    TfidfTransformer u(weighting(lexsim::Norm::l1, true, false, true));
    u.fit(lexsim::view(X));
    const double c = std::log(3.0 / 2.0) + 1, d = std::log(3.0) + 1;  // ln(n / df) + 1
    CHECK(u.idf()[0] == Approx(c).epsilon(1e-15));
    CHECK(u.idf()[1] == Approx(d).epsilon(1e-15));
    const auto V = u.transform<double>(lexsim::view(X));
    const double tf2 = 1 + std::log(2.0);
    const double s0 = c + tf2 * c, s1 = d + c;
    const std::vector<double> v{c / s0, tf2 * c / s0, d / s1, c / s1, 1.0};
    for (std::size_t k = 0; k < v.size(); ++k) CHECK(V.data[k] == Approx(v[k]).epsilon(1e-15));
  }
  SECTION("no idf, no norm: the counts themselves") {
    TfidfTransformer u(weighting(lexsim::Norm::none, false, true, false));
    u.fit(lexsim::view(X));
    CHECK_FALSE(u.has_idf());
    CHECK(u.idf().empty());
    CHECK(same_bits(u.transform<double>(lexsim::view(X)).data, X.data));
  }
}

TEST_CASE("TfidfTransformer: integer and float counts, float idf, idf precision") {
  const auto X = random_counts(40, 12, 0.3, 7);
  CsrMatrix<double> Xd;
  Xd.rows = X.rows;
  Xd.cols = X.cols;
  Xd.indptr = X.indptr;
  Xd.indices = X.indices;
  Xd.data.assign(X.data.begin(), X.data.end());
  CsrMatrix<float> Xf;
  Xf.rows = X.rows;
  Xf.cols = X.cols;
  Xf.indptr = X.indptr;
  Xf.indices = X.indices;
  Xf.data.assign(X.data.begin(), X.data.end());
  for (const auto& w : all_weightings()) {
    TfidfTransformer t(w);
    t.fit(lexsim::view(X));
    TfidfTransformer u(w);
    u.fit(lexsim::view(Xf));
    CHECK(same_bits(t.idf(), u.idf()));  // the counts decide, not their type
    // int64 counts weigh as their float64 values do, and in place as into a new matrix.
    const auto from_int = t.transform<double>(lexsim::view(X));
    const auto from_double = t.transform<double>(lexsim::view(Xd));
    CHECK(same_matrix(from_int, from_double));
    auto in_place = Xd;
    t.transform_in_place(in_place);
    CHECK(same_matrix(in_place, from_double));
    if (!w.use_idf) continue;
    // float output: the float idf, computed in float arithmetic...
    const auto f = t.transform<float>(lexsim::view(Xf));
    for (std::size_t j = 0; j < t.idf_float().size(); ++j) {
      const auto df = static_cast<float>(t.document_frequencies()[j]);
      const float s = w.smooth_idf ? 1.0f : 0.0f;
      CHECK(t.idf_float()[j] == std::log((40.0f + s) / (df + s)) + 1.0f);
    }
    // ...unless the idf of the float64 fit is asked for: each product in double, rounded to float.
    const auto g = t.transform<float>(lexsim::view(Xf), lexsim::IdfPrecision::float64);
    TfidfTransformer none(weighting(lexsim::Norm::none, false, true, w.sublinear_tf));
    none.fit(lexsim::view(Xf));
    const auto tf = none.transform<float>(lexsim::view(Xf));
    auto by_hand = tf;
    for (std::size_t k = 0; k < by_hand.data.size(); ++k)
      by_hand.data[k] =
          static_cast<float>(static_cast<double>(tf.data[k]) * t.idf()[static_cast<std::size_t>(tf.indices[k])]);
    if (w.norm == lexsim::Norm::none) {  // (with a norm, both are normalised alike)
      CHECK(same_bits(g.data, by_hand.data));
      auto h = tf;
      for (std::size_t k = 0; k < h.data.size(); ++k)
        h.data[k] *= t.idf_float()[static_cast<std::size_t>(tf.indices[k])];
      CHECK(same_bits(f.data, h.data));
    }
  }
}

TEST_CASE("TfidfTransformer: partial_fit and merge equal one fit on everything, bit for bit") {
  const auto X = random_counts(700, 50, 0.1, 11);
  const std::vector<std::vector<std::int64_t>> splits{
      {0, 350, 700}, {0, 10, 500, 700}, {0, 0, 1, 140, 140, 350, 697, 700}};
  for (const auto& w : all_weightings()) {
    TfidfTransformer whole(w);
    whole.fit(lexsim::view(X));
    const auto want = whole.transform<double>(lexsim::view(X));
    for (const auto& cuts : splits) {
      TfidfTransformer incremental(w);
      std::vector<TfidfTransformer> parts;
      for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
        const auto part = rows_of(X, cuts[p], cuts[p + 1]);
        incremental.partial_fit(lexsim::view(part));
        parts.emplace_back(w);
        parts.back().fit(lexsim::view(part));
      }
      // Merged forwards, backwards, and as a tree into an unfitted transformer.
      TfidfTransformer forwards(w), backwards(w), tree(w), left(w), right(w);
      for (const auto& p : parts) forwards.merge(p);
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) backwards.merge(*it);
      for (std::size_t p = 0; p < parts.size(); ++p) (p % 2 ? right : left).merge(parts[p]);
      tree.merge(right).merge(left);
      for (const TfidfTransformer* got : {&incremental, &forwards, &backwards, &tree}) {
        CHECK(got->n_documents() == 700);
        CHECK(got->document_frequencies() == whole.document_frequencies());
        CHECK(same_bits(got->idf(), whole.idf()));
        CHECK(same_bits(got->idf_float(), whole.idf_float()));
        CHECK(same_matrix(got->transform<double>(lexsim::view(X)), want));
      }
    }
  }
}

TEST_CASE("TfidfTransformer: threads change nothing") {
  const auto X = random_counts(3000, 200, 0.05, 5);
  for (const auto& w : all_weightings()) {
    TfidfTransformer one(w, 1), two(w, 2);
    one.fit(lexsim::view(X));
    two.fit(lexsim::view(X));
    CHECK(one.document_frequencies() == two.document_frequencies());
    CHECK(same_matrix(one.transform<double>(lexsim::view(X)), two.transform<double>(lexsim::view(X))));
  }
  CHECK_THROWS_AS(TfidfTransformer({}, 0), lexsim::InvalidArgument);
  CHECK_THROWS_AS(TfidfTransformer({}, -2), lexsim::InvalidArgument);
}

TEST_CASE("TfidfTransformer: explicit zeros, empty columns, no smoothing") {
  CsrMatrix<double> X;  // row 0 stores an explicit zero in column 1
  X.rows = 2;
  X.cols = 3;
  X.indptr = {0, 2, 3};
  X.indices = {0, 1, 0};
  X.data = {2.0, 0.0, 1.0};
  TfidfTransformer t(weighting(lexsim::Norm::none, true, false, true));
  t.fit(lexsim::view(X));
  CHECK(t.document_frequencies() == std::vector<std::int64_t>{2, 1, 0});  // a stored zero counts, as in scikit-learn
  CHECK(std::isinf(t.idf()[2]));                                          // ln(2 / 0) + 1, as scikit-learn's
  const auto W = t.transform<double>(lexsim::view(X));
  CHECK(W.data[1] == 0.0);  // sublinear tf keeps a stored zero at zero
  CHECK(W.data[0] == Approx((1 + std::log(2.0)) * (std::log(2.0 / 2.0) + 1)).epsilon(1e-15));
  TfidfTransformer smooth;
  smooth.fit(lexsim::view(X));
  CHECK(smooth.idf()[2] == Approx(std::log(3.0) + 1).epsilon(1e-15));
}

TEST_CASE("TfidfTransformer: bad input is refused, naming the row and column, and changes nothing") {
  const auto good = csr<double>({{1, 0, 2}, {0, 1, 1}});
  TfidfTransformer t;
  t.fit(lexsim::view(good));
  const auto idf = t.idf();
  auto refused = [&](CsrMatrix<double> X, const std::string& words) {
    CHECK_THROWS_WITH(t.partial_fit(lexsim::view(X)), Catch::Contains(words));
    CHECK_THROWS_WITH(t.transform<double>(lexsim::view(X)), Catch::Contains(words));
    TfidfTransformer fresh;
    CHECK_THROWS_WITH(fresh.fit(lexsim::view(X)), Catch::Contains(words));
    CHECK_FALSE(fresh.is_fitted());
  };
  auto nan = good;
  nan.data[3] = std::numeric_limits<double>::quiet_NaN();
  refused(nan, "row 1, column 2 holds NaN");
  auto inf = good;
  inf.data[0] = -std::numeric_limits<double>::infinity();
  refused(inf, "row 0, column 0 holds -inf");
  auto duplicate = good;
  duplicate.indices[1] = 0;
  refused(duplicate, "row 0 stores column 0 twice");
  auto unsorted_duplicate = csr<double>({{1, 2, 3}});
  unsorted_duplicate.indices = {2, 0, 2};
  refused(unsorted_duplicate, "row 0 stores column 2 twice");
  auto outside = good;
  outside.indices[3] = 3;
  refused(outside, "column index 3");
  auto negative_index = good;
  negative_index.indices[0] = -1;
  refused(negative_index, "column index -1");
  auto decreasing = good;
  decreasing.indptr = {0, 3, 2};
  refused(decreasing, "indptr decreases at row 1");
  CHECK(t.n_documents() == 2);
  CHECK(same_bits(t.idf(), idf));

  // Shapes that disagree with the fit.
  const auto wide = csr<double>({{1, 0, 2, 1}});
  CHECK_THROWS_WITH(t.partial_fit(lexsim::view(wide)),
                    Catch::Contains("4 columns, but the transformer was fitted on 3"));
  CHECK_THROWS_WITH(t.transform<double>(lexsim::view(wide)), Catch::Contains("fitted on 3 columns"));
  TfidfTransformer other;
  other.fit(lexsim::view(wide));
  CHECK_THROWS_WITH(t.merge(other), Catch::Contains("fitted on 3 columns and on 4 columns"));
  TfidfTransformer l1(weighting(lexsim::Norm::l1, true, true, false));
  l1.fit(lexsim::view(good));
  CHECK_THROWS_WITH(t.merge(l1), Catch::Contains("norm (l2 vs l1)"));
  CHECK_THROWS_AS(t.merge(TfidfTransformer()), lexsim::NotFittedError);

  // Negative counts are weighted (as scikit-learn does), except through a logarithm.
  const auto signed_counts = csr<double>({{1, 0, -2}, {0, 1, 1}});
  CHECK_NOTHROW(t.transform<double>(lexsim::view(signed_counts)));
  TfidfTransformer sublinear(weighting(lexsim::Norm::l2, true, true, true));
  sublinear.fit(lexsim::view(signed_counts));  // fitting reads only where values are
  CHECK_THROWS_WITH(sublinear.transform<double>(lexsim::view(signed_counts)),
                    Catch::Contains("row 0, column 2 holds -2"));
  auto in_place = signed_counts;
  CHECK_THROWS_AS(sublinear.transform_in_place(in_place), lexsim::InvalidArgument);
  CHECK(same_bits(in_place.data, signed_counts.data));  // every row is checked before any changes

  // State that is not there.
  TfidfTransformer unfitted;
  CHECK_THROWS_AS(unfitted.transform<double>(lexsim::view(good)), lexsim::NotFittedError);
  CHECK_THROWS_AS(unfitted.n_features(), lexsim::NotFittedError);
  CHECK_THROWS_AS(unfitted.document_frequencies(), lexsim::NotFittedError);
  CHECK(unfitted.idf().empty());
  CHECK_THROWS_WITH(unfitted.set_counts(2, {1, 3}), Catch::Contains("document_frequencies[1] is 3"));
  CHECK_THROWS_AS(unfitted.set_counts(-1, {}), lexsim::InvalidArgument);
  CHECK_FALSE(unfitted.is_fitted());
}

TEST_CASE("TfidfTransformer: columns in any order within a row; the result keeps it") {
  const auto sorted = csr<double>({{1, 0, 2, 5}, {0, 1, 1, 0}, {3, 0, 0, 1}});
  auto shuffled = sorted;  // each row's entries reversed
  for (std::int64_t r = 0; r < shuffled.rows; ++r) {
    const auto b = static_cast<std::ptrdiff_t>(shuffled.indptr[static_cast<std::size_t>(r)]);
    const auto e = static_cast<std::ptrdiff_t>(shuffled.indptr[static_cast<std::size_t>(r) + 1]);
    std::reverse(shuffled.indices.begin() + b, shuffled.indices.begin() + e);
    std::reverse(shuffled.data.begin() + b, shuffled.data.begin() + e);
  }
  for (const auto& w : all_weightings()) {
    TfidfTransformer a(w), b(w, 2);
    a.fit(lexsim::view(sorted));
    b.fit(lexsim::view(shuffled));
    CHECK(a.document_frequencies() == b.document_frequencies());
    const auto want = a.transform<double>(lexsim::view(sorted));
    const auto got = b.transform<double>(lexsim::view(shuffled));
    CHECK(got.indices == shuffled.indices);
    for (std::int64_t r = 0; r < got.rows; ++r) {
      const auto b0 = got.indptr[static_cast<std::size_t>(r)], e0 = got.indptr[static_cast<std::size_t>(r) + 1];
      for (auto k = b0; k < e0; ++k)  // the same value at the mirrored place (l2 sums in another order: 1e-15)
        CHECK(got.data[static_cast<std::size_t>(k)] ==
              Approx(want.data[static_cast<std::size_t>(e0 - 1 - (k - b0))]).margin(1e-15));
    }
  }
}

TEST_CASE("TfidfTransformer: an idf set by hand") {
  const auto X = csr<double>({{1, 0, 2}, {0, 1, 1}});
  TfidfTransformer t;
  CHECK_THROWS_WITH(t.set_idf({1.0, std::nan("")}), Catch::Contains("idf[1] is NaN"));
  t.set_idf({1.0, 2.0, 3.0});  // unfitted: it fixes the number of columns
  CHECK(t.is_fitted());
  CHECK_FALSE(t.has_counts());
  CHECK(t.n_features() == 3);
  CHECK(t.idf_float() == std::vector<float>{1.0f, 2.0f, 3.0f});
  TfidfTransformer plain(weighting(lexsim::Norm::none, true, true, false));
  plain.set_idf({1.0, 2.0, 3.0});
  CHECK(plain.transform<double>(lexsim::view(X)).data == std::vector<double>{1.0, 6.0, 2.0, 3.0});
  CHECK_THROWS_WITH(t.partial_fit(lexsim::view(X)), Catch::Contains("set by hand"));
  TfidfTransformer fitted;
  fitted.fit(lexsim::view(X));
  CHECK_THROWS_WITH(fitted.set_idf({1.0, 2.0}), Catch::Contains("idf has 2 values but the transformer has 3 columns"));
  CHECK_THROWS_WITH(fitted.merge(t), Catch::Contains("no counts"));
  fitted.set_idf({1.0, 1.0, 1.0});
  CHECK(fitted.idf_set_by_hand());
  TfidfTransformer again;
  again.fit(lexsim::view(X));
  CHECK_THROWS_WITH(fitted.merge(again), Catch::Contains("set by hand"));
  CHECK_THROWS_WITH(again.merge(fitted), Catch::Contains("set by hand"));
  fitted.fit(lexsim::view(X));  // a fit computes the idf again
  CHECK_FALSE(fitted.idf_set_by_hand());
  CHECK(same_bits(fitted.idf(), again.idf()));
}

TEST_CASE("TfidfVectorizer weighs its counts with a TfidfTransformer") {
  const std::vector<std::string> docs{"the quick brown fox", "the lazy dog", "the quick dog jumps", "Erdoğan met Putin",
                                      "fox and dog and fox"};
  for (const auto& w : all_weightings()) {
    lexsim::TfidfOptions o;
    static_cast<TfidfWeighting&>(o) = w;
    lexsim::TfidfVectorizer v(o);
    const auto want = v.fit_transform_csr<double>(docs);
    lexsim::CountVectorizer c(o);
    const auto counts = c.fit_transform_csr<std::int64_t>(docs);
    TfidfTransformer t(w);
    t.fit(lexsim::view(counts));
    CHECK(same_matrix(t.transform<double>(lexsim::view(counts)), want));
    CHECK(v.transformer().document_frequencies() == v.document_frequencies());
    CHECK(v.transformer().n_documents() == 5);
    CHECK(same_bits(v.transformer().idf(), v.idf()));
    CHECK(same_bits(v.transformer().idf_float(), v.idf_float()));
    // float32: the float idf, as the vectorizer's float output.
    const auto want_f = v.transform_csr<float>(docs);
    const auto counts_f = c.transform_csr<float>(docs);
    CHECK(same_matrix(t.transform<float>(lexsim::view(counts_f)), want_f));
  }
  lexsim::TfidfOptions no_idf;
  no_idf.use_idf = false;
  lexsim::TfidfVectorizer v(no_idf);
  v.fit(docs);
  CHECK_THROWS_WITH(v.set_idf(std::vector<double>(v.feature_names().size(), 1.0)), Catch::Contains("use_idf is false"));
}

TEST_CASE("TfidfVectorizer's weighting equals a TfidfTransformer's on the corpora", "[corpora]") {
  const auto docs = lexsim_test::read_sentences(3000);
  for (const auto& w : all_weightings()) {
    lexsim::TfidfOptions o;
    static_cast<TfidfWeighting&>(o) = w;
    o.min_df = lexsim::DocFrequency::count(2);
    lexsim::TfidfVectorizer v(o);
    const auto want = v.fit_transform_csr<double>(docs);
    lexsim::CountVectorizer c(o);
    const auto counts = c.fit_transform_csr<std::int32_t>(docs);
    TfidfTransformer t(w, 2);
    for (std::int64_t begin = 0; begin < counts.rows; begin += 1000) {
      const auto part = rows_of(counts, begin, std::min<std::int64_t>(counts.rows, begin + 1000));
      t.partial_fit(lexsim::view(part));
    }
    CHECK(same_bits(t.idf(), v.idf()));
    CHECK(same_matrix(t.transform<double>(lexsim::view(counts)), want));
  }
}
