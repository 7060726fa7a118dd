#pragma once
// TfidfTransformer: count matrices -> TF-IDF weights, as scikit-learn's TfidfTransformer computes
// them, with an exact partial_fit and merge on document frequencies. TfidfVectorizer weights its
// counts with one.

#include <cstdint>
#include <vector>

#include "lexsim/export.hpp"
#include "lexsim/sparse.hpp"

namespace lexsim {

enum class Norm { none, l1, l2 };

/// How counts become weights: scikit-learn's TfidfTransformer parameters (and TfidfVectorizer's).
struct TfidfWeighting {
  /// Row normalisation of the result.
  Norm norm = Norm::l2;
  /// Multiply by the inverse document frequency idf = ln((n + s) / (df + s)) + 1, where n is the
  /// number of documents fitted, df a column's document frequency and s = 1 with smooth_idf, else 0.
  bool use_idf = true;
  /// As if one more document held every column once (no division by zero).
  bool smooth_idf = true;
  /// tf becomes 1 + ln(tf).
  bool sublinear_tf = false;
};

/// Which idf multiplies the values. scikit-learn computes the idf in the precision of the counts it
/// is fitted on (float32 counts: float32 arithmetic throughout) and keeps it: `output` takes the
/// idf of the output's precision (idf_float() for float, idf() for double), the others force one,
/// as when a transformer fitted on float64 counts weights float32 ones (each product is then
/// computed in double and rounded to float, as numpy does).
enum class IdfPrecision { output, float32, float64 };

/// Count matrix -> TF-IDF. The fitted state is a sum over documents: the number of documents and
/// each column's document frequency (int64, exact), from which the idf is derived. So partial_fit
/// and merge add counts exactly: fit(vstack(a, b)), fit(a).partial_fit(b) and the merge of a
/// transformer fitted on a with one fitted on b hold the same counts and the same idf, bit for bit.
///
/// Counts come as a CsrView (int32, int64, float or double values; int32 column indices; int32 or
/// int64 row pointers). What they must be, else lexsim::InvalidArgument naming the row and column:
/// - finite values (no NaN, no infinity);
/// - column indices in [0, cols), each column at most once per row (sum duplicates first: scipy's
///   sum_duplicates()), in any order: the result keeps the input's order (and sums each row's
///   squares for l2 in that order, as scikit-learn does);
/// - the number of columns of the fit (partial_fit, transform);
/// - with sublinear_tf, no negative value (its logarithm is not defined; scikit-learn gives NaN).
/// A column's document frequency is the number of rows that store a value in it, as scikit-learn
/// counts it: an explicitly stored zero counts (remove them first, e.g. scipy's eliminate_zeros(),
/// to count only non-zeros). With sublinear_tf a stored zero stays zero (scikit-learn makes it
/// -inf, and its row NaN). Without smooth_idf a column no fitted row stores a value in has an
/// infinite idf, as in scikit-learn (which warns): values in it then become inf, their rows NaN
/// after normalisation; and with no document at all every idf is NaN.
class LEXSIM_API TfidfTransformer {
 public:
  /// n_jobs: threads for fit and transform (-1 = all cores); results do not depend on it.
  explicit TfidfTransformer(TfidfWeighting weighting = {}, int n_jobs = 1);

  const TfidfWeighting& weighting() const noexcept { return weighting_; }
  /// New parameters: norm and sublinear_tf apply from the next transform; use_idf and smooth_idf
  /// from the next fit, partial_fit or merge (the idf is computed when fitting, as in scikit-learn).
  void set_weighting(const TfidfWeighting& weighting) noexcept { weighting_ = weighting; }
  int n_jobs() const noexcept { return n_jobs_; }
  /// Throws InvalidArgument unless n_jobs >= 1 or n_jobs == -1.
  void set_n_jobs(int n_jobs);

  // ---- fitting: nothing changes when one of these throws
  /// Forgets everything and counts the documents (rows) and document frequencies of `counts`.
  template <class T, class IP, class Ind>
  TfidfTransformer& fit(const CsrView<T, IP, Ind>& counts);
  /// Adds the rows of `counts` to the counts (a first call is fit). Throws InvalidArgument when the
  /// number of columns differs from the fit's, or when the idf was set by hand (set_idf), which the
  /// idf of the counts would replace.
  template <class T, class IP, class Ind>
  TfidfTransformer& partial_fit(const CsrView<T, IP, Ind>& counts);
  /// Adds the counts of `other` (which is not changed); an unfitted transformer takes them. Both
  /// need counts (NotFittedError when `other` has none), the same number of columns and equal
  /// weighting (the first parameter that differs is named; n_jobs may differ), and neither an idf
  /// set by hand (InvalidArgument).
  TfidfTransformer& merge(const TfidfTransformer& other);
  /// Replaces the counts (a loader's way, or a vectorizer's): n documents and the document
  /// frequency of each column (0 <= df <= n_documents), and computes the idf from them.
  void set_counts(std::int64_t n_documents, std::vector<std::int64_t> document_frequencies);

