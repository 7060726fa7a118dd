#include "lexsim/vectorizer.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <type_traits>
#include <utility>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "analyzer_impl.hpp"
#include "parallel.hpp"

namespace lexsim {
namespace {

// Feeds the terms of document i to a callback: from text through the analyzer...
struct TextSource {
  const Documents& docs;
  const Analyzer& analyzer;
  std::size_t size() const { return docs.size(); }
  bool stable_views() const { return analyzer.impl().stable_views(); }
  std::size_t bytes(std::int64_t begin, std::int64_t end) const {
    std::size_t n = 0;
    for (auto i = begin; i < end; ++i) n += docs[static_cast<std::size_t>(i)].size();
    return n;
  }
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
  bool stable_views() const { return true; }
  std::size_t bytes(std::int64_t begin, std::int64_t end) const {
    std::size_t n = 0;
    for (auto i = begin; i < end; ++i) n += docs[static_cast<std::size_t>(i)].size() * 5;
    return n;
  }
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

// One worker's share of a fit: its rows counted with the worker's own term ids.
template <class T>
struct FitPart {
  Vocabulary vocab;
  CsrMatrix<T> m;  // column indices are local term ids; rows are not sorted yet
  std::vector<std::int64_t> df;
  std::vector<double> tf;
};

// Terms per prefetching vocabulary batch: enough to hide the probes' cache misses, few enough
// that a huge document does not hold a view per token (16 bytes each) at once.
constexpr std::size_t kTermBatch = 4096;

template <class T, class Source>
void count_rows(const Source& source, std::int64_t begin, std::int64_t end, bool binary, bool poll,
                const detail::StopToken& stop, FitPart<T>& part) {
  part.m.rows = end - begin;
  part.m.indptr.reserve(static_cast<std::size_t>(end - begin) + 1);
  const std::size_t guess = source.bytes(begin, end) / 5 + 16;  // about one distinct term per 5 bytes
  part.m.indices.reserve(guess);
  part.m.data.reserve(guess);
  RowCounter counter;
  std::vector<std::string_view> terms;
  std::vector<std::int32_t> ids;
  const bool batch = source.stable_views();
  for (auto i = begin; i < end; ++i) {
    if (poll) detail::poll_interrupt();
    if (stop.requested()) return;
    if (batch) {  // the document's terms in batches, each inserted with prefetching
      auto insert = [&] {
        ids.resize(terms.size());
        part.vocab.insert_many(terms.data(), terms.size(), ids.data());
        for (auto id : ids) counter.add(id);
        terms.clear();
      };
      source.terms(static_cast<std::size_t>(i), [&](std::string_view t) {
        terms.push_back(t);
        if (terms.size() == kTermBatch) insert();
      });
      insert();
    } else {
      source.terms(static_cast<std::size_t>(i), [&](std::string_view t) { counter.add(part.vocab.insert(t)); });
    }
    counter.flush(part.m, binary, /*sort=*/false);
  }
  detail::trim_scratch();
  part.df.assign(part.vocab.size(), 0);
  part.tf.assign(part.vocab.size(), 0.0);
  for (std::size_t k = 0; k < part.m.indices.size(); ++k) {
    const auto j = static_cast<std::size_t>(part.m.indices[k]);
    ++part.df[j];
    part.tf[j] += static_cast<double>(part.m.data[k]);
  }
}

// Renumbers the columns of m with map (-1 drops a column) and sorts each row, in place. A row is
// sorted as 8-byte keys (new id, position in the row), which moves half the bytes of pairs.
template <class T>
void renumber_rows(CsrMatrix<T>& m, const std::vector<std::int32_t>& map) {
  std::vector<std::uint64_t> keys;
  std::vector<T> values;
  std::size_t w = 0;
  for (std::int64_t r = 0; r < m.rows; ++r) {
    const auto b = static_cast<std::size_t>(m.indptr[static_cast<std::size_t>(r)]);
    const auto e = static_cast<std::size_t>(m.indptr[static_cast<std::size_t>(r) + 1]);
    keys.clear();
    for (std::size_t k = b; k < e; ++k) {
      const auto id = map[static_cast<std::size_t>(m.indices[k])];
      if (id >= 0) keys.push_back((static_cast<std::uint64_t>(id) << 32) | static_cast<std::uint32_t>(k - b));
    }
    std::sort(keys.begin(), keys.end());
    values.assign(m.data.begin() + static_cast<std::ptrdiff_t>(b), m.data.begin() + static_cast<std::ptrdiff_t>(e));
    m.indptr[static_cast<std::size_t>(r)] = static_cast<std::int64_t>(w);
    for (const auto key : keys) {
      m.indices[w] = static_cast<std::int32_t>(key >> 32);
      m.data[w] = values[key & 0xFFFFFFFFu];
      ++w;
    }
  }
  m.indptr[static_cast<std::size_t>(m.rows)] = static_cast<std::int64_t>(w);
  // No shrink_to_fit: it would copy both arrays; the unused tail was never touched, so it costs
  // address space, not memory.
  m.indices.resize(w);
  m.data.resize(w);
}

// Stacks row blocks in order (moving the first instead of copying when it is the only one); the
// blocks are copied into place by as many threads as there are blocks.
template <class T>
CsrMatrix<T> stack_rows(std::vector<CsrMatrix<T>*> parts, std::int64_t cols) {
  if (parts.size() == 1) {
    CsrMatrix<T> m = std::move(*parts[0]);
    m.cols = cols;
    return m;
  }
  CsrMatrix<T> m;
  m.cols = cols;
  std::vector<std::size_t> row_at{0}, nz_at{0};
  for (auto* p : parts) {
    row_at.push_back(row_at.back() + static_cast<std::size_t>(p->rows));
    nz_at.push_back(nz_at.back() + p->data.size());
  }
  m.rows = static_cast<std::int64_t>(row_at.back());
  m.indptr.assign(row_at.back() + 1, 0);
  m.indices.resize(nz_at.back());
  m.data.resize(nz_at.back());
  m.indptr.back() = static_cast<std::int64_t>(nz_at.back());
  const int workers = static_cast<int>(parts.size());
  detail::parallel_blocks(workers, workers, [&](int, std::int64_t begin, std::int64_t end, const detail::StopToken&) {
    for (auto w = static_cast<std::size_t>(begin); w < static_cast<std::size_t>(end); ++w) {
      CsrMatrix<T>& p = *parts[w];
      for (std::int64_t r = 0; r < p.rows; ++r)
        m.indptr[row_at[w] + static_cast<std::size_t>(r)] = static_cast<std::int64_t>(nz_at[w]) + p.indptr[static_cast<std::size_t>(r)];
      std::copy(p.indices.begin(), p.indices.end(), m.indices.begin() + static_cast<std::ptrdiff_t>(nz_at[w]));
      std::copy(p.data.begin(), p.data.end(), m.data.begin() + static_cast<std::ptrdiff_t>(nz_at[w]));
      p = CsrMatrix<T>{};  // release each block as soon as it is copied
    }
  });
  return m;
}

// Workers for a batch: each gets at least a few hundred documents, or threads cost more than they save.
inline int jobs_for(int n_jobs, std::size_t n_docs) {
  return detail::resolve_jobs(n_jobs, static_cast<std::int64_t>(n_docs / 256 + 1));
}

std::string describe_df(const char* name, const DocFrequency& d) {
  // A count prints as an integer only when it is one that long long holds: casting NaN, inf or
  // -1e300 to an integer is undefined behaviour, and those are exactly the values reported here.
  const bool integral = !d.is_proportion && std::abs(d.value) < 1e18 && d.value == std::trunc(d.value);
  return std::string(name) + "=" + (integral ? std::to_string(static_cast<long long>(d.value)) : std::to_string(d.value));
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
  const auto n_doc = static_cast<std::int64_t>(source.size());
  const int workers = jobs_for(options_.n_jobs, source.size());
  std::vector<CsrMatrix<T>> blocks(static_cast<std::size_t>(workers));
  detail::parallel_blocks(n_doc, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
    CsrMatrix<T>& m = blocks[static_cast<std::size_t>(w)];
    m.rows = end - begin;
    m.indptr.reserve(static_cast<std::size_t>(end - begin) + 1);
    RowCounter counter;
    counter.counts.assign(vocabulary_.size(), 0);
    std::vector<std::string_view> terms;
    std::vector<std::int32_t> ids;
    std::vector<std::uint64_t> hashes;
    const bool batch = source.stable_views();
    for (auto i = begin; i < end; ++i) {
      if (w == 0) detail::poll_interrupt();
      if (stop.requested()) return;
      if (batch) {  // the document's terms in batches, each looked up with prefetching
        auto lookup = [&] {
          ids.resize(terms.size());
          vocabulary_.find_many(terms.data(), terms.size(), ids.data(), hashes);
          for (auto id : ids)
            if (id >= 0) counter.add(id);
          terms.clear();
        };
        source.terms(static_cast<std::size_t>(i), [&](std::string_view t) {
          terms.push_back(t);
          if (terms.size() == kTermBatch) lookup();
        });
        lookup();
      } else {
        source.terms(static_cast<std::size_t>(i), [&](std::string_view t) {
          const auto id = vocabulary_.find(t);
          if (id >= 0) counter.add(id);
        });
      }
      counter.flush(m, options_.binary);
    }
    detail::trim_scratch();
  });
  std::vector<CsrMatrix<T>*> parts;
  for (auto& b : blocks) parts.push_back(&b);
  auto m = stack_rows(parts, static_cast<std::int64_t>(vocabulary_.size()));
  m.rows = n_doc;
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
  // Pass 1: each worker counts its documents with term ids in order of first appearance.
  const int workers = jobs_for(options_.n_jobs, source.size());
  std::vector<FitPart<T>> parts(static_cast<std::size_t>(workers));
  detail::parallel_blocks(n_doc, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
    count_rows(source, begin, end, options_.binary, /*poll=*/w == 0, stop, parts[static_cast<std::size_t>(w)]);
  });

