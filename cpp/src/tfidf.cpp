#include "lexsim/tfidf.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "lexsim/enums.hpp"
#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "parallel.hpp"
#include "row_blocks.hpp"

namespace lexsim {

namespace {

std::string show(Norm n) { return std::string(to_string(n)); }
std::string show(bool b) { return b ? "true" : "false"; }

template <class T>
std::string value_text(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", static_cast<double>(v));
    return buf;
  } else {
    return std::to_string(v);
  }
}

std::string columns_text(std::int64_t n) { return std::to_string(n) + (n == 1 ? " column" : " columns"); }

// The idf scikit-learn computes: n and df + s in the arithmetic of the fit's counts (float32
// counts: float throughout), n = documents + s as an integer first, then ln(n / (df + s)) + 1.
struct Idf {
  std::vector<double> f64;
  std::vector<float> f32;
};

Idf idf_of(std::int64_t n_documents, const std::vector<std::int64_t>& df, bool smooth) {
  const std::int64_t s = smooth ? 1 : 0;
  const double n = static_cast<double>(n_documents + s), sd = static_cast<double>(s);
  const float nf = static_cast<float>(n_documents + s), sf = static_cast<float>(s);
  Idf out;
  out.f64.resize(df.size());
  out.f32.resize(df.size());
  for (std::size_t j = 0; j < df.size(); ++j) {
    out.f64[j] = std::log(n / (static_cast<double>(df[j]) + sd)) + 1.0;
    out.f32[j] = std::log(nf / (static_cast<float>(df[j]) + sf)) + 1.0f;
  }
  return out;
}

// Why a value of row r (stored value k) is not valid input: its column, its value or its sign.
template <class T, class IP, class Ind>
[[noreturn]] void bad_value(const CsrView<T, IP, Ind>& c, std::int64_t r, std::int64_t k) {
  const auto col = static_cast<std::int64_t>(c.indices[k]);
  const std::string where = "counts: row " + std::to_string(r);
  if (col < 0 || col >= c.cols)
    throw InvalidArgument(where + " has the column index " + std::to_string(col) + " (stored value " +
                          std::to_string(k) + "), outside [0, " + std::to_string(c.cols) + ")");
  const T v = c.data[k];
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(v))
      throw InvalidArgument(where + ", column " + std::to_string(col) + " holds " + value_text(v) +
                            ": counts must be finite");
  }
  throw InvalidArgument(where + ", column " + std::to_string(col) + " holds " + value_text(v) +
                        ": sublinear_tf takes the logarithm of the counts, which must not be negative");
}

// One row is valid input: column indices in range, each column once, finite values, none negative
// when they go through a logarithm. Throws naming the row and column. A row whose columns are not
// increasing is scanned again for a column stored twice, with `seen` (the last row each column
// was seen in; allocated on first need, one per worker).
template <class T, class IP, class Ind>
void check_row(const CsrView<T, IP, Ind>& c, std::int64_t r, bool sublinear, std::vector<std::int64_t>& seen) {
  const auto b = static_cast<std::int64_t>(c.indptr[r]), e = static_cast<std::int64_t>(c.indptr[r + 1]);
  std::int64_t previous = -1;
  bool increasing = true;
  for (std::int64_t k = b; k < e; ++k) {
    const auto col = static_cast<std::int64_t>(c.indices[k]);
    const T v = c.data[k];
    bool ok = col >= 0 && col < c.cols;
    if constexpr (std::is_floating_point_v<T>) ok = ok && std::isfinite(v);
    if (sublinear) ok = ok && !(v < T(0));
    if (!ok) bad_value(c, r, k);
    increasing = increasing && col > previous;
    previous = col;
  }
  if (increasing) return;
  if (seen.empty()) seen.assign(static_cast<std::size_t>(c.cols), -1);
  for (std::int64_t k = b; k < e; ++k) {
    auto& last = seen[static_cast<std::size_t>(c.indices[k])];
    if (last == r)
      throw InvalidArgument(
          "counts: row " + std::to_string(r) + " stores column " + std::to_string(c.indices[k]) +
          " twice; a column must be stored once per row (sum duplicates first: scipy's sum_duplicates())");
    last = r;
  }
}

}  // namespace

TfidfTransformer::TfidfTransformer(TfidfWeighting weighting, int n_jobs) : weighting_(weighting) { set_n_jobs(n_jobs); }

void TfidfTransformer::set_n_jobs(int n_jobs) {
  if (n_jobs == 0 || n_jobs < -1)
    throw InvalidArgument("n_jobs must be a positive integer or -1; got " + std::to_string(n_jobs));
  n_jobs_ = n_jobs;
}

