// libFuzzer harness: arbitrary bytes through lexsim's model loaders: deserialize (vectorizers),
// deserialize_any and deserialize_index (search indexes), and load_index with mmap (a search index
// mapped from a file, whose postings are checked lazily, when a search reads them).
// Input: 1 mode byte, then the model bytes. With an even mode byte the harness first makes the
// envelope consistent (the CRC-32 of every array of the index sections, the total-size field and
// the CRC-32 at the end recomputed), so that the fuzzer explores the sections behind the
// checksums instead of only the checksum tests; with an odd one the bytes go in as they are.
//
// Checked on every input: each loader either throws lexsim::ModelFormatError or returns a model
// (any other exception, a crash, a leak or an absurd allocation is a finding). A vectorizer it
// returns must be usable: its terms are valid UTF-8 and distinct, it transforms a few documents
// into a well-formed matrix, serialize() accepts it, and the bytes serialize() writes load again
// into a model that serializes to the same bytes and transforms identically. An index it returns
// must search every term (well-formed, finite results), serialize to bytes that load back to the
// same bytes, and take add(). A mapped index must either refuse a search with ModelFormatError or
// answer it as the index read whole does.
#include <lexsim/model_io.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <set>
#include <type_traits>
#include <variant>

#include "fuzz_common.hpp"
#include "reference/cpp/crc32.hpp"

namespace {

void put_le(std::string& s, std::size_t at, std::uint64_t v, int bytes) {
  for (int k = 0; k < bytes; ++k) s[at + static_cast<std::size_t>(k)] = static_cast<char>((v >> (8 * k)) & 0xFF);
}

const std::vector<std::string>& sample_documents() {
  static const std::vector<std::string> docs = {
      "The quick brown fox jumps over the lazy dog",
      "Erdoğan met Çavuşoğlu in Ankara; Türkiye and Syria",
      "",
      "東京 タワー 東京",
      "naïve café CAFÉ cafe ΣΊΣΥΦΟΣ",
  };
  return docs;
}

void check_matrix(const lexsim::CsrMatrix<double>& m, std::size_t cols) {
  const auto n = sample_documents().size();
  FUZZ_CHECK(m.rows == static_cast<std::int64_t>(n) && m.cols == static_cast<std::int64_t>(cols), "transform shape");
  FUZZ_CHECK(m.indptr.size() == n + 1 && m.indptr[0] == 0 && m.indptr.back() == m.nnz(), "indptr");
  for (std::size_t r = 0; r < n; ++r) {
    FUZZ_CHECK(m.indptr[r] <= m.indptr[r + 1], "indptr decreases");
    for (auto k = m.indptr[r]; k < m.indptr[r + 1]; ++k) {
      const auto j = m.indices[static_cast<std::size_t>(k)];
      FUZZ_CHECK(j >= 0 && static_cast<std::size_t>(j) < cols, "column out of range");
      FUZZ_CHECK(k == m.indptr[r] || m.indices[static_cast<std::size_t>(k) - 1] < j, "columns not sorted");
    }
  }
}

bool same(const lexsim::CsrMatrix<double>& a, const lexsim::CsrMatrix<double>& b) {
  // Values compared as bits: an idf saved without smoothing may be inf, and inf/inf is NaN.
  if (a.rows != b.rows || a.cols != b.cols || a.indptr != b.indptr || a.indices != b.indices ||
      a.data.size() != b.data.size())
    return false;
  return a.data.empty() || std::memcmp(a.data.data(), b.data.data(), a.data.size() * sizeof(double)) == 0;
}

template <class V>
lexsim::CsrMatrix<double> transform(const V& v) {
  return v.template transform_csr<double>(sample_documents());
}

std::uint64_t get_le(const std::string& s, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int k = 0; k < bytes; ++k)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[at + static_cast<std::size_t>(k)])) << (8 * k);
  return v;
}

// Recomputes the CRC-32 of each array of the index sections (POST, RAWC, BM25) that lies within
// its section, by the documented layout; anything that does not parse is left as it is.
void reseal_arrays(std::string& s) {
  if (s.size() < 24) return;
  const std::size_t end = s.size() - 4;
  const std::size_t value_size = [&] {  // from SIDX when it is there
    for (std::size_t pos = 20; pos + 16 <= end;) {
      const auto len = get_le(s, pos + 8, 8);
      if (len > end - pos - 16) break;
      if (s.compare(pos, 4, "SIDX") == 0 && len >= 3) return s[pos + 18] == 4 ? std::size_t{4} : std::size_t{8};
      pos += 16 + static_cast<std::size_t>(len);
    }
    return std::size_t{8};
  }();
  for (std::size_t pos = 20; pos + 16 <= end;) {
    const auto len = get_le(s, pos + 8, 8);
    if (len > end - pos - 16) return;
    const std::size_t payload = pos + 16, stop = payload + static_cast<std::size_t>(len);
    std::vector<std::size_t> sizes;
    if (s.compare(pos, 4, "POST") == 0 || s.compare(pos, 4, "RAWC") == 0) sizes = {8, 4, value_size};
    if (s.compare(pos, 4, "BM25") == 0) sizes = {8, 8};
    std::size_t p = payload;
    for (const std::size_t size : sizes) {
      if (stop - p < 16) break;
      const auto n = get_le(s, p, 8);
      const auto pad = get_le(s, p + 12, 4);
      if (pad > stop - p - 16 || n > (stop - p - 16 - pad) / size) break;
      const std::size_t data = p + 16 + static_cast<std::size_t>(pad);
      put_le(s, p + 8, reference::crc32(std::string_view(s).substr(data, static_cast<std::size_t>(n) * size)), 4);
      p = data + static_cast<std::size_t>(n) * size;
    }
    pos = stop;
  }
}

