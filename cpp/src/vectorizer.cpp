#include "lexsim/vectorizer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <type_traits>
#include <utility>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "analyzer_impl.hpp"

namespace lexsim {
namespace {

// Feeds the terms of document i to a callback: from text through the analyzer...
struct TextSource {
  const Documents& docs;
  const Analyzer& analyzer;
  std::size_t size() const { return docs.size(); }
  template <class F>
  void terms(std::size_t i, F&& f) const {
    try {
      analyzer.impl().each_term(docs[i], f);
    } catch (const UnicodeError& e) {
      throw UnicodeError("document " + std::to_string(i) + ": " + e.what(), i, e.byte_offset());
    }
  }
};

// ...or from lists of terms made elsewhere.
struct TermSource {
  const TermLists& docs;
  std::size_t size() const { return docs.size(); }
  template <class F>
  void terms(std::size_t i, F&& f) const {
    for (auto t : docs[i]) f(t);
  }
};

// Per-document counting with a dense counter and a list of the ids touched.
struct RowCounter {
  std::vector<std::int64_t> counts;
  std::vector<std::int32_t> touched;
  void add(std::int32_t id) {
    const auto i = static_cast<std::size_t>(id);
    if (i >= counts.size()) counts.resize(std::max<std::size_t>(i + 1, counts.size() * 2), 0);
    if (counts[i]++ == 0) touched.push_back(id);
  }
  // Ends a row. Fitting leaves it unsorted (its ids are renumbered and sorted afterwards anyway).
  template <class T>
  void flush(CsrMatrix<T>& m, bool binary, bool sort = true) {
    if (sort) std::sort(touched.begin(), touched.end());
    for (auto id : touched) {
      auto& c = counts[static_cast<std::size_t>(id)];
      m.indices.push_back(id);
      m.data.push_back(binary ? T(1) : static_cast<T>(c));
      c = 0;
    }
    touched.clear();
    m.indptr.push_back(static_cast<std::int64_t>(m.indices.size()));
  }
};

template <class T>
std::vector<std::int64_t> column_document_frequency(const CsrMatrix<T>& m) {
  std::vector<std::int64_t> df(static_cast<std::size_t>(m.cols), 0);
  for (auto j : m.indices) ++df[static_cast<std::size_t>(j)];
  return df;
}

std::string describe_df(const char* name, const DocFrequency& d) {
  return std::string(name) + "=" + (d.is_proportion ? std::to_string(d.value) : std::to_string(static_cast<long long>(d.value)));
}

void validate(const CountOptions& o) {
  auto check = [](const char* name, const DocFrequency& d) {
    if (d.is_proportion ? !(d.value >= 0.0 && d.value <= 1.0) : !(d.value >= 1.0)) {
      throw InvalidArgument("The '" + std::string(name) + "' parameter must be a float in the range [0.0, 1.0] or an int in the range [1, inf); got " +
                            describe_df(name, d));
    }
  };
  check("min_df", o.min_df);
  check("max_df", o.max_df);
  if (o.max_features && *o.max_features < 1) {
    throw InvalidArgument("The 'max_features' parameter must be an int in the range [1, inf) or None; got " +
                          std::to_string(*o.max_features));
  }
  if (o.vocabulary && o.vocabulary->empty()) throw InvalidArgument("empty vocabulary passed to fit");
  if (o.n_jobs == 0 || o.n_jobs < -1) throw InvalidArgument("n_jobs must be a positive integer or -1; got " + std::to_string(o.n_jobs));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// CountVectorizer

CountVectorizer::CountVectorizer(CountOptions options) : options_(std::move(options)), analyzer_(options_.analysis) {
  validate(options_);
  if (options_.vocabulary) {
    vocabulary_ = Vocabulary::from_terms(*options_.vocabulary);
    fitted_ = true;
  }
}

void CountVectorizer::check_fitted() const {
  if (!fitted_) throw NotFittedError("Vocabulary not fitted or provided");
}

const Vocabulary& CountVectorizer::vocabulary() const {
  check_fitted();
  return vocabulary_;
}

std::vector<std::string> CountVectorizer::feature_names() const {
  check_fitted();
  return vocabulary_.terms();
}

void CountVectorizer::set_vocabulary(const std::vector<std::string>& terms, std::int64_t n_documents,
                                     std::vector<std::int64_t> document_frequencies) {
  if (terms.empty()) throw InvalidArgument("empty vocabulary");
  if (!document_frequencies.empty() && document_frequencies.size() != terms.size())
    throw InvalidArgument("document_frequencies has " + std::to_string(document_frequencies.size()) +
                          " entries for " + std::to_string(terms.size()) + " terms");
  vocabulary_ = Vocabulary::from_terms(terms);
  n_documents_ = n_documents;
  df_ = std::move(document_frequencies);
  fitted_ = true;
}

template <class T, class Source>
CsrMatrix<T> CountVectorizer::transform_impl(const Source& source) const {
  check_fitted();
  CsrMatrix<T> m;
  m.rows = static_cast<std::int64_t>(source.size());
  m.cols = static_cast<std::int64_t>(vocabulary_.size());
  m.indptr.reserve(source.size() + 1);
  RowCounter counter;
  counter.counts.assign(vocabulary_.size(), 0);
  for (std::size_t i = 0; i < source.size(); ++i) {
    detail::poll_interrupt();
    source.terms(i, [&](std::string_view t) {
      const auto id = vocabulary_.find(t);
      if (id >= 0) counter.add(id);
    });
    counter.flush(m, options_.binary);
  }
  return m;
}

template <class T, class Source>
CsrMatrix<T> CountVectorizer::fit_impl(const Source& source) {
  const std::int64_t n_doc = static_cast<std::int64_t>(source.size());
  if (options_.vocabulary) {  // fixed vocabulary: counting is all there is to fitting
    fitted_ = true;
    auto m = transform_impl<T>(source);
    df_ = column_document_frequency(m);
    n_documents_ = n_doc;
    return m;
  }
  // Pass 1: count with ids in order of first appearance.
  Vocabulary seen;
  CsrMatrix<T> m;
  m.rows = n_doc;
  m.indptr.reserve(source.size() + 1);
  RowCounter counter;
  for (std::size_t i = 0; i < source.size(); ++i) {
    detail::poll_interrupt();
    source.terms(i, [&](std::string_view t) { counter.add(seen.insert(t)); });
    counter.flush(m, options_.binary, /*sort=*/false);
  }
  const std::size_t n_seen = seen.size();
  if (n_seen == 0) throw InvalidArgument("empty vocabulary; perhaps the documents only contain stop words");

  // Document frequency and total count of every term.
  std::vector<std::int64_t> df(n_seen, 0);
  std::vector<double> tf(n_seen, 0.0);
  for (std::size_t k = 0; k < m.indices.size(); ++k) {
    const auto j = static_cast<std::size_t>(m.indices[k]);
    ++df[j];
    tf[j] += static_cast<double>(m.data[k]);
  }
  const double high = options_.max_df.is_proportion ? options_.max_df.value * static_cast<double>(n_doc) : options_.max_df.value;
  const double low = options_.min_df.is_proportion ? options_.min_df.value * static_cast<double>(n_doc) : options_.min_df.value;
  if (high < low) throw InvalidArgument("max_df corresponds to < documents than min_df");

  // Terms that pass the document-frequency bounds, in code-point (= UTF-8 byte) order.
  std::vector<std::int32_t> kept;
  kept.reserve(n_seen);
  for (std::size_t j = 0; j < n_seen; ++j) {
    const auto d = static_cast<double>(df[j]);
    if (d <= high && d >= low) kept.push_back(static_cast<std::int32_t>(j));
  }
  std::sort(kept.begin(), kept.end(), [&](std::int32_t a, std::int32_t b) { return seen.term(a) < seen.term(b); });
  if (options_.max_features && static_cast<std::int64_t>(kept.size()) > *options_.max_features) {
    // Highest total count first; equal counts keep code-point order (a stable sort).
    std::vector<std::int32_t> by_count = kept;
    std::stable_sort(by_count.begin(), by_count.end(), [&](std::int32_t a, std::int32_t b) {
      return tf[static_cast<std::size_t>(a)] > tf[static_cast<std::size_t>(b)];
    });
    by_count.resize(static_cast<std::size_t>(*options_.max_features));
    std::vector<char> chosen(n_seen, 0);
    for (auto j : by_count) chosen[static_cast<std::size_t>(j)] = 1;
    kept.erase(std::remove_if(kept.begin(), kept.end(), [&](std::int32_t j) { return !chosen[static_cast<std::size_t>(j)]; }),
               kept.end());
  }
  if (kept.empty()) throw InvalidArgument("After pruning, no terms remain. Try a lower min_df or a higher max_df.");

  // Pass 2: renumber the columns in place (rows only shrink) and sort each row by its new ids.
  std::vector<std::int32_t> new_id(n_seen, -1);
  for (std::size_t k = 0; k < kept.size(); ++k) new_id[static_cast<std::size_t>(kept[k])] = static_cast<std::int32_t>(k);
  std::vector<std::pair<std::int32_t, T>> row;
  std::size_t w = 0;
  for (std::int64_t r = 0; r < n_doc; ++r) {
    const auto b = static_cast<std::size_t>(m.indptr[static_cast<std::size_t>(r)]);
    const auto e = static_cast<std::size_t>(m.indptr[static_cast<std::size_t>(r) + 1]);
    row.clear();
    for (std::size_t k = b; k < e; ++k) {
      const auto id = new_id[static_cast<std::size_t>(m.indices[k])];
      if (id >= 0) row.emplace_back(id, m.data[k]);
    }
    std::sort(row.begin(), row.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    m.indptr[static_cast<std::size_t>(r)] = static_cast<std::int64_t>(w);
    for (const auto& [id, v] : row) {
      m.indices[w] = id;
      m.data[w] = v;
      ++w;
    }
  }
  m.indptr[static_cast<std::size_t>(n_doc)] = static_cast<std::int64_t>(w);
  m.indices.resize(w);
  m.data.resize(w);
  m.indices.shrink_to_fit();
  m.data.shrink_to_fit();
  m.cols = static_cast<std::int64_t>(kept.size());

  Vocabulary final_vocab;
  final_vocab.reserve(kept.size());
  df_.assign(kept.size(), 0);
  for (std::size_t k = 0; k < kept.size(); ++k) {
    final_vocab.insert(seen.term(kept[k]));
    df_[k] = df[static_cast<std::size_t>(kept[k])];
  }
  vocabulary_ = std::move(final_vocab);
  n_documents_ = n_doc;
  fitted_ = true;
  return m;
}

CountVectorizer& CountVectorizer::fit(const Documents& docs) {
  fit_impl<std::int32_t>(TextSource{docs, analyzer_});
  return *this;
}

SparseMatrix<double> CountVectorizer::fit_transform(const Documents& docs) {
  return to_eigen(fit_transform_csr<double>(docs));
}

SparseMatrix<double> CountVectorizer::transform(const Documents& docs) const {
  return to_eigen(transform_csr<double>(docs));
}

template <class T>
CsrMatrix<T> CountVectorizer::fit_transform_csr(const Documents& docs) {
  return fit_impl<T>(TextSource{docs, analyzer_});
}
template <class T>
CsrMatrix<T> CountVectorizer::transform_csr(const Documents& docs) const {
  return transform_impl<T>(TextSource{docs, analyzer_});
}
template <class T>
CsrMatrix<T> CountVectorizer::fit_transform_terms(const TermLists& docs) {
  return fit_impl<T>(TermSource{docs});
}
template <class T>
CsrMatrix<T> CountVectorizer::transform_terms(const TermLists& docs) const {
  return transform_impl<T>(TermSource{docs});
}

#define LEXSIM_COUNT_INSTANTIATE(T)                                                      \
  template CsrMatrix<T> CountVectorizer::fit_transform_csr<T>(const Documents&);         \
  template CsrMatrix<T> CountVectorizer::transform_csr<T>(const Documents&) const;       \
  template CsrMatrix<T> CountVectorizer::fit_transform_terms<T>(const TermLists&);       \
  template CsrMatrix<T> CountVectorizer::transform_terms<T>(const TermLists&) const;
LEXSIM_COUNT_INSTANTIATE(std::int32_t)
LEXSIM_COUNT_INSTANTIATE(std::int64_t)
LEXSIM_COUNT_INSTANTIATE(float)
LEXSIM_COUNT_INSTANTIATE(double)
#undef LEXSIM_COUNT_INSTANTIATE

// ---------------------------------------------------------------------------------------------
// TfidfVectorizer

TfidfVectorizer::TfidfVectorizer(TfidfOptions options)
    : CountVectorizer(static_cast<const CountOptions&>(options)), tfidf_(std::move(options)) {
  fitted_ = false;  // a fixed vocabulary still needs fit() for its idf, as in scikit-learn
}

void TfidfVectorizer::fit_idf() {
  idf_.clear();
  idf_float_.clear();
  if (!tfidf_.use_idf) return;
  // idf = ln((n + s) / (df + s)) + 1 with s = 1 when smoothing, as scikit-learn computes it: in the
  // output's precision (float32 output gets float arithmetic throughout).
  const double s = tfidf_.smooth_idf ? 1.0 : 0.0;
  const double n = static_cast<double>(n_documents_) + s;
  const float sf = static_cast<float>(s), nf = static_cast<float>(n_documents_) + sf;
  idf_.resize(df_.size());
  idf_float_.resize(df_.size());
  for (std::size_t j = 0; j < df_.size(); ++j) {
    idf_[j] = std::log(n / (static_cast<double>(df_[j]) + s)) + 1.0;
    idf_float_[j] = std::log(nf / (static_cast<float>(df_[j]) + sf)) + 1.0f;
  }
}

const std::vector<float>& TfidfVectorizer::idf_float() const {
  check_fitted();
  return idf_float_;
}

const std::vector<double>& TfidfVectorizer::idf() const {
  check_fitted();
  return idf_;
}

void TfidfVectorizer::set_idf(std::vector<double> idf) {
  check_fitted();
  if (idf.size() != vocabulary_.size())
    throw InvalidArgument("idf has " + std::to_string(idf.size()) + " values but the vocabulary has " +
                          std::to_string(vocabulary_.size()) + " terms");
  for (std::size_t j = 0; j < idf.size(); ++j) {
    if (!std::isfinite(idf[j])) throw InvalidArgument("idf[" + std::to_string(j) + "] is not finite");
  }
  idf_ = std::move(idf);
  idf_float_.assign(idf_.begin(), idf_.end());
}

void TfidfVectorizer::set_state(const std::vector<std::string>& terms, std::int64_t n_documents, std::vector<double> idf,
                                std::vector<std::int64_t> document_frequencies) {
  set_vocabulary(terms, n_documents, std::move(document_frequencies));
  if (tfidf_.use_idf) {
    // Recompute from the counts when they are known, so float output stays exactly what fit gave;
    // an idf that differs from the computed one was set by the user and wins.
    if (df_.size() == terms.size()) fit_idf();
    if (idf != idf_) set_idf(std::move(idf));
  } else {
    idf_.clear();
    idf_float_.clear();
  }
}

template <class T>
void TfidfVectorizer::weight(CsrMatrix<T>& X) const {
  if (tfidf_.sublinear_tf) {
    for (auto& v : X.data) v = static_cast<T>(std::log(v) + T(1));
  }
  if (tfidf_.use_idf) {
    if (idf_.size() != static_cast<std::size_t>(X.cols))
      throw InvalidArgument("idf vector of length " + std::to_string(idf_.size()) + " does not match " +
                            std::to_string(X.cols) + " columns");
    if constexpr (std::is_same_v<T, float>) {
      for (std::size_t k = 0; k < X.data.size(); ++k) X.data[k] *= idf_float_[static_cast<std::size_t>(X.indices[k])];
    } else {
      for (std::size_t k = 0; k < X.data.size(); ++k) X.data[k] *= static_cast<T>(idf_[static_cast<std::size_t>(X.indices[k])]);
    }
  }
  if (tfidf_.norm == Norm::none) return;
  for (std::int64_t r = 0; r < X.rows; ++r) {
    const auto b = static_cast<std::size_t>(X.indptr[static_cast<std::size_t>(r)]);
    const auto e = static_cast<std::size_t>(X.indptr[static_cast<std::size_t>(r) + 1]);
    // As scikit-learn's normalize(): squares in the data type, summed in double in column order,
    // each value divided in double.
    double sum = 0;
    if (tfidf_.norm == Norm::l2) {
      for (std::size_t k = b; k < e; ++k) sum += static_cast<double>(X.data[k] * X.data[k]);
      if (sum == 0.0) continue;
      sum = std::sqrt(sum);
    } else {
      for (std::size_t k = b; k < e; ++k) sum += std::abs(static_cast<double>(X.data[k]));
      if (sum == 0.0) continue;
    }
    for (std::size_t k = b; k < e; ++k) X.data[k] = static_cast<T>(static_cast<double>(X.data[k]) / sum);
  }
}

TfidfVectorizer& TfidfVectorizer::fit(const Documents& docs) {
  fit_impl<double>(TextSource{docs, analyzer_});
  fit_idf();
  return *this;
}

SparseMatrix<double> TfidfVectorizer::fit_transform(const Documents& docs) {
  return to_eigen(fit_transform_csr<double>(docs));
}

SparseMatrix<double> TfidfVectorizer::transform(const Documents& docs) const {
  return to_eigen(transform_csr<double>(docs));
}

template <class T>
CsrMatrix<T> TfidfVectorizer::fit_transform_csr(const Documents& docs) {
  auto X = fit_impl<T>(TextSource{docs, analyzer_});
  fit_idf();
  weight(X);
  return X;
}
template <class T>
CsrMatrix<T> TfidfVectorizer::transform_csr(const Documents& docs) const {
  auto X = transform_impl<T>(TextSource{docs, analyzer_});
  weight(X);
  return X;
}
template <class T>
CsrMatrix<T> TfidfVectorizer::fit_transform_terms(const TermLists& docs) {
  auto X = fit_impl<T>(TermSource{docs});
  fit_idf();
  weight(X);
  return X;
}
template <class T>
CsrMatrix<T> TfidfVectorizer::transform_terms(const TermLists& docs) const {
  auto X = transform_impl<T>(TermSource{docs});
  weight(X);
  return X;
}

#define LEXSIM_TFIDF_INSTANTIATE(T)                                                      \
  template CsrMatrix<T> TfidfVectorizer::fit_transform_csr<T>(const Documents&);         \
  template CsrMatrix<T> TfidfVectorizer::transform_csr<T>(const Documents&) const;       \
  template CsrMatrix<T> TfidfVectorizer::fit_transform_terms<T>(const TermLists&);       \
  template CsrMatrix<T> TfidfVectorizer::transform_terms<T>(const TermLists&) const;     \
  template void TfidfVectorizer::weight<T>(CsrMatrix<T>&) const;
LEXSIM_TFIDF_INSTANTIATE(float)
LEXSIM_TFIDF_INSTANTIATE(double)
#undef LEXSIM_TFIDF_INSTANTIATE

}  // namespace lexsim
