// Vectorizer models (OPTS, TERM, NDOC, DOCF, IDFV, TCNT, META): the format is specified in lexsim/model_io.hpp (and
// README.md, "Model files").
#include "lexsim/model_io.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lexsim/errors.hpp"
#include "model_codec.hpp"

namespace lexsim {
namespace detail::codec {
namespace {

std::uint8_t code(AnalyzerKind k) {
  switch (k) {
    case AnalyzerKind::word: return 0;
    case AnalyzerKind::char_: return 1;
    case AnalyzerKind::char_wb: return 2;
  }
  throw InvalidArgument("unknown analyzer kind");
}
std::uint8_t code(DecodeError d) {
  switch (d) {
    case DecodeError::strict: return 0;
    case DecodeError::replace: return 1;
    case DecodeError::ignore: return 2;
  }
  throw InvalidArgument("unknown decode_error");
}
std::uint8_t code(Normalization n) {
  switch (n) {
    case Normalization::none: return 0;
    case Normalization::nfc: return 1;
    case Normalization::nfkc: return 2;
  }
  throw InvalidArgument("unknown normalization");
}
std::uint8_t code(StripAccents s) {
  switch (s) {
    case StripAccents::none: return 0;
    case StripAccents::ascii: return 1;
    case StripAccents::unicode: return 2;
  }
  throw InvalidArgument("unknown strip_accents");
}
std::uint8_t code(Norm n) {
  switch (n) {
    case Norm::none: return 0;
    case Norm::l1: return 1;
    case Norm::l2: return 2;
  }
  throw InvalidArgument("unknown norm");
}

void write_options(Writer& w, Kind kind, const CountOptions& o, const TfidfOptions* t) {
  const AnalyzerOptions& a = o.analysis;
  w.u8(static_cast<std::uint8_t>(kind));
  w.u8(code(a.analyzer));
  w.u8(code(a.decode_error));
  w.u8(code(a.normalization));
  w.boolean(a.casefold);
  w.boolean(a.lowercase);
  w.u8(code(a.strip_accents));
  check_utf8(a.token_pattern, "token_pattern");
  w.str(a.token_pattern, "token_pattern");
  w.boolean(a.stop_words.has_value());
  if (a.stop_words) {
    w.u64(a.stop_words->size());
    for (const auto& s : *a.stop_words) {
      check_utf8(s, "a stop word");
      w.str(s, "a stop word");
    }
  }
  w.i32(a.ngram_range.first);
  w.i32(a.ngram_range.second);
  w.boolean(a.stemmer.has_value());
  if (a.stemmer) {
    check_utf8(*a.stemmer, "stemmer");
    w.str(*a.stemmer, "stemmer");
  }
  w.f64(o.min_df.value);
  w.boolean(o.min_df.is_proportion);
  w.f64(o.max_df.value);
  w.boolean(o.max_df.is_proportion);
  w.boolean(o.max_features.has_value());
  if (o.max_features) w.i64(*o.max_features);
  w.boolean(o.vocabulary.has_value());
  w.boolean(o.binary);
  w.i32(o.n_jobs);
  if (t) {
    w.u8(code(t->norm));
    w.boolean(t->use_idf);
    w.boolean(t->smooth_idf);
    w.boolean(t->sublinear_tf);
  }
}

struct Options {
  Kind kind;
  TfidfOptions o;  // the count part for a CountVectorizer, everything for a TfidfVectorizer
  bool fixed_vocabulary;
};

Options read_options(Reader& r) {
  Options out{};
  out.kind = static_cast<Kind>(r.choice("the vectorizer class", 3, "1 (CountVectorizer), 2 (TfidfVectorizer)"));
  if (static_cast<std::uint8_t>(out.kind) == 0) r.error(r.pos() - 1, "the vectorizer class is 0, not 1 or 2");
  TfidfOptions& o = out.o;
  AnalyzerOptions& a = o.analysis;
  a.analyzer = std::array{AnalyzerKind::word, AnalyzerKind::char_,
                          AnalyzerKind::char_wb}[r.choice("analyzer", 3, "0 (word), 1 (char), 2 (char_wb)")];
  a.decode_error = std::array{DecodeError::strict, DecodeError::replace,
                              DecodeError::ignore}[r.choice("decode_error", 3, "0 (strict), 1 (replace), 2 (ignore)")];
  a.normalization = std::array{Normalization::none, Normalization::nfc,
                               Normalization::nfkc}[r.choice("normalization", 3, "0 (none), 1 (NFC), 2 (NFKC)")];
  a.casefold = r.boolean("casefold");
  a.lowercase = r.boolean("lowercase");
  a.strip_accents = std::array{StripAccents::none, StripAccents::ascii,
                               StripAccents::unicode}[r.choice("strip_accents", 3, "0 (none), 1 (ascii), 2 (unicode)")];
  a.token_pattern = r.str("token_pattern");
  if (r.boolean("the stop-word flag")) {
    const auto n = r.count("the number of stop words", 4);
    std::vector<std::string> words;
    words.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) words.push_back(r.str("a stop word"));
    a.stop_words = std::move(words);
  }
  a.ngram_range.first = r.i32("ngram_range min");
  a.ngram_range.second = r.i32("ngram_range max");
  if (r.boolean("the stemmer flag")) a.stemmer = r.str("stemmer");
  auto df_bound = [&](const char* value, const char* flag) {
    const std::size_t at = r.pos();
    DocFrequency d;
    d.value = r.f64(value);
    d.is_proportion = r.boolean(flag);
    if (!d.is_proportion && std::isfinite(d.value) && d.value != std::floor(d.value))
      r.error(at, std::string(value) + " is the document count " + std::to_string(d.value) + ", not an integer");
    return d;
  };
  o.min_df = df_bound("min_df", "min_df's proportion flag");
  o.max_df = df_bound("max_df", "max_df's proportion flag");
  if (r.boolean("the max_features flag")) o.max_features = r.i64("max_features");
  out.fixed_vocabulary = r.boolean("the fixed-vocabulary flag");
  o.binary = r.boolean("binary");
  o.n_jobs = r.i32("n_jobs");
  if (out.kind == Kind::tfidf) {
    o.norm = std::array{Norm::none, Norm::l1, Norm::l2}[r.choice("norm", 3, "0 (none), 1 (l1), 2 (l2)")];
    o.use_idf = r.boolean("use_idf");
    o.smooth_idf = r.boolean("smooth_idf");
    o.sublinear_tf = r.boolean("sublinear_tf");
  }
  r.finish();
  return out;
}

std::vector<std::string> read_terms(Reader& r) {
  const std::size_t at = r.pos();
  const auto n = r.count("the number of terms", 4);
  if (n == 0) r.error(at, "the model has no terms");
  if (n > static_cast<std::uint64_t>(INT32_MAX)) r.error(at, "more than 2^31-1 terms");
  const std::size_t lengths_at = r.pos();
  const auto lengths = r.take(static_cast<std::size_t>(n) * 4, "the term lengths");
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t len = 0;
    for (std::size_t k = 0; k < 4; ++k)
      len |= static_cast<std::uint32_t>(static_cast<unsigned char>(lengths[4 * i + k])) << (8 * k);
    total += len;
  }
  if (total != r.remaining())
    r.error(lengths_at, "the term lengths add up to " + std::to_string(total) + " bytes, but the section has " +
                            std::to_string(r.remaining()) + " bytes of terms");
  std::vector<std::string> terms;
  terms.reserve(static_cast<std::size_t>(n));
  std::unordered_map<std::string_view, std::size_t> seen;
  seen.reserve(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t len = 0;
    for (std::size_t k = 0; k < 4; ++k)
      len |= static_cast<std::uint32_t>(static_cast<unsigned char>(lengths[4 * i + k])) << (8 * k);
    const std::size_t term_at = r.pos();
    const auto term = r.take(len, "a term");
    const auto bad = invalid_utf8_at(term);
    if (bad != std::string_view::npos) r.error(term_at + bad, "term " + std::to_string(i) + " is not valid UTF-8");
    const auto [it, inserted] = seen.emplace(term, i);
    if (!inserted) r.error(term_at, "term " + std::to_string(i) + " repeats term " + std::to_string(it->second));
    terms.emplace_back(term);
  }
  return terms;
}

}  // namespace

