#pragma once
// CountVectorizer and TfidfVectorizer: documents -> sparse term matrices.
// Defaults and results equal scikit-learn's classes of the same names.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lexsim/export.hpp"
#include "lexsim/analyzer.hpp"
#include "lexsim/corpus_counts.hpp"
#include "lexsim/sparse.hpp"
#include "lexsim/tfidf.hpp"
#include "lexsim/vocabulary.hpp"

namespace lexsim {

/// A document-frequency bound: an absolute number of documents or a proportion of them
/// (scikit-learn's int vs float min_df / max_df).
struct DocFrequency {
  double value = 1.0;
  bool is_proportion = false;
  static DocFrequency count(std::int64_t n) { return {static_cast<double>(n), false}; }
  static DocFrequency proportion(double p) { return {p, true}; }
};

struct CountOptions {
  AnalyzerOptions analysis;
  DocFrequency min_df = DocFrequency::count(1);
  DocFrequency max_df = DocFrequency::proportion(1.0);
  /// Keep only the terms with the highest total counts (ties: the term first in code-point order).
  std::optional<std::int64_t> max_features;
  /// A fixed vocabulary in column order; min_df, max_df and max_features are then ignored.
  std::optional<std::vector<std::string>> vocabulary;
  /// Counts become 1.
  bool binary = false;
  /// Worker threads (1 = the calling thread only); results do not depend on it.
  int n_jobs = 1;
};

/// Documents in batches, for corpora that do not fit in memory: each call sets `batch` to the next
/// batch and returns true, or returns false when there are no more. A batch's text must stay valid
/// until the next call (the previous batch's may then go).
using DocumentBatches = std::function<bool(Documents& batch)>;
/// The same for pre-analysed documents.
using TermBatches = std::function<bool(TermLists& batch)>;

/// What fit, partial_fit and transform read: documents, pre-analysed documents (term lists), or
/// batches of either (out-of-core: the same results as on all batches concatenated, with one
/// batch in memory at a time). A view: what it was made from must outlive the call.
class Input {
 public:
  enum class Kind { documents, terms, document_batches, term_batches };
  Input(Documents docs) noexcept : kind_(Kind::documents), docs_(docs) {}  // NOLINT(google-explicit-constructor)
  Input(const std::vector<std::string>& docs) noexcept
      : Input(Documents(docs)) {}  // NOLINT(google-explicit-constructor)
  Input(const std::vector<std::string_view>& docs) noexcept
      : Input(Documents(docs)) {}                                                 // NOLINT(google-explicit-constructor)
  Input(const TermLists& terms) noexcept : kind_(Kind::terms), terms_(&terms) {}  // NOLINT(google-explicit-constructor)
  Input(const DocumentBatches& next) noexcept
      : kind_(Kind::document_batches), doc_batches_(&next) {}  // NOLINT(google-explicit-constructor)
  Input(const TermBatches& next) noexcept
      : kind_(Kind::term_batches), term_batches_(&next) {}  // NOLINT(google-explicit-constructor)

  Kind kind() const noexcept { return kind_; }
  /// The one of these that kind() names.
  const Documents& documents() const noexcept { return docs_; }
  const TermLists& terms() const noexcept { return *terms_; }
  const DocumentBatches& document_batches() const noexcept { return *doc_batches_; }
  const TermBatches& term_batches() const noexcept { return *term_batches_; }

 private:
  Kind kind_;
  Documents docs_{nullptr, 0};
  const TermLists* terms_ = nullptr;
  const DocumentBatches* doc_batches_ = nullptr;
  const TermBatches* term_batches_ = nullptr;
};

/// The counting options and the weighting (norm, use_idf, smooth_idf, sublinear_tf: see tfidf.hpp).
struct TfidfOptions : CountOptions, TfidfWeighting {};

/// Counts terms. Fit learns the vocabulary (sorted by code point, pruned by min_df, max_df and
/// max_features); transform counts the fitted terms only.
///
/// Every fit keeps the corpus's counts (CorpusCounts: all terms before pruning, their document
/// frequencies and total counts, the number of documents). partial_fit adds documents to them and
/// merge adds another vectorizer's; after either, the vectorizer is fitted on everything counted so
/// far, pruned once on the summed counts. So fit(a + b), fit(a) then partial_fit(b), and the merge
/// of a vectorizer fitted on a with one fitted on b give the same vocabulary and matrices, exactly.
class LEXSIM_API CountVectorizer {
 public:
  explicit CountVectorizer(CountOptions options = {});

