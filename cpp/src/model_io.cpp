// Model files: the format is specified in lexsim/model_io.hpp (and README.md, "Model files").
#include "lexsim/model_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lexsim/errors.hpp"

namespace lexsim {
namespace {

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
// Reserved: the unpruned term counts of an incremental fit (optional; a reader that ignores them
// still transforms exactly, it only cannot continue the fit). Not written or read yet.
constexpr std::uint32_t kTermCounts = make_tag("TCNT");

enum class Kind : std::uint8_t { count = 1, tfidf = 2 };

// ------------------------------------------------------------------------------------------------
// CRC-32

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kCrcTable = make_crc_table();

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

// The sections every vectorizer has, then IDFV (when idf is given) and META.
std::string write_model(Kind kind, const CountOptions& o, const TfidfOptions* t, const Vocabulary& vocab,
                        std::int64_t n_documents, const std::vector<std::int64_t>& df, const std::vector<double>* idf,
                        const std::vector<float>* idf_float, const CorpusCounts* counts, std::string_view metadata) {
  check_utf8(metadata, "the metadata");
  std::size_t term_bytes = 0;
  for (std::size_t i = 0; i < vocab.size(); ++i) term_bytes += vocab.term(static_cast<std::int32_t>(i)).size();
  Writer w;
  w.out.reserve(kHeaderSize + 6 * kSectionHeaderSize + 1024 + term_bytes + vocab.size() * (4 + 8 + 12) + metadata.size() +
                kChecksumSize);
  w.bytes(std::string_view(model_magic, kMagicSize));
  w.u32(model_format_version);
  w.u64(0);  // the total size, patched at the end

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

  if (!metadata.empty()) {
    at = w.open(kMetadata, 0);
    w.bytes(metadata);
    w.close(at);
  }

  const std::uint64_t total = w.out.size() + kChecksumSize;
  for (int i = 0; i < 8; ++i) w.out[kMagicSize + 4 + static_cast<std::size_t>(i)] = static_cast<char>((total >> (8 * i)) & 0xFF);
  w.u32(detail::crc32(w.out));
  return std::move(w.out);
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

Model read_model(std::string_view data) {
  check_envelope(data, data.size());
  const std::size_t end = data.size() - kChecksumSize;
  std::uint32_t stored = 0;
  for (std::size_t i = 0; i < 4; ++i) stored |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[end + i])) << (8 * i);
  const std::uint32_t computed = detail::crc32(data.substr(0, end));
  if (stored != computed)
    fail(end, "checksum mismatch: the model is damaged (stored CRC-32 " + hex32(stored) + ", computed " + hex32(computed) + ")");

