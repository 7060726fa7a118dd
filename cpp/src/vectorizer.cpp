#include "lexsim/vectorizer.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <type_traits>
#include <utility>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "analyzer_impl.hpp"
#include "parallel.hpp"
#include "row_blocks.hpp"

namespace lexsim {

namespace detail {
struct CountsAccess {
  static Vocabulary& terms(CorpusCounts& c) { return c.terms_; }
  static std::vector<std::int64_t>& df(CorpusCounts& c) { return c.df_; }
  static std::vector<std::int64_t>& total(CorpusCounts& c) { return c.total_; }
  static std::int64_t& n_documents(CorpusCounts& c) { return c.n_documents_; }
};
}  // namespace detail

namespace {

using detail::CountsAccess;
using detail::jobs_for;
using detail::stack_all;
using detail::stack_rows;

// Feeds the terms of document i to a callback: from text through the analyzer...
struct TextSource {
  const Documents& docs;
  const Analyzer& analyzer;
  std::size_t first = 0;  // number of the batch's first document in the whole input (for errors)
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
      throw UnicodeError("document " + std::to_string(first + i) + ": " + e.what(), first + i, e.byte_offset());
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
  template <class T>
  void flush(CsrMatrix<T>& m, bool binary) {
    std::sort(touched.begin(), touched.end());
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

// Document frequency and total count of a term, side by side (one cache miss for both).
struct TermTally {
  std::int64_t df = 0;
  std::int64_t total = 0;
};

// Ends a row of a fit: adds its terms to the tallies (exact int64 counts, whatever T is) and, when
// rows are kept, appends the row unsorted (it is renumbered and sorted once the vocabulary is known).
template <bool KeepRows, class T>
void flush_fit(RowCounter& counter, CsrMatrix<T>& m, bool binary, std::vector<TermTally>& tally) {
  if (tally.size() < counter.counts.size()) tally.resize(counter.counts.size());
  for (auto id : counter.touched) {
    auto& c = counter.counts[static_cast<std::size_t>(id)];
    auto& t = tally[static_cast<std::size_t>(id)];
    ++t.df;
    t.total += binary ? 1 : c;
    if constexpr (KeepRows) {
      m.indices.push_back(id);
      m.data.push_back(binary ? T(1) : static_cast<T>(c));
    }
    c = 0;
  }
  counter.touched.clear();
  if constexpr (KeepRows) m.indptr.push_back(static_cast<std::int64_t>(m.indices.size()));
}

// One worker's share of a batch: its documents counted with the worker's own term ids.
template <class T>
struct FitPart {
  Vocabulary vocab;
  CsrMatrix<T> m;  // kept rows: column indices are local term ids, rows not sorted yet
  std::vector<TermTally> tally;
};

// A block of kept rows and the map from its column ids to the ids of the fit's counts (empty: the
// ids are already those).
template <class T>
struct Piece {
  CsrMatrix<T> m;
  std::vector<std::int32_t> to_counts;
};

// Terms per prefetching vocabulary batch: enough to hide the probes' cache misses, few enough
// that a huge document does not hold a view per token (16 bytes each) at once.
constexpr std::size_t kTermBatch = 4096;

template <bool KeepRows, class T, class Source>
void count_rows(const Source& source, std::int64_t begin, std::int64_t end, bool binary, bool poll,
                const detail::StopToken& stop, FitPart<T>& part) {
  if constexpr (KeepRows) {
    part.m.rows = end - begin;
    part.m.indptr.reserve(static_cast<std::size_t>(end - begin) + 1);
    const std::size_t guess = source.bytes(begin, end) / 5 + 16;  // about one distinct term per 5 bytes
    part.m.indices.reserve(guess);
    part.m.data.reserve(guess);
  }
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
    flush_fit<KeepRows>(counter, part.m, binary, part.tally);
  }
  detail::trim_scratch();
  part.tally.resize(part.vocab.size());
}

// Counts a batch of documents into `counts` (terms, document frequencies, totals, documents). With
// `pieces`, the batch's rows are appended to it, one block per worker. Sums of integers, so the
// counts are the same whatever the split into workers and batches; only the ids differ.
template <class T, class Source>
void count_batch(const Source& source, CorpusCounts& counts, bool binary, int n_jobs, std::vector<Piece<T>>* pieces) {
  const auto n_doc = static_cast<std::int64_t>(source.size());
  const int workers = detail::resolve_jobs(n_jobs, n_doc / 256 + 1);
  std::vector<FitPart<T>> parts(static_cast<std::size_t>(workers));
  detail::parallel_blocks(n_doc, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
    auto& part = parts[static_cast<std::size_t>(w)];
    if (pieces != nullptr) {
      count_rows<true>(source, begin, end, binary, /*poll=*/w == 0, stop, part);
    } else {
      count_rows<false>(source, begin, end, binary, /*poll=*/w == 0, stop, part);
    }
  });

