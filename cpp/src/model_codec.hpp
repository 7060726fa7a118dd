#pragma once
// The model format's building blocks (private), shared by the vectorizer sections (model_io.cpp)
// and the search index sections (index_format.cpp): constants and tags, CRC-32, the Writer and
// Reader, the envelope, checksum and section table. The format itself is specified in
// lexsim/model_io.hpp, and only there.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lexsim/errors.hpp"
#include "lexsim/model_io.hpp"
#include "file_io.hpp"
#include "unicode/utf8.hpp"

namespace lexsim::detail::codec {

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
inline constexpr auto kCrcTables = make_crc_tables();
inline const auto& kCrcTable = kCrcTables[0];

// CRC-32 as a linear map of the register: the effect of n zero bytes is a 32 x 32 matrix over
// GF(2) (one column per register bit), which crc32_combine raises to the power of a length.
using Gf2Matrix = std::array<std::uint32_t, 32>;
inline std::uint32_t gf2_apply(const Gf2Matrix& m, std::uint32_t v) noexcept {
  std::uint32_t out = 0;
  for (std::size_t i = 0; v != 0; ++i, v >>= 1)
    if (v & 1) out ^= m[i];
  return out;
}
inline Gf2Matrix gf2_square(const Gf2Matrix& m) noexcept {
  Gf2Matrix out{};
  for (std::size_t i = 0; i < 32; ++i) out[i] = gf2_apply(m, m[i]);
  return out;
}

// ------------------------------------------------------------------------------------------------
// Helpers

inline std::string hex32(std::uint32_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) s += digits[(v >> shift) & 0xF];
  return s;
}

// A tag as text: its four characters when printable, else its bytes in hex.
inline std::string tag_name(std::uint32_t tag) {
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

[[noreturn]] inline void fail(std::size_t offset, const std::string& reason) {
  throw ModelFormatError(reason + " (byte offset " + std::to_string(offset) + ")", offset);
}

// invalid_utf8_at (unicode/utf8.hpp) is the check of every string a file holds.

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

inline void check_utf8(std::string_view s, const std::string& what) {
  const auto bad = invalid_utf8_at(s);
  if (bad != std::string_view::npos)
    throw InvalidArgument(what + " is not valid UTF-8 (byte " + std::to_string(bad) + "); a model cannot hold it");
}

// The magic, the version and room for the total size.
inline void start(Writer& w) {
  w.bytes(std::string_view(model_magic, kMagicSize));
  w.u32(model_format_version);
  w.u64(0);  // the total size, patched by finish()
}

// META (when there is metadata), then the total size and the checksum.
inline std::string finish(Writer& w, std::string_view metadata) {
  if (!metadata.empty()) {
    const auto at = w.open(kMetadata, 0);
    w.bytes(metadata);
    w.close(at);
  }
  const std::uint64_t total = w.out.size() + kChecksumSize;
  for (int i = 0; i < 8; ++i)
    w.out[kMagicSize + 4 + static_cast<std::size_t>(i)] = static_cast<char>((total >> (8 * i)) & 0xFF);
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
      fail(pos_, where_ + ": " + what + " needs " + std::to_string(n) + " bytes but only " +
                     std::to_string(remaining()) + " remain");
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
    if (pos_ != end_)
      fail(pos_, where_ + ": " + std::to_string(end_ - pos_) + " unexpected bytes at the end of the section");
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
  std::size_t header;      // offset of its tag
  std::size_t begin, end;  // its payload
};
// Reads the envelope: magic, version, total size. Returns nothing; throws on anything wrong. `size`
// is the size of the whole input (which `head` is the beginning of).
inline void check_envelope(std::string_view head, std::uint64_t size) {
  if (size == 0) fail(0, "empty (0 bytes): not a lexsim model");
  const std::size_t n = std::min<std::size_t>(head.size(), kMagicSize);
  if (std::memcmp(head.data(), model_magic, n) != 0) {
    std::string what = "not a lexsim model: wrong magic bytes";
    auto starts = [&](std::string_view prefix) { return head.substr(0, prefix.size()) == prefix; };
    if (starts("\x89PNG"))
      what += " (this is a PNG image)";
    else if (starts("\x80") && head.size() > 1 && head[1] >= 2 && head[1] <= 5)
      what += " (this looks like a Python pickle; lexsim never loads pickles)";
    else if (starts("PK\x03\x04"))
      what += " (this is a zip archive)";
    else if (starts("\x1f\x8b"))
      what += " (this is gzip-compressed: decompress it first)";
    else if (starts(std::string_view("LEXSIM\0M", 8)))
      what += " (a model of a development version of lexsim: fit it again)";
    fail(0, what);
  }
  if (size < kMagicSize)
    fail(size, "truncated: the input ends inside the magic bytes, after " + std::to_string(size) + " bytes");
  if (size < kMagicSize + 4) fail(size, "truncated: the input ends inside the format version");
  std::uint32_t version = 0;
  for (std::size_t i = 0; i < 4; ++i)
    version |= static_cast<std::uint32_t>(static_cast<unsigned char>(head[kMagicSize + i])) << (8 * i);
  if (version == 0) fail(kMagicSize, "invalid model format version 0");
  if (version > model_format_version)
    fail(kMagicSize, "model format version " + std::to_string(version) + " is newer than this lexsim reads (" +
                         std::to_string(model_format_version) + "): upgrade lexsim to load it");
  if (size < kHeaderSize) fail(size, "truncated: the input ends inside the header");
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < 8; ++i)
    total |= static_cast<std::uint64_t>(static_cast<unsigned char>(head[kMagicSize + 4 + i])) << (8 * i);
  if (total < kHeaderSize + kChecksumSize)
    fail(kMagicSize + 4, "corrupted: the header gives an impossible size of " + std::to_string(total) + " bytes");
  if (total > size)
    fail(size, "truncated: the header gives a size of " + std::to_string(total) + " bytes, but the input ends after " +
                   std::to_string(size));
  if (total < size)
    fail(total, std::to_string(size - total) +
                    " unexpected bytes after the end of the model (its header gives a size of " +
                    std::to_string(total) + " bytes)");
}

