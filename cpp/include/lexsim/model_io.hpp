#pragma once
// Model files: a fitted CountVectorizer or TfidfVectorizer as bytes (serialize / deserialize) or as
// a file (save / load). Loading checks every byte and never runs code; the loaded vectorizer
// transforms exactly (bit for bit, float32 and float64) as the one that was saved. A SearchIndex
// (with its vectorizer) is saved in the same format (load_index), and can be mapped from its file.
//
// FORMAT, version 1. Integers are little-endian (u32 = 4-byte unsigned, i64 = 8-byte signed...),
// floats IEEE 754 (f64, f32), strings UTF-8; nothing is padded or aligned (but a search index's
// arrays, inside their sections' payloads: see below).
//
//   offset    size  field
//   0         8     magic: 89 4C 58 4D 0D 0A 1A 0A ("\x89LXM\r\n\x1a\n": the high byte and the
//                   line endings expose a 7-bit or text-mode transfer, as in PNG)
//   8         4     u32 format version (1)
//   12        8     u64 total size of the model in bytes, from the magic to the checksum inclusive
//   20        ...   sections, one after another until the checksum; each is
//                     4 bytes  tag (ASCII, e.g. "TERM")
//                     u32      flags: bit 0 = required (see below); the other bits are 0
//                     u64      payload length L
//                     L bytes  payload
//   size - 4  4     u32 CRC-32 (IEEE 802.3, the one zlib.crc32 computes) of every byte before it
//
// Sections of version 1 (any order, each at most once):
//
//   tag   flags     payload
//   OPTS  required  the options, see below
//   TERM  required  u64 n (>= 1), u32 byte length of each term [n], then the terms' bytes
//                   concatenated, in column order (valid UTF-8, no term twice)
//   NDOC  required  i64 number of documents of the fit (>= 0)
//   DOCF  required  u64 n (0: unknown, or the number of terms), i64 document frequency [n] (>= 0)
//   IDFV  required  TfidfVectorizer only: u64 n (the number of terms, or 0 when use_idf is
//                   false), f64 idf [n], then f32 idf [n] (the values float32 output is weighted
//                   with); neither may be NaN
//   META  optional  the caller's metadata, opaque UTF-8 (Python stores its own parameters there)
//   TCNT  optional  the unpruned counts of the fit (CorpusCounts), written when the vectorizer has
//                   them: i64 number of documents counted, u64 n, i64 document frequency [n],
//                   i64 total count [n], then the n terms as in TERM (u64 n, u32 lengths, bytes),
//                   in code-point order. On load the counts must give exactly TERM, NDOC and DOCF;
//                   the vectorizer then continues with partial_fit and merge. Without it (or when
//                   the idf was set by hand) a loaded vectorizer transforms but cannot continue.
//
// Sections of a search index (a SearchIndex saved with save(index, ...)). When the index was
// saved with its vectorizer, the vectorizer's sections above come first, as in a vectorizer's model
// (TERM then holds as many terms as the index has); without a vectorizer there are none of them.
// Then, all required (a reader that does not know them cannot search), each at most once:
//
//   SIDX  required  u8 scoring (0 cosine, 1 bm25), u8 BM25 method (0 robertson, 1 lucene, 2 atire,
//                   3 bm25l, 4 bm25+; stored for cosine too), u8 value type (4 float32, 8 float64),
//                   f64 k1, f64 b, f64 delta, i64 number of documents N, i64 number of terms n
//                   (both in [0, 2^31-1]), f64 avgdl (BM25's mean document length; 0 for cosine)
//   POST  required  the postings a search reads, three arrays: start (i64 [n + 1], start[0] = 0,
//                   non-decreasing), row (i32 [nnz]), value (value type [nnz]). Term t's documents
//                   are row[start[t] .. start[t + 1]), increasing, each with the value it is scored
//                   with: the document's row L2-normalised (cosine) or its BM25 weight
//                   idf(t) * tfc(tf) less the term's baseline (zero weights are left out)
//   RAWC  required  BM25 only: the raw counts in the same layout, start, row, and the counts
//                   (value type, positive integers). add() recomputes every weight from them
//   BM25  required  BM25 only: two arrays, idf (f64 [n]) and baseline (f64 [n] for bm25l and
//                   bm25+, [0] for the other methods); each finite and >= 0
//
//   An array: u64 count m, u32 CRC-32 of the m elements' bytes, u32 padding p, p zero bytes, then
//   the m elements. p (0 to 63) makes the elements begin at a multiple of 64 bytes from the
//   model's first byte, so that a file mapped into memory holds them aligned, ready to use.
//
//   Loading an index reads and checks every byte, as for a vectorizer, and every array: its CRC-32,
//   each term's documents increasing and below N, finite values, positive integer counts, every
//   weighted document among the term's counted ones. With IndexLoadOptions::mmap, the file is
//   mapped instead and POST's and RAWC's row and value arrays are used in place without being read
//   at load: the model's checksum is then verified with their stored CRC-32s standing in for their
//   bytes (crc32_combine), so every other byte is checked as usual, and a term's postings are
//   checked the first time a search reads them. Until then the contents of those arrays are
//   trusted to match their CRC-32s (IndexLoadOptions::verify checks everything at load).
//
//   OPTS payload, in this order:
//     u8  vectorizer: 1 CountVectorizer, 2 TfidfVectorizer
//     u8  analyzer: 0 word, 1 char, 2 char_wb          u8  decode_error: 0 strict, 1 replace, 2 ignore
//     u8  normalization: 0 none, 1 NFC, 2 NFKC         u8  casefold (0/1)   u8 lowercase (0/1)
//     u8  strip_accents: 0 none, 1 ascii, 2 unicode    str token_pattern   (str = u32 length + bytes)
//     u8  has stop words (0/1); if 1: u64 count, then that many str
//     i32 ngram_range min, i32 ngram_range max
//     u8  has stemmer (0/1); if 1: str stemmer
//     f64 min_df value, u8 min_df is a proportion (0/1); f64 max_df value, u8 max_df is a proportion
//     u8  has max_features (0/1); if 1: i64 max_features
//     u8  fixed vocabulary (0/1: TERM is the vocabulary the options were given)
//     u8  binary (0/1)   i32 n_jobs
//     TfidfVectorizer only: u8 norm (0 none, 1 l1, 2 l2), u8 use_idf, u8 smooth_idf, u8 sublinear_tf
//
// Reading: the magic, then the version (a newer one is refused before anything else is read), the
// total size against the input's size, the checksum, then each section: its length is checked
// against the bytes left before anything is allocated. A section with an unknown tag is skipped when
// its required bit is 0 and refused when it is 1 (it changes what the model means, so a reader that
// does not know it cannot load the model correctly). Unknown flag bits are refused too. Everything
// else that is wrong (a missing or repeated section, a payload longer or shorter than its fields,
// an out-of-range enum or boolean byte, duplicate terms, invalid UTF-8, NaN idf, inconsistent
// lengths, options the vectorizer rejects) throws ModelFormatError with the byte offset.
//
// Adding to the format: a new kind of data is a new section with a new tag; it is optional when a
// reader that ignores it still transforms exactly as the writer (e.g. TCNT, which only matters for
// continuing a fit), required otherwise. Neither needs a new format version; the version changes
// only when the envelope or an existing section's payload changes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "lexsim/export.hpp"
#include "lexsim/errors.hpp"
#include "lexsim/search.hpp"
#include "lexsim/vectorizer.hpp"

