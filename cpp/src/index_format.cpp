// Search index sections (SIDX, POST, RAWC, BM25) and the index entry points; the format is specified in
// lexsim/model_io.hpp.
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

#include "lexsim/enums.hpp"
#include "lexsim/errors.hpp"
#include "model_codec.hpp"
#include "search_state.hpp"

namespace lexsim {
namespace {

using namespace detail::codec;  // NOLINT(google-build-using-namespace): the format's own building blocks
using detail::write_atomically;

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

// Scoring and the BM25 method are stored as their position in lexsim/enums.hpp's tables.
std::uint8_t scoring_code(Scoring s) { return static_cast<std::uint8_t>(enum_position(s).value_or(0)); }
std::uint8_t method_code(Bm25Method m) {
  if (const auto code = enum_position(m)) return static_cast<std::uint8_t>(*code);
  throw InvalidArgument("unknown BM25 method");
}

// The codes a reader accepts, for its message: "0 (cosine), 1 (bm25)".
template <class E>
std::string codes() {
  std::string out;
  for (std::size_t i = 0; i < EnumNames<E>::entries.size(); ++i)
    out.append(i > 0 ? ", " : "").append(std::to_string(i) + " (").append(EnumNames<E>::entries[i].second).append(")");
  return out;
}

// The value stored as an enum byte (its position in the table), or the reader's error.
template <class E>
E read_code(Reader& r, const char* what) {
  constexpr auto& entries = EnumNames<E>::entries;
  return entries[r.choice(what, static_cast<std::uint8_t>(entries.size()), codes<E>().c_str())].first;
}

template <class T>
std::size_t index_bytes(const SearchState<T>& s) {
  auto postings = [](const PostingArrays<T>& a) {
    return 3 * (16 + kArrayAlignment) + a.start.size() * 8 + a.row.size() * (4 + sizeof(T));
  };
  return 4 * kSectionHeaderSize + 64 + postings(s.postings) + postings(s.counts) +
         (s.idf.size() + s.baseline.size()) * 8 + 2 * (16 + kArrayAlignment);
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
  std::size_t size;  // of one element
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
    r.error(pad_at, std::string(what) + ": padding of " + std::to_string(pad) + " bytes, but " +
                        std::to_string(aligned) + " align its elements to " + std::to_string(kArrayAlignment) +
                        " bytes");
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
    fail(f.header + 8, std::string("section '") + section + "': " + f.what +
                           ": checksum mismatch, the index is damaged (stored CRC-32 " + hex32(f.crc) + ", computed " +
                           hex32(computed) + ")");
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
  for (std::size_t i = 0; i < 4; ++i)
    stored |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[end + i])) << (8 * i);
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
  h.options.scoring = read_code<Scoring>(r, "scoring");
  h.options.method = read_code<Bm25Method>(r, "the BM25 method");
  const std::size_t type_at = r.pos();
  const auto type = r.u8("the value type");
  if (type != 4 && type != 8)
    r.error(type_at, "the value type is " + std::to_string(type) + ", not 4 (float32) or 8 (float64)");
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
  if (st[0] != 0)
    fail(f.start.at,
         std::string("section '") + section + "': the first term starts at " + std::to_string(st[0]) + ", not 0");
  for (std::size_t t = 1; t < st.size(); ++t)
    if (st[t] < st[t - 1] || static_cast<std::uint64_t>(st[t]) > f.row.n)
      fail(f.start.at + 8 * t, std::string("section '") + section + "': term " + std::to_string(t) + " starts at " +
                                   std::to_string(st[t]) + ", before term " + std::to_string(t - 1) + " (" +
                                   std::to_string(st[t - 1]) + ") or past the " + std::to_string(f.row.n) +
                                   " documents");
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
      fail(idf_f->header,
           "section 'BM25': " + std::to_string(idf_f->n) + " idf values for " + std::to_string(h.cols) + " terms");
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
    const auto n =
        std::visit([](const auto& v) { return static_cast<std::int64_t>(v.vocabulary().size()); }, m.vectorizer);
    if (n != h.cols)
      fail(t.terms->header,
           "the vectorizer has " + std::to_string(n) + " terms but the index has " + std::to_string(h.cols));
    vectorizer = std::move(m.vectorizer);
    metadata = std::move(m.metadata);
  } else {
    const std::pair<const std::optional<Section>*, const char*> parts[] = {
        {&t.terms, "TERM"}, {&t.ndoc, "NDOC"}, {&t.docf, "DOCF"}, {&t.idf, "IDFV"}, {&t.tcnt, "TCNT"}};
    for (const auto& [part, tag] : parts)
      if (*part)
        fail((*part)->header,
             std::string("section '") + tag + "' of a vectorizer without its options (section 'OPTS')");
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
      for (std::size_t i = 0; i < static_cast<std::size_t>(h.cols); ++i)
        s->checked[i].store(0, std::memory_order_relaxed);
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
    for (std::size_t i = 0; i < 4; ++i)
      tag |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[pos + i])) << (8 * i);
    for (std::size_t i = 0; i < 8; ++i)
      length |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[pos + 8 + i])) << (8 * i);
    if (tag == kIndex) return true;
    if (length > end - pos - kSectionHeaderSize) return false;
    pos += kSectionHeaderSize + static_cast<std::size_t>(length);
  }
  return false;
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// Search indexes

