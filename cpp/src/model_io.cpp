// Model files: the format is specified in lexsim/model_io.hpp (and README.md, "Model files").
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
#include "file_io.hpp"
#include "search_state.hpp"

namespace lexsim {
namespace {

using detail::write_atomically;

// ------------------------------------------------------------------------------------------------
// Constants of format version 1

constexpr std::size_t kMagicSize = sizeof(model_magic);
constexpr std::size_t kHeaderSize = kMagicSize + 4 + 8;  // magic, version, total size
constexpr std::size_t kSectionHeaderSize = 4 + 4 + 8;    // tag, flags, length
constexpr std::size_t kChecksumSize = 4;
constexpr std::uint32_t kRequired = 1;  // section flag bit 0

constexpr std::uint32_t make_tag(const char (&s)[5]) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[3])) << 24;
}
constexpr std::uint32_t kOptions = make_tag("OPTS");
constexpr std::uint32_t kTerms = make_tag("TERM");
constexpr std::uint32_t kDocuments = make_tag("NDOC");
constexpr std::uint32_t kDocFrequencies = make_tag("DOCF");
constexpr std::uint32_t kIdf = make_tag("IDFV");
constexpr std::uint32_t kMetadata = make_tag("META");
// The unpruned term counts of a fit (optional: a reader that ignores them still transforms exactly,
// it only cannot continue the fit with partial_fit or merge).
constexpr std::uint32_t kTermCounts = make_tag("TCNT");
// A search index (see model_io.hpp): its options and sizes, its postings, BM25's raw counts and
// per-term values. All required: a reader that skipped them would not search at all.
constexpr std::uint32_t kIndex = make_tag("SIDX");
constexpr std::uint32_t kPostings = make_tag("POST");
constexpr std::uint32_t kRawCounts = make_tag("RAWC");
constexpr std::uint32_t kBm25 = make_tag("BM25");

enum class Kind : std::uint8_t { count = 1, tfidf = 2 };

// ------------------------------------------------------------------------------------------------
// CRC-32

// Slicing by 8: table k gives the effect of a byte followed by k zero bytes, so eight bytes are
// folded in with eight look-ups (an index's arrays run to hundreds of megabytes).
constexpr std::uint32_t kCrcPolynomial = 0xEDB88320u;
constexpr std::array<std::array<std::uint32_t, 256>, 8> make_crc_tables() {
  std::array<std::array<std::uint32_t, 256>, 8> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? kCrcPolynomial ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t k = 1; k < 8; ++k)
    for (std::size_t i = 0; i < 256; ++i) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
  return t;
}
constexpr auto kCrcTables = make_crc_tables();
const auto& kCrcTable = kCrcTables[0];

// CRC-32 as a linear map of the register: the effect of n zero bytes is a 32 x 32 matrix over
// GF(2) (one column per register bit), which crc32_combine raises to the power of a length.
using Gf2Matrix = std::array<std::uint32_t, 32>;
std::uint32_t gf2_apply(const Gf2Matrix& m, std::uint32_t v) noexcept {
  std::uint32_t out = 0;
  for (std::size_t i = 0; v != 0; ++i, v >>= 1)
    if (v & 1) out ^= m[i];
  return out;
}
Gf2Matrix gf2_square(const Gf2Matrix& m) noexcept {
  Gf2Matrix out{};
  for (std::size_t i = 0; i < 32; ++i) out[i] = gf2_apply(m, m[i]);
  return out;
}

// ------------------------------------------------------------------------------------------------
// Helpers

std::string hex32(std::uint32_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) s += digits[(v >> shift) & 0xF];
  return s;
}

// A tag as text: its four characters when printable, else its bytes in hex.
std::string tag_name(std::uint32_t tag) {
  std::string s;
  bool printable = true;
  for (int i = 0; i < 4; ++i) {
    const auto c = static_cast<unsigned char>((tag >> (8 * i)) & 0xFF);
    printable = printable && c >= 0x20 && c < 0x7F;
    s += static_cast<char>(c);
  }
  if (printable) return "'" + s + "'";
  std::string h;
  static const char* digits = "0123456789ABCDEF";
  for (int i = 0; i < 4; ++i) {
    const auto c = static_cast<unsigned char>(s[static_cast<std::size_t>(i)]);
    if (i) h += ' ';
    h += digits[c >> 4];
    h += digits[c & 0xF];
  }
  return "with the bytes " + h;
}

[[noreturn]] void fail(std::size_t offset, const std::string& reason) {
  throw ModelFormatError(reason + " (byte offset " + std::to_string(offset) + ")", offset);
}