std::string write_model(Kind kind, const CountOptions& o, const TfidfOptions* t, const Vocabulary& vocab,
                        std::int64_t n_documents, const std::vector<std::int64_t>& df, const std::vector<double>* idf,
                        const std::vector<float>* idf_float, const CorpusCounts* counts, std::string_view metadata,
                        const std::function<void(Writer&)>& more) {
  check_utf8(metadata, "the metadata");
  std::size_t term_bytes = 0;
  for (std::size_t i = 0; i < vocab.size(); ++i) term_bytes += vocab.term(static_cast<std::int32_t>(i)).size();
  Writer w;
  w.out.reserve(kHeaderSize + 6 * kSectionHeaderSize + 1024 + term_bytes + vocab.size() * (4 + 8 + 12) +
                metadata.size() + kChecksumSize);
  start(w);

  auto at = w.open(kOptions, kRequired);
  write_options(w, kind, o, t);
  w.close(at);

  at = w.open(kTerms, kRequired);
  w.u64(vocab.size());
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    const auto term = vocab.term(static_cast<std::int32_t>(i));
    check_utf8(term, "term " + std::to_string(i));
    w.u32(static_cast<std::uint32_t>(term.size()));  // Vocabulary holds terms of at most 4 GiB
  }
  for (std::size_t i = 0; i < vocab.size(); ++i) w.bytes(vocab.term(static_cast<std::int32_t>(i)));
  w.close(at);

  at = w.open(kDocuments, kRequired);
  w.i64(n_documents);
  w.close(at);

  at = w.open(kDocFrequencies, kRequired);
  w.u64(df.size());
  for (auto d : df) w.i64(d);
  w.close(at);

  if (idf) {
    for (std::size_t j = 0; j < idf->size(); ++j)
      if (std::isnan((*idf)[j]) || std::isnan((*idf_float)[j]))
        throw InvalidArgument("idf[" + std::to_string(j) + "] is NaN; a model cannot hold it");
    at = w.open(kIdf, kRequired);
    w.u64(idf->size());
    for (auto x : *idf) w.f64(x);
    for (auto x : *idf_float) w.f32(x);
    w.close(at);
  }

  if (counts) {  // optional: a reader that skips it still transforms exactly
    const CorpusCounts c = counts->canonical();
    at = w.open(kTermCounts, 0);
    w.i64(c.n_documents());
    w.u64(c.size());
    for (auto d : c.document_frequencies()) w.i64(d);
    for (auto n : c.total_counts()) w.i64(n);
    w.u64(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) {
      const auto term = c.terms().term(static_cast<std::int32_t>(i));
      check_utf8(term, "counted term " + std::to_string(i));
      w.u32(static_cast<std::uint32_t>(term.size()));
    }
    for (std::size_t i = 0; i < c.size(); ++i) w.bytes(c.terms().term(static_cast<std::int32_t>(i)));
    w.close(at);
  }

  if (more) more(w);
  return finish(w, metadata);
}