namespace lexsim {

/// The first 8 bytes of every model.
inline constexpr char model_magic[8] = {'\x89', 'L', 'X', 'M', '\r', '\n', '\x1a', '\n'};
/// The format version this lexsim writes, and the newest it reads.
inline constexpr std::uint32_t model_format_version = 1;

/// A fitted vectorizer as model bytes, with an optional metadata blob (valid UTF-8) stored beside
/// it. Throws NotFittedError before fit, InvalidArgument when a term or the metadata is not valid
/// UTF-8 or the idf holds NaN (which no loader would accept).
LEXSIM_API std::string serialize(const CountVectorizer& v, std::string_view metadata = {});
LEXSIM_API std::string serialize(const TfidfVectorizer& v, std::string_view metadata = {});

/// serialize(), written to `path` atomically: to a temporary file in the same directory, flushed
/// and fsynced, then renamed over `path`. A failure (FileError naming the path and the system's
/// reason) leaves any previous file at `path` as it was and removes the temporary file.
LEXSIM_API void save(const CountVectorizer& v, const std::string& path, std::string_view metadata = {});
LEXSIM_API void save(const TfidfVectorizer& v, const std::string& path, std::string_view metadata = {});

/// A loaded model: the fitted vectorizer of the class that was saved, and the metadata as saved.
struct Model {
  std::variant<CountVectorizer, TfidfVectorizer> vectorizer;
  std::string metadata;
};

/// The model in `bytes`. Throws ModelFormatError (with the reason and byte offset) for anything
/// that is not a complete, intact, consistent model of a format version this lexsim reads.
LEXSIM_API Model deserialize(std::string_view bytes);

/// The model in the file at `path`. Throws FileError when it cannot be read (or is not a regular
/// file), ModelFormatError (naming the path) when its content is not a valid model.
LEXSIM_API Model load(const std::string& path);

// ------------------------------------------------------------------------------------------------
// Search indexes (sections SIDX, POST, RAWC and BM25 above)

/// A loaded search index: the index, the vectorizer saved with it (none when it was saved
/// without one) and the metadata as saved.
struct IndexModel {
  std::variant<SearchIndex<double>, SearchIndex<float>> index;
  std::optional<std::variant<CountVectorizer, TfidfVectorizer>> vectorizer;
  std::string metadata;
};

struct IndexLoadOptions {
  /// Map the file read-only and search its postings in place: loading reads the small parts and
  /// the pages of a term's postings are read when a search first needs them. The file must stay
  /// as it is while mapped: save() replaces a file by renaming a new one over it, which leaves the
  /// mapping intact; a search refuses a file that was cut short (ModelFormatError) rather than
  /// read the lost pages (which would end the process with SIGBUS), but a file cut during a
  /// search still can. add() reads the arrays into memory; the file is never written.
  bool mmap = false;
  /// With mmap: read and check every byte at load, as a load without mmap does.
  bool verify = false;
};

/// A search index as model bytes, with the vectorizer it searches with (which must have as many
/// terms as the index) or without one, and an optional metadata blob (valid UTF-8).
template <class T>
LEXSIM_API std::string serialize(const SearchIndex<T>& index, std::string_view metadata = {});
template <class T>
LEXSIM_API std::string serialize(const SearchIndex<T>& index, const CountVectorizer& vectorizer,
                                 std::string_view metadata = {});
template <class T>
LEXSIM_API std::string serialize(const SearchIndex<T>& index, const TfidfVectorizer& vectorizer,
                                 std::string_view metadata = {});

/// serialize(), written to `path` atomically (as save() of a vectorizer).
template <class T>
LEXSIM_API void save(const SearchIndex<T>& index, const std::string& path, std::string_view metadata = {});
template <class T>
LEXSIM_API void save(const SearchIndex<T>& index, const CountVectorizer& vectorizer, const std::string& path,
                     std::string_view metadata = {});
template <class T>
LEXSIM_API void save(const SearchIndex<T>& index, const TfidfVectorizer& vectorizer, const std::string& path,
                     std::string_view metadata = {});

/// The search index in `bytes` (read and checked whole). ModelFormatError for anything that is
/// not a complete, intact, consistent index (a vectorizer's model included).
LEXSIM_API IndexModel deserialize_index(std::string_view bytes);
/// The search index in the file at `path`, read or mapped (options). FileError when the file
/// cannot be read or mapped, ModelFormatError (naming the path) when it is not a valid index.
LEXSIM_API IndexModel load_index(const std::string& path, const IndexLoadOptions& options = {});
/// Whatever model `bytes` or the file holds: a vectorizer (Model) or a search index.
LEXSIM_API std::variant<Model, IndexModel> deserialize_any(std::string_view bytes);
LEXSIM_API std::variant<Model, IndexModel> load_any(const std::string& path, const IndexLoadOptions& options = {});

namespace detail {
/// CRC-32 (IEEE 802.3, reflected, as zlib.crc32) of `bytes`, continuing from `crc`.
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept;
/// The CRC-32 of a followed by b, from crc32(a), crc32(b) and the length of b.
std::uint32_t crc32_combine(std::uint32_t crc_a, std::uint32_t crc_b, std::uint64_t length_b) noexcept;
/// The OPTS payload of a CountVectorizer's (or TfidfVectorizer's) options: equal payloads mean
/// the same analysis and weighting.
std::string encode_options(const CountOptions& o);
std::string encode_options(const TfidfOptions& o);
}  // namespace detail

}  // namespace lexsim