// Offset of the first byte that is not part of well-formed UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF), or npos.
std::size_t invalid_utf8_at(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (n - i < len) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

// ------------------------------------------------------------------------------------------------
// Writing

class Writer {
 public:
  std::string out;
  void u8(std::uint8_t v) { out.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { put(v); }
  void u64(std::uint64_t v) { put(v); }
  void i32(std::int32_t v) { put(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) { put(static_cast<std::uint64_t>(v)); }
  void f64(double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, 8);
    put(bits);
  }
  void f32(float v) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    put(bits);
  }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void str(std::string_view s, const char* what) {
    if (s.size() > UINT32_MAX) throw InvalidArgument(std::string(what) + " is longer than 4 GiB");
    u32(static_cast<std::uint32_t>(s.size()));
    out.append(s.data(), s.size());
  }
  void bytes(std::string_view s) { out.append(s.data(), s.size()); }
  // Opens a section; close() patches its length once the payload is written.
  std::size_t open(std::uint32_t tag, std::uint32_t flags) {
    u32(tag);
    u32(flags);
    const std::size_t at = out.size();
    u64(0);
    return at;
  }
  void close(std::size_t at) {
    const std::uint64_t length = out.size() - at - 8;
    for (int i = 0; i < 8; ++i) out[at + static_cast<std::size_t>(i)] = static_cast<char>((length >> (8 * i)) & 0xFF);
  }

 private:
  // Byte by byte: little-endian whatever the machine.
  template <class U>
  void put(U v) {
    for (std::size_t i = 0; i < sizeof(U); ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
};

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

void check_utf8(std::string_view s, const std::string& what) {
  const auto bad = invalid_utf8_at(s);
  if (bad != std::string_view::npos)
    throw InvalidArgument(what + " is not valid UTF-8 (byte " + std::to_string(bad) + "); a model cannot hold it");
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

// The magic, the version and room for the total size.
void start(Writer& w) {
  w.bytes(std::string_view(model_magic, kMagicSize));
  w.u32(model_format_version);
  w.u64(0);  // the total size, patched by finish()
}

// META (when there is metadata), then the total size and the checksum.
std::string finish(Writer& w, std::string_view metadata) {
  if (!metadata.empty()) {
    const auto at = w.open(kMetadata, 0);
    w.bytes(metadata);
    w.close(at);
  }
  const std::uint64_t total = w.out.size() + kChecksumSize;
  for (int i = 0; i < 8; ++i) w.out[kMagicSize + 4 + static_cast<std::size_t>(i)] = static_cast<char>((total >> (8 * i)) & 0xFF);
  w.u32(detail::crc32(w.out));
  return std::move(w.out);
}

// The sections every vectorizer has, then IDFV (when idf is given), `more` (a search index's) and META.
std::string write_model(Kind kind, const CountOptions& o, const TfidfOptions* t, const Vocabulary& vocab,
                        std::int64_t n_documents, const std::vector<std::int64_t>& df, const std::vector<double>* idf,
                        const std::vector<float>* idf_float, const CorpusCounts* counts, std::string_view metadata,
                        const std::function<void(Writer&)>& more = {}) {
  check_utf8(metadata, "the metadata");
  std::size_t term_bytes = 0;
  for (std::size_t i = 0; i < vocab.size(); ++i) term_bytes += vocab.term(static_cast<std::int32_t>(i)).size();
  Writer w;
  w.out.reserve(kHeaderSize + 6 * kSectionHeaderSize + 1024 + term_bytes + vocab.size() * (4 + 8 + 12) + metadata.size() +
                kChecksumSize);
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

// ------------------------------------------------------------------------------------------------
// Reading

// Bounds-checked reads over [pos, end) of the model; every failure names its absolute offset.
class Reader {
 public:
  Reader(std::string_view data, std::size_t begin, std::size_t end, std::string where)
      : data_(data), pos_(begin), end_(end), where_(std::move(where)) {}

  std::size_t pos() const noexcept { return pos_; }
  std::size_t remaining() const noexcept { return end_ - pos_; }

  std::string_view take(std::size_t n, const char* what) {
    if (n > remaining())
      fail(pos_, where_ + ": " + what + " needs " + std::to_string(n) + " bytes but only " + std::to_string(remaining()) +
                     " remain");
    const auto v = data_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  std::uint8_t u8(const char* what) { return static_cast<std::uint8_t>(take(1, what)[0]); }
  std::uint32_t u32(const char* what) { return get<std::uint32_t>(what); }
  std::uint64_t u64(const char* what) { return get<std::uint64_t>(what); }
  std::int32_t i32(const char* what) { return static_cast<std::int32_t>(get<std::uint32_t>(what)); }
  std::int64_t i64(const char* what) { return static_cast<std::int64_t>(get<std::uint64_t>(what)); }
  double f64(const char* what) {
    const auto bits = get<std::uint64_t>(what);
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  float f32(const char* what) {
    const auto bits = get<std::uint32_t>(what);
    float v;
    std::memcpy(&v, &bits, 4);
    return v;
  }
  bool boolean(const char* what) {
    const std::size_t at = pos_;
    const auto v = u8(what);
    if (v > 1) fail(at, where_ + ": " + what + " is " + std::to_string(v) + ", not 0 or 1");
    return v == 1;
  }
  // An enum byte: its value when below n_values, else an error listing what it may be.
  std::uint8_t choice(const char* what, std::uint8_t n_values, const char* allowed) {
    const std::size_t at = pos_;
    const auto v = u8(what);
    if (v >= n_values) fail(at, where_ + ": " + what + " is " + std::to_string(v) + ", not one of " + allowed);
    return v;
  }
  std::string str(const char* what) {
    const std::size_t at = pos_;
    const auto n = u32(what);
    const auto s = take(n, what);
    const auto bad = invalid_utf8_at(s);
    if (bad != std::string_view::npos) fail(at + 4 + bad, where_ + ": " + what + " is not valid UTF-8");
    return std::string(s);
  }
  // A count of items of at least min_item_size bytes each, checked against the bytes left.
  std::uint64_t count(const char* what, std::size_t min_item_size) {
    const std::size_t at = pos_;
    const auto n = u64(what);
    if (n > remaining() / min_item_size)
      fail(at, where_ + ": " + what + " is " + std::to_string(n) + ", but " + std::to_string(remaining()) +
                   " bytes cannot hold that many");
    return n;
  }
  void finish() {
    if (pos_ != end_) fail(pos_, where_ + ": " + std::to_string(end_ - pos_) + " unexpected bytes at the end of the section");
  }
  [[noreturn]] void error(std::size_t at, const std::string& reason) { fail(at, where_ + ": " + reason); }

 private:
  template <class U>
  U get(const char* what) {
    const auto b = take(sizeof(U), what);
    U v = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) v |= static_cast<U>(static_cast<unsigned char>(b[i])) << (8 * i);
    return v;
  }
  std::string_view data_;
  std::size_t pos_, end_;
  std::string where_;
};

struct Section {
  std::size_t header;  // offset of its tag
  std::size_t begin, end;  // its payload
};

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
  a.analyzer = std::array{AnalyzerKind::word, AnalyzerKind::char_, AnalyzerKind::char_wb}[r.choice(
      "analyzer", 3, "0 (word), 1 (char), 2 (char_wb)")];
  a.decode_error = std::array{DecodeError::strict, DecodeError::replace, DecodeError::ignore}[r.choice(
      "decode_error", 3, "0 (strict), 1 (replace), 2 (ignore)")];
  a.normalization = std::array{Normalization::none, Normalization::nfc, Normalization::nfkc}[r.choice(
      "normalization", 3, "0 (none), 1 (NFC), 2 (NFKC)")];
  a.casefold = r.boolean("casefold");
  a.lowercase = r.boolean("lowercase");
  a.strip_accents = std::array{StripAccents::none, StripAccents::ascii, StripAccents::unicode}[r.choice(
      "strip_accents", 3, "0 (none), 1 (ascii), 2 (unicode)")];
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
    for (std::size_t k = 0; k < 4; ++k) len |= static_cast<std::uint32_t>(static_cast<unsigned char>(lengths[4 * i + k])) << (8 * k);
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
    for (std::size_t k = 0; k < 4; ++k) len |= static_cast<std::uint32_t>(static_cast<unsigned char>(lengths[4 * i + k])) << (8 * k);
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

// Reads the envelope: magic, version, total size. Returns nothing; throws on anything wrong. `size`
// is the size of the whole input (which `head` is the beginning of).
void check_envelope(std::string_view head, std::uint64_t size) {
  if (size == 0) fail(0, "empty (0 bytes): not a lexsim model");
  const std::size_t n = std::min<std::size_t>(head.size(), kMagicSize);
  if (std::memcmp(head.data(), model_magic, n) != 0) {
    std::string what = "not a lexsim model: wrong magic bytes";
    auto starts = [&](std::string_view prefix) { return head.substr(0, prefix.size()) == prefix; };
    if (starts("\x89PNG")) what += " (this is a PNG image)";
    else if (starts("\x80") && head.size() > 1 && head[1] >= 2 && head[1] <= 5) what += " (this looks like a Python pickle; lexsim never loads pickles)";
    else if (starts("PK\x03\x04")) what += " (this is a zip archive)";
    else if (starts("\x1f\x8b")) what += " (this is gzip-compressed: decompress it first)";
    else if (starts(std::string_view("LEXSIM\0M", 8))) what += " (a model of a development version of lexsim: fit it again)";
    fail(0, what);
  }
  if (size < kMagicSize) fail(size, "truncated: the input ends inside the magic bytes, after " + std::to_string(size) + " bytes");
  if (size < kMagicSize + 4) fail(size, "truncated: the input ends inside the format version");
  std::uint32_t version = 0;
  for (std::size_t i = 0; i < 4; ++i) version |= static_cast<std::uint32_t>(static_cast<unsigned char>(head[kMagicSize + i])) << (8 * i);
  if (version == 0) fail(kMagicSize, "invalid model format version 0");
  if (version > model_format_version)
    fail(kMagicSize, "model format version " + std::to_string(version) + " is newer than this lexsim reads (" +
                         std::to_string(model_format_version) + "): upgrade lexsim to load it");
  if (size < kHeaderSize) fail(size, "truncated: the input ends inside the header");
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < 8; ++i) total |= static_cast<std::uint64_t>(static_cast<unsigned char>(head[kMagicSize + 4 + i])) << (8 * i);
  if (total < kHeaderSize + kChecksumSize) fail(kMagicSize + 4, "corrupted: the header gives an impossible size of " + std::to_string(total) + " bytes");
  if (total > size)
    fail(size, "truncated: the header gives a size of " + std::to_string(total) + " bytes, but the input ends after " +
                   std::to_string(size));
  if (total < size)
    fail(total, std::to_string(size - total) + " unexpected bytes after the end of the model (its header gives a size of " +
                    std::to_string(total) + " bytes)");
}

// A model file's bytes, its envelope checked before the rest is read.
std::string read_file(const std::string& path) { return detail::read_file(path, kHeaderSize, check_envelope); }

void check_checksum(std::string_view data) {
  const std::size_t end = data.size() - kChecksumSize;
  std::uint32_t stored = 0;
  for (std::size_t i = 0; i < 4; ++i) stored |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[end + i])) << (8 * i);
  const std::uint32_t computed = detail::crc32(data.substr(0, end));
  if (stored != computed)
    fail(end, "checksum mismatch: the model is damaged (stored CRC-32 " + hex32(stored) + ", computed " + hex32(computed) + ")");
}

// The sections of a model: a vectorizer's, and a search index's (lexsim/model_io.hpp).
struct Sections {
  std::optional<Section> opts, terms, ndoc, docf, idf, meta, tcnt;
  std::optional<Section> sidx, post, rawc, bm25;
};

// The section table of a model whose envelope (and checksum) were checked. A matching checksum
// does not make the content trustworthy (it may have been crafted), so every length is checked.
Sections read_table(std::string_view data) {
  const std::size_t end = data.size() - kChecksumSize;
  Sections t;
  auto slot = [&](std::uint32_t tag) -> std::optional<Section>* {
    switch (tag) {
      case kOptions: return &t.opts;
      case kTerms: return &t.terms;
      case kDocuments: return &t.ndoc;
      case kDocFrequencies: return &t.docf;
      case kIdf: return &t.idf;
      case kMetadata: return &t.meta;
      case kTermCounts: return &t.tcnt;
      case kIndex: return &t.sidx;
      case kPostings: return &t.post;
      case kRawCounts: return &t.rawc;
      case kBm25: return &t.bm25;
      default: return nullptr;
    }
  };
  std::size_t pos = kHeaderSize;
  while (pos < end) {
    Reader h(data, pos, end, "section header");
    const std::uint32_t tag = h.u32("the tag");
    const std::uint32_t flags = h.u32("the flags");
    const std::uint64_t length = h.u64("the length");
    const std::string name = "section " + tag_name(tag);
    if (flags & ~kRequired) fail(pos + 4, name + " has flags " + hex32(flags) + " that this lexsim does not know");
    if (length > h.remaining())
      fail(pos + 8, name + " claims " + std::to_string(length) + " bytes, but only " + std::to_string(h.remaining()) +
                        " remain before the checksum");
    const Section s{pos, h.pos(), h.pos() + static_cast<std::size_t>(length)};
    if (auto* known = slot(tag)) {
      if (*known) fail(pos, name + " appears twice (at byte offsets " + std::to_string((*known)->header) + " and " + std::to_string(pos) + ")");
      *known = s;
    } else if (flags & kRequired) {
      fail(pos, name + " is required but unknown to this lexsim (written by a newer version?)");
    }  // an unknown optional section is skipped
    pos = s.end;
  }
  const std::pair<const std::optional<Section>*, const char*> index_parts[] = {{&t.post, "POST"}, {&t.rawc, "RAWC"}, {&t.bm25, "BM25"}};
  for (const auto& [part, tag] : index_parts)
    if (*part && !t.sidx)
      fail((*part)->header, std::string("section '") + tag + "' belongs to a search index, but the section 'SIDX' is missing");
  return t;
}

Model read_vectorizer(std::string_view data, const Sections& t);

std::string read_metadata(std::string_view data, const std::optional<Section>& meta) {
  if (!meta) return {};
  const auto blob = data.substr(meta->begin, meta->end - meta->begin);
  const auto bad = invalid_utf8_at(blob);
  if (bad != std::string_view::npos) fail(meta->begin + bad, "section 'META': the metadata is not valid UTF-8");
  return std::string(blob);
}

Model read_model(std::string_view data) {
  check_envelope(data, data.size());
  check_checksum(data);
  const Sections t = read_table(data);
  if (t.sidx)
    fail(t.sidx->header, "this is a search index (section 'SIDX'), not a vectorizer model: load it with "
                         "lexsim::load_index (in Python: lexsim.load or SearchIndex.load)");
  return read_vectorizer(data, t);
}

// The vectorizer of a model's sections (OPTS, TERM, NDOC, DOCF, IDFV, TCNT, META).
Model read_vectorizer(std::string_view data, const Sections& t) {
  const auto &opts = t.opts, &terms = t.terms, &ndoc = t.ndoc, &docf = t.docf, &idf = t.idf, &meta = t.meta, &tcnt = t.tcnt;
  auto need = [&](const std::optional<Section>& s, const char* tag) -> const Section& {
    if (!s) fail(kHeaderSize, std::string("the required section '") + tag + "' is missing");
    return *s;
  };
  auto reader = [&](const Section& s, const char* tag) { return Reader(data, s.begin, s.end, std::string("section '") + tag + "'"); };

  Reader ro = reader(need(opts, "OPTS"), "OPTS");
  Options options = read_options(ro);
  Reader rt = reader(need(terms, "TERM"), "TERM");
  std::vector<std::string> term_list = read_terms(rt);
  const std::size_t n_terms = term_list.size();

  Reader rn = reader(need(ndoc, "NDOC"), "NDOC");
  const std::int64_t n_documents = rn.i64("the number of documents");
  if (n_documents < 0) rn.error(ndoc->begin, "the number of documents is negative (" + std::to_string(n_documents) + ")");
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
    if (counted.size() != n) rc.error(terms_at, std::to_string(counted.size()) + " counted terms, but " + std::to_string(n) + " counts (at byte " + std::to_string(n_at) + ")");
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
      fail(tcnt->begin, "section 'TCNT': the counts do not give the model's vocabulary, document count and frequencies");
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
    ri.error(n_idf_at, std::to_string(n_idf) + " idf values for " + std::to_string(n_terms) + " terms with use_idf=" +
                           (options.o.use_idf ? "true" : "false"));
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
        fail(tcnt->begin, "section 'TCNT': the counts do not give the model's vocabulary, document count and frequencies");
      const bool computed = !options.o.use_idf ||
                            (std::memcmp(tv.idf().data(), idf64.data(), idf64.size() * sizeof(double)) == 0 &&
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
        if (!same()) fail(n_idf_at + 8 + 8 * idf64.size(), "section 'IDFV': the float32 idf is neither computed from the document frequencies nor the float64 idf rounded");
      }
    }
    return tv;
  });
  return Model{std::move(v), std::move(metadata)};
}