Model read_model(std::string_view data) {
  check_envelope(data, data.size());
  check_checksum(data);
  const Sections t = read_table(data);
  if (t.sidx)
    fail(t.sidx->header,
         "this is a search index (section 'SIDX'), not a vectorizer model: load it with "
         "lexsim::load_index (in Python: lexsim.load or SearchIndex.load)");
  return read_vectorizer(data, t);
}

Model read_vectorizer(std::string_view data, const Sections& t) {
  const auto &opts = t.opts, &terms = t.terms, &ndoc = t.ndoc, &docf = t.docf, &idf = t.idf, &meta = t.meta,
             &tcnt = t.tcnt;
  auto need = [&](const std::optional<Section>& s, const char* tag) -> const Section& {
    if (!s) fail(kHeaderSize, std::string("the required section '") + tag + "' is missing");
    return *s;
  };
  auto reader = [&](const Section& s, const char* tag) {
    return Reader(data, s.begin, s.end, std::string("section '") + tag + "'");
  };

  Reader ro = reader(need(opts, "OPTS"), "OPTS");
  Options options = read_options(ro);
  Reader rt = reader(need(terms, "TERM"), "TERM");
  std::vector<std::string> term_list = read_terms(rt);
  const std::size_t n_terms = term_list.size();

  Reader rn = reader(need(ndoc, "NDOC"), "NDOC");
  const std::int64_t n_documents = rn.i64("the number of documents");
  if (n_documents < 0)
    rn.error(ndoc->begin, "the number of documents is negative (" + std::to_string(n_documents) + ")");
  rn.finish();

  Reader rd = reader(need(docf, "DOCF"), "DOCF");
  const std::size_t n_df_at = rd.pos();
  const auto n_df = rd.count("the number of document frequencies", 8);
  if (n_df != 0 && n_df != n_terms)
    rd.error(n_df_at, std::to_string(n_df) + " document frequencies for " + std::to_string(n_terms) + " terms");
  std::vector<std::int64_t> df;
  df.reserve(static_cast<std::size_t>(n_df));
  for (std::uint64_t j = 0; j < n_df; ++j) {
    const std::size_t at = rd.pos();
    df.push_back(rd.i64("a document frequency"));
    if (df.back() < 0) rd.error(at, "the document frequency of term " + std::to_string(j) + " is negative");
  }
  rd.finish();

  std::string metadata = read_metadata(data, meta);

  // The unpruned counts of the fit (optional): with them, a loaded vectorizer continues with
  // partial_fit and merge exactly where the saved one was.
  std::optional<CorpusCounts> counts;
  if (tcnt) {
    Reader rc = reader(*tcnt, "TCNT");
    const std::int64_t n_counted_docs = rc.i64("the number of counted documents");
    const std::size_t n_at = rc.pos();
    const auto n = rc.count("the number of counted terms", 8 + 8 + 4);
    std::vector<std::int64_t> cdf(static_cast<std::size_t>(n)), ctotal(static_cast<std::size_t>(n));
    for (auto& d : cdf) d = rc.i64("a counted document frequency");
    for (auto& t : ctotal) t = rc.i64("a total count");
    const std::size_t terms_at = rc.pos();
    std::vector<std::string> counted = read_terms(rc);
    if (counted.size() != n)
      rc.error(terms_at, std::to_string(counted.size()) + " counted terms, but " + std::to_string(n) +
                             " counts (at byte " + std::to_string(n_at) + ")");
    try {
      counts.emplace(counted, std::move(cdf), std::move(ctotal), n_counted_docs);
    } catch (const InvalidArgument& e) {
      rc.error(tcnt->begin, std::string("invalid counts: ") + e.what());
    }
  }
  auto check_counts_give = [&](const CountVectorizer& fresh, const std::vector<std::string>& names,
                               const std::vector<std::int64_t>& want_df) {
    // DOCF may be empty (unknown); the counts then only have to agree with the rest.
    if (!fresh.is_fitted() || fresh.feature_names() != names || fresh.n_documents() != n_documents ||
        (!want_df.empty() && fresh.document_frequencies() != want_df))
      fail(tcnt->begin,
           "section 'TCNT': the counts do not give the model's vocabulary, document count and frequencies");
  };

  // Options the vectorizer refuses (a bad token pattern, an unknown stemmer, min_df > 1.0...) make
  // the model invalid, not a programming error of the caller.
  auto build = [&](auto make) {
    try {
      return make();
    } catch (const ModelFormatError&) {
      throw;
    } catch (const InvalidArgument& e) {
      fail(opts->begin, std::string("invalid model: ") + e.what());
    }
  };
  if (options.fixed_vocabulary) options.o.vocabulary = term_list;

  if (options.kind == Kind::count) {
    if (idf) fail(idf->header, "section 'IDFV' in a CountVectorizer model");
    auto v = build([&] {
      CountVectorizer cv(static_cast<const CountOptions&>(options.o));
      if (counts) {
        cv.set_counts(std::move(*counts));
        check_counts_give(cv, term_list, df);
      } else {
        cv.set_vocabulary(term_list, n_documents, std::move(df));
      }
      return cv;
    });
    return Model{std::move(v), std::move(metadata)};
  }

  Reader ri = reader(need(idf, "IDFV"), "IDFV");
  const std::size_t n_idf_at = ri.pos();
  const auto n_idf = ri.count("the number of idf values", 12);
  const std::size_t expected = options.o.use_idf ? n_terms : 0;
  if (n_idf != expected)
    ri.error(n_idf_at, std::to_string(n_idf) + " idf values for " + std::to_string(n_terms) +
                           " terms with use_idf=" + (options.o.use_idf ? "true" : "false"));
  std::vector<double> idf64(static_cast<std::size_t>(n_idf));
  std::vector<float> idf32(static_cast<std::size_t>(n_idf));
  for (std::size_t j = 0; j < idf64.size(); ++j) {
    const std::size_t at = ri.pos();
    idf64[j] = ri.f64("an idf value");
    if (std::isnan(idf64[j])) ri.error(at, "idf[" + std::to_string(j) + "] is NaN");
  }
  for (std::size_t j = 0; j < idf32.size(); ++j) {
    const std::size_t at = ri.pos();
    idf32[j] = ri.f32("a float32 idf value");
    if (std::isnan(idf32[j])) ri.error(at, "float32 idf[" + std::to_string(j) + "] is NaN");
  }
  ri.finish();

  auto v = build([&] {
    TfidfVectorizer tv(options.o);
    if (counts) {
      tv.set_counts(std::move(*counts));
      if (!tv.is_fitted() || tv.feature_names() != term_list || tv.n_documents() != n_documents ||
          (!df.empty() && tv.document_frequencies() != df))
        fail(tcnt->begin,
             "section 'TCNT': the counts do not give the model's vocabulary, document count and frequencies");
      const bool computed =
          !options.o.use_idf || (std::memcmp(tv.idf().data(), idf64.data(), idf64.size() * sizeof(double)) == 0 &&
                                 std::memcmp(tv.idf_float().data(), idf32.data(), idf32.size() * sizeof(float)) == 0);
      if (computed) return tv;
      tv.set_idf(idf64);  // an idf set by hand after the fit wins, as it did in the saved vectorizer
    } else {
      tv.set_state(term_list, n_documents, idf64, std::move(df));
    }
    if (options.o.use_idf) {
      // set_state recomputes float32 idf from the document frequencies when its float64 idf is the
      // computed one; a vectorizer whose idf was set by hand rounds the float64 values instead.
      auto same = [&] { return std::memcmp(tv.idf_float().data(), idf32.data(), idf32.size() * sizeof(float)) == 0; };
      if (!same()) {
        tv.set_idf(idf64);
        if (!same())
          fail(n_idf_at + 8 + 8 * idf64.size(),
               "section 'IDFV': the float32 idf is neither computed from the document frequencies nor the float64 idf "
               "rounded");
      }
    }
    return tv;
  });
  return Model{std::move(v), std::move(metadata)};
}

}  // namespace detail::codec

