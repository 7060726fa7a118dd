#include "lexsim/search.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "lexsim/similarity.hpp"

namespace lexsim {
namespace {

std::string show(double v) {
  std::ostringstream s;
  s << std::setprecision(17) << v;
  return s.str();
}

std::string at(std::int64_t row, std::int64_t col) {
  return "row " + std::to_string(row) + ", column " + std::to_string(col);
}

constexpr Bm25Method kMethods[] = {Bm25Method::robertson, Bm25Method::lucene, Bm25Method::atire, Bm25Method::bm25l,
                                   Bm25Method::bm25plus};

bool known(Bm25Method m) {
  return std::find(std::begin(kMethods), std::end(kMethods), m) != std::end(kMethods);
}

bool has_baseline(Bm25Method m) { return m == Bm25Method::bm25l || m == Bm25Method::bm25plus; }

void check_options(const SearchOptions& o) {
  if (o.scoring != Scoring::cosine && o.scoring != Scoring::bm25)
    throw InvalidArgument("unknown scoring " + std::to_string(static_cast<int>(o.scoring)) + " (expected cosine or bm25)");
  if (!known(o.method))
    throw InvalidArgument("unknown BM25 method " + std::to_string(static_cast<int>(o.method)) +
                          " (expected robertson, lucene, atire, bm25l or bm25+)");
  if (!(std::isfinite(o.k1) && o.k1 >= 0.0)) throw InvalidArgument("k1 must be finite and >= 0; got " + show(o.k1));
  if (!(o.b >= 0.0 && o.b <= 1.0)) throw InvalidArgument("b must be in [0, 1]; got " + show(o.b));
  if (o.scoring == Scoring::bm25 && o.method == Bm25Method::bm25l && o.k1 == 0.0)
    throw InvalidArgument("bm25l needs k1 > 0: with k1 = 0 a term scores the same in every document, holding it or not");
  if (!(std::isfinite(o.delta) && o.delta >= 0.0))
    throw InvalidArgument("delta must be finite and >= 0; got " + show(o.delta));
}

// The method's idf of a term in nt of N documents (1 <= nt <= N).
double idf_of(Bm25Method m, double N, double nt) {
  switch (m) {
    case Bm25Method::robertson: return std::max(0.0, std::log((N - nt + 0.5) / (nt + 0.5)));
    case Bm25Method::lucene: return std::log(1.0 + (N - nt + 0.5) / (nt + 0.5));
    case Bm25Method::atire: return std::log(N / nt);
    case Bm25Method::bm25l: return std::log((N + 1.0) / (nt + 0.5));
    case Bm25Method::bm25plus: return std::log((N + 1.0) / nt);
  }
  return 0.0;
}

// The method's term-frequency component for tf occurrences in a document whose length factor is
// L = 1 - b + b * |d| / avgdl.
double tfc_of(const SearchOptions& o, double tf, double L) {
  switch (o.method) {
    case Bm25Method::robertson:
    case Bm25Method::lucene: return tf / (o.k1 * L + tf);
    case Bm25Method::atire: return tf * (o.k1 + 1.0) / (tf + o.k1 * L);
    case Bm25Method::bm25l: {
      const double c = tf / L;
      return (o.k1 + 1.0) * (c + o.delta) / (o.k1 + c + o.delta);
    }
    case Bm25Method::bm25plus: return (o.k1 + 1.0) * tf / (o.k1 * L + tf) + o.delta;
  }
  return 0.0;
}

// What a stored value must be, beyond finite.
enum class Values { any, non_negative, counts };

// A validated copy in canonical form: columns sorted within each row, duplicates summed, zeros
// left out. Errors name the matrix, the row and the column of the first bad value.
template <class T, class IndPtr, class Ind>
CsrMatrix<T> canonical_copy(const CsrView<T, IndPtr, Ind>& m, const char* name, Values rule) {
  const std::string who(name);
  if (m.rows < 0 || m.cols < 0)
    throw InvalidArgument(who + " has a negative shape (" + std::to_string(m.rows) + ", " + std::to_string(m.cols) + ")");
  if (m.cols > std::numeric_limits<std::int32_t>::max())
    throw InvalidArgument(who + " has " + std::to_string(m.cols) + " columns; at most 2^31-1 are supported");
  if (m.rows > 0 && m.indptr == nullptr) throw InvalidArgument(who + " has no indptr");
  if (m.rows > 0 && m.indptr[0] != 0) throw InvalidArgument(who + ".indptr[0] must be 0; got " + std::to_string(static_cast<long long>(m.indptr[0])));
  CsrMatrix<T> out;
  out.rows = m.rows;
  out.cols = m.cols;
  out.indptr.reserve(static_cast<std::size_t>(m.rows) + 1);
  const auto nnz = m.rows > 0 ? static_cast<std::int64_t>(m.indptr[m.rows]) : 0;
  out.indices.reserve(static_cast<std::size_t>(std::max<std::int64_t>(nnz, 0)));
  out.data.reserve(static_cast<std::size_t>(std::max<std::int64_t>(nnz, 0)));
  std::vector<std::pair<std::int32_t, T>> row;
  for (std::int64_t r = 0; r < m.rows; ++r) {
    detail::poll_interrupt();
    const auto b = static_cast<std::int64_t>(m.indptr[r]), e = static_cast<std::int64_t>(m.indptr[r + 1]);
    if (e < b) throw InvalidArgument(who + ".indptr decreases at row " + std::to_string(r));
    row.clear();
    bool sorted = true;
    for (std::int64_t p = b; p < e; ++p) {
      const auto c = static_cast<std::int64_t>(m.indices[p]);
      if (c < 0 || c >= m.cols)
        throw InvalidArgument(who + " has column index " + std::to_string(c) + " out of range [0, " + std::to_string(m.cols) +
                              ") in row " + std::to_string(r));
      const T v = m.data[p];
      if (!std::isfinite(static_cast<double>(v)))
        throw InvalidArgument(who + " contains a non-finite value (" + show(static_cast<double>(v)) + ") at " + at(r, c));
      if (rule == Values::counts && (v < T(0) || std::floor(v) != v))
        throw InvalidArgument("BM25 needs raw term counts (non-negative integers); " + who + " holds " +
                              show(static_cast<double>(v)) + " at " + at(r, c));
      if (rule == Values::non_negative && v < T(0))
        throw InvalidArgument("BM25 queries must not hold negative values; " + who + " holds " +
                              show(static_cast<double>(v)) + " at " + at(r, c));
      if (!row.empty() && row.back().first >= c) sorted = false;
      row.emplace_back(static_cast<std::int32_t>(c), v);
    }
    if (!sorted) {
      std::stable_sort(row.begin(), row.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      std::size_t w = 0;
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (w > 0 && row[w - 1].first == row[i].first) {
          row[w - 1].second += row[i].second;
        } else {
          row[w++] = row[i];
        }
      }
      row.resize(w);
    }
    for (const auto& [c, v] : row) {
      if (v == T(0)) continue;
      if (!std::isfinite(static_cast<double>(v)))  // duplicates that overflowed when summed
        throw InvalidArgument(who + " has duplicate entries at " + at(r, c) + " whose sum is not finite");
      out.indices.push_back(c);
      out.data.push_back(v);
    }
    out.indptr.push_back(static_cast<std::int64_t>(out.data.size()));
  }
  return out;
}

// Replaces counts with BM25 weights less the term's baseline (see search.hpp) and leaves out the
// zero ones.
template <class T>
void bm25_weights(CsrMatrix<T>& m, const SearchOptions& o, std::vector<double>& idf, std::vector<double>& baseline,
                  double& avgdl) {
  const auto n = static_cast<std::size_t>(m.rows);
  std::vector<double> length(n, 0.0);
  std::vector<std::int64_t> df(static_cast<std::size_t>(m.cols), 0);
  double total = 0;
  for (std::size_t r = 0; r < n; ++r) {
    for (auto p = static_cast<std::size_t>(m.indptr[r]); p < static_cast<std::size_t>(m.indptr[r + 1]); ++p) {
      length[r] += static_cast<double>(m.data[p]);
      ++df[static_cast<std::size_t>(m.indices[p])];
    }
    total += length[r];
  }
  avgdl = n > 0 ? total / static_cast<double>(n) : 0.0;
  const double N = static_cast<double>(n);
  idf.assign(df.size(), 0.0);
  for (std::size_t t = 0; t < df.size(); ++t)
    if (df[t] > 0) idf[t] = idf_of(o.method, N, static_cast<double>(df[t]));
  const bool shifted = has_baseline(o.method);
  if (shifted) {
    // tfc(0), whatever the document's length (written out: bm25+'s formula is 0 / 0 at tf = 0 when
    // k1 = 0; bm25l needs k1 > 0).
    const double tfc0 = o.method == Bm25Method::bm25l ? (o.k1 + 1.0) * o.delta / (o.k1 + o.delta) : o.delta;
    baseline.assign(df.size(), 0.0);
    for (std::size_t t = 0; t < df.size(); ++t)
      if (df[t] > 0) baseline[t] = idf[t] * tfc0;
  }
  // avgdl is 0 only when no document holds a term, and then there is nothing to weight.
  std::size_t w = 0, b = 0;  // compacting in place: b is the row's original start
  for (std::size_t r = 0; r < n; ++r) {
    detail::poll_interrupt();
    const auto e = static_cast<std::size_t>(m.indptr[r + 1]);
    const double L = 1.0 - o.b + o.b * length[r] / avgdl;
    for (std::size_t p = b; p < e; ++p) {
      const auto t = static_cast<std::size_t>(m.indices[p]);
      double weight = idf[t] * tfc_of(o, static_cast<double>(m.data[p]), L);
      if (shifted) weight -= baseline[t];
      if (weight == 0.0) continue;
      m.indices[w] = m.indices[p];
      m.data[w] = static_cast<T>(weight);
      ++w;
    }
    m.indptr[r + 1] = static_cast<std::int64_t>(w);
    b = e;
  }
  m.indices.resize(w);
  m.data.resize(w);
}

}  // namespace

const char* method_name(Bm25Method method) noexcept {
  switch (method) {
    case Bm25Method::robertson: return "robertson";
    case Bm25Method::lucene: return "lucene";
    case Bm25Method::atire: return "atire";
    case Bm25Method::bm25l: return "bm25l";
    case Bm25Method::bm25plus: return "bm25+";
  }
  return "unknown";
}

Bm25Method parse_bm25_method(const std::string& name) {
  for (const auto m : kMethods)
    if (name == method_name(m)) return m;
  throw InvalidArgument("unknown BM25 method '" + name + "'; expected 'robertson', 'lucene', 'atire', 'bm25l' or 'bm25+'");
}

template <class T>
template <class IndPtr, class Ind>
SearchIndex<T>::SearchIndex(const CsrView<T, IndPtr, Ind>& documents, const SearchOptions& options) : options_(options) {
  check_options(options_);
  if (documents.rows > std::numeric_limits<std::int32_t>::max())
    throw InvalidArgument("the document matrix has " + std::to_string(documents.rows) + " rows; at most 2^31-1 are supported");
  const bool bm25 = options_.scoring == Scoring::bm25;
  matrix_ = canonical_copy(documents, "the document matrix", bm25 ? Values::counts : Values::any);
  if (bm25) bm25_weights(matrix_, options_, idf_, baseline_, avgdl_);
  index_ = std::make_shared<const TopKIndex<T>>(view(matrix_), /*normalize=*/!bm25);
}

template <class T>
SearchIndex<T>::SearchIndex(const SparseMatrix<T>& documents, const SearchOptions& options)
    : SearchIndex(view(documents), options) {}

template <class T>
template <class IndPtr, class Ind>
CsrMatrix<T> SearchIndex<T>::search(const CsrView<T, IndPtr, Ind>& queries, std::int64_t k, int n_jobs) const {
  if (k <= 0) throw InvalidArgument("k must be a positive integer; got " + std::to_string(k));
  if (queries.cols != n_terms())
    throw InvalidArgument("the query matrix has " + std::to_string(queries.cols) + " columns but the index has " +
                          std::to_string(n_terms()) + " terms");
  const bool bm25 = options_.scoring == Scoring::bm25;
  CsrMatrix<T> q = canonical_copy(queries, "the query matrix", bm25 ? Values::non_negative : Values::any);
  // BM25 scores the set of query terms: a term counts once, whatever its count or weight.
  if (bm25) std::fill(q.data.begin(), q.data.end(), T(1));
  TopKOptions opt;
  opt.k = k;
  opt.n_jobs = n_jobs;
  opt.normalize = !bm25;
  CsrMatrix<T> out = index_->top_k(view(q), opt);
  if (bm25 && has_baseline(options_.method)) {
    // Every document returned holds a query term; give it the baselines of all the query's terms.
    for (std::int64_t r = 0; r < out.rows; ++r) {
      double shift = 0;
      for (auto p = q.indptr[static_cast<std::size_t>(r)]; p < q.indptr[static_cast<std::size_t>(r) + 1]; ++p)
        shift += baseline_[static_cast<std::size_t>(q.indices[static_cast<std::size_t>(p)])];
      for (auto p = out.indptr[static_cast<std::size_t>(r)]; p < out.indptr[static_cast<std::size_t>(r) + 1]; ++p)
        out.data[static_cast<std::size_t>(p)] =
            static_cast<T>(static_cast<double>(out.data[static_cast<std::size_t>(p)]) + shift);
    }
  }
  return out;
}

template <class T>
SparseMatrix<T> SearchIndex<T>::search(const SparseMatrix<T>& queries, std::int64_t k, int n_jobs) const {
  return to_eigen(search(view(queries), k, n_jobs));
}

template <class T>
std::vector<Hit<T>> SearchIndex<T>::search(const std::vector<std::pair<std::int32_t, T>>& query, std::int64_t k) const {
  CsrMatrix<T> q;
  q.rows = 1;
  q.cols = n_terms();
  for (const auto& [c, v] : query) {
    q.indices.push_back(c);
    q.data.push_back(v);
  }
  q.indptr.push_back(static_cast<std::int64_t>(q.data.size()));
  return ranked(search(view(q), k, 1), 0);
}

template <class T>
std::vector<Hit<T>> ranked(const CsrMatrix<T>& results, std::int64_t row) {
  if (row < 0 || row >= results.rows)
    throw InvalidArgument("row " + std::to_string(row) + " is out of range for a result with " +
                          std::to_string(results.rows) + " rows");
  std::vector<Hit<T>> hits;
  const auto r = static_cast<std::size_t>(row);
  for (auto p = static_cast<std::size_t>(results.indptr[r]); p < static_cast<std::size_t>(results.indptr[r + 1]); ++p)
    hits.push_back({results.indices[p], results.data[p]});
  std::sort(hits.begin(), hits.end(), [](const Hit<T>& x, const Hit<T>& y) {
    return x.score > y.score || (x.score == y.score && x.doc < y.doc);
  });
  return hits;
}

template class SearchIndex<double>;
template class SearchIndex<float>;

#define LEXSIM_SEARCH_INSTANTIATE(T, IP, I)                                                      \
  template SearchIndex<T>::SearchIndex(const CsrView<T, IP, I>&, const SearchOptions&);         \
  template CsrMatrix<T> SearchIndex<T>::search<IP, I>(const CsrView<T, IP, I>&, std::int64_t, int) const;
LEXSIM_SEARCH_INSTANTIATE(double, std::int64_t, std::int32_t)
LEXSIM_SEARCH_INSTANTIATE(float, std::int64_t, std::int32_t)
LEXSIM_SEARCH_INSTANTIATE(double, std::int32_t, std::int32_t)
LEXSIM_SEARCH_INSTANTIATE(float, std::int32_t, std::int32_t)
#undef LEXSIM_SEARCH_INSTANTIATE

template std::vector<Hit<double>> ranked(const CsrMatrix<double>&, std::int64_t);
template std::vector<Hit<float>> ranked(const CsrMatrix<float>&, std::int64_t);

}  // namespace lexsim