// ------------------------------------------------------------------------------------------------
// Search indexes (SIDX, POST, RAWC, BM25)

using detail::Array;
using detail::MappedFile;
using detail::PostingArrays;
using detail::SearchState;

// Array elements start at a multiple of this many bytes from the model's first byte.
constexpr std::size_t kArrayAlignment = 64;

bool little_endian() noexcept {
  const std::uint16_t one = 1;
  unsigned char first = 0;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

// n values as the format stores them: little-endian (a copy only on a big-endian machine).
template <class T>
std::string_view le_bytes(const T* data, std::size_t n, std::string& scratch) {
  const std::size_t bytes = n * sizeof(T);
  if (n == 0) return {};
  if (little_endian()) return {reinterpret_cast<const char*>(data), bytes};
  scratch.resize(bytes);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < sizeof(T); ++k)
      scratch[i * sizeof(T) + k] = reinterpret_cast<const char*>(data + i)[sizeof(T) - 1 - k];
  return scratch;
}

// An array: u64 count, u32 CRC-32 of the elements' bytes, u32 padding p, p zero bytes, elements.
template <class T>
void put_array(Writer& w, const Array<T>& a) {
  std::string scratch;
  const std::string_view bytes = le_bytes(a.data(), a.size(), scratch);
  w.u64(a.size());
  w.u32(detail::crc32(bytes));
  const std::size_t data_at = w.out.size() + 4;
  const auto pad = static_cast<std::uint32_t>((kArrayAlignment - data_at % kArrayAlignment) % kArrayAlignment);
  w.u32(pad);
  w.out.append(pad, '\0');
  w.bytes(bytes);
}