namespace {
using namespace detail::codec;  // NOLINT(google-build-using-namespace): the format's own building blocks
using detail::write_atomically;
}  // namespace

// ------------------------------------------------------------------------------------------------
// Public API

namespace detail {
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  crc = ~crc;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  const auto& t = kCrcTables;
  for (; n >= 8; n -= 8, p += 8) {
    crc ^= static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
           static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
    crc = t[7][crc & 0xFF] ^ t[6][(crc >> 8) & 0xFF] ^ t[5][(crc >> 16) & 0xFF] ^ t[4][crc >> 24] ^ t[3][p[4]] ^
          t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
  }
  for (; n > 0; --n, ++p) crc = kCrcTable[(crc ^ *p) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::uint32_t crc32_combine(std::uint32_t crc_a, std::uint32_t crc_b, std::uint64_t length_b) noexcept {
  // crc(a b) = Z^|b| crc(a) xor crc(b), with Z the register's map for one zero byte: the
  // pre- and post-inversions of the two CRCs cancel out (both are affine in the register).
  Gf2Matrix zeros{};  // one zero bit: shift right, folding the polynomial in for bit 0
  zeros[0] = kCrcPolynomial;
  for (std::size_t i = 1; i < 32; ++i) zeros[i] = std::uint32_t{1} << (i - 1);
  zeros = gf2_square(gf2_square(gf2_square(zeros)));  // one zero byte
  for (; length_b != 0; length_b >>= 1) {
    if (length_b & 1) crc_a = gf2_apply(zeros, crc_a);
    if (length_b > 1) zeros = gf2_square(zeros);
  }
  return crc_a ^ crc_b;
}

std::string encode_options(const CountOptions& o) {
  Writer w;
  write_options(w, Kind::count, o, nullptr);
  return std::move(w.out);
}
std::string encode_options(const TfidfOptions& o) {
  Writer w;
  write_options(w, Kind::tfidf, o, &o);
  return std::move(w.out);
}
}  // namespace detail

std::string serialize(const CountVectorizer& v, std::string_view metadata) {
  const Vocabulary& vocab = v.vocabulary();  // throws NotFittedError before fit
  return write_model(Kind::count, v.options(), nullptr, vocab, v.n_documents(), v.document_frequencies(), nullptr,
                     nullptr, v.has_counts() ? &v.counts() : nullptr, metadata);
}

std::string serialize(const TfidfVectorizer& v, std::string_view metadata) {
  const Vocabulary& vocab = v.vocabulary();
  return write_model(Kind::tfidf, v.tfidf_options(), &v.tfidf_options(), vocab, v.n_documents(),
                     v.document_frequencies(), &v.idf(), &v.idf_float(), v.has_counts() ? &v.counts() : nullptr,
                     metadata);
}

void save(const CountVectorizer& v, const std::string& path, std::string_view metadata) {
  write_atomically(path, serialize(v, metadata));
}

void save(const TfidfVectorizer& v, const std::string& path, std::string_view metadata) {
  write_atomically(path, serialize(v, metadata));
}

Model deserialize(std::string_view bytes) { return read_model(bytes); }

Model load(const std::string& path) {
  const std::string data = read_file(path);
  try {
    return read_model(data);
  } catch (const ModelFormatError& e) {
    throw ModelFormatError("cannot load the model '" + path + "': " + e.what(), e.byte_offset());
  }
}

}  // namespace lexsim