  // Merge: one id per distinct term (in order of workers, then of appearance), with document
  // frequencies and total counts summed. Sums of integers, so exact whatever the split.
  Vocabulary merged;
  std::vector<std::vector<std::int32_t>> to_merged(parts.size());
  std::vector<std::int64_t> df;
  std::vector<double> tf;
  if (parts.size() == 1) {
    merged = std::move(parts[0].vocab);
    df = std::move(parts[0].df);
    tf = std::move(parts[0].tf);
  } else {
    merged.reserve(parts[0].vocab.size() + parts[0].vocab.size() / 4);
    for (std::size_t w = 0; w < parts.size(); ++w) {
      const auto& part = parts[w];
      to_merged[w].resize(part.vocab.size());
      for (std::size_t lid = 0; lid < part.vocab.size(); ++lid) {
        const auto gid = static_cast<std::size_t>(merged.insert(part.vocab.term(static_cast<std::int32_t>(lid))));
        if (gid >= df.size()) {
          df.resize(gid + 1, 0);
          tf.resize(gid + 1, 0.0);
        }
        df[gid] += part.df[lid];
        tf[gid] += part.tf[lid];
        to_merged[w][lid] = static_cast<std::int32_t>(gid);
      }
    }
  }
  const std::size_t n_seen = merged.size();
  if (n_seen == 0) throw InvalidArgument("empty vocabulary; perhaps the documents only contain stop words");

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
  std::sort(kept.begin(), kept.end(), [&](std::int32_t a, std::int32_t b) { return merged.term(a) < merged.term(b); });
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