std::uint8_t scoring_code(Scoring s) { return s == Scoring::bm25 ? 1 : 0; }
std::uint8_t method_code(Bm25Method m) {
  switch (m) {
    case Bm25Method::robertson: return 0;
    case Bm25Method::lucene: return 1;
    case Bm25Method::atire: return 2;
    case Bm25Method::bm25l: return 3;
    case Bm25Method::bm25plus: return 4;
  }
  throw InvalidArgument("unknown BM25 method");
}

template <class T>
std::size_t index_bytes(const SearchState<T>& s) {
  auto postings = [](const PostingArrays<T>& a) {
    return 3 * (16 + kArrayAlignment) + a.start.size() * 8 + a.row.size() * (4 + sizeof(T));
  };
  return 4 * kSectionHeaderSize + 64 + postings(s.postings) + postings(s.counts) + (s.idf.size() + s.baseline.size()) * 8 +
         2 * (16 + kArrayAlignment);
}

// SIDX, BM25, POST and RAWC (the format is in model_io.hpp).
template <class T>
void write_index(Writer& w, const SearchState<T>& s) {
  // A mapped index is read whole here: the arrays not checked yet are checked first, as add() does.
  if (s.file) s.file->check_size();
  if (s.checked) detail::check_all(s, "the index mapped from '" + s.file->path() + "' is damaged: ");
  w.out.reserve(w.out.size() + index_bytes(s) + 1024);
  const bool bm25 = s.options.scoring == Scoring::bm25;
  auto at = w.open(kIndex, kRequired);
  w.u8(scoring_code(s.options.scoring));
  w.u8(method_code(s.options.method));
  w.u8(static_cast<std::uint8_t>(sizeof(T)));
  w.f64(s.options.k1);
  w.f64(s.options.b);
  w.f64(s.options.delta);
  w.i64(s.rows);
  w.i64(s.cols);
  w.f64(s.avgdl);
  w.close(at);
  if (bm25) {
    at = w.open(kBm25, kRequired);
    put_array(w, Array<double>(s.idf));
    put_array(w, Array<double>(s.baseline));
    w.close(at);
  }
  auto postings = [&](std::uint32_t tag, const PostingArrays<T>& a) {
    const auto section = w.open(tag, kRequired);
    put_array(w, a.start);
    put_array(w, a.row);
    put_array(w, a.value);
    w.close(section);
  };
  postings(kPostings, s.postings);
  if (bm25) postings(kRawCounts, s.counts);
}