void TfidfTransformer::check_fitted() const {
  if (!is_fitted())
    throw NotFittedError("This TfidfTransformer is not fitted: call fit (or set_counts, or set_idf) first");
}

std::int64_t TfidfTransformer::n_features() const {
  check_fitted();
  return n_features_;
}

std::int64_t TfidfTransformer::n_documents() const {
  if (!has_counts_)
    throw NotFittedError("This TfidfTransformer has no counts: it is not fitted, or was only given an idf");
  return n_documents_;
}

const std::vector<std::int64_t>& TfidfTransformer::document_frequencies() const {
  if (!has_counts_)
    throw NotFittedError("This TfidfTransformer has no counts: it is not fitted, or was only given an idf");
  return df_;
}

void TfidfTransformer::clear() noexcept {
  n_features_ = -1;
  has_counts_ = false;
  n_documents_ = 0;
  df_.clear();
  idf_.clear();
  idf_float_.clear();
  idf_set_ = false;
  idf_set_by_hand_ = false;
}

void TfidfTransformer::check_not_set_by_hand(const char* what) const {
  if (idf_set_by_hand_)
    throw InvalidArgument(std::string(what) +
                          " would replace the idf that was set by hand (set_idf) with the idf of the counts; "
                          "fit again, or set the idf afterwards");
}

void TfidfTransformer::commit_counts(std::int64_t n_documents, std::vector<std::int64_t>&& df) {
  Idf idf;
  if (weighting_.use_idf) idf = idf_of(n_documents, df, weighting_.smooth_idf);
  // Nothing below throws.
  n_features_ = static_cast<std::int64_t>(df.size());
  n_documents_ = n_documents;
  df_ = std::move(df);
  has_counts_ = true;
  idf_ = std::move(idf.f64);
  idf_float_ = std::move(idf.f32);
  idf_set_ = weighting_.use_idf;
  idf_set_by_hand_ = false;
}

void TfidfTransformer::set_counts(std::int64_t n_documents, std::vector<std::int64_t> document_frequencies) {
  if (n_documents < 0) throw InvalidArgument("n_documents must not be negative; got " + std::to_string(n_documents));
  for (std::size_t j = 0; j < document_frequencies.size(); ++j) {
    const auto d = document_frequencies[j];
    if (d < 0 || d > n_documents)
      throw InvalidArgument("document_frequencies[" + std::to_string(j) + "] is " + std::to_string(d) +
                            ", outside [0, n_documents = " + std::to_string(n_documents) + "]");
  }
  commit_counts(n_documents, std::move(document_frequencies));
}

void TfidfTransformer::set_idf(std::vector<double> idf) {
  if (is_fitted() && static_cast<std::int64_t>(idf.size()) != n_features_)
    throw InvalidArgument("idf has " + std::to_string(idf.size()) + " values but the transformer has " +
                          columns_text(n_features_));
  for (std::size_t j = 0; j < idf.size(); ++j)
    if (!std::isfinite(idf[j]))
      throw InvalidArgument("idf[" + std::to_string(j) + "] is " + value_text(idf[j]) + ": the idf must be finite");
  std::vector<float> f(idf.begin(), idf.end());
  n_features_ = static_cast<std::int64_t>(idf.size());
  idf_ = std::move(idf);
  idf_float_ = std::move(f);
  idf_set_ = true;
  idf_set_by_hand_ = true;
}

template <class T, class IP, class Ind>
void TfidfTransformer::check(const CsrView<T, IP, Ind>& c, bool against_fit) const {
  if (c.rows < 0 || c.cols < 0)
    throw InvalidArgument("counts: the shape (" + std::to_string(c.rows) + ", " + std::to_string(c.cols) +
                          ") is negative");
  if (against_fit && is_fitted() && c.cols != n_features_)
    throw InvalidArgument("counts: " + columns_text(c.cols) + ", but the transformer was fitted on " +
                          columns_text(n_features_));
  // Row pointers first, on one thread: the workers then read only within the values.
  if (c.rows > 0 && c.indptr[0] < 0) throw InvalidArgument("counts: indptr[0] is negative");
  for (std::int64_t r = 0; r < c.rows; ++r)
    if (c.indptr[r + 1] < c.indptr[r])
      throw InvalidArgument("counts: indptr decreases at row " + std::to_string(r) + " (" +
                            std::to_string(c.indptr[r]) + " then " + std::to_string(c.indptr[r + 1]) + ")");
}

