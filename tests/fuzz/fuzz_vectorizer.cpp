// libFuzzer harness: bytes split into documents through CountVectorizer / TfidfVectorizer.
// Input: 6 analysis option bytes (fuzz::analysis_options), 6 vectorizer option bytes (below), then
// the documents separated by the byte the options name.
//
// Checked on every input: fit_transform equals a reference built from Analyzer::analyze with
// std::map (vocabulary in code-point order, min_df / max_df / max_features as scikit-learn prunes,
// counts, idf and norms by their formulas); n_jobs=1 and n_jobs=2 give identical results
// (documents are repeated past 256 when the options ask, so that two workers really run);
// transform of the fitted documents equals fit_transform; the matrix is well formed (indptr
// monotone, columns sorted and in range, values finite, rows of unit norm); errors are lexsim
// exceptions exactly where the reference expects one (the first invalid document under strict
// decoding, an empty vocabulary, max_df below min_df, nothing left after pruning); anything else
// aborts.
#include <cmath>
#include <map>
#include <set>

#include "fuzz_common.hpp"

using fuzz::show;

namespace {

constexpr std::size_t kVectorizerBytes = 6;

struct Setup {
  fuzz::AnalysisChoice analysis;
  lexsim::TfidfOptions options;
  bool tfidf = false;
  bool fixed_vocabulary = false;
  bool use_float = false;
  bool eigen = false;
};

lexsim::DocFrequency df_option(std::uint8_t b, bool is_max) {
  const int v = b >> 2;
  switch (b % 4) {
    case 0: return is_max ? lexsim::DocFrequency::proportion(1.0) : lexsim::DocFrequency::count(1);
    case 1: return lexsim::DocFrequency::count(1 + v % 4);
    case 2: return lexsim::DocFrequency::proportion(static_cast<double>(v % 11) / 10.0);
    default: return is_max ? lexsim::DocFrequency::count(1000) : lexsim::DocFrequency::proportion(0.0);
  }
}

// What the reference expects from a fit.
struct Expected {
  enum Kind { ok, unicode, empty_vocabulary, bad_bounds, pruned_empty } kind = ok;
  std::size_t bad_document = 0;
  std::vector<std::string> vocabulary;  // column order
  std::vector<std::int64_t> df;
  std::vector<std::map<std::int32_t, double>> rows;  // counts (binary applied)
};

Expected reference(const Setup& s, const std::vector<std::string>& docs) {
  using namespace lexsim;
  Expected e;
  const Analyzer a(s.analysis.options);
  std::vector<std::map<std::string, std::int64_t>> counts(docs.size());
  std::map<std::string_view, std::size_t> first_copy;  // repeated documents are analysed once
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const auto [it, fresh] = first_copy.emplace(docs[i], i);
    if (!fresh) {
      counts[i] = counts[it->second];
      continue;
    }
    if (s.analysis.options.decode_error == DecodeError::strict && !fuzz::valid_utf8(docs[i])) {
      e.kind = Expected::unicode;
      e.bad_document = i;
      return e;
    }
    for (const auto& t : a.analyze(docs[i])) ++counts[i][t];
  }
  const CountOptions& o = s.options;
  auto value = [&](std::int64_t c) { return o.binary ? 1.0 : static_cast<double>(c); };
  if (o.vocabulary) {
    e.vocabulary = *o.vocabulary;
  } else {
    std::map<std::string, std::pair<std::int64_t, double>> seen;  // df, total count
    for (const auto& row : counts)
      for (const auto& [t, c] : row) {
        ++seen[t].first;
        seen[t].second += value(c);
      }
    if (seen.empty()) {
      e.kind = Expected::empty_vocabulary;
      return e;
    }
    const double n = static_cast<double>(docs.size());
    const double high = o.max_df.is_proportion ? o.max_df.value * n : o.max_df.value;
    const double low = o.min_df.is_proportion ? o.min_df.value * n : o.min_df.value;
    if (high < low) {
      e.kind = Expected::bad_bounds;
      return e;
    }
    std::vector<std::pair<std::string, double>> kept;  // in code-point order (std::map's byte order)
    for (const auto& [t, dt] : seen) {
      const double d = static_cast<double>(dt.first);
      if (d <= high && d >= low) kept.emplace_back(t, dt.second);
    }
    if (o.max_features && static_cast<std::int64_t>(kept.size()) > *o.max_features) {
      std::vector<std::pair<std::string, double>> by_count = kept;
      std::stable_sort(by_count.begin(), by_count.end(),
                       [](const auto& x, const auto& y) { return x.second > y.second; });
      by_count.resize(static_cast<std::size_t>(*o.max_features));
      std::set<std::string> chosen;
      for (const auto& p : by_count) chosen.insert(p.first);
      std::vector<std::pair<std::string, double>> still;
      for (const auto& p : kept)
        if (chosen.count(p.first)) still.push_back(p);
      kept = still;
    }
    if (kept.empty()) {
      e.kind = Expected::pruned_empty;
      return e;
    }
    for (const auto& p : kept) e.vocabulary.push_back(p.first);
  }
  std::map<std::string, std::int32_t> column;
  for (std::size_t j = 0; j < e.vocabulary.size(); ++j) column[e.vocabulary[j]] = static_cast<std::int32_t>(j);
  e.df.assign(e.vocabulary.size(), 0);
  for (const auto& row : counts) {
    std::map<std::int32_t, double> r;
    for (const auto& [t, c] : row) {
      const auto it = column.find(t);
      if (it == column.end()) continue;
      r[it->second] = value(c);
      ++e.df[static_cast<std::size_t>(it->second)];
    }
    e.rows.push_back(std::move(r));
  }
  return e;
}

