// TfidfVectorizer: a CountVectorizer whose counts a TfidfTransformer weighs. Every entry point is
// the counter's, then fit_idf (after a fit) and weigh_own (when there is a matrix).
#include <cmath>
#include <string>
#include <utility>

#include "lexsim/errors.hpp"
#include "lexsim/vectorizer.hpp"
#include "options.hpp"

namespace lexsim {

TfidfVectorizer::TfidfVectorizer(TfidfOptions options)
    : counter_(static_cast<const CountOptions&>(options)),
      tfidf_(std::move(options)),
      transformer_(static_cast<const TfidfWeighting&>(tfidf_), tfidf_.n_jobs),
      awaiting_fit_(tfidf_.vocabulary.has_value()) {}

// The counter's reason first (it is not fitted, or lost its counts), then the idf's.
void TfidfVectorizer::check_fitted() const {
  if (!counter_.is_fitted()) (void)counter_.vocabulary();  // throws NotFittedError saying why
  if (awaiting_fit_) throw NotFittedError("Vocabulary not fitted or provided");
}

const Vocabulary& TfidfVectorizer::vocabulary() const {
  check_fitted();
  return counter_.vocabulary();
}

std::vector<std::string> TfidfVectorizer::feature_names() const {
  check_fitted();
  return counter_.feature_names();
}

void TfidfVectorizer::set_n_jobs(int n_jobs) {
  counter_.set_n_jobs(n_jobs);
  tfidf_.n_jobs = n_jobs;
  transformer_.set_n_jobs(n_jobs);
}

void TfidfVectorizer::check_idf_not_set(const char* what) const {
  // Without counts, the counter says so (the first reason). With an idf set by hand, the counter
  // has counts exactly when they are known (it was fitted, or restored without them).
  if (idf_set_by_hand() && counter_.has_counts())
    throw InvalidArgument(std::string(what) +
                          " would replace the idf that was set by hand (set_idf) with the idf of the counts; "
                          "fit again, or set the idf afterwards");
}

// The transformer is fitted on the vocabulary's document frequencies: its idf is the vectorizer's.
void TfidfVectorizer::fit_idf() {
  transformer_.set_counts(counter_.n_documents(), counter_.document_frequencies());
  awaiting_fit_ = false;
}

const std::vector<float>& TfidfVectorizer::idf_float() const {
  check_fitted();
  return transformer_.idf_float();
}

const std::vector<double>& TfidfVectorizer::idf() const {
  check_fitted();
  return transformer_.idf();
}

void TfidfVectorizer::set_idf(std::vector<double> idf) {
  check_fitted();
  const std::size_t n_terms = counter_.vocabulary().size();
  if (idf.size() != n_terms)
    throw InvalidArgument("idf has " + std::to_string(idf.size()) + " values but the vocabulary has " +
                          std::to_string(n_terms) + " terms");
  for (std::size_t j = 0; j < idf.size(); ++j) {
    if (!std::isfinite(idf[j])) throw InvalidArgument("idf[" + std::to_string(j) + "] is not finite");
  }
  if (!tfidf_.use_idf) throw InvalidArgument("the idf cannot be set when use_idf is false");
  transformer_.set_idf(std::move(idf));
}

void TfidfVectorizer::set_state(const std::vector<std::string>& terms, std::int64_t n_documents,
                                std::vector<double> idf, std::vector<std::int64_t> document_frequencies) {
  counter_.set_vocabulary(terms, n_documents, std::move(document_frequencies));
  awaiting_fit_ = false;
  transformer_.clear();
  // Recompute from the counts when they are known, so float output stays exactly what fit gave;
  // an idf that differs from the computed one was set by the user and wins.
  if (counter_.document_frequencies().size() == terms.size()) fit_idf();
  if (tfidf_.use_idf && idf != transformer_.idf()) set_idf(std::move(idf));
}

// The vectorizer's own counts: their columns are the vocabulary's, their values counts >= 1.
template <class T>
void TfidfVectorizer::weigh_own(CsrMatrix<T>& X) const {
  transformer_.weigh(view(X), X.data.data(), IdfPrecision::output);
}

template <class T>
void TfidfVectorizer::weight(CsrMatrix<T>& X) const {
  if (transformer_.has_idf() && transformer_.idf().size() != static_cast<std::size_t>(X.cols))
    throw InvalidArgument("idf vector of length " + std::to_string(transformer_.idf().size()) + " does not match " +
                          std::to_string(X.cols) + " columns");
  if (X.rows < 0 || X.indptr.size() != static_cast<std::size_t>(X.rows) + 1 || X.indices.size() != X.data.size() ||
      static_cast<std::int64_t>(X.data.size()) < X.indptr.back())
    throw InvalidArgument("counts: the CsrMatrix's arrays do not match its shape");
  const auto v = view(X);
  transformer_.check(v, /*against_fit=*/false);
  transformer_.check_rows(v);
  weigh_own(X);
}

TfidfVectorizer& TfidfVectorizer::fit(const Input& input) {
  counter_.fit(input);
  fit_idf();
  return *this;
}

TfidfVectorizer& TfidfVectorizer::partial_fit(const Input& input) {
  check_idf_not_set("partial_fit");
  counter_.partial_fit(input);
  fit_idf();
  return *this;
}

TfidfVectorizer& TfidfVectorizer::merge(const TfidfVectorizer& other) {
  const std::string diff = detail::weighting_diff(tfidf_, other.tfidf_);
  if (!diff.empty()) throw InvalidArgument("cannot merge vectorizers with different options: " + diff);
  counter_.check_mergeable(other.counter_);
  check_idf_not_set("merge");
  if (other.idf_set_by_hand())
    throw InvalidArgument(
        "cannot merge a vectorizer whose idf was set by hand (set_idf): its counts do not give its idf");
  counter_.merge(other.counter_);
  fit_idf();
  return *this;
}

void TfidfVectorizer::set_counts(CorpusCounts counts) {
  counter_.set_counts(std::move(counts));
  fit_idf();
}

SparseMatrix<double> TfidfVectorizer::fit_transform(const Input& input) {
  return to_eigen(fit_transform_csr<double>(input));
}

SparseMatrix<double> TfidfVectorizer::transform(const Input& input) const {
  return to_eigen(transform_csr<double>(input));
}

template <class T>
CsrMatrix<T> TfidfVectorizer::fit_transform_csr(const Input& input) {
  auto X = counter_.fit_transform_csr<T>(input);
  fit_idf();
  weigh_own(X);
  return X;
}

template <class T>
CsrMatrix<T> TfidfVectorizer::transform_csr(const Input& input) const {
  check_fitted();
  auto X = counter_.transform_csr<T>(input);
  weigh_own(X);
  return X;
}

#define LEXSIM_TFIDF_INSTANTIATE(T)                                            \
  template CsrMatrix<T> TfidfVectorizer::fit_transform_csr<T>(const Input&);   \
  template CsrMatrix<T> TfidfVectorizer::transform_csr<T>(const Input&) const; \
  template void TfidfVectorizer::weight<T>(CsrMatrix<T>&) const;               \
  template void TfidfVectorizer::weigh_own<T>(CsrMatrix<T>&) const;
LEXSIM_TFIDF_INSTANTIATE(float)
LEXSIM_TFIDF_INSTANTIATE(double)
#undef LEXSIM_TFIDF_INSTANTIATE

}  // namespace lexsim