namespace {

template <class T>
std::string with_vectorizer(const SearchIndex<T>& index, const CountVectorizer& v, std::string_view metadata) {
  const Vocabulary& vocab = v.vocabulary();
  const auto& s = detail::SearchIndexAccess::state(index);
  return serialize_index(
      s, &vocab, static_cast<std::int64_t>(vocab.size()),
      [&](const std::function<void(Writer&)>& more) {
        return write_model(Kind::count, v.options(), nullptr, vocab, v.n_documents(), v.document_frequencies(), nullptr,
                           nullptr, v.has_counts() ? &v.counts() : nullptr, metadata, more);
      },
      metadata);
}

template <class T>
std::string with_vectorizer(const SearchIndex<T>& index, const TfidfVectorizer& v, std::string_view metadata) {
  const Vocabulary& vocab = v.vocabulary();
  const auto& s = detail::SearchIndexAccess::state(index);
  return serialize_index(
      s, &vocab, static_cast<std::int64_t>(vocab.size()),
      [&](const std::function<void(Writer&)>& more) {
        return write_model(Kind::tfidf, v.tfidf_options(), &v.tfidf_options(), vocab, v.n_documents(),
                           v.document_frequencies(), &v.idf(), &v.idf_float(), v.has_counts() ? &v.counts() : nullptr,
                           metadata, more);
      },
      metadata);
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
void save(const SearchIndex<T>& index, const CountVectorizer& vectorizer, const std::string& path,
          std::string_view metadata) {
  write_atomically(path, serialize(index, vectorizer, metadata));
}
template <class T>
void save(const SearchIndex<T>& index, const TfidfVectorizer& vectorizer, const std::string& path,
          std::string_view metadata) {
  write_atomically(path, serialize(index, vectorizer, metadata));
}

#define LEXSIM_INDEX_IO_INSTANTIATE(T)                                                                     \
  template std::string serialize(const SearchIndex<T>&, std::string_view);                                 \
  template std::string serialize(const SearchIndex<T>&, const CountVectorizer&, std::string_view);         \
  template std::string serialize(const SearchIndex<T>&, const TfidfVectorizer&, std::string_view);         \
  template void save(const SearchIndex<T>&, const std::string&, std::string_view);                         \
  template void save(const SearchIndex<T>&, const CountVectorizer&, const std::string&, std::string_view); \
  template void save(const SearchIndex<T>&, const TfidfVectorizer&, const std::string&, std::string_view);
LEXSIM_INDEX_IO_INSTANTIATE(double)
LEXSIM_INDEX_IO_INSTANTIATE(float)
#undef LEXSIM_INDEX_IO_INSTANTIATE

IndexModel deserialize_index(std::string_view bytes) { return read_index(bytes, nullptr, false); }

IndexModel load_index(const std::string& path, const IndexLoadOptions& options) {
  auto any = load_any(path, options);
  if (auto* index = std::get_if<IndexModel>(&any)) return std::move(*index);
  throw ModelFormatError(
      "cannot load the model '" + path + "': not a search index but a vectorizer model: lexsim::load reads it",
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
    throw InvalidArgument("cannot map the model '" + path +
                          "': its arrays are little-endian and this machine is not; load it without mmap");
  const auto file = detail::MappedFile::open(path);
  const std::string_view data = file->bytes();
  return naming(path, [&]() -> std::variant<Model, IndexModel> {
    if (looks_like_index(data)) return read_index(data, file, !options.verify);
    return read_model(data);  // a vectorizer is read whole; the mapping goes when this returns
  });
}

}  // namespace lexsim
