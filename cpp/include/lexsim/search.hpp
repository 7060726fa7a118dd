#pragma once
// Ranked retrieval over a fixed collection: TF-IDF cosine similarity or BM25 (five variants).
//
// Cosine: the index holds a document x term matrix (typically TF-IDF weights); a query row is
// scored against every document by cosine similarity, rows L2-normalised as top_k does.
//
// BM25: the index is built from raw term counts. A query is a set of terms (a term counts once
// however often the query repeats it) and score(q, d) = sum over the terms t of q of
//
//   idf(t) * tfc(tf)
//
// with tf the count of t in d, |d| the sum of d's counts (its number of counted tokens), avgdl
// the mean |d| over the N documents, n_t the number of documents containing t and
// L = 1 - b + b * |d| / avgdl. The variants are those of bm25s (Kamphuis et al., ECIR 2020),
// under bm25s's names, with the same formulas:
//
//   method     idf(t)                                     tfc(tf)
//   robertson  max(0, ln((N - n_t + 0.5) / (n_t + 0.5)))  tf / (tf + k1 * L)
//   lucene     ln(1 + (N - n_t + 0.5) / (n_t + 0.5))      tf / (tf + k1 * L)
//   atire      ln(N / n_t)                                tf * (k1 + 1) / (tf + k1 * L)
//   bm25l      ln((N + 1) / (n_t + 0.5))                  (k1 + 1) * (c + delta) / (k1 + c + delta), c = tf / L
//   bm25+      ln((N + 1) / n_t)                          tf * (k1 + 1) / (tf + k1 * L) + delta
//
// robertson's idf is floored at 0 (as bm25s does): a term in half the documents or more adds
// nothing. lucene's, bm25l's and bm25+'s idf are positive for every term, atire's for every term
// not in all documents. bm25l and bm25+ also give a document without t a score idf(t) * tfc(0)
// for it (the term's baseline); the index stores each weight less its baseline and adds the
// query's baselines back to the documents it returns, so their scores equal bm25s's (and for
// bm25+ rank_bm25's BM25Plus; rank_bm25's BM25L multiplies by tf once more). Like every method,
// they return only the documents that hold a query term (with a non-zero score): a document with
// none of the query's terms is never a hit.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lexsim/export.hpp"
#include "lexsim/similarity.hpp"
#include "lexsim/sparse.hpp"

namespace lexsim {

enum class Scoring { cosine, bm25 };

/// The BM25 variant (see the table above); lucene's idf is never negative nor 0.
enum class Bm25Method { robertson, lucene, atire, bm25l, bm25plus };

/// bm25s's name of a method: "robertson", "lucene", "atire", "bm25l", "bm25+".
LEXSIM_API const char* method_name(Bm25Method method) noexcept;
/// The method of a bm25s name; InvalidArgument (listing the names) for any other.
LEXSIM_API Bm25Method parse_bm25_method(const std::string& name);

struct SearchOptions {
  Scoring scoring = Scoring::cosine;
  /// BM25 variant (unused by cosine).
  Bm25Method method = Bm25Method::lucene;
  /// BM25 term-frequency saturation: finite and >= 0 (0 = a term's presence is all that counts;
  /// bm25l needs k1 > 0, as with 0 a term scores the same in documents with and without it).
  double k1 = 1.2;
  /// BM25 length normalisation, in [0, 1] (0 = none, 1 = tf divided by the relative length).
  double b = 0.75;
  /// bm25l and bm25+: the lower bound delta, finite and >= 0 (ignored by the other methods).
  double delta = 0.5;
};

/// One search result: a document (row of the indexed matrix) and its score.
template <class T>
struct Hit {
  std::int64_t doc = 0;
  T score = 0;
  bool operator==(const Hit& other) const noexcept { return doc == other.doc && score == other.score; }
};

namespace detail {
template <class T>
struct SearchState;
struct SearchIndexAccess;
}  // namespace detail

/// One of an index's large arrays (see SearchIndex::arrays()).
struct IndexArray {
  const char* name;   ///< "postings.start", "postings.row", "postings.value", "counts.start", ...
  const void* data;   ///< its first byte (in the mapped file when is_mapped())
  std::size_t bytes;  ///< its size in bytes
};

/// A search index over a document x term matrix. It copies what it needs at construction (the
/// caller's buffers may go away) and is safe to search from many threads at once; add() grows it
/// (not while another thread searches the same object). Copies share their arrays until one of
/// them adds documents. T is float or double: the type of the stored weights and of the scores
/// (BM25 weights are computed in double either way).
///
/// The documents' columns are indexed once (their postings: for each term, the documents holding
/// it and their weights), so a search costs only the postings of the query's terms plus a pass
/// over the scores. BM25 also keeps the raw counts, from which add() recomputes every weight.
/// An index is saved and loaded with lexsim/model_io.hpp (save, load_index), optionally mapped
/// from its file instead of read into memory.
template <class T = double>
class LEXSIM_API SearchIndex {
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
  /// n_jobs: threads over the queries (-1 = the usable CPUs, see lexsim/threads.hpp); the result does not depend on it.
  /// BM25 queries count a stored positive value as the term's presence; negative values are rejected.
  /// A mapped index checks the postings of a term the first time a query holds it
  /// (ModelFormatError when they are damaged) and that its file was not truncated.
  template <class IndPtr, class Ind>
  CsrMatrix<T> search(const CsrView<T, IndPtr, Ind>& queries, std::int64_t k = 10, int n_jobs = 1) const;
  SparseMatrix<T> search(const SparseMatrix<T>& queries, std::int64_t k = 10, int n_jobs = 1) const;