template <class T, class IP, class Ind>
void TfidfTransformer::check_rows(const CsrView<T, IP, Ind>& c) const {
  const int workers = detail::jobs_for(n_jobs_, static_cast<std::size_t>(c.rows));
  detail::parallel_blocks(c.rows, workers,
                          [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
                            std::vector<std::int64_t> seen;
                            for (std::int64_t r = begin; r < end; ++r) {
                              if (w == 0) detail::poll_interrupt();
                              if (stop.requested()) return;
                              check_row(c, r, weighting_.sublinear_tf, seen);
                            }
                          });
}

template <class T, class IP, class Ind>
std::vector<std::int64_t> TfidfTransformer::count_columns(const CsrView<T, IP, Ind>& c) const {
  check(c, /*against_fit=*/false);
  const auto cols = static_cast<std::size_t>(c.cols);
  const std::int64_t nnz = c.rows > 0 ? static_cast<std::int64_t>(c.indptr[c.rows] - c.indptr[0]) : 0;
  int workers = detail::jobs_for(n_jobs_, static_cast<std::size_t>(c.rows));
  // Each worker counts into its own array: worth it only when the arrays are small beside the work.
  if (static_cast<std::int64_t>(cols) * workers > nnz) workers = 1;
  std::vector<std::vector<std::int64_t>> parts(static_cast<std::size_t>(workers));
  detail::parallel_blocks(
      c.rows, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
        auto& df = parts[static_cast<std::size_t>(w)];
        df.assign(cols, 0);
        std::vector<std::int64_t> seen;
        for (std::int64_t r = begin; r < end; ++r) {
          if (w == 0) detail::poll_interrupt();
          if (stop.requested()) return;
          check_row(c, r, false, seen);
          for (auto k = static_cast<std::int64_t>(c.indptr[r]); k < static_cast<std::int64_t>(c.indptr[r + 1]); ++k)
            ++df[static_cast<std::size_t>(c.indices[k])];
        }
      });
  std::vector<std::int64_t> df = std::move(parts[0]);
  for (std::size_t w = 1; w < parts.size(); ++w)
    for (std::size_t j = 0; j < cols; ++j) df[j] += parts[w][j];
  return df;
}

template <class T, class IP, class Ind>
TfidfTransformer& TfidfTransformer::fit(const CsrView<T, IP, Ind>& counts) {
  auto df = count_columns(counts);
  commit_counts(counts.rows, std::move(df));
  return *this;
}

template <class T, class IP, class Ind>
TfidfTransformer& TfidfTransformer::partial_fit(const CsrView<T, IP, Ind>& counts) {
  check_not_set_by_hand("partial_fit");
  if (!has_counts_) return fit(counts);
  if (counts.cols != n_features_)
    throw InvalidArgument("partial_fit: the counts have " + columns_text(counts.cols) +
                          ", but the transformer was fitted on " + columns_text(n_features_));
  auto df = count_columns(counts);
  if (counts.rows > std::numeric_limits<std::int64_t>::max() - n_documents_)
    throw InvalidArgument("partial_fit: the number of documents would overflow");
  for (std::size_t j = 0; j < df.size(); ++j) df[j] += df_[j];
  commit_counts(n_documents_ + counts.rows, std::move(df));
  return *this;
}

TfidfTransformer& TfidfTransformer::merge(const TfidfTransformer& other) {
  std::string differ;
  auto note = [&](const char* name, const std::string& a, const std::string& b) {
    if (differ.empty() && a != b) differ = std::string(name) + " (" + a + " vs " + b + ")";
  };
  note("norm", show(weighting_.norm), show(other.weighting_.norm));
  note("use_idf", show(weighting_.use_idf), show(other.weighting_.use_idf));
  note("smooth_idf", show(weighting_.smooth_idf), show(other.weighting_.smooth_idf));
  note("sublinear_tf", show(weighting_.sublinear_tf), show(other.weighting_.sublinear_tf));
  if (!differ.empty()) throw InvalidArgument("cannot merge transformers with different weighting: " + differ);
  if (!other.has_counts_)
    throw NotFittedError("cannot merge a transformer that has no counts (not fitted, or only given an idf)");
  if (other.idf_set_by_hand_)
    throw InvalidArgument(
        "cannot merge a transformer whose idf was set by hand (set_idf): its counts do not give its idf");
  check_not_set_by_hand("merge");
  if (!has_counts_) {
    commit_counts(other.n_documents_, std::vector<std::int64_t>(other.df_));
    return *this;
  }
  if (other.n_features_ != n_features_)
    throw InvalidArgument("cannot merge transformers fitted on " + columns_text(n_features_) + " and on " +
                          columns_text(other.n_features_));
  if (other.n_documents_ > std::numeric_limits<std::int64_t>::max() - n_documents_)
    throw InvalidArgument("merge: the number of documents would overflow");
  std::vector<std::int64_t> df(df_);
  for (std::size_t j = 0; j < df.size(); ++j) df[j] += other.df_[j];
  commit_counts(n_documents_ + other.n_documents_, std::move(df));
  return *this;
}