// The reference weights of TfidfVectorizer, by their formulas.
void reference_weights(const Setup& s, std::size_t n_docs, Expected& e) {
  const lexsim::TfidfOptions& o = s.options;
  const double sm = o.smooth_idf ? 1.0 : 0.0;
  for (auto& row : e.rows) {
    for (auto& [j, v] : row) {
      if (o.sublinear_tf) v = std::log(v) + 1.0;
      if (o.use_idf)
        v *= std::log((static_cast<double>(n_docs) + sm) /
                      (static_cast<double>(e.df[static_cast<std::size_t>(j)]) + sm)) +
             1.0;
    }
    double norm = 0;
    for (const auto& [j, v] : row) norm += o.norm == lexsim::Norm::l2 ? v * v : std::abs(v);
    if (o.norm == lexsim::Norm::l2) norm = std::sqrt(norm);
    if (o.norm != lexsim::Norm::none && norm > 0)
      for (auto& [j, v] : row) v /= norm;
  }
}

struct Result {
  std::string error;  // empty: no error; otherwise its type and message
  std::size_t error_document = 0;
  lexsim::CsrMatrix<double> fit, again;  // fit_transform, then transform of the same documents
  std::vector<std::string> vocabulary;
  std::vector<std::int64_t> df;
  std::vector<double> idf;
};

template <class T>
lexsim::CsrMatrix<double> as_double(const lexsim::CsrMatrix<T>& m) {
  lexsim::CsrMatrix<double> d;
  d.rows = m.rows;
  d.cols = m.cols;
  d.indptr = m.indptr;
  d.indices = m.indices;
  d.data.assign(m.data.begin(), m.data.end());
  return d;
}

lexsim::CsrMatrix<double> from_eigen(const lexsim::SparseMatrix<double>& m) {
  lexsim::CsrMatrix<double> d;
  d.rows = m.rows();
  d.cols = m.cols();
  d.indptr.assign(m.outerIndexPtr(), m.outerIndexPtr() + m.rows() + 1);
  d.indices.assign(m.innerIndexPtr(), m.innerIndexPtr() + m.nonZeros());
  d.data.assign(m.valuePtr(), m.valuePtr() + m.nonZeros());
  return d;
}

template <class V>
void run_with(V& v, const Setup& s, const std::vector<std::string>& docs, Result& r) {
  if (s.eigen) {
    r.fit = from_eigen(v.fit_transform(docs));
    r.again = from_eigen(v.transform(docs));
  } else if (s.use_float) {
    r.fit = as_double(v.template fit_transform_csr<float>(docs));
    r.again = as_double(v.template transform_csr<float>(docs));
  } else {
    r.fit = v.template fit_transform_csr<double>(docs);
    r.again = v.template transform_csr<double>(docs);
  }
  r.vocabulary = v.feature_names();
  r.df = v.document_frequencies();
}

Result run(const Setup& s, const std::vector<std::string>& docs, int n_jobs) {
  lexsim::TfidfOptions o = s.options;
  o.n_jobs = n_jobs;
  Result r;
  try {
    if (s.tfidf) {
      lexsim::TfidfVectorizer v(o);
      run_with(v, s, docs, r);
      r.idf = v.idf();
    } else {
      lexsim::CountVectorizer v(static_cast<const lexsim::CountOptions&>(o));
      run_with(v, s, docs, r);
    }
  } catch (const lexsim::UnicodeError& e) {
    r.error = std::string("UnicodeError: ") + e.what();
    r.error_document = e.document();
  } catch (const lexsim::InvalidArgument& e) {
    r.error = std::string("InvalidArgument: ") + e.what();
  } catch (const lexsim::Error& e) {
    r.error = std::string("Error: ") + e.what();
  }
  return r;
}