  const CountOptions& options() const noexcept { return options_; }
  const Analyzer& analyzer() const noexcept { return analyzer_; }

  /// Fits on the input, forgetting earlier fits. Throws InvalidArgument (and changes nothing)
  /// when pruning leaves no terms.
  CountVectorizer& fit(const Input& input);
  SparseMatrix<double> fit_transform(const Input& input);
  SparseMatrix<double> transform(const Input& input) const;

  /// The same, in plain CSR buffers and any of int32, int64, float or double. Fitting on batches
  /// takes one pass: each batch is counted as it comes, its rows kept with provisional column ids;
  /// the vocabulary is pruned and the rows renumbered once at the end.
  template <class T>
  CsrMatrix<T> fit_transform_csr(const Input& input);
  template <class T>
  CsrMatrix<T> transform_csr(const Input& input) const;

  bool is_fitted() const noexcept { return fitted_; }
  /// Threads for the calls that follow (results do not depend on it); a fitted or loaded vectorizer
  /// keeps its state. Throws InvalidArgument unless n_jobs >= 1 or n_jobs == -1. Not to be called
  /// while another thread uses the vectorizer.
  void set_n_jobs(int n_jobs);
  int n_jobs() const noexcept { return options_.n_jobs; }
  /// Terms in column order. Throws lexsim::NotFittedError before fit (unless a vocabulary was given).
  std::vector<std::string> feature_names() const;
  const Vocabulary& vocabulary() const;
  /// Number of documents fitted on (by fit, or by all partial_fit and merge calls since).
  std::int64_t n_documents() const noexcept { return n_documents_; }
  /// Document frequency of each column in the fitted corpus.
  const std::vector<std::int64_t>& document_frequencies() const noexcept { return df_; }

  /// Restore a fitted state (vocabulary in column order) without its counts, which partial_fit
  /// and merge then refuse. Used by loaders.
  void set_vocabulary(const std::vector<std::string>& terms, std::int64_t n_documents,
                      std::vector<std::int64_t> document_frequencies = {});

  // ---- incremental fitting
  /// Adds the documents to the counts and fits on everything counted so far. Unlike fit, it does
  /// not throw when pruning leaves no terms (a small part of a corpus may well have none that pass
  /// min_df): the vectorizer then keeps its counts and is not fitted until more come; transform
  /// throws NotFittedError saying why. Throws InvalidArgument after set_vocabulary (no counts).
  CountVectorizer& partial_fit(const Input& input);
  /// Adds the counts of `other` (which is not changed) and fits on the sum, as partial_fit does.
  /// Both must have equal options except n_jobs (else InvalidArgument naming the option that
  /// differs) and both must have counts.
  CountVectorizer& merge(const CountVectorizer& other);
  /// Throws what merge(other) would throw before adding anything; changes nothing.
  void check_mergeable(const CountVectorizer& other) const;
  /// Whether the vectorizer has counts: after fit, partial_fit, merge or set_counts, and from the
  /// start with a fixed vocabulary (zero documents).
  bool has_counts() const noexcept { return has_counts_; }
  /// The counts of everything fitted so far. Throws NotFittedError when there are none.
  const CorpusCounts& counts() const;
  /// Replace the counts and fit on them, as partial_fit does (for loaders). With a fixed vocabulary
  /// the counts must hold exactly its terms.
  void set_counts(CorpusCounts counts);