template <class T>
std::string serialize_index(const SearchState<T>& s, const Vocabulary* vocab, std::int64_t n_vectorizer_terms,
                            const std::function<std::string(const std::function<void(Writer&)>&)>& with_vectorizer,
                            std::string_view metadata) {
  if (vocab && n_vectorizer_terms != s.cols)
    throw InvalidArgument("the vectorizer has " + std::to_string(n_vectorizer_terms) + " terms but the index has " +
                          std::to_string(s.cols) + ": save an index with the vectorizer it was built with");
  if (vocab) return with_vectorizer([&](Writer& w) { write_index(w, s); });
  check_utf8(metadata, "the metadata");
  Writer w;
  start(w);
  write_index(w, s);
  return finish(w, metadata);
}

// One array of an index section, as read: where its elements are and what the file says of them.
struct ArrayField {
  const char* what;
  std::size_t header;  // offset of its count
  std::size_t at;      // offset of its first element
  std::uint64_t n;
  std::size_t size;    // of one element
  std::uint32_t crc;
  std::size_t bytes() const noexcept { return static_cast<std::size_t>(n) * size; }
};

ArrayField read_array(Reader& r, std::size_t size, const char* what) {
  ArrayField f{what, r.pos(), 0, 0, size, 0};
  f.n = r.u64(what);
  f.crc = r.u32(what);
  const std::size_t pad_at = r.pos();
  const std::uint32_t pad = r.u32(what);
  const std::size_t aligned = (kArrayAlignment - (pad_at + 4) % kArrayAlignment) % kArrayAlignment;
  if (pad != aligned)
    r.error(pad_at, std::string(what) + ": padding of " + std::to_string(pad) + " bytes, but " + std::to_string(aligned) +
                        " align its elements to " + std::to_string(kArrayAlignment) + " bytes");
  const auto zeros = r.take(pad, what);
  for (std::size_t i = 0; i < zeros.size(); ++i)
    if (zeros[i] != '\0') r.error(pad_at + 4 + i, std::string(what) + ": a padding byte is not 0");
  f.at = r.pos();
  if (f.n > r.remaining() / size)
    r.error(f.header, std::string(what) + ": " + std::to_string(f.n) + " elements of " + std::to_string(size) +
                          " bytes, but only " + std::to_string(r.remaining()) + " bytes remain");
  r.take(f.bytes(), what);
  return f;
}

// The elements of an array: in place in a mapped file (kept mapped by `keep`), or copied.
template <class T>
Array<T> array_of(std::string_view data, const ArrayField& f, const std::shared_ptr<const void>& keep) {
  const char* first = data.data() + f.at;
  if (keep && little_endian() && reinterpret_cast<std::uintptr_t>(first) % alignof(T) == 0)
    return Array<T>(reinterpret_cast<const T*>(first), static_cast<std::size_t>(f.n), keep);
  std::vector<T> v(static_cast<std::size_t>(f.n));
  if (little_endian()) {
    if (!v.empty()) std::memcpy(v.data(), first, f.bytes());
  } else {
    for (std::size_t i = 0; i < v.size(); ++i) {
      char b[sizeof(T)];
      for (std::size_t k = 0; k < sizeof(T); ++k) b[k] = first[i * sizeof(T) + sizeof(T) - 1 - k];
      std::memcpy(&v[i], b, sizeof(T));
    }
  }
  return Array<T>(std::move(v));
}

void check_array_crc(std::string_view data, const ArrayField& f, const char* section) {
  const std::uint32_t computed = detail::crc32(data.substr(f.at, f.bytes()));
  if (computed != f.crc)
    fail(f.header + 8, std::string("section '") + section + "': " + f.what + ": checksum mismatch, the index is damaged (stored CRC-32 " +
                           hex32(f.crc) + ", computed " + hex32(computed) + ")");
}

// The model's checksum with the stored CRC-32 of the given arrays standing in for their bytes
// (which a lazily mapped index does not read at load).
void check_checksum_without(std::string_view data, std::vector<const ArrayField*> skipped) {
  std::sort(skipped.begin(), skipped.end(), [](const ArrayField* a, const ArrayField* b) { return a->at < b->at; });
  const std::size_t end = data.size() - kChecksumSize;
  std::uint32_t crc = 0;
  std::size_t pos = 0;
  for (const ArrayField* f : skipped) {
    crc = detail::crc32(data.substr(pos, f->at - pos), crc);
    crc = detail::crc32_combine(crc, f->crc, f->bytes());
    pos = f->at + f->bytes();
  }
  crc = detail::crc32(data.substr(pos, end - pos), crc);
  std::uint32_t stored = 0;
  for (std::size_t i = 0; i < 4; ++i) stored |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[end + i])) << (8 * i);
  if (stored != crc)
    fail(end, "checksum mismatch: the model is damaged (stored CRC-32 " + hex32(stored) + ", computed " + hex32(crc) +
                  " with the arrays' own CRC-32 for their bytes)");
}