void check_well_formed(const lexsim::CsrMatrix<double>& m, std::size_t n_docs, std::size_t n_cols, const Setup& s) {
  FUZZ_CHECK(m.rows == static_cast<std::int64_t>(n_docs) && m.cols == static_cast<std::int64_t>(n_cols),
             "shape " + std::to_string(m.rows) + "x" + std::to_string(m.cols));
  FUZZ_CHECK(m.indptr.size() == n_docs + 1 && m.indptr[0] == 0, "indptr size");
  FUZZ_CHECK(m.indptr.back() == m.nnz() && m.indices.size() == m.data.size(), "nnz");
  for (std::size_t r = 0; r < n_docs; ++r) {
    const auto b = m.indptr[r], e = m.indptr[r + 1];
    FUZZ_CHECK(b <= e, "indptr decreases at row " + std::to_string(r));
    double sq = 0, ab = 0;
    for (auto k = b; k < e; ++k) {
      const auto j = m.indices[static_cast<std::size_t>(k)];
      const double v = m.data[static_cast<std::size_t>(k)];
      FUZZ_CHECK(j >= 0 && static_cast<std::size_t>(j) < n_cols, "column out of range in row " + std::to_string(r));
      FUZZ_CHECK(k == b || m.indices[static_cast<std::size_t>(k) - 1] < j,
                 "columns not sorted in row " + std::to_string(r));
      FUZZ_CHECK(std::isfinite(v) && v > 0, "value " + std::to_string(v) + " in row " + std::to_string(r));
      sq += v * v;
      ab += std::abs(v);
    }
    if (s.tfidf && e > b) {
      const double tol = s.use_float ? 1e-5 : 1e-12;
      if (s.options.norm == lexsim::Norm::l2)
        FUZZ_CHECK(std::abs(sq - 1.0) < tol, "row " + std::to_string(r) + " has L2 norm^2 " + std::to_string(sq));
      if (s.options.norm == lexsim::Norm::l1)
        FUZZ_CHECK(std::abs(ab - 1.0) < tol, "row " + std::to_string(r) + " has L1 norm " + std::to_string(ab));
    }
  }
}

