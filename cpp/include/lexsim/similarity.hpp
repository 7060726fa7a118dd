#pragma once
// Cosine similarity between the rows of sparse matrices.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "lexsim/export.hpp"
#include "lexsim/sparse.hpp"

namespace lexsim {

struct TopKOptions {
  std::int64_t k = 10;
  /// Keep only similarities strictly greater than this.
  std::optional<double> threshold;
  /// Worker threads; the result does not depend on it.
  int n_jobs = 1;
  /// true: cosine similarity (rows are L2-normalised on the fly). false: the raw dot product of
  /// the rows as given (e.g. BM25 query-term indicators against document term weights).
  bool normalize = true;
};

/// For each row of A, the k rows of B with the largest cosine similarity (rows are L2-normalised
/// on the fly; zero rows match nothing). Only non-zero similarities are stored. Ties go to the lower
/// row index of B. When B is null, B = A and each row's match with itself is left out.
/// Result: rows(A) x rows(B), column indices sorted within each row.
template <class T, class IndPtr, class Ind>
LEXSIM_API CsrMatrix<T> top_k(const CsrView<T, IndPtr, Ind>& A, const CsrView<T, IndPtr, Ind>* B,
                              const TopKOptions& options = {});

/// The rows of B prepared once (L2-normalised unless normalize is false, and transposed) for many
/// top_k calls against them, e.g. a search index scoring query after query. Immutable and safe
/// to share between threads; copies are cheap (they share the prepared data).
template <class T>
class LEXSIM_API TopKIndex {
 public:
  template <class IndPtr, class Ind>
  explicit TopKIndex(const CsrView<T, IndPtr, Ind>& B, bool normalize = true);

  /// The same as top_k(A, &B, options) (options.normalize applies to A's rows), without
  /// preparing B again.
  template <class IndPtr, class Ind>
  CsrMatrix<T> top_k(const CsrView<T, IndPtr, Ind>& A, const TopKOptions& options = {}) const;

  std::int64_t rows() const noexcept;
  std::int64_t cols() const noexcept;

 private:
  struct Prepared;
  std::shared_ptr<const Prepared> prepared_;
};

/// Convenience overloads on Eigen matrices.
LEXSIM_API SparseMatrix<double> top_k(const SparseMatrix<double>& A, const TopKOptions& options = {});
LEXSIM_API SparseMatrix<double> top_k(const SparseMatrix<double>& A, const SparseMatrix<double>& B,
                                      const TopKOptions& options = {});

struct PairsOptions {
  /// Keep pairs whose cosine similarity is at least this; in (0, 1].
  double threshold = 0.5;
  /// Worker threads; the result does not depend on it.
  int n_jobs = 1;
};

/// Pairs of rows as three parallel arrays, sorted by (row, col).
template <class T>
struct Pairs {
  std::vector<std::int32_t> rows;
  std::vector<std::int32_t> cols;
  std::vector<T> scores;