struct IndexHeader {
  SearchOptions options;
  std::size_t value_size = 8;
  std::int64_t rows = 0, cols = 0;
  double avgdl = 0;
};

IndexHeader read_index_header(Reader& r, std::size_t section_at) {
  IndexHeader h;
  h.options.scoring = r.choice("scoring", 2, "0 (cosine), 1 (bm25)") == 1 ? Scoring::bm25 : Scoring::cosine;
  h.options.method = std::array{Bm25Method::robertson, Bm25Method::lucene, Bm25Method::atire, Bm25Method::bm25l,
                                Bm25Method::bm25plus}[r.choice("the BM25 method", 5,
                                                               "0 (robertson), 1 (lucene), 2 (atire), 3 (bm25l), 4 (bm25+)")];
  const std::size_t type_at = r.pos();
  const auto type = r.u8("the value type");
  if (type != 4 && type != 8) r.error(type_at, "the value type is " + std::to_string(type) + ", not 4 (float32) or 8 (float64)");
  h.value_size = type;
  h.options.k1 = r.f64("k1");
  h.options.b = r.f64("b");
  h.options.delta = r.f64("delta");
  const std::size_t rows_at = r.pos();
  h.rows = r.i64("the number of documents");
  if (h.rows < 0 || h.rows > std::numeric_limits<std::int32_t>::max())
    r.error(rows_at, "the number of documents is " + std::to_string(h.rows) + ", not in [0, 2^31-1]");
  const std::size_t cols_at = r.pos();
  h.cols = r.i64("the number of terms");
  if (h.cols < 0 || h.cols > std::numeric_limits<std::int32_t>::max())
    r.error(cols_at, "the number of terms is " + std::to_string(h.cols) + ", not in [0, 2^31-1]");
  const std::size_t avgdl_at = r.pos();
  h.avgdl = r.f64("avgdl");
  if (!(std::isfinite(h.avgdl) && h.avgdl >= 0.0) || (h.options.scoring == Scoring::cosine && h.avgdl != 0.0))
    r.error(avgdl_at, "avgdl is " + std::to_string(h.avgdl) + ", not a finite number >= 0 (0 for cosine)");
  r.finish();
  try {
    detail::check_search_options(h.options);
  } catch (const InvalidArgument& e) {
    fail(section_at, std::string("section 'SIDX': invalid options: ") + e.what());
  }
  return h;
}

// A postings section's three arrays.
struct PostingFields {
  ArrayField start, row, value;
};

PostingFields read_postings_fields(Reader& r, std::size_t value_size, std::int64_t cols, const char* section) {
  PostingFields f{read_array(r, 8, "the term starts"), read_array(r, 4, "the documents"),
                  read_array(r, value_size, value_size == 4 ? "the float32 values" : "the float64 values")};
  r.finish();
  if (f.start.n != static_cast<std::uint64_t>(cols) + 1)
    fail(f.start.header, std::string("section '") + section + "': " + std::to_string(f.start.n) + " term starts for " +
                             std::to_string(cols) + " terms (there is one more)");
  if (f.row.n != f.value.n)
    fail(f.value.header, std::string("section '") + section + "': " + std::to_string(f.row.n) + " documents but " +
                             std::to_string(f.value.n) + " values");
  return f;
}

template <class T>
PostingArrays<T> postings_of(std::string_view data, const PostingFields& f, const std::shared_ptr<const void>& keep,
                             const char* section) {
  PostingArrays<T> a;
  a.start = array_of<std::int64_t>(data, f.start, keep);  // read below (and its CRC-32 checked) in every case
  a.row = array_of<std::int32_t>(data, f.row, keep);
  a.value = array_of<T>(data, f.value, keep);
  a.row_at = f.row.at;
  a.value_at = f.value.at;
  const auto& st = a.start;
  if (st[0] != 0) fail(f.start.at, std::string("section '") + section + "': the first term starts at " + std::to_string(st[0]) + ", not 0");
  for (std::size_t t = 1; t < st.size(); ++t)
    if (st[t] < st[t - 1] || static_cast<std::uint64_t>(st[t]) > f.row.n)
      fail(f.start.at + 8 * t, std::string("section '") + section + "': term " + std::to_string(t) + " starts at " +
                                   std::to_string(st[t]) + ", before term " + std::to_string(t - 1) + " (" +
                                   std::to_string(st[t - 1]) + ") or past the " + std::to_string(f.row.n) + " documents");
  if (static_cast<std::uint64_t>(st[st.size() - 1]) != f.row.n)
    fail(f.start.at + 8 * (st.size() - 1), std::string("section '") + section + "': the terms end at " +
                                               std::to_string(st[st.size() - 1]) + ", not at the " +
                                               std::to_string(f.row.n) + " documents listed");
  return a;
}

std::vector<double> per_term(std::string_view data, const ArrayField& f, const char* what) {
  Array<double> a = array_of<double>(data, f, nullptr);
  std::vector<double> v(a.begin(), a.end());
  for (std::size_t t = 0; t < v.size(); ++t)
    if (!(std::isfinite(v[t]) && v[t] >= 0.0))
      fail(f.at + 8 * t, std::string("section 'BM25': ") + what + " of term " + std::to_string(t) + " is " +
                             std::to_string(v[t]) + ", not a finite number >= 0");
  return v;
}