bool same(const lexsim::CsrMatrix<double>& a, const lexsim::CsrMatrix<double>& b) {
  return a.rows == b.rows && a.cols == b.cols && a.indptr == b.indptr && a.indices == b.indices && a.data == b.data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lexsim;
  fuzz::Reader reader(data, size);
  const auto analysis_bytes = reader.block(fuzz::kAnalyzerBytes);
  const auto b = reader.block(kVectorizerBytes);
  const std::string_view payload = reader.rest();

  const char sep = b[5] == 0 ? '\n' : static_cast<char>(b[5]);
  std::vector<std::string> docs;
  for (std::size_t i = 0;;) {
    const std::size_t j = payload.find(sep, i);
    docs.emplace_back(payload.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  if (docs.size() > 2000) return 0;  // keeps each run fast; long inputs add nothing here
  if (b[4] & 4) {                    // past 256 documents the fit and transform really split over two threads
    const std::size_t n = docs.size();
    for (std::size_t k = 0; docs.size() < 300; ++k) docs.push_back(docs[k % n]);
  }

  Setup s;
  s.analysis = fuzz::analysis_options(analysis_bytes, {"the", "and"});
  s.options.analysis = s.analysis.options;
  s.tfidf = (b[0] & 1) != 0;
  s.options.binary = (b[0] & 2) != 0;
  s.options.use_idf = (b[0] & 4) == 0;
  s.options.smooth_idf = (b[0] & 8) == 0;
  s.options.sublinear_tf = (b[0] & 16) != 0;
  s.options.norm = static_cast<Norm>(((b[0] >> 5) + 2) % 3);  // 0 -> l2, the default
  s.options.min_df = df_option(b[1], false);
  s.options.max_df = df_option(b[2], true);
  if (b[3] & 1) s.options.max_features = 1 + (b[3] >> 1) % 8;
  s.fixed_vocabulary = (b[4] & 3) == 1;
  s.use_float = s.tfidf && (b[4] & 8) != 0;
  s.eigen = !s.use_float && (b[4] & 16) != 0;

  if (s.fixed_vocabulary) {  // some of the terms the documents hold, and one they do not
    Setup plain = s;
    plain.options.min_df = DocFrequency::count(1);
    plain.options.max_df = DocFrequency::proportion(1.0);
    plain.options.max_features.reset();
    const Expected all = reference(plain, docs);
    std::vector<std::string> vocab;
    for (std::size_t j = 0; j < all.vocabulary.size(); j += 2) vocab.push_back(all.vocabulary[j]);
    vocab.push_back("zz-not-a-term");
    std::reverse(vocab.begin(), vocab.end());  // columns follow the given order, not code points
    s.options.vocabulary = vocab;
  }

  Expected expect = reference(s, docs);
  // Below 256 documents n_jobs=2 runs on one thread (jobs_for), so the second run would repeat the first.
  const Result one = run(s, docs, 1);
  const Result two = docs.size() >= 256 ? run(s, docs, 2) : one;
  const std::string what = "\n" + std::to_string(docs.size()) + " documents, first " + show(docs[0]);

  // Same outcome whatever the number of threads, error messages included.
  FUZZ_CHECK(one.error == two.error && one.error_document == two.error_document,
             "n_jobs=1: " + one.error + "\nn_jobs=2: " + two.error + what);
  FUZZ_CHECK(same(one.fit, two.fit) && same(one.again, two.again), "n_jobs=1 and n_jobs=2 matrices differ" + what);
  FUZZ_CHECK(one.vocabulary == two.vocabulary && one.df == two.df && one.idf == two.idf,
             "fitted state differs by n_jobs" + what);

  switch (expect.kind) {
    case Expected::unicode:
      FUZZ_CHECK(one.error.rfind("UnicodeError", 0) == 0 && one.error_document == expect.bad_document,
                 "expected UnicodeError in document " + std::to_string(expect.bad_document) + ", got " + one.error +
                     " (document " + std::to_string(one.error_document) + ")" + what);
      return 0;
    case Expected::empty_vocabulary:
    case Expected::bad_bounds:
    case Expected::pruned_empty:
      FUZZ_CHECK(one.error.rfind("InvalidArgument", 0) == 0,
                 "expected InvalidArgument (case " + std::to_string(expect.kind) + "), got '" + one.error + "'" + what);
      return 0;
    case Expected::ok: break;
  }
  FUZZ_CHECK(one.error.empty(), "unexpected error " + one.error + what);
  FUZZ_CHECK(one.vocabulary == expect.vocabulary,
             "vocabulary " + show(one.vocabulary) + "\nreference " + show(expect.vocabulary) + what);
  FUZZ_CHECK(one.df == expect.df, "document frequencies differ from the reference" + what);
  for (const auto& t : one.vocabulary)
    FUZZ_CHECK(fuzz::valid_utf8(t) && (s.fixed_vocabulary || !t.empty()), "feature name " + show(t) + what);
  check_well_formed(one.fit, docs.size(), expect.vocabulary.size(), s);
  FUZZ_CHECK(same(one.fit, one.again), "transform of the fitted documents differs from fit_transform" + what);

  if (s.tfidf) {
    reference_weights(s, docs.size(), expect);
    if (s.options.use_idf) {
      FUZZ_CHECK(one.idf.size() == expect.vocabulary.size(), "idf size");
      const double sm = s.options.smooth_idf ? 1.0 : 0.0;
      for (std::size_t j = 0; j < one.idf.size(); ++j) {
        const double want =
            std::log((static_cast<double>(docs.size()) + sm) / (static_cast<double>(expect.df[j]) + sm)) + 1.0;
        // A fixed-vocabulary term no document holds has df 0: inf without smoothing, as scikit-learn.
        FUZZ_CHECK(one.idf[j] == want || std::abs(one.idf[j] - want) <= 1e-12 * std::abs(want),
                   "idf[" + std::to_string(j) + "]" + what);
      }
    } else {
      FUZZ_CHECK(one.idf.empty(), "idf without use_idf");
    }
  }
  const double tol = s.use_float ? 2e-6 : 1e-12;
  for (std::size_t r = 0; r < docs.size(); ++r) {
    const auto& row = expect.rows[r];
    const auto b0 = static_cast<std::size_t>(one.fit.indptr[r]), e0 = static_cast<std::size_t>(one.fit.indptr[r + 1]);
    FUZZ_CHECK(e0 - b0 == row.size(), "row " + std::to_string(r) + " has " + std::to_string(e0 - b0) +
                                          " values, reference " + std::to_string(row.size()) + what);
    std::size_t k = b0;
    for (const auto& [j, v] : row) {
      const double got = one.fit.data[k];
      FUZZ_CHECK(one.fit.indices[k] == j && std::abs(got - v) <= tol * std::max(1.0, std::abs(v)),
                 "row " + std::to_string(r) + " column " + std::to_string(j) + ": " + std::to_string(got) +
                     " vs reference " + std::to_string(v) + what);
      ++k;
    }
  }
  return 0;
}
