#pragma once
// Ranked retrieval over a fixed collection: TF-IDF cosine similarity or Okapi BM25.
//
// Cosine: the index holds a document x term matrix (typically TF-IDF weights); a query row is
// scored against every document by cosine similarity, rows L2-normalised as top_k does.
//
// BM25: the index is built from raw term counts. For a document d and a term t it stores
//
//   w(d, t) = idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * |d| / avgdl))
//   idf(t)  = max(0, ln((N - n_t + 0.5) / (n_t + 0.5)))      (Robertson / Sparck Jones)
//
// with tf the count of t in d, |d| the sum of d's counts, avgdl the mean |d| over the N documents
// and n_t the number of documents containing t. A query is a set of terms (a term counts once
// however often the query repeats it) and score(q, d) = sum of w(d, t) over the terms t of q.
//
// The idf floor: the Robertson / Sparck Jones idf is negative for a term in more than half the
// documents, which would make matching such a term lower a document's score. lexsim floors it at 0
// instead, so a term in half the documents or more (n_t >= N / 2) adds nothing: a query term
// present in every document does not change any score, and in a collection of one or two
// documents every term is in at least half of them and BM25 finds nothing.

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "lexsim/similarity.hpp"
#include "lexsim/sparse.hpp"

namespace lexsim {

enum class Scoring { cosine, bm25 };

struct SearchOptions {
  Scoring scoring = Scoring::cosine;
  /// BM25 term-frequency saturation: finite and >= 0 (0 = a term's presence is all that counts).
  double k1 = 1.2;
  /// BM25 length normalisation, in [0, 1] (0 = none, 1 = tf divided by the relative length).
  double b = 0.75;
};

/// One search result: a document (row of the indexed matrix) and its score.
template <class T>
struct Hit {
  std::int64_t doc = 0;
  T score = 0;
  bool operator==(const Hit& other) const noexcept { return doc == other.doc && score == other.score; }
};

/// An immutable search index over a document x term matrix. It copies what it needs at
/// construction (the caller's buffers may go away), never changes afterwards, and is safe to
/// search from many threads at once. T is float or double: the type of the stored weights and of
/// the scores (BM25 weights are computed in double either way).
///
/// The documents' columns are indexed once, at construction (a TopKIndex), so a search costs only
/// the postings of the query's terms plus a pass over the scores.
template <class T = double>
class SearchIndex {
 public:
  /// Cosine: any finite matrix (zero rows match nothing). BM25: raw term counts, so every stored
  /// value must be a non-negative integer (InvalidArgument names the first that is not).
  /// Duplicate entries in a row are summed; explicit zeros are ignored.
  template <class IndPtr, class Ind>
  explicit SearchIndex(const CsrView<T, IndPtr, Ind>& documents, const SearchOptions& options = {});
  explicit SearchIndex(const SparseMatrix<T>& documents, const SearchOptions& options = {});

  /// Scores of each query row (same columns as the documents) against every document, keeping
  /// each query's k best non-zero scores (ties go to the lower document index). Result:
  /// queries x documents, column indices sorted within each row; rank a row with ranked().
  /// n_jobs: threads over the queries (-1 = all cores); the result does not depend on it.
  /// BM25 queries count a stored positive value as the term's presence; negative values are rejected.
  template <class IndPtr, class Ind>
  CsrMatrix<T> search(const CsrView<T, IndPtr, Ind>& queries, std::int64_t k = 10, int n_jobs = 1) const;
  SparseMatrix<T> search(const SparseMatrix<T>& queries, std::int64_t k = 10, int n_jobs = 1) const;

  /// One query given as (term column, weight) pairs in any order; the k best hits, best first.
  std::vector<Hit<T>> search(const std::vector<std::pair<std::int32_t, T>>& query, std::int64_t k = 10) const;

  const SearchOptions& options() const noexcept { return options_; }
  std::int64_t n_documents() const noexcept { return matrix_.rows; }
  std::int64_t n_terms() const noexcept { return matrix_.cols; }
  /// The matrix queries are scored against: the documents as given (cosine; canonical form) or
  /// the BM25 weights w(d, t) (zero weights left out).
  const CsrMatrix<T>& matrix() const noexcept { return matrix_; }
  /// BM25: the floored idf of each term; empty for cosine.
  const std::vector<double>& idf() const noexcept { return idf_; }
  /// BM25: the mean document length avgdl (in counted terms); 0 for cosine.
  double average_length() const noexcept { return avgdl_; }

 private:
  SearchOptions options_;
  CsrMatrix<T> matrix_;
  std::shared_ptr<const TopKIndex<T>> index_;
  std::vector<double> idf_;
  double avgdl_ = 0;
};

/// Row `row` of a search result as hits ordered by score (highest first), ties to the lower
/// document index.
template <class T>
std::vector<Hit<T>> ranked(const CsrMatrix<T>& results, std::int64_t row);

}  // namespace lexsim