  std::size_t size() const noexcept { return scores.size(); }
};

/// Every pair of rows i < j of X with cosine similarity >= options.threshold, exactly (rows are
/// L2-normalised on the fly). Scores are bit-identical to top_k's. All-pairs search with prefix
/// filtering (Bayardo et al. 2007) and L2 bounds: only pairs that share one of the few rare,
/// heavy features a match needs are ever scored.
template <class T, class IndPtr, class Ind>
LEXSIM_API Pairs<T> similar_pairs(const CsrView<T, IndPtr, Ind>& X, const PairsOptions& options);
LEXSIM_API Pairs<double> similar_pairs(const SparseMatrix<double>& X, const PairsOptions& options);

/// How story groups are formed.
enum class GroupMethod {
  /// Communities (Leiden, modularity) of the graph linking each document to its nearest
  /// neighbours; needs no threshold and does not chain.
  leiden,
  /// Connected components of the pairs with cosine >= threshold: exact, but one chain of
  /// pairwise links can join unrelated stories.
  single,
};

struct GroupOptions {
  /// single: link pairs with cosine >= threshold (required, in (0, 1]). leiden: optional floor,
  /// neighbour links below it are dropped.
  std::optional<double> threshold;
  /// How many of each group's heaviest centroid columns to report.
  std::int64_t n_terms = 10;
  int n_jobs = 1;
  GroupMethod method = GroupMethod::leiden;
  /// leiden: neighbours per document; 0 derives it from the number of documents n as
  /// clamp(round(log2 n), 1, 10) (see derived_neighbors()).
  std::int64_t n_neighbors = 0;
  /// leiden: a neighbour link needs at least this many shared columns (terms). Links through one
  /// or two common words are what glues unrelated short documents together.
  std::int64_t min_shared = 3;
  /// leiden: modularity resolution; larger gives more, smaller groups.
  double resolution = 1.0;
  /// leiden, optional: one value per row (e.g. days since an epoch; NaN = unknown). When
  /// date_window > 0, documents further apart than date_window are never linked directly.
  std::vector<double> dates;
  double date_window = 0.0;
};

/// The neighbour count leiden uses for n documents when GroupOptions::n_neighbors is 0.
LEXSIM_API std::int64_t derived_neighbors(std::int64_t n) noexcept;

/// Story groups. Groups are numbered by decreasing size, ties by their first member; every row is
/// in a group (a row linked to no other is a group of one).
template <class T>
struct Groups {
  std::vector<std::int32_t> labels;          ///< per row of X: its group
  std::vector<std::int64_t> offsets;         ///< group g is members[offsets[g], offsets[g + 1])
  std::vector<std::int32_t> members;         ///< increasing within each group
  std::vector<std::int32_t> representative;  ///< per group: the member with the largest summed
                                             ///< cosine to the others (ties: the lower row)
  CsrMatrix<T> top_terms;                    ///< groups x columns: the n_terms largest columns of
                                             ///< each group's centroid (mean of its unit rows)
  // What the grouping derived, for reports.
  std::int64_t n_neighbors = 0;  ///< leiden: neighbours per document used
  std::int64_t n_links = 0;      ///< links in the graph grouped (undirected)
  double modularity = 0.0;       ///< leiden: of the result, at the resolution used

  std::size_t size() const noexcept { return representative.size(); }
};

template <class T, class IndPtr, class Ind>
LEXSIM_API Groups<T> group(const CsrView<T, IndPtr, Ind>& X, const GroupOptions& options);
LEXSIM_API Groups<double> group(const SparseMatrix<double>& X, const GroupOptions& options);

/// Each row's n largest stored values (a document's key terms in a TF-IDF matrix); ties go to the
/// lower column, zeros are left out. Result: same shape as X, columns sorted within each row.
template <class T, class IndPtr, class Ind>
LEXSIM_API CsrMatrix<T> top_terms(const CsrView<T, IndPtr, Ind>& X, std::int64_t n, int n_jobs = 1);
LEXSIM_API SparseMatrix<double> top_terms(const SparseMatrix<double>& X, std::int64_t n, int n_jobs = 1);

/// The tie rule of every ranked result, in one place: per row, best value first, ties to the lower
/// column. Returns positions into X's stored values, row by row: row r's entries in rank order are
/// order[indptr[r]] .. order[indptr[r + 1] - 1].
template <class T, class IndPtr, class Ind>
LEXSIM_API std::vector<std::int64_t> ranked_order(const CsrView<T, IndPtr, Ind>& X);

/// Merges top_k results computed against column blocks of B (part i holds columns offsets[i] ..
/// offsets[i] + part.cols of the whole): per row, the k best of all candidates by the rule above,
/// exactly what one top_k over the whole of B keeps. Result: rows x n_cols, columns sorted in each row.
template <class T, class IndPtr, class Ind>
LEXSIM_API CsrMatrix<T> merge_top_k(const std::vector<CsrView<T, IndPtr, Ind>>& parts,
                                    const std::vector<std::int64_t>& offsets, std::int64_t k, std::int64_t n_cols);

/// One shared column's part of the cosine similarity of two rows.
struct Contribution {
  std::int32_t column;
  double contribution;  ///< unit_i[column] * unit_j[column]
  double weight_i;      ///< unit_i[column]
  double weight_j;      ///< unit_j[column]
};

/// Why rows i and j of X match: every shared column with its contribution, largest first (ties:
/// lower column). The contributions add up to the cosine similarity of the two rows.
template <class T, class IndPtr, class Ind>
LEXSIM_API std::vector<Contribution> explain(const CsrView<T, IndPtr, Ind>& X, std::int64_t i, std::int64_t j);
LEXSIM_API std::vector<Contribution> explain(const SparseMatrix<double>& X, std::int64_t i, std::int64_t j);

}  // namespace lexsim