// Query rows: each of the first 64 terms alone, then all of them together (k = 3 and 100). Scores
// are not checked: a crafted file with a valid checksum may hold any finite weights.
template <class T>
void check_index(const lexsim::SearchIndex<T>& index, std::vector<lexsim::CsrMatrix<T>>* out = nullptr) {
  const auto n_terms = index.n_terms();
  const auto n_docs = index.n_documents();
  auto check = [&](const lexsim::CsrMatrix<T>& r, std::int64_t k) {
    FUZZ_CHECK(r.cols == n_docs && r.indptr.back() == r.nnz(), "search result shape");
    for (std::int64_t q = 0; q < r.rows; ++q) {
      FUZZ_CHECK(r.indptr[static_cast<std::size_t>(q) + 1] - r.indptr[static_cast<std::size_t>(q)] <= k,
                 "more than k hits");
      for (auto p = r.indptr[static_cast<std::size_t>(q)]; p < r.indptr[static_cast<std::size_t>(q) + 1]; ++p) {
        const auto d = r.indices[static_cast<std::size_t>(p)];
        FUZZ_CHECK(d >= 0 && d < n_docs, "a hit out of range");
      }
    }
    if (out) out->push_back(r);
  };
  const std::int64_t terms = std::min<std::int64_t>(n_terms, 64);
  lexsim::CsrMatrix<T> q;
  q.rows = terms + (terms > 0 ? 1 : 0);
  q.cols = n_terms;
  for (std::int64_t t = 0; t < terms; ++t) {
    q.indices.push_back(static_cast<std::int32_t>(t));
    q.data.push_back(T(1));
    q.indptr.push_back(static_cast<std::int64_t>(q.data.size()));
  }
  if (terms > 0) {
    for (std::int64_t t = 0; t < terms; ++t) {
      q.indices.push_back(static_cast<std::int32_t>(t));
      q.data.push_back(T(1));
    }
    q.indptr.push_back(static_cast<std::int64_t>(q.data.size()));
  }
  check(index.search(lexsim::view(q), 3, 1), 3);
  check(index.search(lexsim::view(q), 100, 2), 100);
}

template <class T>
void check_loaded_index(const lexsim::IndexModel& m, const std::string& bytes) {
  const auto& index = std::get<lexsim::SearchIndex<T>>(m.index);
  std::vector<lexsim::CsrMatrix<T>> read_whole;
  check_index(index, &read_whole);
  if (m.vectorizer) {
    const auto n =
        std::visit([](const auto& v) { return static_cast<std::int64_t>(v.feature_names().size()); }, *m.vectorizer);
    FUZZ_CHECK(n == index.n_terms(), "a vectorizer with another number of terms than its index");
  }
  // What was loaded can be saved, and saving is a fixed point of loading.
  const std::string again = lexsim::serialize(index, m.metadata);
  const lexsim::IndexModel reloaded = lexsim::deserialize_index(again);
  FUZZ_CHECK(lexsim::serialize(std::get<lexsim::SearchIndex<T>>(reloaded.index), m.metadata) == again,
             "serialize(deserialize_index(b)) != b");

  // Mapped from a file, with the postings checked lazily: a search refuses damage or answers the same.
  char path[] = "/tmp/lexsim-fuzz-index-XXXXXX";
  const int fd = ::mkstemp(path);
  FUZZ_CHECK(fd >= 0, "mkstemp");
  FUZZ_CHECK(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()), "write");
  ::close(fd);
  try {
    const lexsim::IndexModel mapped = lexsim::load_index(path, {true, false});
    std::vector<lexsim::CsrMatrix<T>> lazily;
    check_index(std::get<lexsim::SearchIndex<T>>(mapped.index), &lazily);
    FUZZ_CHECK(lazily.size() == read_whole.size(), "mapped searches");
    for (std::size_t i = 0; i < lazily.size(); ++i)
      FUZZ_CHECK(lazily[i].indices == read_whole[i].indices && lazily[i].data.size() == read_whole[i].data.size() &&
                     (lazily[i].data.empty() || std::memcmp(lazily[i].data.data(), read_whole[i].data.data(),
                                                            lazily[i].data.size() * sizeof(T)) == 0),
                 "the mapped index searches differently");
  } catch (const lexsim::ModelFormatError&) {
    FUZZ_CHECK(false, "a mapped index refused what the index read whole accepted");
  }
  ::unlink(path);

  // add() of a row of ones over the first terms (a count and a weight alike).
  lexsim::SearchIndex<T> grown = index;
  lexsim::CsrMatrix<T> row;
  row.rows = 1;
  row.cols = index.n_terms();
  for (std::int64_t t = 0; t < std::min<std::int64_t>(index.n_terms(), 3); ++t) {
    row.indices.push_back(static_cast<std::int32_t>(t));
    row.data.push_back(T(1));
  }
  row.indptr.push_back(static_cast<std::int64_t>(row.data.size()));
  try {
    grown.add(lexsim::view(row));
  } catch (const lexsim::InvalidArgument&) {
    FUZZ_CHECK(index.n_documents() == std::numeric_limits<std::int32_t>::max(), "add() refused a valid row");
    return;
  }
  FUZZ_CHECK(grown.n_documents() == index.n_documents() + 1, "add() did not add the row");
  check_index(grown);
}

