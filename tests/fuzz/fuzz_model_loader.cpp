// libFuzzer harness: arbitrary bytes through lexsim::deserialize (the model-file loader).
// Input: 1 mode byte, then the model bytes. With an even mode byte the harness first makes the
// envelope consistent (the total-size field and the CRC-32 at the end recomputed), so that the
// fuzzer explores the sections behind the checksum instead of only the checksum test; with an odd
// one the bytes go in as they are.
//
// Checked on every input: deserialize either throws lexsim::ModelFormatError or returns a model
// (any other exception, a crash, a leak or an absurd allocation is a finding). A model it returns
// must be usable: its terms are valid UTF-8 and distinct, it transforms a few documents into a
// well-formed matrix, serialize() accepts it, and the bytes serialize() writes load again into a
// model that serializes to the same bytes and transforms identically.
#include <lexsim/model_io.hpp>

#include <cstring>
#include <optional>
#include <set>
#include <type_traits>
#include <variant>

#include "fuzz_common.hpp"

namespace {

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) bit by bit: slow and obviously the
// textbook definition, independent of lexsim's table-driven one.
std::uint32_t crc32_bitwise(std::string_view s) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char ch : s) {
    crc ^= static_cast<std::uint8_t>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

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
  if (a.rows != b.rows || a.cols != b.cols || a.indptr != b.indptr || a.indices != b.indices || a.data.size() != b.data.size())
    return false;
  return a.data.empty() || std::memcmp(a.data.data(), b.data.data(), a.data.size() * sizeof(double)) == 0;
}

template <class V>
lexsim::CsrMatrix<double> transform(const V& v) {
  return v.template transform_csr<double>(sample_documents());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0 && bytes.size() >= 24) {
    put_le(bytes, 12, bytes.size(), 8);
    put_le(bytes, bytes.size() - 4, crc32_bitwise(std::string_view(bytes).substr(0, bytes.size() - 4)), 4);
  }
  if (bytes.size() >= 4) {
    const std::string_view body = std::string_view(bytes).substr(0, bytes.size() - 4);
    FUZZ_CHECK(lexsim::detail::crc32(body) == crc32_bitwise(body), "lexsim's CRC-32 differs from the bitwise one");
  }

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
        FUZZ_CHECK(lexsim::serialize(w, reloaded.metadata) == again, "serialize(deserialize(b)) != b for b = serialize(...)");
        FUZZ_CHECK(same(transform(w), m), "the reloaded model transforms differently");
      },
      model->vectorizer);
  return 0;
}
