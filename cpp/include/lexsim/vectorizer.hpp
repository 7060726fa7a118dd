#pragma once
// CountVectorizer and TfidfVectorizer: documents -> sparse term matrices.
// Defaults and results equal scikit-learn's classes of the same names.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lexsim/analyzer.hpp"
#include "lexsim/sparse.hpp"
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

enum class Norm { none, l1, l2 };

struct TfidfOptions : CountOptions {
  Norm norm = Norm::l2;
  bool use_idf = true;
  bool smooth_idf = true;
  bool sublinear_tf = false;
};

/// Counts terms. Fit learns the vocabulary (sorted by code point, pruned by min_df, max_df and
/// max_features); transform counts the fitted terms only.
class CountVectorizer {
 public:
  explicit CountVectorizer(CountOptions options = {});

  const CountOptions& options() const noexcept { return options_; }
  const Analyzer& analyzer() const noexcept { return analyzer_; }

  CountVectorizer& fit(const Documents& docs);
  SparseMatrix<double> fit_transform(const Documents& docs);
  SparseMatrix<double> transform(const Documents& docs) const;

  /// The same, in plain CSR buffers and any of int32, int64, float or double.
  template <class T>
  CsrMatrix<T> fit_transform_csr(const Documents& docs);
  template <class T>
  CsrMatrix<T> transform_csr(const Documents& docs) const;
  /// Pre-analysed documents (each a list of terms).
  template <class T>
  CsrMatrix<T> fit_transform_terms(const TermLists& docs);
  template <class T>
  CsrMatrix<T> transform_terms(const TermLists& docs) const;

  bool is_fitted() const noexcept { return fitted_; }
  /// Terms in column order. Throws lexsim::NotFittedError before fit (unless a vocabulary was given).
  std::vector<std::string> feature_names() const;
  const Vocabulary& vocabulary() const;
  /// Number of documents seen by the last fit.
  std::int64_t n_documents() const noexcept { return n_documents_; }
  /// Document frequency of each column in the fitted corpus (empty for a fixed vocabulary).
  const std::vector<std::int64_t>& document_frequencies() const noexcept { return df_; }

  /// Restore a fitted state (vocabulary in column order). Used by loaders.
  void set_vocabulary(const std::vector<std::string>& terms, std::int64_t n_documents,
                      std::vector<std::int64_t> document_frequencies = {});

 protected:
  template <class T, class Source>
  CsrMatrix<T> fit_impl(const Source& source);
  template <class T, class Source>
  CsrMatrix<T> transform_impl(const Source& source) const;
  void check_fitted() const;

  CountOptions options_;
  Analyzer analyzer_;
  Vocabulary vocabulary_;
  std::vector<std::int64_t> df_;
  std::int64_t n_documents_ = 0;
  bool fitted_ = false;
};

/// TF-IDF: counts, then (optionally) sublinear tf, idf weights and row normalisation, exactly as
/// scikit-learn's TfidfVectorizer computes them.
class TfidfVectorizer : protected CountVectorizer {
 public:
  explicit TfidfVectorizer(TfidfOptions options = {});

  using CountVectorizer::analyzer;
  using CountVectorizer::document_frequencies;
  using CountVectorizer::feature_names;
  using CountVectorizer::is_fitted;
  using CountVectorizer::n_documents;
  using CountVectorizer::vocabulary;
  /// The counting part of the options.
  const CountOptions& count_options() const noexcept { return options_; }
  /// Restore a fitted state: vocabulary in column order and its idf (empty when use_idf is false).
  void set_state(const std::vector<std::string>& terms, std::int64_t n_documents, std::vector<double> idf,
                 std::vector<std::int64_t> document_frequencies = {});

  const TfidfOptions& tfidf_options() const noexcept { return tfidf_; }

  TfidfVectorizer& fit(const Documents& docs);
  SparseMatrix<double> fit_transform(const Documents& docs);
  SparseMatrix<double> transform(const Documents& docs) const;

  template <class T>
  CsrMatrix<T> fit_transform_csr(const Documents& docs);
  template <class T>
  CsrMatrix<T> transform_csr(const Documents& docs) const;
  template <class T>
  CsrMatrix<T> fit_transform_terms(const TermLists& docs);
  template <class T>
  CsrMatrix<T> transform_terms(const TermLists& docs) const;

  /// idf of each column (empty when use_idf is false). Throws NotFittedError before fit.
  const std::vector<double>& idf() const;
  /// The same computed in float arithmetic, as scikit-learn does for float32 output.
  const std::vector<float>& idf_float() const;
  /// Replace the idf vector (its length must equal the vocabulary size).
  void set_idf(std::vector<double> idf);

  /// Apply sublinear tf, idf and the norm to a count matrix in place.
  template <class T>
  void weight(CsrMatrix<T>& counts) const;

 private:
  void fit_idf();
  TfidfOptions tfidf_;
  std::vector<double> idf_;
  std::vector<float> idf_float_;
};

}  // namespace lexsim