  // ---- the names of each input kind (earlier releases): the calls above
  CountVectorizer& fit_batches(const DocumentBatches& next) { return fit(next); }
  CountVectorizer& fit_batches_terms(const TermBatches& next) { return fit(next); }
  CountVectorizer& partial_fit_terms(const TermLists& docs) { return partial_fit(docs); }
  /// partial_fit of all the batches (pruned once, after the last).
  CountVectorizer& partial_fit_batches(const DocumentBatches& next) { return partial_fit(next); }
  CountVectorizer& partial_fit_batches_terms(const TermBatches& next) { return partial_fit(next); }
  template <class T>
  CsrMatrix<T> fit_transform_terms(const TermLists& docs) {
    return fit_transform_csr<T>(docs);
  }
  template <class T>
  CsrMatrix<T> transform_terms(const TermLists& docs) const {
    return transform_csr<T>(docs);
  }
  template <class T>
  CsrMatrix<T> fit_transform_batches(const DocumentBatches& next) {
    return fit_transform_csr<T>(next);
  }
  template <class T>
  CsrMatrix<T> fit_transform_batches_terms(const TermBatches& next) {
    return fit_transform_csr<T>(next);
  }
  template <class T>
  CsrMatrix<T> transform_batches(const DocumentBatches& next) const {
    return transform_csr<T>(next);
  }
  template <class T>
  CsrMatrix<T> transform_batches_terms(const TermBatches& next) const {
    return transform_csr<T>(next);
  }

 private:
  template <class T>
  CsrMatrix<T> fit_impl(const Input& input, bool keep_rows);
  void check_fitted() const;
  CorpusCounts fixed_vocabulary_counts() const;
  void commit(CorpusCounts&& counts, const std::vector<std::int32_t>& kept, const std::string& why);
  void adopt(CorpusCounts&& counts);
  void add_counts(const CorpusCounts& more);
  void lose_counts();

  CountOptions options_;
  Analyzer analyzer_;
  Vocabulary vocabulary_;
  std::vector<std::int64_t> df_;
  std::int64_t n_documents_ = 0;
  bool fitted_ = false;
  CorpusCounts counts_;
  bool has_counts_ = false;
  bool counts_unknown_ = false;  // fitted without counts (restored by set_vocabulary), or they were lost
  std::string unfitted_reason_;  // why the counts so far give no vocabulary
};

/// TF-IDF: counts, then (optionally) sublinear tf, idf weights and row normalisation, exactly as
/// scikit-learn's TfidfVectorizer computes them: a CountVectorizer whose counts a TfidfTransformer
/// weighs, fitted on the vectorizer's document frequencies (scikit-learn's composition).
class LEXSIM_API TfidfVectorizer {
 public:
  explicit TfidfVectorizer(TfidfOptions options = {});

  /// The counting vectorizer (its fit is this one's; with a fixed vocabulary it is fitted from the
  /// start, this one only after a fit, as in scikit-learn).
  const CountVectorizer& counter() const noexcept { return counter_; }
  const Analyzer& analyzer() const noexcept { return counter_.analyzer(); }
  const std::vector<std::int64_t>& document_frequencies() const noexcept { return counter_.document_frequencies(); }
  std::vector<std::string> feature_names() const;
  bool is_fitted() const noexcept { return counter_.is_fitted() && !awaiting_fit_; }
  std::int64_t n_documents() const noexcept { return counter_.n_documents(); }
  const Vocabulary& vocabulary() const;
  bool has_counts() const noexcept { return counter_.has_counts(); }
  int n_jobs() const noexcept { return counter_.n_jobs(); }
  void set_n_jobs(int n_jobs);
  const CorpusCounts& counts() const { return counter_.counts(); }
  /// The counting part of the options.
  const CountOptions& count_options() const noexcept { return counter_.options(); }
  /// Restore a fitted state: vocabulary in column order and its idf (empty when use_idf is false).
  void set_state(const std::vector<std::string>& terms, std::int64_t n_documents, std::vector<double> idf,
                 std::vector<std::int64_t> document_frequencies = {});