// A model file's bytes, its envelope checked before the rest is read.
inline std::string read_file(const std::string& path) { return detail::read_file(path, kHeaderSize, check_envelope); }

inline void check_checksum(std::string_view data) {
  const std::size_t end = data.size() - kChecksumSize;
  std::uint32_t stored = 0;
  for (std::size_t i = 0; i < 4; ++i)
    stored |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[end + i])) << (8 * i);
  const std::uint32_t computed = detail::crc32(data.substr(0, end));
  if (stored != computed)
    fail(end, "checksum mismatch: the model is damaged (stored CRC-32 " + hex32(stored) + ", computed " +
                  hex32(computed) + ")");
}

// The sections of a model: a vectorizer's, and a search index's (lexsim/model_io.hpp).
struct Sections {
  std::optional<Section> opts, terms, ndoc, docf, idf, meta, tcnt;
  std::optional<Section> sidx, post, rawc, bm25;
};

// The section table of a model whose envelope (and checksum) were checked. A matching checksum
// does not make the content trustworthy (it may have been crafted), so every length is checked.
inline Sections read_table(std::string_view data) {
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
      if (*known)
        fail(pos, name + " appears twice (at byte offsets " + std::to_string((*known)->header) + " and " +
                      std::to_string(pos) + ")");
      *known = s;
    } else if (flags & kRequired) {
      fail(pos, name + " is required but unknown to this lexsim (written by a newer version?)");
    }  // an unknown optional section is skipped
    pos = s.end;
  }
  const std::pair<const std::optional<Section>*, const char*> index_parts[] = {
      {&t.post, "POST"}, {&t.rawc, "RAWC"}, {&t.bm25, "BM25"}};
  for (const auto& [part, tag] : index_parts)
    if (*part && !t.sidx)
      fail((*part)->header,
           std::string("section '") + tag + "' belongs to a search index, but the section 'SIDX' is missing");
  return t;
}

Model read_vectorizer(std::string_view data, const Sections& t);

inline std::string read_metadata(std::string_view data, const std::optional<Section>& meta) {
  if (!meta) return {};
  const auto blob = data.substr(meta->begin, meta->end - meta->begin);
  const auto bad = invalid_utf8_at(blob);
  if (bad != std::string_view::npos) fail(meta->begin + bad, "section 'META': the metadata is not valid UTF-8");
  return std::string(blob);
}

// ---- the vectorizer sections (model_io.cpp), which an index file may hold too

// The sections every vectorizer has, then IDFV (when idf is given), `more` (a search index's) and META.
std::string write_model(Kind kind, const CountOptions& o, const TfidfOptions* t, const Vocabulary& vocab,
                        std::int64_t n_documents, const std::vector<std::int64_t>& df, const std::vector<double>* idf,
                        const std::vector<float>* idf_float, const CorpusCounts* counts, std::string_view metadata,
                        const std::function<void(Writer&)>& more = {});
// A vectorizer model (refused when it is a search index).
Model read_model(std::string_view data);
// The vectorizer of a model's sections (OPTS, TERM, NDOC, DOCF, IDFV, TCNT, META).
Model read_vectorizer(std::string_view data, const Sections& t);

}  // namespace lexsim::detail::codec
