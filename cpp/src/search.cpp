#include "lexsim/search.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>

#include "lexsim/enums.hpp"
#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "lexsim/similarity.hpp"
#include "prepared.hpp"
#include "ranking.hpp"
#include "rows.hpp"
#include "search_state.hpp"

namespace lexsim {
namespace {

using detail::Array;
using detail::PostingArrays;
using detail::SearchState;
using detail::unit_rows;

std::string show(double v) {
  std::ostringstream s;
  s << std::setprecision(17) << v;
  return s.str();
}

std::string at(std::int64_t row, std::int64_t col) {
  return "row " + std::to_string(row) + ", column " + std::to_string(col);
}

bool has_baseline(Bm25Method m) { return m == Bm25Method::bm25l || m == Bm25Method::bm25plus; }

void check_options(const SearchOptions& o) {
  if (!enum_position(o.scoring))
    throw InvalidArgument("unknown scoring " + std::to_string(static_cast<int>(o.scoring)) + " (expected " +
                          enum_choices<Scoring>("") + ")");
  if (!enum_position(o.method))
    throw InvalidArgument("unknown BM25 method " + std::to_string(static_cast<int>(o.method)) + " (expected " +
                          enum_choices<Bm25Method>("") + ")");
  if (!(std::isfinite(o.k1) && o.k1 >= 0.0)) throw InvalidArgument("k1 must be finite and >= 0; got " + show(o.k1));
  if (!(o.b >= 0.0 && o.b <= 1.0)) throw InvalidArgument("b must be in [0, 1]; got " + show(o.b));
  if (o.scoring == Scoring::bm25 && o.method == Bm25Method::bm25l && o.k1 == 0.0)
    throw InvalidArgument(
        "bm25l needs k1 > 0: with k1 = 0 a term scores the same in every document, holding it or not");
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
    throw InvalidArgument(who + " has a negative shape (" + std::to_string(m.rows) + ", " + std::to_string(m.cols) +
                          ")");
  if (m.cols > std::numeric_limits<std::int32_t>::max())
    throw InvalidArgument(who + " has " + std::to_string(m.cols) + " columns; at most 2^31-1 are supported");
  if (m.rows > 0 && m.indptr == nullptr) throw InvalidArgument(who + " has no indptr");
  if (m.rows > 0 && m.indptr[0] != 0)
    throw InvalidArgument(who + ".indptr[0] must be 0; got " + std::to_string(static_cast<long long>(m.indptr[0])));
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
        throw InvalidArgument(who + " has column index " + std::to_string(c) + " out of range [0, " +
                              std::to_string(m.cols) + ") in row " + std::to_string(r));
      const T v = m.data[p];
      if (!std::isfinite(static_cast<double>(v)))
        throw InvalidArgument(who + " contains a non-finite value (" + show(static_cast<double>(v)) + ") at " +
                              at(r, c));
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

// The postings of `old` followed by those of the rows of m, numbered from first_row, with the values
// `values` (one per stored entry of m). Each term's rows stay increasing, so this is exactly the
// transpose of the old documents and m stacked.
template <class T>
PostingArrays<T> append_postings(const PostingArrays<T>& old, std::int64_t cols, const CsrMatrix<T>& m,
                                 const std::vector<T>& values, std::int64_t first_row) {
  const auto n_cols = static_cast<std::size_t>(cols);
  std::vector<std::int64_t> added(n_cols + 1, 0);
  for (const auto c : m.indices) ++added[static_cast<std::size_t>(c) + 1];
  std::vector<std::int64_t> start(n_cols + 1, 0);
  for (std::size_t t = 0; t < n_cols; ++t) start[t + 1] = start[t] + (old.end(t) - old.begin(t)) + added[t + 1];
  const auto nnz = static_cast<std::size_t>(start[n_cols]);
  std::vector<std::int32_t> row(nnz);
  std::vector<T> value(nnz);
  std::vector<std::int64_t> fill(n_cols);
  for (std::size_t t = 0; t < n_cols; ++t) {
    if (t % 4096 == 0) detail::poll_interrupt();
    const auto b = static_cast<std::size_t>(old.begin(t)), e = static_cast<std::size_t>(old.end(t));
    const auto at = static_cast<std::size_t>(start[t]);
    std::copy(old.row.data() + b, old.row.data() + e, row.data() + at);
    std::copy(old.value.data() + b, old.value.data() + e, value.data() + at);
    fill[t] = start[t] + static_cast<std::int64_t>(e - b);
  }
  for (std::int64_t r = 0; r < m.rows; ++r) {
    if (r % 4096 == 0) detail::poll_interrupt();
    for (auto p = static_cast<std::size_t>(m.indptr[static_cast<std::size_t>(r)]);
         p < static_cast<std::size_t>(m.indptr[static_cast<std::size_t>(r) + 1]); ++p) {
      const auto at = static_cast<std::size_t>(fill[static_cast<std::size_t>(m.indices[p])]++);
      row[at] = static_cast<std::int32_t>(first_row + r);
      value[at] = values[p];
    }
  }
  PostingArrays<T> out;
  out.start = Array<std::int64_t>(std::move(start));
  out.row = Array<std::int32_t>(std::move(row));
  out.value = Array<T>(std::move(value));
  return out;
}

// BM25 from the raw counts: the lengths, avgdl, the idf, the baselines, and the postings of the
// weights idf(t) * tfc(tf) less the term's baseline, zero weights left out (see search.hpp). A
// row's length sums its counts in term order, as a row-by-row pass over the documents would.
template <class T>
void bm25_weights(SearchState<T>& s) {
  const SearchOptions& o = s.options;
  const auto n = static_cast<std::size_t>(s.rows);
  const auto cols = static_cast<std::size_t>(s.cols);
  const PostingArrays<T>& c = s.counts;
  // Lengths are kept per document slot: the document itself, or, when the documents far outnumber
  // the stored counts (many empty documents, or a small file that claims many), its place among
  // the documents that hold a term, so that memory follows the counts. Either way each length
  // and the total add the same numbers in the same order (empty documents add nothing).
  const auto nnz = cols > 0 ? static_cast<std::size_t>(c.end(cols - 1) - c.begin(0)) : std::size_t{0};
  const bool dense = n <= std::max<std::size_t>(std::size_t{1} << 16, 4 * nnz);
  std::vector<std::int32_t> held;  // sparse: the documents that hold a term, increasing
  if (!dense) {
    held.reserve(nnz);
    for (std::size_t t = 0; t < cols; ++t)
      for (auto p = static_cast<std::size_t>(c.begin(t)); p < static_cast<std::size_t>(c.end(t)); ++p)
        held.push_back(c.row[p]);
    std::sort(held.begin(), held.end());
    held.erase(std::unique(held.begin(), held.end()), held.end());
  }
  auto slot = [&](std::int32_t r) {
    return dense ? static_cast<std::size_t>(r)
                 : static_cast<std::size_t>(std::lower_bound(held.begin(), held.end(), r) - held.begin());
  };
  std::vector<double> length(dense ? n : held.size(), 0.0);
  for (std::size_t t = 0; t < cols; ++t)
    for (auto p = static_cast<std::size_t>(c.begin(t)); p < static_cast<std::size_t>(c.end(t)); ++p)
      length[slot(c.row[p])] += static_cast<double>(c.value[p]);
  double total = 0;
  for (const double l : length) total += l;
  s.avgdl = n > 0 ? total / static_cast<double>(n) : 0.0;
  const double N = static_cast<double>(n);
  s.idf.assign(cols, 0.0);
  for (std::size_t t = 0; t < cols; ++t) {
    const auto df = c.end(t) - c.begin(t);
    if (df > 0) s.idf[t] = idf_of(o.method, N, static_cast<double>(df));
  }
  const bool shifted = has_baseline(o.method);
  s.baseline.clear();
  if (shifted) {
    // tfc(0), whatever the document's length (written out: bm25+'s formula is 0 / 0 at tf = 0 when
    // k1 = 0; bm25l needs k1 > 0).
    const double tfc0 = o.method == Bm25Method::bm25l ? (o.k1 + 1.0) * o.delta / (o.k1 + o.delta) : o.delta;
    s.baseline.assign(cols, 0.0);
    for (std::size_t t = 0; t < cols; ++t)
      if (c.end(t) > c.begin(t)) s.baseline[t] = s.idf[t] * tfc0;
  }
  // avgdl is 0 only when no document holds a term, and then there is nothing to weight.
  std::vector<double> L(length.size());
  for (std::size_t r = 0; r < L.size(); ++r) L[r] = 1.0 - o.b + o.b * length[r] / s.avgdl;
  std::vector<std::int64_t> start(cols + 1, 0);
  std::vector<std::int32_t> row;
  std::vector<T> value;
  row.reserve(c.row.size());
  value.reserve(c.row.size());
  for (std::size_t t = 0; t < cols; ++t) {
    if (t % 4096 == 0) detail::poll_interrupt();
    for (auto p = static_cast<std::size_t>(c.begin(t)); p < static_cast<std::size_t>(c.end(t)); ++p) {
      double weight = s.idf[t] * tfc_of(o, static_cast<double>(c.value[p]), L[slot(c.row[p])]);
      if (shifted) weight -= s.baseline[t];
      if (weight == 0.0) continue;
      row.push_back(c.row[p]);
      value.push_back(static_cast<T>(weight));
    }
    start[t + 1] = static_cast<std::int64_t>(row.size());
  }
  row.shrink_to_fit();
  value.shrink_to_fit();
  s.postings = PostingArrays<T>{};
  s.postings.start = Array<std::int64_t>(std::move(start));
  s.postings.row = Array<std::int32_t>(std::move(row));
  s.postings.value = Array<T>(std::move(value));
}

// The state of `old` with the documents m (canonical) appended: a new state in memory; `old` is
// not changed (copies of the index and searches under way keep it).
template <class T>
std::shared_ptr<const SearchState<T>> grown(const SearchState<T>& old, const CsrMatrix<T>& m) {
  auto s = std::make_shared<SearchState<T>>();
  s->options = old.options;
  s->cols = old.cols;
  s->rows = old.rows + m.rows;
  if (old.options.scoring == Scoring::bm25) {
    s->counts = append_postings(old.counts, old.cols, m, m.data, old.rows);
    bm25_weights(*s);
  } else {
    s->postings = append_postings(old.postings, old.cols, m, unit_rows(view(m)), old.rows);
  }
  return s;
}

std::string term_at(std::size_t term) { return "term " + std::to_string(term); }

}  // namespace

namespace detail {

template <class T>
void check_term(const SearchState<T>& s, std::size_t term, bool counts_too, const std::string& where) {
  auto check = [&](const PostingArrays<T>& a, const char* section, bool counts) {
    const auto b = static_cast<std::size_t>(a.begin(term)), e = static_cast<std::size_t>(a.end(term));
    for (std::size_t p = b; p < e; ++p) {
      const std::int32_t r = a.row[p];
      if (r < 0 || r >= s.rows || (p > b && r <= a.row[p - 1]))
        throw ModelFormatError(where + "section '" + section + "': " + term_at(term) + " lists document " +
                                   std::to_string(r) +
                                   (r < 0 || r >= s.rows ? " of " + std::to_string(s.rows) : " out of order") +
                                   " (byte offset " + std::to_string(a.row_at + 4 * p) + ")",
                               a.row_at + 4 * p);
      const double v = static_cast<double>(a.value[p]);
      if (!std::isfinite(v) || (counts && (v <= 0.0 || std::floor(v) != v)))
        throw ModelFormatError(where + "section '" + section + "': " + term_at(term) + " holds " +
                                   (counts ? "the count " : "the weight ") + show(v) + " for document " +
                                   std::to_string(r) + " (byte offset " + std::to_string(a.value_at + sizeof(T) * p) +
                                   ")",
                               a.value_at + sizeof(T) * p);
    }
  };
  check(s.postings, "POST", false);
  if (!counts_too || s.options.scoring != Scoring::bm25) return;
  check(s.counts, "RAWC", true);
  // Every weight is one of a count's: the term's weighted documents are among its counted ones.
  auto c = static_cast<std::size_t>(s.counts.begin(term));
  const auto c_end = static_cast<std::size_t>(s.counts.end(term));
  for (auto p = static_cast<std::size_t>(s.postings.begin(term)); p < static_cast<std::size_t>(s.postings.end(term));
       ++p) {
    while (c < c_end && s.counts.row[c] < s.postings.row[p]) ++c;
    if (c == c_end || s.counts.row[c] != s.postings.row[p])
      throw ModelFormatError(
          where + "section 'POST': " + term_at(term) + " weighs document " + std::to_string(s.postings.row[p]) +
              ", which section 'RAWC' does not count (byte offset " + std::to_string(s.postings.row_at + 4 * p) + ")",
          s.postings.row_at + 4 * p);
  }
}

template <class T>
void check_all(const SearchState<T>& s, const std::string& where) {
  for (std::size_t t = 0; t < static_cast<std::size_t>(s.cols); ++t) {
    if (t % 4096 == 0) poll_interrupt();
    check_term(s, t, true, where);
  }
}

void check_search_options(const SearchOptions& options) { check_options(options); }

template void check_term(const SearchState<double>&, std::size_t, bool, const std::string&);
template void check_term(const SearchState<float>&, std::size_t, bool, const std::string&);
template void check_all(const SearchState<double>&, const std::string&);
template void check_all(const SearchState<float>&, const std::string&);

}  // namespace detail

namespace {

// The prefix of the errors found in a mapped index's arrays.
template <class T>
std::string mapped_where(const SearchState<T>& s) {
  return "the index mapped from '" + s.file->path() + "' is damaged: ";
}

// A mapped index checks a term's postings the first time a search reads them.
template <class T>
void check_terms_of(const SearchState<T>& s, const std::vector<std::int32_t>& terms) {
  if (!s.checked) return;
  for (const std::int32_t t : terms) {
    auto& flag = s.checked[static_cast<std::size_t>(t)];
    if (flag.load(std::memory_order_acquire)) continue;
    detail::check_term(s, static_cast<std::size_t>(t), false, mapped_where(s));
    flag.store(1, std::memory_order_release);
  }
}

// A mapped index read whole (by add() or matrix()): every array checked first.
template <class T>
void check_everything(const SearchState<T>& s) {
  if (!s.checked) return;
  if (s.file) s.file->check_size();
  detail::check_all(s, mapped_where(s));
  for (std::size_t t = 0; t < static_cast<std::size_t>(s.cols); ++t) s.checked[t].store(1, std::memory_order_release);
}

}  // namespace

const char* method_name(Bm25Method method) noexcept {
  const std::string_view name = to_string(method);
  return name.empty() ? "unknown" : name.data();  // the table's names are literals: NUL-terminated
}

Bm25Method parse_bm25_method(const std::string& name) {
  if (const auto method = from_string<Bm25Method>(name)) return *method;
  throw InvalidArgument("unknown BM25 method '" + name + "'; expected " + enum_choices<Bm25Method>());
}

template <class T>
template <class IndPtr, class Ind>
SearchIndex<T>::SearchIndex(const CsrView<T, IndPtr, Ind>& documents, const SearchOptions& options) {
  check_options(options);
  if (documents.rows > std::numeric_limits<std::int32_t>::max())
    throw InvalidArgument("the document matrix has " + std::to_string(documents.rows) +
                          " rows; at most 2^31-1 are supported");
  const bool bm25 = options.scoring == Scoring::bm25;
  const CsrMatrix<T> m = canonical_copy(documents, "the document matrix", bm25 ? Values::counts : Values::any);
  SearchState<T> empty;
  empty.options = options;
  empty.cols = m.cols;
  state_ = grown(empty, m);
}

template <class T>
SearchIndex<T>::SearchIndex(const SparseMatrix<T>& documents, const SearchOptions& options)
    : SearchIndex(view(documents), options) {}

template <class T>
template <class IndPtr, class Ind>
SearchIndex<T>& SearchIndex<T>::add(const CsrView<T, IndPtr, Ind>& documents) {
  const SearchState<T>& s = *state_;
  if (documents.cols != s.cols)
    throw InvalidArgument("the document matrix has " + std::to_string(documents.cols) + " columns but the index has " +
                          std::to_string(s.cols) + " terms");
  if (documents.rows > std::numeric_limits<std::int32_t>::max() - s.rows)
    throw InvalidArgument("adding " + std::to_string(documents.rows) + " documents to " + std::to_string(s.rows) +
                          " would make more than 2^31-1");
  const bool bm25 = s.options.scoring == Scoring::bm25;
  const CsrMatrix<T> m = canonical_copy(documents, "the document matrix", bm25 ? Values::counts : Values::any);
  check_everything(s);
  state_ = grown(s, m);
  return *this;
}

template <class T>
SearchIndex<T>& SearchIndex<T>::add(const SparseMatrix<T>& documents) {
  return add(view(documents));
}

template <class T>
template <class IndPtr, class Ind>
CsrMatrix<T> SearchIndex<T>::search(const CsrView<T, IndPtr, Ind>& queries, std::int64_t k, int n_jobs) const {
  const std::shared_ptr<const SearchState<T>> keep = state_;
  const SearchState<T>& s = *keep;
  if (k <= 0) throw InvalidArgument("k must be a positive integer; got " + std::to_string(k));
  if (queries.cols != s.cols)
    throw InvalidArgument("the query matrix has " + std::to_string(queries.cols) + " columns but the index has " +
                          std::to_string(s.cols) + " terms");
  const bool bm25 = s.options.scoring == Scoring::bm25;
  CsrMatrix<T> q = canonical_copy(queries, "the query matrix", bm25 ? Values::non_negative : Values::any);
  // BM25 scores the set of query terms: a term counts once, whatever its count or weight.
  if (bm25) std::fill(q.data.begin(), q.data.end(), T(1));
  if (s.file) s.file->check_size();
  check_terms_of(s, q.indices);
  TopKOptions opt;
  opt.k = k;
  opt.n_jobs = n_jobs;
  opt.normalize = !bm25;
  CsrMatrix<T> out = detail::top_k_prepared(view(q), opt, s.view(), s.rows, s.cols);
  if (bm25 && has_baseline(s.options.method)) {
    // Every document returned holds a query term; give it the baselines of all the query's terms.
    for (std::int64_t r = 0; r < out.rows; ++r) {
      double shift = 0;
      for (auto p = q.indptr[static_cast<std::size_t>(r)]; p < q.indptr[static_cast<std::size_t>(r) + 1]; ++p)
        shift += s.baseline[static_cast<std::size_t>(q.indices[static_cast<std::size_t>(p)])];
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
const SearchOptions& SearchIndex<T>::options() const noexcept {
  return state_->options;
}
template <class T>
std::int64_t SearchIndex<T>::n_documents() const noexcept {
  return state_->rows;
}
template <class T>
std::int64_t SearchIndex<T>::n_terms() const noexcept {
  return state_->cols;
}
template <class T>
const std::vector<double>& SearchIndex<T>::idf() const noexcept {
  return state_->idf;
}
template <class T>
const std::vector<double>& SearchIndex<T>::baseline() const noexcept {
  return state_->baseline;
}
template <class T>
double SearchIndex<T>::average_length() const noexcept {
  return state_->avgdl;
}
template <class T>
bool SearchIndex<T>::is_mapped() const noexcept {
  return state_->file != nullptr;
}

template <class T>
CsrMatrix<T> SearchIndex<T>::matrix() const {
  const SearchState<T>& s = *state_;
  check_everything(s);
  const PostingArrays<T>& a = s.postings;
  CsrMatrix<T> m;
  m.rows = s.rows;
  m.cols = s.cols;
  m.indptr.assign(static_cast<std::size_t>(s.rows) + 1, 0);
  for (const auto r : a.row) ++m.indptr[static_cast<std::size_t>(r) + 1];
  for (std::size_t r = 0; r < static_cast<std::size_t>(s.rows); ++r) m.indptr[r + 1] += m.indptr[r];
  m.indices.resize(a.row.size());
  m.data.resize(a.row.size());
  std::vector<std::int64_t> fill(m.indptr.begin(), m.indptr.end() - 1);
  for (std::size_t t = 0; t < static_cast<std::size_t>(s.cols); ++t) {
    for (auto p = static_cast<std::size_t>(a.begin(t)); p < static_cast<std::size_t>(a.end(t)); ++p) {
      const auto at = static_cast<std::size_t>(fill[static_cast<std::size_t>(a.row[p])]++);
      m.indices[at] = static_cast<std::int32_t>(t);
      m.data[at] = a.value[p];
    }
  }
  return m;
}

template <class T>
std::vector<IndexArray> SearchIndex<T>::arrays() const {
  const SearchState<T>& s = *state_;
  std::vector<IndexArray> out = {
      {"postings.start", s.postings.start.data(), s.postings.start.size() * sizeof(std::int64_t)},
      {"postings.row", s.postings.row.data(), s.postings.row.size() * sizeof(std::int32_t)},
      {"postings.value", s.postings.value.data(), s.postings.value.size() * sizeof(T)},
  };
  if (s.options.scoring == Scoring::bm25) {
    out.push_back({"counts.start", s.counts.start.data(), s.counts.start.size() * sizeof(std::int64_t)});
    out.push_back({"counts.row", s.counts.row.data(), s.counts.row.size() * sizeof(std::int32_t)});
    out.push_back({"counts.value", s.counts.value.data(), s.counts.value.size() * sizeof(T)});
  }
  return out;
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
  std::sort(hits.begin(), hits.end(),
            [](const Hit<T>& x, const Hit<T>& y) { return detail::ranks_before(x.score, x.doc, y.score, y.doc); });
  return hits;
}

template class SearchIndex<double>;
template class SearchIndex<float>;

#define LEXSIM_SEARCH_INSTANTIATE(T, IP, I)                                             \
  template SearchIndex<T>::SearchIndex(const CsrView<T, IP, I>&, const SearchOptions&); \
  template SearchIndex<T>& SearchIndex<T>::add<IP, I>(const CsrView<T, IP, I>&);        \
  template CsrMatrix<T> SearchIndex<T>::search<IP, I>(const CsrView<T, IP, I>&, std::int64_t, int) const;
LEXSIM_SEARCH_INSTANTIATE(double, std::int64_t, std::int32_t)
LEXSIM_SEARCH_INSTANTIATE(float, std::int64_t, std::int32_t)
LEXSIM_SEARCH_INSTANTIATE(double, std::int32_t, std::int32_t)
LEXSIM_SEARCH_INSTANTIATE(float, std::int32_t, std::int32_t)
#undef LEXSIM_SEARCH_INSTANTIATE

template std::vector<Hit<double>> ranked(const CsrMatrix<double>&, std::int64_t);
template std::vector<Hit<float>> ranked(const CsrMatrix<float>&, std::int64_t);

}  // namespace lexsim