  const TfidfOptions& tfidf_options() const noexcept { return tfidf_; }

  /// As on CountVectorizer, the counts weighted; idf comes from the counts of the fit.
  TfidfVectorizer& fit(const Input& input);
  SparseMatrix<double> fit_transform(const Input& input);
  SparseMatrix<double> transform(const Input& input) const;
  /// float or double.
  template <class T>
  CsrMatrix<T> fit_transform_csr(const Input& input);
  template <class T>
  CsrMatrix<T> transform_csr(const Input& input) const;

  /// idf of each column (empty when use_idf is false). Throws NotFittedError before fit.
  const std::vector<double>& idf() const;
  /// The same computed in float arithmetic, as scikit-learn does for float32 output.
  const std::vector<float>& idf_float() const;
  /// Replace the idf vector (its length must equal the vocabulary size; InvalidArgument when
  /// use_idf is false, as scikit-learn's idf_ setter). partial_fit and merge then throw
  /// InvalidArgument (they would replace it with the idf of the counts) until a fit.
  void set_idf(std::vector<double> idf);
  /// Whether the idf was set by set_idf (or set_state) rather than computed from the counts.
  bool idf_set_by_hand() const noexcept { return transformer_.idf_set_by_hand(); }
  /// The weighting: a TfidfTransformer with the fit's number of documents, the document frequency
  /// of each column of the vocabulary, and the idf (without counts when restored without them).
  const TfidfTransformer& transformer() const noexcept { return transformer_; }

  /// Apply sublinear tf, idf and the norm to a count matrix in place (its columns are the
  /// vocabulary's; InvalidArgument for a matrix the transformer refuses).
  template <class T>
  void weight(CsrMatrix<T>& counts) const;

  /// Incremental fitting, as on CountVectorizer; idf comes from the summed counts. merge also
  /// requires equal norm, use_idf, smooth_idf and sublinear_tf.
  TfidfVectorizer& partial_fit(const Input& input);
  TfidfVectorizer& merge(const TfidfVectorizer& other);
  void set_counts(CorpusCounts counts);

  // ---- the names of each input kind (earlier releases): the calls above
  TfidfVectorizer& fit_batches(const DocumentBatches& next) { return fit(next); }
  TfidfVectorizer& fit_batches_terms(const TermBatches& next) { return fit(next); }
  TfidfVectorizer& partial_fit_terms(const TermLists& docs) { return partial_fit(docs); }
  TfidfVectorizer& partial_fit_batches(const DocumentBatches& next) { return partial_fit(next); }
  TfidfVectorizer& partial_fit_batches_terms(const TermBatches& next) { return partial_fit(next); }
  template <class T>
  CsrMatrix<T> fit_transform_terms(const TermLists& docs) {
    return fit_transform_csr<T>(docs);
  }
  template <class T>
  CsrMatrix<T> transform_terms(const TermLists& docs) const {
    return transform_csr<T>(docs);
  }
  template <class T>
  CsrMatrix<T> fit_transform_batches(const DocumentBatches& next) {
    return fit_transform_csr<T>(next);
  }
  template <class T>
  CsrMatrix<T> fit_transform_batches_terms(const TermBatches& next) {
    return fit_transform_csr<T>(next);
  }
  template <class T>
  CsrMatrix<T> transform_batches(const DocumentBatches& next) const {
    return transform_csr<T>(next);
  }
  template <class T>
  CsrMatrix<T> transform_batches_terms(const TermBatches& next) const {
    return transform_csr<T>(next);
  }

 private:
  void check_fitted() const;
  void fit_idf();
  void check_idf_not_set(const char* what) const;
  template <class T>
  void weigh_own(CsrMatrix<T>& counts) const;
  CountVectorizer counter_;
  TfidfOptions tfidf_;
  TfidfTransformer transformer_;
  bool awaiting_fit_;  // a fixed vocabulary still needs a fit for its idf, as in scikit-learn
};

}  // namespace lexsim