// ---------------------------------------------------------------------------------------------
// weighting

template <class Out, class T, class IP, class Ind>
void TfidfTransformer::weigh(const CsrView<T, IP, Ind>& c, Out* out, IdfPrecision precision) const {
  // out[k - base] receives the weight of stored value k.
  const std::int64_t base = c.rows > 0 ? static_cast<std::int64_t>(c.indptr[0]) : 0;
  const bool sublinear = weighting_.sublinear_tf, use_idf = idf_set_;
  const bool float_idf =
      precision == IdfPrecision::float32 || (precision == IdfPrecision::output && std::is_same_v<Out, float>);
  const double* idf = idf_.data();
  const float* idf_f = idf_float_.data();
  const Norm norm = weighting_.norm;
  const int workers = detail::jobs_for(n_jobs_, static_cast<std::size_t>(c.rows));
  detail::parallel_blocks(
      c.rows, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
        for (std::int64_t r = begin; r < end; ++r) {
          if (w == 0) detail::poll_interrupt();
          if (stop.requested()) return;
          const auto b = static_cast<std::int64_t>(c.indptr[r]), e = static_cast<std::int64_t>(c.indptr[r + 1]);
          for (std::int64_t k = b; k < e; ++k) {
            // The steps and their arithmetic are scikit-learn's: 1 + ln(tf) in the output type, then
            // the product with the idf in the idf's type (numpy promotes float * double to double).
            Out v = static_cast<Out>(c.data[k]);
            if (sublinear && v > Out(0)) v = static_cast<Out>(std::log(v) + Out(1));
            if (use_idf) {
              const auto j = static_cast<std::size_t>(c.indices[k]);
              if constexpr (std::is_same_v<Out, float>) {
                v = float_idf ? v * idf_f[j] : static_cast<float>(static_cast<double>(v) * idf[j]);
              } else {
                v = float_idf ? v * static_cast<double>(idf_f[j]) : v * idf[j];
              }
            }
            out[k - base] = v;
          }
          detail::normalize_row_like_sklearn(out + (b - base), out + (e - base), norm);
        }
      });
}

template <class Out, class T, class IP, class Ind>
CsrMatrix<Out> TfidfTransformer::transform(const CsrView<T, IP, Ind>& c, IdfPrecision precision) const {
  static_assert(std::is_same_v<Out, float> || std::is_same_v<Out, double>, "TF-IDF weights are float or double");
  check_fitted();
  check(c, /*against_fit=*/true);
  CsrMatrix<Out> m;
  m.rows = c.rows;
  m.cols = c.cols;
  const std::int64_t base = c.rows > 0 ? static_cast<std::int64_t>(c.indptr[0]) : 0;
  const std::int64_t nnz = c.rows > 0 ? static_cast<std::int64_t>(c.indptr[c.rows]) - base : 0;
  m.indptr.resize(static_cast<std::size_t>(c.rows) + 1);
  m.indices.resize(static_cast<std::size_t>(nnz));
  m.data.resize(static_cast<std::size_t>(nnz));
  const int workers = detail::jobs_for(n_jobs_, static_cast<std::size_t>(c.rows));
  detail::parallel_blocks(
      c.rows, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
        std::vector<std::int64_t> seen;
        for (std::int64_t r = begin; r < end; ++r) {
          if (w == 0) detail::poll_interrupt();
          if (stop.requested()) return;
          check_row(c, r, weighting_.sublinear_tf, seen);
          m.indptr[static_cast<std::size_t>(r) + 1] = static_cast<std::int64_t>(c.indptr[r + 1]) - base;
          for (auto k = static_cast<std::int64_t>(c.indptr[r]); k < static_cast<std::int64_t>(c.indptr[r + 1]); ++k)
            m.indices[static_cast<std::size_t>(k - base)] = static_cast<std::int32_t>(c.indices[k]);
        }
      });
  m.indptr[0] = 0;
  weigh(c, m.data.data(), precision);
  return m;
}