// The search index in `data`. file: the mapping `data` is, whose arrays are used in place; owner:
// else, what keeps `data` alive if its arrays may stay there (a file read into memory); with
// neither, they are copied. lazy: the large arrays are not read now (see model_io.hpp); otherwise
// everything is checked.
IndexModel read_index(std::string_view data, const std::shared_ptr<const MappedFile>& file, bool lazy,
                      const std::shared_ptr<const void>& owner = nullptr) {
  check_envelope(data, data.size());
  if (!lazy) check_checksum(data);
  const Sections t = read_table(data);
  if (!t.sidx)
    fail(kHeaderSize, "not a search index: the section 'SIDX' is missing (a vectorizer model? lexsim::load reads it)");
  Reader rh(data, t.sidx->begin, t.sidx->end, "section 'SIDX'");
  const IndexHeader h = read_index_header(rh, t.sidx->begin);
  const bool bm25 = h.options.scoring == Scoring::bm25;
  if (!t.post) fail(kHeaderSize, "the required section 'POST' is missing");
  if (bm25 && !t.rawc) fail(kHeaderSize, "the required section 'RAWC' is missing (a BM25 index)");
  if (bm25 && !t.bm25) fail(kHeaderSize, "the required section 'BM25' is missing (a BM25 index)");
  if (!bm25 && t.rawc) fail(t.rawc->header, "section 'RAWC' in a cosine index");
  if (!bm25 && t.bm25) fail(t.bm25->header, "section 'BM25' in a cosine index");

  Reader rp(data, t.post->begin, t.post->end, "section 'POST'");
  const PostingFields post = read_postings_fields(rp, h.value_size, h.cols, "POST");
  std::optional<PostingFields> raw;
  std::optional<ArrayField> idf_f, base_f;
  if (bm25) {
    Reader rr(data, t.rawc->begin, t.rawc->end, "section 'RAWC'");
    raw = read_postings_fields(rr, h.value_size, h.cols, "RAWC");
    Reader rb(data, t.bm25->begin, t.bm25->end, "section 'BM25'");
    idf_f = read_array(rb, 8, "the idf");
    base_f = read_array(rb, 8, "the baselines");
    rb.finish();
    if (idf_f->n != static_cast<std::uint64_t>(h.cols))
      fail(idf_f->header, "section 'BM25': " + std::to_string(idf_f->n) + " idf values for " + std::to_string(h.cols) + " terms");
    const bool shifted = h.options.method == Bm25Method::bm25l || h.options.method == Bm25Method::bm25plus;
    if (base_f->n != (shifted ? static_cast<std::uint64_t>(h.cols) : 0))
      fail(base_f->header, "section 'BM25': " + std::to_string(base_f->n) + " baselines for " + std::to_string(h.cols) +
                               " terms with the method " + method_name(h.options.method));
  }

  // The arrays used in place are not read now: their own CRC-32 stands in for their bytes in the
  // model's checksum. Every other array is read, so its CRC-32 is checked.
  std::vector<std::pair<const ArrayField*, const char*>> read_now = {{&post.start, "POST"}};
  std::vector<const ArrayField*> deferred;
  auto big = [&](const ArrayField& f, const char* section) {
    if (lazy) {
      deferred.push_back(&f);
    } else {
      read_now.emplace_back(&f, section);
    }
  };
  big(post.row, "POST");
  big(post.value, "POST");
  if (raw) {
    read_now.emplace_back(&raw->start, "RAWC");
    big(raw->row, "RAWC");
    big(raw->value, "RAWC");
    read_now.emplace_back(&*idf_f, "BM25");
    read_now.emplace_back(&*base_f, "BM25");
  }
  if (lazy) check_checksum_without(data, deferred);
  for (const auto& [f, section] : read_now) check_array_crc(data, *f, section);

  // The vectorizer saved with the index, if any.
  std::optional<std::variant<CountVectorizer, TfidfVectorizer>> vectorizer;
  std::string metadata;
  if (t.opts) {
    Model m = read_vectorizer(data, t);
    const auto n = std::visit([](const auto& v) { return static_cast<std::int64_t>(v.vocabulary().size()); }, m.vectorizer);
    if (n != h.cols)
      fail(t.terms->header, "the vectorizer has " + std::to_string(n) + " terms but the index has " + std::to_string(h.cols));
    vectorizer = std::move(m.vectorizer);
    metadata = std::move(m.metadata);
  } else {
    const std::pair<const std::optional<Section>*, const char*> parts[] = {
        {&t.terms, "TERM"}, {&t.ndoc, "NDOC"}, {&t.docf, "DOCF"}, {&t.idf, "IDFV"}, {&t.tcnt, "TCNT"}};
    for (const auto& [part, tag] : parts)
      if (*part) fail((*part)->header, std::string("section '") + tag + "' of a vectorizer without its options (section 'OPTS')");
    metadata = read_metadata(data, t.meta);
  }

  auto build = [&](auto type) -> IndexModel {
    using T = decltype(type);
    auto s = std::make_shared<SearchState<T>>();
    const std::shared_ptr<const void> keep = file ? std::shared_ptr<const void>(file) : owner;
    s->options = h.options;
    s->rows = h.rows;
    s->cols = h.cols;
    s->avgdl = h.avgdl;
    s->postings = postings_of<T>(data, post, keep, "POST");
    if (raw) {
      s->counts = postings_of<T>(data, *raw, keep, "RAWC");
      s->idf = per_term(data, *idf_f, "the idf");
      s->baseline = per_term(data, *base_f, "the baseline");
    }
    s->file = file;
    if (lazy) {
      s->checked.reset(new std::atomic<std::uint8_t>[static_cast<std::size_t>(h.cols)]);
      for (std::size_t i = 0; i < static_cast<std::size_t>(h.cols); ++i) s->checked[i].store(0, std::memory_order_relaxed);
    } else {
      detail::check_all(*s, "");
    }
    return IndexModel{detail::SearchIndexAccess::make<T>(std::move(s)), std::move(vectorizer), std::move(metadata)};
  };
  return h.value_size == 4 ? build(float{}) : build(double{});
}

// Whether the model's section table (read without checking anything) names a search index.
bool looks_like_index(std::string_view data) noexcept {
  if (data.size() < kHeaderSize + kChecksumSize) return false;
  const std::size_t end = data.size() - kChecksumSize;
  for (std::size_t pos = kHeaderSize; pos + kSectionHeaderSize <= end;) {
    std::uint32_t tag = 0;
    std::uint64_t length = 0;
    for (std::size_t i = 0; i < 4; ++i) tag |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[pos + i])) << (8 * i);
    for (std::size_t i = 0; i < 8; ++i) length |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[pos + 8 + i])) << (8 * i);
    if (tag == kIndex) return true;
    if (length > end - pos - kSectionHeaderSize) return false;
    pos += kSectionHeaderSize + static_cast<std::size_t>(length);
  }
  return false;
}

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
    crc ^= static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 | static_cast<std::uint32_t>(p[2]) << 16 |
           static_cast<std::uint32_t>(p[3]) << 24;
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
  return write_model(Kind::count, v.options(), nullptr, vocab, v.n_documents(), v.document_frequencies(), nullptr, nullptr,
                     v.has_counts() ? &v.counts() : nullptr, metadata);
}