  // The section table. A matching checksum does not make the content trustworthy (it may have been
  // crafted), so every length is still checked.
  std::optional<Section> opts, terms, ndoc, docf, idf, meta, tcnt;
  auto slot = [&](std::uint32_t tag) -> std::optional<Section>* {
    switch (tag) {
      case kOptions: return &opts;
      case kTerms: return &terms;
      case kDocuments: return &ndoc;
      case kDocFrequencies: return &docf;
      case kIdf: return &idf;
      case kMetadata: return &meta;
      case kTermCounts: return &tcnt;
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

  std::string metadata;
  if (meta) {
    const auto blob = data.substr(meta->begin, meta->end - meta->begin);
    const auto bad = invalid_utf8_at(blob);
    if (bad != std::string_view::npos) fail(meta->begin + bad, "section 'META': the metadata is not valid UTF-8");
    metadata.assign(blob);
  }

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
// Files

std::string errno_text(int err) { return std::strerror(err); }

[[noreturn]] void file_error(const std::string& what, const std::string& path, int err) {
  throw FileError(what + ": " + errno_text(err), path, err);
}

void write_all(int fd, std::string_view bytes, const std::string& tmp, const std::string& path) {
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, std::min<std::size_t>(left, std::size_t(1) << 30));
    if (n < 0) {
      if (errno == EINTR) continue;
      file_error("cannot write the model '" + path + "' (to its temporary file '" + tmp + "')", path, errno);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Writes to a new temporary file beside `path`, fsyncs it, renames it over `path`, then fsyncs the
// directory so the rename itself survives a crash. On failure the temporary file is removed.
void write_atomically(const std::string& path, std::string_view bytes) {
  if (path.empty()) throw FileError("cannot save a model to an empty path", path, ENOENT);
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty() || base == "." || base == "..")
    throw FileError("cannot save a model to '" + path + "': " + errno_text(EISDIR), path, EISDIR);

  static std::atomic<unsigned> counter{0};
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    const auto stamp = static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
    tmp = (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + "." + base + ".tmp-" +
          std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + "-" + std::to_string(stamp % 1000000);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EINTR && (errno != EEXIST || attempt >= 100))
      file_error("cannot save the model '" + path + "': cannot create a temporary file in '" + dir + "'", path, errno);
  }
  try {
    // Replacing a file keeps its permission bits (a model made group-readable stays so).
    struct stat old {};
    if (::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode)) (void)::fchmod(fd, old.st_mode & 07777);
    write_all(fd, bytes, tmp, path);
    while (::fsync(fd) != 0) {
      if (errno != EINTR) file_error("cannot save the model '" + path + "': fsync of its temporary file failed", path, errno);
    }
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0 && errno != EINTR) file_error("cannot save the model '" + path + "': closing its temporary file failed", path, errno);
    if (::rename(tmp.c_str(), path.c_str()) != 0) file_error("cannot save the model '" + path + "'", path, errno);
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {  // best effort: some file systems cannot fsync a directory, and the data is safe anyway
    (void)::fsync(dfd);
    ::close(dfd);
  }
}

// Reads up to n bytes at the current position (fewer only at the end of the file).
std::size_t read_some(int fd, char* out, std::size_t n, const std::string& path) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::read(fd, out + done, std::min<std::size_t>(n - done, std::size_t(1) << 30));
    if (got < 0) {
      if (errno == EINTR) continue;
      file_error("cannot read the model '" + path + "'", path, errno);
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string read_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (f.fd < 0) file_error("cannot open the model '" + path + "'", path, errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) file_error("cannot read the model '" + path + "'", path, errno);
  if (S_ISDIR(st.st_mode)) file_error("cannot read the model '" + path + "'", path, EISDIR);
  if (!S_ISREG(st.st_mode)) throw FileError("cannot read the model '" + path + "': not a regular file", path, EINVAL);
  const int fl = ::fcntl(f.fd, F_GETFL);
  if (fl >= 0) (void)::fcntl(f.fd, F_SETFL, fl & ~O_NONBLOCK);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  // The header first: a foreign, truncated or newer file is refused without reading the rest.
  std::string data(static_cast<std::size_t>(std::min<std::uint64_t>(size, kHeaderSize)), '\0');
  data.resize(read_some(f.fd, data.data(), data.size(), path));
  try {
    check_envelope(data, std::max<std::uint64_t>(size, data.size()));
  } catch (const ModelFormatError& e) {
    throw ModelFormatError("cannot load the model '" + path + "': " + e.what(), e.byte_offset());
  }
  const std::size_t head = data.size();
  data.resize(static_cast<std::size_t>(size));
  data.resize(head + read_some(f.fd, data.data() + head, data.size() - head, path));
  // A file that grew while being read: take what is there (the envelope check then decides).
  char extra[4096];
  for (std::size_t got; (got = read_some(f.fd, extra, sizeof extra, path)) > 0;) {
    if (data.size() + got > 2 * size + (1u << 20)) break;  // it keeps growing: stop, it is not a model
    data.append(extra, got);
  }
  return data;
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// Public API

namespace detail {
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  crc = ~crc;
  for (const char ch : bytes) crc = kCrcTable[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
  return ~crc;
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

}  // namespace lexsim