  // ---- state
  /// After fit, partial_fit, merge, set_counts or set_idf.
  bool is_fitted() const noexcept { return n_features_ >= 0; }
  /// Whether there are counts (not after set_idf alone, nor after a vectorizer restored without them).
  bool has_counts() const noexcept { return has_counts_; }
  /// Number of columns. Throws NotFittedError before a fit.
  std::int64_t n_features() const;
  /// Number of documents (rows) counted. Throws NotFittedError without counts.
  std::int64_t n_documents() const;
  /// Document frequency of each column. Throws NotFittedError without counts.
  const std::vector<std::int64_t>& document_frequencies() const;
  /// Whether the values are multiplied by an idf: fitted with use_idf, or given one by set_idf.
  bool has_idf() const noexcept { return idf_set_; }
  /// idf of each column (empty without one, as before a fit).
  const std::vector<double>& idf() const noexcept { return idf_; }
  /// The same computed in float arithmetic, as scikit-learn does for float32 counts (after
  /// set_idf: the values rounded to float).
  const std::vector<float>& idf_float() const noexcept { return idf_float_; }
  /// Replaces the idf (finite values; as many as columns when fitted, else it fixes the number of
  /// columns). partial_fit and merge then throw InvalidArgument until the next fit or set_counts.
  void set_idf(std::vector<double> idf);
  bool idf_set_by_hand() const noexcept { return idf_set_by_hand_; }
  /// Forgets everything (unfitted again); the weighting and n_jobs stay.
  void clear() noexcept;

  // ---- weighting
  /// New CSR matrix of the same structure: sublinear tf, idf and norm applied to `counts` (Out is
  /// float or double). Throws NotFittedError before a fit.
  template <class Out, class T, class IP, class Ind>
  CsrMatrix<Out> transform(const CsrView<T, IP, Ind>& counts, IdfPrecision precision = IdfPrecision::output) const;
  /// The same, written over the values of `counts` (`values` is counts' data, made writable).
  template <class T, class IP, class Ind>
  void transform_in_place(const CsrView<T, IP, Ind>& counts, T* values,
                          IdfPrecision precision = IdfPrecision::output) const;
  template <class T>
  void transform_in_place(CsrMatrix<T>& counts, IdfPrecision precision = IdfPrecision::output) const;

 private:
  friend class TfidfVectorizer;
  /// Throws InvalidArgument unless the shape and row pointers of `counts` are valid (each row's
  /// contents are checked as it is read); with `against_fit`, also unless it has the fit's columns.
  template <class T, class IP, class Ind>
  void check(const CsrView<T, IP, Ind>& counts, bool against_fit) const;
  /// Throws InvalidArgument for the first row (in order) whose contents are not valid input.
  template <class T, class IP, class Ind>
  void check_rows(const CsrView<T, IP, Ind>& counts) const;
  template <class T, class IP, class Ind>
  std::vector<std::int64_t> count_columns(const CsrView<T, IP, Ind>& counts) const;
  /// Makes (n, df) the counts and computes their idf; builds everything before changing anything.
  void commit_counts(std::int64_t n_documents, std::vector<std::int64_t>&& df);
  void check_not_set_by_hand(const char* what) const;
  void check_fitted() const;
  /// The weighting itself, on structure the caller vouches for (the vectorizer's own counts).
  template <class Out, class T, class IP, class Ind>
  void weigh(const CsrView<T, IP, Ind>& counts, Out* out, IdfPrecision precision) const;

  TfidfWeighting weighting_;
  int n_jobs_ = 1;
  std::int64_t n_features_ = -1;  // -1: not fitted
  bool has_counts_ = false;
  std::int64_t n_documents_ = 0;
  std::vector<std::int64_t> df_;
  std::vector<double> idf_;
  std::vector<float> idf_float_;
  bool idf_set_ = false;  // an idf exists (use_idf fit, or set_idf), also for zero columns
  bool idf_set_by_hand_ = false;
};

}  // namespace lexsim