  /// One query given as (term column, weight) pairs in any order; the k best hits, best first.
  std::vector<Hit<T>> search(const std::vector<std::pair<std::int32_t, T>>& query, std::int64_t k = 10) const;

  /// Appends the documents (rows over the index's terms, checked as the constructor checks them)
  /// as documents n_documents() onwards. The index is then exactly the one built over all its
  /// documents at once: cosine appends their rows; BM25 recomputes N, avgdl, the idf and every
  /// weight from the raw counts. A mapped index is read into memory (copy on write: the file is
  /// not changed, and copies made before keep the mapping). Not to be called while another
  /// thread uses this object. On an error the index is left as it was.
  template <class IndPtr, class Ind>
  SearchIndex& add(const CsrView<T, IndPtr, Ind>& documents);
  SearchIndex& add(const SparseMatrix<T>& documents);

  /// The options (a reference valid until the next add()).
  const SearchOptions& options() const noexcept;
  std::int64_t n_documents() const noexcept;
  std::int64_t n_terms() const noexcept;
  /// The matrix queries are scored against, documents x terms (a copy): the documents' rows
  /// L2-normalised (cosine) or the BM25 weights idf(t) * tfc(tf) less the term's baseline (zero
  /// weights left out).
  CsrMatrix<T> matrix() const;
  /// BM25: the method's idf of each term (0 for a term in no document); empty for cosine. The
  /// references are valid until the next add().
  const std::vector<double>& idf() const noexcept;
  /// bm25l and bm25+: each term's baseline idf(t) * tfc(0), the score it gives a document without
  /// it (0 for a term in no document); empty for the other methods and cosine.
  const std::vector<double>& baseline() const noexcept;
  /// BM25: the mean document length avgdl (in counted terms); 0 for cosine.
  double average_length() const noexcept;

  /// Whether the index reads its arrays from a mapped file (load_index with mmap = true).
  bool is_mapped() const noexcept;
  /// The large arrays: the postings searched and, for BM25, the counts.
  std::vector<IndexArray> arrays() const;

 private:
  friend struct detail::SearchIndexAccess;
  explicit SearchIndex(std::shared_ptr<const detail::SearchState<T>> state) : state_(std::move(state)) {}
  std::shared_ptr<const detail::SearchState<T>> state_;
};

/// Row `row` of a search result as hits ordered by score (highest first), ties to the lower
/// document index.
template <class T>
LEXSIM_API std::vector<Hit<T>> ranked(const CsrMatrix<T>& results, std::int64_t row);

}  // namespace lexsim