  // Pass 2: renumber every block's columns in place (rows only shrink), sort rows, stack blocks.
  std::vector<std::int32_t> new_id(n_seen, -1);
  for (std::size_t k = 0; k < kept.size(); ++k) new_id[static_cast<std::size_t>(kept[k])] = static_cast<std::int32_t>(k);
  detail::parallel_blocks(static_cast<std::int64_t>(parts.size()), workers,
                          [&](int, std::int64_t begin, std::int64_t end, const detail::StopToken&) {
                            for (auto w = static_cast<std::size_t>(begin); w < static_cast<std::size_t>(end); ++w) {
                              if (parts.size() == 1) {
                                renumber_rows(parts[w].m, new_id);
                              } else {
                                std::vector<std::int32_t> map(to_merged[w].size());
                                for (std::size_t lid = 0; lid < map.size(); ++lid)
                                  map[lid] = new_id[static_cast<std::size_t>(to_merged[w][lid])];
                                renumber_rows(parts[w].m, map);
                              }
                            }
                          });
  std::vector<CsrMatrix<T>*> blocks;
  for (auto& p : parts) blocks.push_back(&p.m);
  CsrMatrix<T> m = stack_rows(blocks, static_cast<std::int64_t>(kept.size()));
  m.rows = n_doc;

  Vocabulary final_vocab;
  final_vocab.reserve(kept.size());
  df_.assign(kept.size(), 0);
  for (std::size_t k = 0; k < kept.size(); ++k) {
    final_vocab.insert(merged.term(kept[k]));
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
  const int workers = jobs_for(options_.n_jobs, static_cast<std::size_t>(X.rows));
  detail::parallel_blocks(X.rows, workers, [&](int, std::int64_t begin, std::int64_t end, const detail::StopToken&) {
    for (std::int64_t r = begin; r < end; ++r) {
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
  });
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