template <class T, class IP, class Ind>
void TfidfTransformer::transform_in_place(const CsrView<T, IP, Ind>& c, T* values, IdfPrecision precision) const {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "TF-IDF weights are float or double");
  check_fitted();
  check(c, /*against_fit=*/true);
  check_rows(c);  // every row before any value changes
  const std::int64_t base = c.rows > 0 ? static_cast<std::int64_t>(c.indptr[0]) : 0;
  weigh(c, values + base, precision);
}

template <class T>
void TfidfTransformer::transform_in_place(CsrMatrix<T>& counts, IdfPrecision precision) const {
  if (counts.rows < 0 || counts.indptr.size() != static_cast<std::size_t>(counts.rows) + 1 ||
      counts.indices.size() != counts.data.size() ||
      static_cast<std::int64_t>(counts.data.size()) < counts.indptr.back())
    throw InvalidArgument("counts: the CsrMatrix's arrays do not match its shape");
  transform_in_place(view(counts), counts.data.data(), precision);
}

#define LEXSIM_TFIDF_FIT(T, IP)                                                                               \
  template TfidfTransformer& TfidfTransformer::fit<T, IP, std::int32_t>(const CsrView<T, IP, std::int32_t>&); \
  template TfidfTransformer& TfidfTransformer::partial_fit<T, IP, std::int32_t>(const CsrView<T, IP, std::int32_t>&);
#define LEXSIM_TFIDF_TRANSFORM(Out, T, IP)                                                                           \
  template CsrMatrix<Out> TfidfTransformer::transform<Out, T, IP, std::int32_t>(const CsrView<T, IP, std::int32_t>&, \
                                                                                IdfPrecision) const;
#define LEXSIM_TFIDF_ALL(IP)                                                                                           \
  LEXSIM_TFIDF_FIT(std::int32_t, IP)                                                                                   \
  LEXSIM_TFIDF_FIT(std::int64_t, IP)                                                                                   \
  LEXSIM_TFIDF_FIT(float, IP)                                                                                          \
  LEXSIM_TFIDF_FIT(double, IP)                                                                                         \
  LEXSIM_TFIDF_TRANSFORM(double, std::int32_t, IP)                                                                     \
  LEXSIM_TFIDF_TRANSFORM(double, std::int64_t, IP)                                                                     \
  LEXSIM_TFIDF_TRANSFORM(double, double, IP)                                                                           \
  LEXSIM_TFIDF_TRANSFORM(double, float, IP)                                                                            \
  LEXSIM_TFIDF_TRANSFORM(float, float, IP)                                                                             \
  template void TfidfTransformer::transform_in_place<float, IP, std::int32_t>(const CsrView<float, IP, std::int32_t>&, \
                                                                              float*, IdfPrecision) const;             \
  template void TfidfTransformer::transform_in_place<double, IP, std::int32_t>(                                        \
      const CsrView<double, IP, std::int32_t>&, double*, IdfPrecision) const;
LEXSIM_TFIDF_ALL(std::int32_t)
LEXSIM_TFIDF_ALL(std::int64_t)
template void TfidfTransformer::transform_in_place<float>(CsrMatrix<float>&, IdfPrecision) const;
template void TfidfTransformer::transform_in_place<double>(CsrMatrix<double>&, IdfPrecision) const;
// The vectorizer weighs its own counts (CsrMatrix: int64 row pointers), checked or not.
template void TfidfTransformer::check<float, std::int64_t, std::int32_t>(
    const CsrView<float, std::int64_t, std::int32_t>&, bool) const;
template void TfidfTransformer::check<double, std::int64_t, std::int32_t>(
    const CsrView<double, std::int64_t, std::int32_t>&, bool) const;
template void TfidfTransformer::check_rows<float, std::int64_t, std::int32_t>(
    const CsrView<float, std::int64_t, std::int32_t>&) const;
template void TfidfTransformer::check_rows<double, std::int64_t, std::int32_t>(
    const CsrView<double, std::int64_t, std::int32_t>&) const;
template void TfidfTransformer::weigh<float, float, std::int64_t, std::int32_t>(
    const CsrView<float, std::int64_t, std::int32_t>&, float*, IdfPrecision) const;
template void TfidfTransformer::weigh<double, double, std::int64_t, std::int32_t>(
    const CsrView<double, std::int64_t, std::int32_t>&, double*, IdfPrecision) const;
#undef LEXSIM_TFIDF_ALL
#undef LEXSIM_TFIDF_TRANSFORM
#undef LEXSIM_TFIDF_FIT

}  // namespace lexsim