  Vocabulary& terms = CountsAccess::terms(counts);
  auto& df = CountsAccess::df(counts);
  auto& total = CountsAccess::total(counts);
  auto split_tally = [](const std::vector<TermTally>& tally, std::vector<std::int64_t>& d, std::vector<std::int64_t>& t) {
    d.resize(tally.size());
    t.resize(tally.size());
    for (std::size_t j = 0; j < tally.size(); ++j) {
      d[j] = tally[j].df;
      t[j] = tally[j].total;
    }
  };
  if (counts.empty() && parts.size() == 1) {  // the worker's ids become the counts' ids
    terms = std::move(parts[0].vocab);
    split_tally(parts[0].tally, df, total);
    if (pieces != nullptr) pieces->push_back({std::move(parts[0].m), {}});
  } else {
    // One id per distinct term, in order of workers, then of first appearance.
    if (counts.empty()) terms.reserve(parts[0].vocab.size() + parts[0].vocab.size() / 4);
    std::vector<std::string_view> views;
    for (auto& part : parts) {
      std::vector<std::int32_t> to_counts(part.vocab.size());
      for (std::size_t begin = 0; begin < to_counts.size(); begin += kTermBatch) {
        const std::size_t end = std::min(to_counts.size(), begin + kTermBatch);
        views.clear();
        for (std::size_t lid = begin; lid < end; ++lid) views.push_back(part.vocab.term(static_cast<std::int32_t>(lid)));
        terms.insert_many(views.data(), views.size(), to_counts.data() + begin);
      }
      df.resize(terms.size(), 0);
      total.resize(terms.size(), 0);
      for (std::size_t lid = 0; lid < to_counts.size(); ++lid) {
        const auto gid = static_cast<std::size_t>(to_counts[lid]);
        df[gid] += part.tally[lid].df;
        total[gid] += part.tally[lid].total;
      }
      part.vocab = Vocabulary();
      part.tally = {};
      if (pieces != nullptr) pieces->push_back({std::move(part.m), std::move(to_counts)});
    }
  }
  CountsAccess::n_documents(counts) += n_doc;
}

// A number as people read it: 6 significant digits; a proportion keeps a decimal point ("1.0"),
// as Python prints the float the user gave.
std::string number_text(double v, bool is_proportion) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  std::string out(buf);
  if (is_proportion && out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

std::string df_text(const char* name, const DocFrequency& d) {
  return std::string(name) + "=" + number_text(d.value, d.is_proportion);
}

std::string documents_text(std::int64_t n) {
  return std::to_string(n) + (n == 1 ? " document" : " documents");
}

// The terms of a fit: ids of `counts` that pass min_df, max_df and max_features, in code-point
// (= UTF-8 byte) order. Empty, with the reason in `why`, when none do: the reason names the values
// and the document count, then gives scikit-learn's message in parentheses.
std::vector<std::int32_t> select_terms(const CorpusCounts& counts, const CountOptions& o, std::string& why) {
  const std::size_t n_seen = counts.size();
  if (n_seen == 0) {
    why = "empty vocabulary; perhaps the documents only contain stop words";
    return {};
  }
  const auto n_doc = static_cast<double>(counts.n_documents());
  const double high = o.max_df.is_proportion ? o.max_df.value * n_doc : o.max_df.value;
  const double low = o.min_df.is_proportion ? o.min_df.value * n_doc : o.min_df.value;
  const std::string min_df = df_text("min_df", o.min_df), max_df = df_text("max_df", o.max_df);
  const std::string corpus = "the corpus has " + documents_text(counts.n_documents());
  if (high < low) {
    if (low > n_doc) {
      why = min_df + " keeps no terms: " + corpus + " (max_df corresponds to < documents than min_df)";
    } else {
      why = max_df + " keeps no terms: it allows at most " + number_text(high, false) + " documents, " + min_df +
            " asks for at least " + number_text(low, false) + "; " + corpus +
            " (max_df corresponds to < documents than min_df)";
    }
    return {};
  }
  const auto& df = counts.document_frequencies();
  const auto& total = counts.total_counts();
  const Vocabulary& terms = counts.terms();
  std::vector<std::int32_t> kept;
  kept.reserve(n_seen);
  for (std::size_t j = 0; j < n_seen; ++j) {
    const auto d = static_cast<double>(df[j]);
    if (d <= high && d >= low) kept.push_back(static_cast<std::int32_t>(j));
  }
  std::sort(kept.begin(), kept.end(), [&](std::int32_t a, std::int32_t b) { return terms.term(a) < terms.term(b); });
  if (o.max_features && static_cast<std::int64_t>(kept.size()) > *o.max_features) {
    // Highest total count first; equal counts keep code-point order (a stable sort).
    std::vector<std::int32_t> by_count = kept;
    std::stable_sort(by_count.begin(), by_count.end(), [&](std::int32_t a, std::int32_t b) {
      return total[static_cast<std::size_t>(a)] > total[static_cast<std::size_t>(b)];
    });
    by_count.resize(static_cast<std::size_t>(*o.max_features));
    std::vector<char> chosen(n_seen, 0);
    for (auto j : by_count) chosen[static_cast<std::size_t>(j)] = 1;
    kept.erase(std::remove_if(kept.begin(), kept.end(), [&](std::int32_t j) { return !chosen[static_cast<std::size_t>(j)]; }),
               kept.end());
  }
  if (kept.empty()) {
    why = low > n_doc ? min_df + " keeps no terms: " + corpus
                      : min_df + " and " + max_df + " keep no terms: none is in " + number_text(low, false) + " to " +
                            number_text(high, false) + " of the corpus's " + documents_text(counts.n_documents());
    why += " (After pruning, no terms remain. Try a lower min_df or a higher max_df.)";
  }
  return kept;
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

// ---- comparing options for merge: the first option that differs, with both values

std::string show(bool b) { return b ? "true" : "false"; }
std::string show(const std::string& s) { return "'" + s + "'"; }
std::string show(const DocFrequency& d) {
  return d.is_proportion ? std::to_string(d.value) + " (a proportion)" : std::to_string(static_cast<long long>(d.value)) + " (documents)";
}
std::string show(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "none"; }
std::string show(const std::optional<std::string>& v) { return v ? show(*v) : "none"; }
std::string show(const std::pair<int, int>& r) { return "(" + std::to_string(r.first) + ", " + std::to_string(r.second) + ")"; }
std::string show(const std::optional<std::vector<std::string>>& v) {
  return v ? std::to_string(v->size()) + " terms" : "none";
}
std::string show_enum(AnalyzerKind e) { return e == AnalyzerKind::word ? "word" : e == AnalyzerKind::char_ ? "char" : "char_wb"; }
std::string show_enum(DecodeError e) { return e == DecodeError::strict ? "strict" : e == DecodeError::replace ? "replace" : "ignore"; }
std::string show_enum(Normalization e) { return e == Normalization::none ? "none" : e == Normalization::nfc ? "NFC" : "NFKC"; }
std::string show_enum(StripAccents e) { return e == StripAccents::none ? "none" : e == StripAccents::ascii ? "ascii" : "unicode"; }
std::string show_enum(Norm e) { return e == Norm::none ? "none" : e == Norm::l1 ? "l1" : "l2"; }

bool same(const DocFrequency& a, const DocFrequency& b) { return a.value == b.value && a.is_proportion == b.is_proportion; }
template <class V>
bool same(const V& a, const V& b) {
  return a == b;
}

struct OptionDiff {
  std::string message;
  template <class V>
  void check(const char* name, const V& a, const V& b) {
    if (message.empty() && !same(a, b)) message = std::string(name) + " (" + show(a) + " vs " + show(b) + ")";
  }
  template <class E>
  void check_enum(const char* name, E a, E b) {
    if (message.empty() && a != b) message = std::string(name) + " (" + show_enum(a) + " vs " + show_enum(b) + ")";
  }
};

std::string count_options_diff(const CountOptions& a, const CountOptions& b) {
  OptionDiff d;
  const auto &x = a.analysis, &y = b.analysis;
  d.check_enum("analyzer", x.analyzer, y.analyzer);
  d.check_enum("decode_error", x.decode_error, y.decode_error);
  d.check_enum("normalization", x.normalization, y.normalization);
  d.check("casefold", x.casefold, y.casefold);
  d.check("lowercase", x.lowercase, y.lowercase);
  d.check_enum("strip_accents", x.strip_accents, y.strip_accents);
  d.check("token_pattern", x.token_pattern, y.token_pattern);
  if (d.message.empty() && x.stop_words != y.stop_words) d.message = "stop_words";
  d.check("ngram_range", x.ngram_range, y.ngram_range);
  d.check("stemmer", x.stemmer, y.stemmer);
  d.check("min_df", a.min_df, b.min_df);
  d.check("max_df", a.max_df, b.max_df);
  d.check("max_features", a.max_features, b.max_features);
  if (d.message.empty() && a.vocabulary != b.vocabulary) d.message = "vocabulary (" + show(a.vocabulary) + " vs " + show(b.vocabulary) + ")";
  d.check("binary", a.binary, b.binary);
  return d.message;
}

// Adds the columns of a count matrix (fixed-vocabulary counting) to counts whose ids are columns.
template <class T>
void add_columns(CorpusCounts& counts, const CsrMatrix<T>& m) {
  auto& df = CountsAccess::df(counts);
  auto& total = CountsAccess::total(counts);
  for (std::size_t k = 0; k < m.indices.size(); ++k) {
    const auto j = static_cast<std::size_t>(m.indices[k]);
    ++df[j];
    total[j] += static_cast<std::int64_t>(m.data[k]);
  }
  CountsAccess::n_documents(counts) += m.rows;
}

// Batches of a whole input: a single one.
template <class Source>
struct OneBatch {
  const Source& source;
  bool done = false;
  template <class F>
  bool operator()(F&& f) {
    if (done) return false;
    done = true;
    f(source);
    return true;
  }
};

// Batches from a caller's callback, numbered for error messages.
struct TextBatches {
  const DocumentBatches& next;
  const Analyzer& analyzer;
  std::size_t first = 0;
  template <class F>
  bool operator()(F&& f) {
    Documents batch(nullptr, 0);
    if (!next(batch)) return false;
    f(TextSource{batch, analyzer, first});
    first += batch.size();
    return true;
  }
};

struct TermListBatches {
  const TermBatches& next;
  template <class F>
  bool operator()(F&& f) {
    TermLists batch;
    if (!next(batch)) return false;
    f(TermSource{batch});
    return true;
  }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// CountVectorizer

CountVectorizer::CountVectorizer(CountOptions options) : options_(std::move(options)), analyzer_(options_.analysis) {
  validate(options_);
  if (options_.vocabulary) {
    vocabulary_ = Vocabulary::from_terms(*options_.vocabulary);
    counts_ = fixed_vocabulary_counts();
    has_counts_ = true;
    fitted_ = true;
  }
}

CorpusCounts CountVectorizer::fixed_vocabulary_counts() const {
  CorpusCounts c;
  CountsAccess::terms(c) = vocabulary_;  // ids = columns
  CountsAccess::df(c).assign(vocabulary_.size(), 0);
  CountsAccess::total(c).assign(vocabulary_.size(), 0);
  return c;
}

void CountVectorizer::set_n_jobs(int n_jobs) {
  if (n_jobs == 0 || n_jobs < -1) throw InvalidArgument("n_jobs must be a positive integer or -1; got " + std::to_string(n_jobs));
  options_.n_jobs = n_jobs;
}

void TfidfVectorizer::set_n_jobs(int n_jobs) {
  CountVectorizer::set_n_jobs(n_jobs);
  tfidf_.n_jobs = n_jobs;
  transformer_.set_n_jobs(n_jobs);
}

void CountVectorizer::check_fitted() const {
  if (fitted_) return;
  if (!unfitted_reason_.empty()) throw NotFittedError("Vocabulary not fitted: " + unfitted_reason_);
  throw NotFittedError("Vocabulary not fitted or provided");
}

const Vocabulary& CountVectorizer::vocabulary() const {
  check_fitted();
  return vocabulary_;
}

std::vector<std::string> CountVectorizer::feature_names() const {
  check_fitted();
  return vocabulary_.terms();
}

const CorpusCounts& CountVectorizer::counts() const {
  if (!has_counts_) {
    if (fitted_) throw NotFittedError("this vectorizer was restored without its corpus counts");
    throw NotFittedError("no corpus counts: the vectorizer is not fitted");
  }
  return counts_;
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
  counts_ = CorpusCounts();
  has_counts_ = false;
  counts_unknown_ = true;
  unfitted_reason_.clear();
}

// Makes `counts` the fit's counts and the terms `kept` (their ids, in column order) its vocabulary;
// with none kept, the vectorizer keeps the counts but is not fitted, for the reason `why`. Builds
// everything first, so that the vectorizer is unchanged if that fails.
void CountVectorizer::commit(CorpusCounts&& counts, const std::vector<std::int32_t>& kept, const std::string& why) {
  Vocabulary vocab;
  std::vector<std::int64_t> df;
  std::string reason;
  const bool fixed = options_.vocabulary.has_value();
  if (fixed) {  // the ids of the counts are the columns
    df = counts.document_frequencies();
  } else if (!kept.empty()) {
    vocab.reserve(kept.size());
    df.resize(kept.size());
    for (std::size_t k = 0; k < kept.size(); ++k) {
      vocab.insert(counts.terms().term(kept[k]));
      df[k] = counts.document_frequencies()[static_cast<std::size_t>(kept[k])];
    }
  } else {
    reason = why + " (" + std::to_string(counts.n_documents()) + " documents counted so far)";
  }
  // Nothing below throws.
  if (!fixed) vocabulary_ = std::move(vocab);
  df_ = std::move(df);
  fitted_ = fixed || !kept.empty();
  unfitted_reason_ = std::move(reason);
  n_documents_ = counts.n_documents();
  if (&counts != &counts_) counts_ = std::move(counts);
  has_counts_ = true;
  counts_unknown_ = false;
}

void CountVectorizer::adopt(CorpusCounts&& counts) {
  std::string why;
  std::vector<std::int32_t> kept;
  if (!options_.vocabulary) kept = select_terms(counts, options_, why);
  commit(std::move(counts), kept, why);
}

// Adds counts to the fit's and refits. A failure midway (out of memory) cannot be undone, so the
// counts are then marked lost rather than left half-added.
void CountVectorizer::add_counts(const CorpusCounts& more) {
  try {
    counts_.merge(more);
  } catch (const InvalidArgument&) {  // an overflow, found before anything changed
    throw;
  } catch (...) {
    lose_counts();
    throw;
  }
  try {
    adopt(std::move(counts_));
  } catch (...) {
    lose_counts();
    throw;
  }
}

void CountVectorizer::lose_counts() {
  counts_ = CorpusCounts();
  has_counts_ = false;
  counts_unknown_ = true;
  fitted_ = false;
  vocabulary_ = Vocabulary();
  df_.clear();
  unfitted_reason_ = "adding counts failed midway, and the counts are lost; fit again";
}

template <class T, class Source>
void CountVectorizer::count_known(const Source& source, std::vector<CsrMatrix<T>>& out) const {
  const auto n_doc = static_cast<std::int64_t>(source.size());
  const int workers = jobs_for(options_.n_jobs, source.size());
  const std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(workers));
  detail::parallel_blocks(n_doc, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
    CsrMatrix<T>& m = out[at + static_cast<std::size_t>(w)];
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
}

template <class T, class Source>
CsrMatrix<T> CountVectorizer::transform_impl(const Source& source) const {
  check_fitted();
  std::vector<CsrMatrix<T>> blocks;
  count_known<T>(source, blocks);
  return stack_all(blocks, static_cast<std::int64_t>(vocabulary_.size()));
}

template <class T, class Batches>
CsrMatrix<T> CountVectorizer::transform_batches_impl(Batches&& next) const {
  check_fitted();
  std::vector<CsrMatrix<T>> blocks;
  while (next([&](const auto& source) { count_known<T>(source, blocks); })) {
  }
  return stack_all(blocks, static_cast<std::int64_t>(vocabulary_.size()), options_.n_jobs);
}

// Every fit: count the batches (keeping their rows when asked), prune once on the summed counts,
// renumber the rows. Nothing changes until all of it succeeded.
template <class T, class Batches>
CsrMatrix<T> CountVectorizer::fit_batches_impl(Batches&& next, bool keep_rows) {
  if (options_.vocabulary) {  // fixed vocabulary: counting is all there is to fitting
    CorpusCounts counts = fixed_vocabulary_counts();
    std::vector<CsrMatrix<T>> blocks;
    while (next([&](const auto& source) {
      const std::size_t at = blocks.size();
      count_known<T>(source, blocks);
      for (std::size_t b = at; b < blocks.size(); ++b) add_columns(counts, blocks[b]);
      if (!keep_rows) blocks.clear();
    })) {
    }
    CsrMatrix<T> m = stack_all(blocks, static_cast<std::int64_t>(vocabulary_.size()), options_.n_jobs);
    commit(std::move(counts), {}, "");
    return m;
  }
  CorpusCounts counts;
  std::vector<Piece<T>> pieces;
  while (next([&](const auto& source) { count_batch<T>(source, counts, options_.binary, options_.n_jobs, keep_rows ? &pieces : nullptr); })) {
  }
  std::string why;
  const std::vector<std::int32_t> kept = select_terms(counts, options_, why);
  if (kept.empty()) throw InvalidArgument(why);

  CsrMatrix<T> m;
  m.cols = static_cast<std::int64_t>(kept.size());
  if (keep_rows) {
    // Renumber every block's columns in place (rows only shrink) and sort its rows, then stack.
    std::vector<std::int32_t> new_id(counts.size(), -1);
    for (std::size_t k = 0; k < kept.size(); ++k) new_id[static_cast<std::size_t>(kept[k])] = static_cast<std::int32_t>(k);
    const auto n_pieces = static_cast<std::int64_t>(pieces.size());
    detail::parallel_blocks(n_pieces, detail::resolve_jobs(options_.n_jobs, n_pieces),
                            [&](int, std::int64_t begin, std::int64_t end, const detail::StopToken&) {
                              for (auto p = static_cast<std::size_t>(begin); p < static_cast<std::size_t>(end); ++p) {
                                Piece<T>& piece = pieces[p];
                                if (piece.to_counts.empty()) {
                                  renumber_rows(piece.m, new_id);
                                } else {
                                  for (auto& id : piece.to_counts) id = new_id[static_cast<std::size_t>(id)];
                                  renumber_rows(piece.m, piece.to_counts);
                                }
                              }
                            });
    std::vector<CsrMatrix<T>*> blocks;
    for (auto& p : pieces) blocks.push_back(&p.m);
    if (!blocks.empty()) m = stack_rows(blocks, static_cast<std::int64_t>(kept.size()), options_.n_jobs);
  }
  commit(std::move(counts), kept, why);
  return m;
}

template <class Batches>
void CountVectorizer::partial_fit_impl(Batches&& next) {
  if (counts_unknown_)
    throw InvalidArgument("partial_fit needs the counts of the earlier fit, and this vectorizer was restored without them; fit it again");
  CorpusCounts more = options_.vocabulary ? fixed_vocabulary_counts() : CorpusCounts();
  while (next([&](const auto& source) {
    if (options_.vocabulary) {
      std::vector<CsrMatrix<std::int64_t>> blocks;
      count_known<std::int64_t>(source, blocks);
      for (const auto& b : blocks) add_columns(more, b);
    } else {
      count_batch<std::int32_t>(source, more, options_.binary, options_.n_jobs, nullptr);
    }
  })) {
  }
  if (has_counts_) {
    add_counts(more);
  } else {
    adopt(std::move(more));
  }
}

CountVectorizer& CountVectorizer::partial_fit(const Documents& docs) {
  TextSource source{docs, analyzer_};
  partial_fit_impl(OneBatch<TextSource>{source});
  return *this;
}

CountVectorizer& CountVectorizer::partial_fit_terms(const TermLists& docs) {
  TermSource source{docs};
  partial_fit_impl(OneBatch<TermSource>{source});
  return *this;
}

CountVectorizer& CountVectorizer::partial_fit_batches(const DocumentBatches& next) {
  partial_fit_impl(TextBatches{next, analyzer_});
  return *this;
}

CountVectorizer& CountVectorizer::partial_fit_batches_terms(const TermBatches& next) {
  partial_fit_impl(TermListBatches{next});
  return *this;
}

void CountVectorizer::check_mergeable(const CountVectorizer& other) const {
  if (counts_unknown_)
    throw InvalidArgument("cannot merge into a vectorizer restored without its corpus counts; fit it again");
  if (other.counts_unknown_) throw InvalidArgument("cannot merge a vectorizer restored without its corpus counts");
  if (!other.has_counts_) throw NotFittedError("cannot merge a vectorizer that is not fitted");
  const std::string diff = count_options_diff(options_, other.options_);
  if (!diff.empty()) throw InvalidArgument("cannot merge vectorizers with different options: " + diff);
}

CountVectorizer& CountVectorizer::merge(const CountVectorizer& other) {
  check_mergeable(other);
  if (has_counts_) {
    add_counts(other.counts_);
  } else {
    adopt(CorpusCounts(other.counts_));
  }
  return *this;
}

void CountVectorizer::set_counts(CorpusCounts counts) {
  if (options_.vocabulary) {  // in column order, holding exactly the fixed terms
    if (counts.size() != vocabulary_.size())
      throw InvalidArgument("the counts have " + std::to_string(counts.size()) + " terms; the fixed vocabulary has " +
                            std::to_string(vocabulary_.size()));
    CorpusCounts aligned = fixed_vocabulary_counts();
    for (std::size_t j = 0; j < counts.size(); ++j) {
      const auto t = counts.terms().term(static_cast<std::int32_t>(j));
      const auto col = vocabulary_.find(t);
      if (col < 0) throw InvalidArgument("the counts hold the term '" + std::string(t) + "', which is not in the fixed vocabulary");
      CountsAccess::df(aligned)[static_cast<std::size_t>(col)] = counts.document_frequencies()[j];
      CountsAccess::total(aligned)[static_cast<std::size_t>(col)] = counts.total_counts()[j];
    }
    CountsAccess::n_documents(aligned) = counts.n_documents();
    counts = std::move(aligned);
  }
  for (const auto d : counts.document_frequencies())
    if (d > counts.n_documents())
      throw InvalidArgument("the counts have a document frequency of " + std::to_string(d) + " above their number of documents " +
                            std::to_string(counts.n_documents()));
  adopt(std::move(counts));
}

CountVectorizer& CountVectorizer::fit(const Documents& docs) {
  TextSource source{docs, analyzer_};
  fit_batches_impl<std::int64_t>(OneBatch<TextSource>{source}, /*keep_rows=*/false);
  return *this;
}

CountVectorizer& CountVectorizer::fit_batches(const DocumentBatches& next) {
  fit_batches_impl<std::int64_t>(TextBatches{next, analyzer_}, /*keep_rows=*/false);
  return *this;
}

CountVectorizer& CountVectorizer::fit_batches_terms(const TermBatches& next) {
  fit_batches_impl<std::int64_t>(TermListBatches{next}, /*keep_rows=*/false);
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
  TextSource source{docs, analyzer_};
  auto m = fit_batches_impl<T>(OneBatch<TextSource>{source}, /*keep_rows=*/true);
  return m;
}
template <class T>
CsrMatrix<T> CountVectorizer::transform_csr(const Documents& docs) const {
  return transform_impl<T>(TextSource{docs, analyzer_});
}
template <class T>
CsrMatrix<T> CountVectorizer::fit_transform_terms(const TermLists& docs) {
  TermSource source{docs};
  auto m = fit_batches_impl<T>(OneBatch<TermSource>{source}, /*keep_rows=*/true);
  return m;
}
template <class T>
CsrMatrix<T> CountVectorizer::transform_terms(const TermLists& docs) const {
  return transform_impl<T>(TermSource{docs});
}
template <class T>
CsrMatrix<T> CountVectorizer::fit_transform_batches(const DocumentBatches& next) {
  auto m = fit_batches_impl<T>(TextBatches{next, analyzer_}, /*keep_rows=*/true);
  return m;
}
template <class T>
CsrMatrix<T> CountVectorizer::fit_transform_batches_terms(const TermBatches& next) {
  auto m = fit_batches_impl<T>(TermListBatches{next}, /*keep_rows=*/true);
  return m;
}
template <class T>
CsrMatrix<T> CountVectorizer::transform_batches(const DocumentBatches& next) const {
  return transform_batches_impl<T>(TextBatches{next, analyzer_});
}
template <class T>
CsrMatrix<T> CountVectorizer::transform_batches_terms(const TermBatches& next) const {
  return transform_batches_impl<T>(TermListBatches{next});
}

#define LEXSIM_COUNT_INSTANTIATE(T)                                                                  \
  template CsrMatrix<T> CountVectorizer::fit_transform_csr<T>(const Documents&);                     \
  template CsrMatrix<T> CountVectorizer::transform_csr<T>(const Documents&) const;                   \
  template CsrMatrix<T> CountVectorizer::fit_transform_terms<T>(const TermLists&);                   \
  template CsrMatrix<T> CountVectorizer::transform_terms<T>(const TermLists&) const;                 \
  template CsrMatrix<T> CountVectorizer::fit_transform_batches<T>(const DocumentBatches&);           \
  template CsrMatrix<T> CountVectorizer::fit_transform_batches_terms<T>(const TermBatches&);         \
  template CsrMatrix<T> CountVectorizer::transform_batches<T>(const DocumentBatches&) const;         \
  template CsrMatrix<T> CountVectorizer::transform_batches_terms<T>(const TermBatches&) const;
LEXSIM_COUNT_INSTANTIATE(std::int32_t)
LEXSIM_COUNT_INSTANTIATE(std::int64_t)
LEXSIM_COUNT_INSTANTIATE(float)
LEXSIM_COUNT_INSTANTIATE(double)
#undef LEXSIM_COUNT_INSTANTIATE

// ---------------------------------------------------------------------------------------------
// TfidfVectorizer

TfidfVectorizer::TfidfVectorizer(TfidfOptions options)
    : CountVectorizer(static_cast<const CountOptions&>(options)),
      tfidf_(std::move(options)),
      transformer_(static_cast<const TfidfWeighting&>(tfidf_), tfidf_.n_jobs) {
  fitted_ = false;  // a fixed vocabulary still needs fit() for its idf, as in scikit-learn
}

void TfidfVectorizer::check_idf_not_set(const char* what) const {
  if (idf_set_by_hand() && !counts_unknown_)  // without counts, the base class says so (the first reason)
    throw InvalidArgument(std::string(what) + " would replace the idf that was set by hand (set_idf) with the idf of the counts; "
                          "fit again, or set the idf afterwards");
}

// The transformer is fitted on the vocabulary's document frequencies: its idf is the vectorizer's.
void TfidfVectorizer::fit_idf() { transformer_.set_counts(n_documents_, df_); }

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
  if (idf.size() != vocabulary_.size())
    throw InvalidArgument("idf has " + std::to_string(idf.size()) + " values but the vocabulary has " +
                          std::to_string(vocabulary_.size()) + " terms");
  for (std::size_t j = 0; j < idf.size(); ++j) {
    if (!std::isfinite(idf[j])) throw InvalidArgument("idf[" + std::to_string(j) + "] is not finite");
  }
  if (!tfidf_.use_idf) throw InvalidArgument("the idf cannot be set when use_idf is false");
  transformer_.set_idf(std::move(idf));
}

void TfidfVectorizer::set_state(const std::vector<std::string>& terms, std::int64_t n_documents, std::vector<double> idf,
                                std::vector<std::int64_t> document_frequencies) {
  set_vocabulary(terms, n_documents, std::move(document_frequencies));
  transformer_.clear();
  // Recompute from the counts when they are known, so float output stays exactly what fit gave;
  // an idf that differs from the computed one was set by the user and wins.
  if (df_.size() == terms.size()) fit_idf();
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

TfidfVectorizer& TfidfVectorizer::fit(const Documents& docs) {
  CountVectorizer::fit(docs);
  fit_idf();
  return *this;
}

TfidfVectorizer& TfidfVectorizer::partial_fit(const Documents& docs) {
  check_idf_not_set("partial_fit");
  CountVectorizer::partial_fit(docs);
  fit_idf();
  return *this;
}

TfidfVectorizer& TfidfVectorizer::partial_fit_terms(const TermLists& docs) {
  check_idf_not_set("partial_fit");
  CountVectorizer::partial_fit_terms(docs);
  fit_idf();
  return *this;
}

TfidfVectorizer& TfidfVectorizer::partial_fit_batches(const DocumentBatches& next) {
  check_idf_not_set("partial_fit");
  CountVectorizer::partial_fit_batches(next);
  fit_idf();
  return *this;
}

TfidfVectorizer& TfidfVectorizer::partial_fit_batches_terms(const TermBatches& next) {
  check_idf_not_set("partial_fit");
  CountVectorizer::partial_fit_batches_terms(next);
  fit_idf();
  return *this;
}

TfidfVectorizer& TfidfVectorizer::merge(const TfidfVectorizer& other) {
  OptionDiff d;
  d.check_enum("norm", tfidf_.norm, other.tfidf_.norm);
  d.check("use_idf", tfidf_.use_idf, other.tfidf_.use_idf);
  d.check("smooth_idf", tfidf_.smooth_idf, other.tfidf_.smooth_idf);
  d.check("sublinear_tf", tfidf_.sublinear_tf, other.tfidf_.sublinear_tf);
  if (!d.message.empty()) throw InvalidArgument("cannot merge vectorizers with different options: " + d.message);
  check_mergeable(other);
  check_idf_not_set("merge");
  if (other.idf_set_by_hand()) throw InvalidArgument("cannot merge a vectorizer whose idf was set by hand (set_idf): its counts do not give its idf");
  CountVectorizer::merge(other);
  fit_idf();
  return *this;
}

void TfidfVectorizer::set_counts(CorpusCounts counts) {
  CountVectorizer::set_counts(std::move(counts));
  fit_idf();
}

TfidfVectorizer& TfidfVectorizer::fit_batches(const DocumentBatches& next) {
  CountVectorizer::fit_batches(next);
  fit_idf();
  return *this;
}

TfidfVectorizer& TfidfVectorizer::fit_batches_terms(const TermBatches& next) {
  CountVectorizer::fit_batches_terms(next);
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
  auto X = CountVectorizer::fit_transform_csr<T>(docs);
  fit_idf();
  weigh_own(X);
  return X;
}
template <class T>
CsrMatrix<T> TfidfVectorizer::transform_csr(const Documents& docs) const {
  auto X = CountVectorizer::transform_csr<T>(docs);
  weigh_own(X);
  return X;
}
template <class T>
CsrMatrix<T> TfidfVectorizer::fit_transform_terms(const TermLists& docs) {
  auto X = CountVectorizer::fit_transform_terms<T>(docs);
  fit_idf();
  weigh_own(X);
  return X;
}
template <class T>
CsrMatrix<T> TfidfVectorizer::transform_terms(const TermLists& docs) const {
  auto X = CountVectorizer::transform_terms<T>(docs);
  weigh_own(X);
  return X;
}
template <class T>
CsrMatrix<T> TfidfVectorizer::fit_transform_batches(const DocumentBatches& next) {
  auto X = CountVectorizer::fit_transform_batches<T>(next);
  fit_idf();
  weigh_own(X);
  return X;
}
template <class T>
CsrMatrix<T> TfidfVectorizer::fit_transform_batches_terms(const TermBatches& next) {
  auto X = CountVectorizer::fit_transform_batches_terms<T>(next);
  fit_idf();
  weigh_own(X);
  return X;
}
template <class T>
CsrMatrix<T> TfidfVectorizer::transform_batches(const DocumentBatches& next) const {
  auto X = CountVectorizer::transform_batches<T>(next);
  weigh_own(X);
  return X;
}
template <class T>
CsrMatrix<T> TfidfVectorizer::transform_batches_terms(const TermBatches& next) const {
  auto X = CountVectorizer::transform_batches_terms<T>(next);
  weigh_own(X);
  return X;
}

#define LEXSIM_TFIDF_INSTANTIATE(T)                                                      \
  template CsrMatrix<T> TfidfVectorizer::fit_transform_csr<T>(const Documents&);         \
  template CsrMatrix<T> TfidfVectorizer::transform_csr<T>(const Documents&) const;       \
  template CsrMatrix<T> TfidfVectorizer::fit_transform_terms<T>(const TermLists&);       \
  template CsrMatrix<T> TfidfVectorizer::transform_terms<T>(const TermLists&) const;     \
  template CsrMatrix<T> TfidfVectorizer::fit_transform_batches<T>(const DocumentBatches&); \
  template CsrMatrix<T> TfidfVectorizer::fit_transform_batches_terms<T>(const TermBatches&); \
  template CsrMatrix<T> TfidfVectorizer::transform_batches<T>(const DocumentBatches&) const; \
  template CsrMatrix<T> TfidfVectorizer::transform_batches_terms<T>(const TermBatches&) const; \
  template void TfidfVectorizer::weight<T>(CsrMatrix<T>&) const;                        \
  template void TfidfVectorizer::weigh_own<T>(CsrMatrix<T>&) const;
LEXSIM_TFIDF_INSTANTIATE(float)
LEXSIM_TFIDF_INSTANTIATE(double)
#undef LEXSIM_TFIDF_INSTANTIATE

}  // namespace lexsim