std::string serialize(const TfidfVectorizer& v, std::string_view metadata) {
  const Vocabulary& vocab = v.vocabulary();
  return write_model(Kind::tfidf, v.tfidf_options(), &v.tfidf_options(), vocab, v.n_documents(), v.document_frequencies(),
                     &v.idf(), &v.idf_float(), v.has_counts() ? &v.counts() : nullptr, metadata);
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

// ------------------------------------------------------------------------------------------------
// Search indexes


namespace {

template <class T>
std::string with_vectorizer(const SearchIndex<T>& index, const CountVectorizer& v, std::string_view metadata) {
  const Vocabulary& vocab = v.vocabulary();
  const auto& s = detail::SearchIndexAccess::state(index);
  return serialize_index(s, &vocab, static_cast<std::int64_t>(vocab.size()), [&](const std::function<void(Writer&)>& more) {
    return write_model(Kind::count, v.options(), nullptr, vocab, v.n_documents(), v.document_frequencies(), nullptr, nullptr,
                       v.has_counts() ? &v.counts() : nullptr, metadata, more);
  }, metadata);
}

template <class T>
std::string with_vectorizer(const SearchIndex<T>& index, const TfidfVectorizer& v, std::string_view metadata) {
  const Vocabulary& vocab = v.vocabulary();
  const auto& s = detail::SearchIndexAccess::state(index);
  return serialize_index(s, &vocab, static_cast<std::int64_t>(vocab.size()), [&](const std::function<void(Writer&)>& more) {
    return write_model(Kind::tfidf, v.tfidf_options(), &v.tfidf_options(), vocab, v.n_documents(), v.document_frequencies(),
                       &v.idf(), &v.idf_float(), v.has_counts() ? &v.counts() : nullptr, metadata, more);
  }, metadata);
}

// Loading errors name the file, as load() does.
template <class F>
auto naming(const std::string& path, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const ModelFormatError& e) {
    throw ModelFormatError("cannot load the model '" + path + "': " + e.what(), e.byte_offset());
  }
}

}  // namespace

template <class T>
std::string serialize(const SearchIndex<T>& index, std::string_view metadata) {
  return serialize_index(detail::SearchIndexAccess::state(index), nullptr, 0, {}, metadata);
}
template <class T>
std::string serialize(const SearchIndex<T>& index, const CountVectorizer& vectorizer, std::string_view metadata) {
  return with_vectorizer(index, vectorizer, metadata);
}
template <class T>
std::string serialize(const SearchIndex<T>& index, const TfidfVectorizer& vectorizer, std::string_view metadata) {
  return with_vectorizer(index, vectorizer, metadata);
}
template <class T>
void save(const SearchIndex<T>& index, const std::string& path, std::string_view metadata) {
  write_atomically(path, serialize(index, metadata));
}
template <class T>
void save(const SearchIndex<T>& index, const CountVectorizer& vectorizer, const std::string& path, std::string_view metadata) {
  write_atomically(path, serialize(index, vectorizer, metadata));
}
template <class T>
void save(const SearchIndex<T>& index, const TfidfVectorizer& vectorizer, const std::string& path, std::string_view metadata) {
  write_atomically(path, serialize(index, vectorizer, metadata));
}

#define LEXSIM_INDEX_IO_INSTANTIATE(T)                                                                          \
  template std::string serialize(const SearchIndex<T>&, std::string_view);                                     \
  template std::string serialize(const SearchIndex<T>&, const CountVectorizer&, std::string_view);             \
  template std::string serialize(const SearchIndex<T>&, const TfidfVectorizer&, std::string_view);             \
  template void save(const SearchIndex<T>&, const std::string&, std::string_view);                             \
  template void save(const SearchIndex<T>&, const CountVectorizer&, const std::string&, std::string_view);     \
  template void save(const SearchIndex<T>&, const TfidfVectorizer&, const std::string&, std::string_view);
LEXSIM_INDEX_IO_INSTANTIATE(double)
LEXSIM_INDEX_IO_INSTANTIATE(float)
#undef LEXSIM_INDEX_IO_INSTANTIATE

IndexModel deserialize_index(std::string_view bytes) { return read_index(bytes, nullptr, false); }

IndexModel load_index(const std::string& path, const IndexLoadOptions& options) {
  auto any = load_any(path, options);
  if (auto* index = std::get_if<IndexModel>(&any)) return std::move(*index);
  throw ModelFormatError("cannot load the model '" + path + "': not a search index but a vectorizer model: lexsim::load reads it",
                         kHeaderSize);
}

std::variant<Model, IndexModel> deserialize_any(std::string_view bytes) {
  if (looks_like_index(bytes)) return read_index(bytes, nullptr, false);
  return read_model(bytes);
}

std::variant<Model, IndexModel> load_any(const std::string& path, const IndexLoadOptions& options) {
  if (!options.mmap) {
    // An index's arrays stay in the buffer the file was read into: no second copy.
    const auto data = std::make_shared<const std::string>(read_file(path));
    return naming(path, [&]() -> std::variant<Model, IndexModel> {
      if (looks_like_index(*data)) return read_index(*data, nullptr, false, data);
      return read_model(*data);
    });
  }
  if (!little_endian())
    throw InvalidArgument("cannot map the model '" + path + "': its arrays are little-endian and this machine is not; load it without mmap");
  const auto file = detail::MappedFile::open(path);
  const std::string_view data = file->bytes();
  return naming(path, [&]() -> std::variant<Model, IndexModel> {
    if (looks_like_index(data)) return read_index(data, file, !options.verify);
    return read_model(data);  // a vectorizer is read whole; the mapping goes when this returns
  });
}

}  // namespace lexsim