// A mapped index of bytes that do not load whole: its load or its searches refuse them (lazily
// mapped, the arrays are checked when read), and never crash.
void check_mapped_refusal(const std::string& bytes) {
  char path[] = "/tmp/lexsim-fuzz-index-XXXXXX";
  const int fd = ::mkstemp(path);
  FUZZ_CHECK(fd >= 0, "mkstemp");
  FUZZ_CHECK(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()), "write");
  ::close(fd);
  try {
    const lexsim::IndexModel mapped = lexsim::load_index(path, {true, false});
    std::visit([](const auto& index) { check_index(index); }, mapped.index);
  } catch (const lexsim::ModelFormatError&) {
  }
  ::unlink(path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0 && bytes.size() >= 24) {
    put_le(bytes, 12, bytes.size(), 8);
    reseal_arrays(bytes);
    put_le(bytes, bytes.size() - 4, reference::crc32(std::string_view(bytes).substr(0, bytes.size() - 4)), 4);
  }
  if (bytes.size() >= 4) {
    const std::string_view body = std::string_view(bytes).substr(0, bytes.size() - 4);
    FUZZ_CHECK(lexsim::detail::crc32(body) == reference::crc32(body), "lexsim's CRC-32 differs from the bitwise one");
  }

  // A search index: read whole, or refused (and then refused by a mapped load or its searches too).
  std::optional<lexsim::IndexModel> index;
  try {
    index = lexsim::deserialize_index(bytes);
  } catch (const lexsim::ModelFormatError& e) {
    FUZZ_CHECK(e.byte_offset() <= bytes.size(), std::string("index error offset past the end: ") + e.what());
  }
  if (index) {
    FUZZ_CHECK(std::holds_alternative<lexsim::IndexModel>(lexsim::deserialize_any(bytes)), "deserialize_any disagrees");
    if (std::holds_alternative<lexsim::SearchIndex<double>>(index->index)) {
      check_loaded_index<double>(*index, bytes);
    } else {
      check_loaded_index<float>(*index, bytes);
    }
    return 0;
  }
  if (bytes.find("SIDX") != std::string::npos) check_mapped_refusal(bytes);

  std::optional<lexsim::Model> model;
  try {
    model = lexsim::deserialize(bytes);
  } catch (const lexsim::ModelFormatError& e) {
    FUZZ_CHECK(e.byte_offset() <= bytes.size(), std::string("error offset past the end: ") + e.what());
    return 0;
  }

  std::visit(
      [&](const auto& v) {
        const auto terms = v.feature_names();
        FUZZ_CHECK(!terms.empty(), "a loaded model without terms");
        const std::set<std::string> distinct(terms.begin(), terms.end());
        FUZZ_CHECK(distinct.size() == terms.size(), "a loaded model with a duplicate term");
        for (const auto& t : terms) FUZZ_CHECK(fuzz::valid_utf8(t), "term " + fuzz::show(t));
        const auto m = transform(v);
        check_matrix(m, terms.size());

        // What was loaded can be saved, and saving is a fixed point of loading.
        const std::string again = lexsim::serialize(v, model->metadata);
        const lexsim::Model reloaded = lexsim::deserialize(again);
        using V = std::decay_t<decltype(v)>;
        FUZZ_CHECK(std::holds_alternative<V>(reloaded.vectorizer), "the reloaded model changed class");
        const V& w = std::get<V>(reloaded.vectorizer);
        FUZZ_CHECK(reloaded.metadata == model->metadata, "metadata changed on a round trip");
        FUZZ_CHECK(w.feature_names() == terms, "terms changed on a round trip");
        FUZZ_CHECK(lexsim::serialize(w, reloaded.metadata) == again,
                   "serialize(deserialize(b)) != b for b = serialize(...)");
        FUZZ_CHECK(same(transform(w), m), "the reloaded model transforms differently");
      },
      model->vectorizer);
  return 0;
}
