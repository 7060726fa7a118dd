#include "lexsim/hashing.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "analysis/pipeline.hpp"
#include "parallel.hpp"
#include "row_blocks.hpp"

namespace lexsim {

// ---------------------------------------------------------------------------------------------
// MurmurHash3 x86_32

namespace {

constexpr std::uint32_t rotl32(std::uint32_t x, int r) noexcept { return (x << r) | (x >> (32 - r)); }

// The final avalanche: every input bit affects every output bit.
constexpr std::uint32_t fmix32(std::uint32_t h) noexcept {
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

constexpr std::uint32_t kC1 = 0xCC9E2D51u;
constexpr std::uint32_t kC2 = 0x1B873593u;

constexpr std::uint32_t scramble(std::uint32_t k) noexcept { return rotl32(k * kC1, 15) * kC2; }

}  // namespace

std::uint32_t murmurhash3_32(std::string_view bytes, std::uint32_t seed) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::uint32_t h = seed;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    // Little-endian, whatever the machine: the value scikit-learn computes on x86 and ARM.
    const std::uint32_t k = static_cast<std::uint32_t>(p[i]) | static_cast<std::uint32_t>(p[i + 1]) << 8 |
                            static_cast<std::uint32_t>(p[i + 2]) << 16 | static_cast<std::uint32_t>(p[i + 3]) << 24;
    h ^= scramble(k);
    h = rotl32(h, 13) * 5 + 0xE6546B64u;
  }
  std::uint32_t tail = 0;
  switch (n - i) {
    case 3: tail |= static_cast<std::uint32_t>(p[i + 2]) << 16; [[fallthrough]];
    case 2: tail |= static_cast<std::uint32_t>(p[i + 1]) << 8; [[fallthrough]];
    case 1:
      tail |= static_cast<std::uint32_t>(p[i]);
      h ^= scramble(tail);
      break;
    default: break;
  }
  h ^= static_cast<std::uint32_t>(n);  // the length modulo 2^32, as the reference's int length
  return fmix32(h);
}

// ---------------------------------------------------------------------------------------------
// HashingVectorizer

namespace {

// The column of a signed hash, as scikit-learn's _hashing_fast.transform computes it: |h| mod n,
// where |-2^31| (which does not fit in an int32) is taken as 2^31, i.e. (2^31 - 1 - (n - 1)) mod n.
inline std::int32_t column_of(std::int32_t h, std::int64_t n) noexcept {
  if (h == std::numeric_limits<std::int32_t>::min())
    return static_cast<std::int32_t>((std::int64_t{2147483647} - (n - 1)) % n);
  return static_cast<std::int32_t>((h < 0 ? -static_cast<std::int64_t>(h) : static_cast<std::int64_t>(h)) % n);
}

// A row's contributions, summed per column. Contributions are gathered as packed keys
// (column << 1 | negative) and sorted; past kPending keys they are folded into running sums, so a
// huge document holds at most one entry per distinct column plus one batch.
class RowSums {
 public:
  void add(std::int32_t column, bool negative) {
    pending_.push_back(static_cast<std::uint64_t>(column) << 1 | static_cast<std::uint64_t>(negative));
    if (pending_.size() == kPending) fold();
  }

  // Appends the row (columns ascending, zero sums kept) to m.
  template <class T>
  void flush(CsrMatrix<T>& m, bool binary) {
    auto emit = [&](std::int32_t column, std::int64_t sum) {
      m.indices.push_back(column);
      m.data.push_back(binary ? T(1) : static_cast<T>(sum));
    };
    if (sums_.empty()) {
      runs(emit);
    } else {
      fold();
      for (const auto& [column, sum] : sums_) emit(column, sum);
      sums_.clear();
    }
    pending_.clear();
    m.indptr.push_back(static_cast<std::int64_t>(m.indices.size()));
  }

  // Gives back what a huge document grew.
  void trim() {
    constexpr std::size_t kKeep = std::size_t{1} << 20;
    if (pending_.capacity() > kKeep) std::vector<std::uint64_t>().swap(pending_);
    if (sums_.capacity() > kKeep) decltype(sums_)().swap(sums_);
    if (merged_.capacity() > kKeep) decltype(merged_)().swap(merged_);
  }

 private:
  static constexpr std::size_t kPending = std::size_t{1} << 16;

  // Sorts the pending keys and calls f(column, sum) for each column, ascending.
  template <class F>
  void runs(F&& f) {
    std::sort(pending_.begin(), pending_.end());
    for (std::size_t k = 0; k < pending_.size();) {
      const std::uint64_t column = pending_[k] >> 1;
      std::int64_t sum = 0;
      for (; k < pending_.size() && (pending_[k] >> 1) == column; ++k) sum += (pending_[k] & 1u) ? -1 : 1;
      f(static_cast<std::int32_t>(column), sum);
    }
  }

  // Merges the pending keys into the running sums.
  void fold() {
    merged_.clear();
    std::size_t s = 0;
    runs([&](std::int32_t column, std::int64_t sum) {
      for (; s < sums_.size() && sums_[s].first < column; ++s) merged_.push_back(sums_[s]);
      if (s < sums_.size() && sums_[s].first == column) sum += sums_[s++].second;
      merged_.emplace_back(column, sum);
    });
    merged_.insert(merged_.end(), sums_.begin() + static_cast<std::ptrdiff_t>(s), sums_.end());
    sums_.swap(merged_);
    pending_.clear();
  }

  std::vector<std::uint64_t> pending_;
  std::vector<std::pair<std::int32_t, std::int64_t>> sums_, merged_;
};

void validate(const HashingOptions& o) {
  if (o.n_features < 1 || o.n_features > std::numeric_limits<std::int32_t>::max())
    throw InvalidArgument("n_features must be in [1, 2147483647]; got " + std::to_string(o.n_features));
  if (o.n_jobs == 0 || o.n_jobs < -1)
    throw InvalidArgument("n_jobs must be a positive integer or -1; got " + std::to_string(o.n_jobs));
}

}  // namespace

HashingVectorizer::HashingVectorizer(HashingOptions options)
    : options_(std::move(options)), analyzer_(options_.analysis) {
  validate(options_);
}

HashedTerm HashingVectorizer::hash(std::string_view term) const noexcept {
  const std::int32_t h = murmurhash3_32_signed(term, 0);
  return {column_of(h, options_.n_features), (options_.alternate_sign && h < 0) ? -1 : 1};
}

template <class T, class Source>
CsrMatrix<T> HashingVectorizer::transform_impl(const Source& source) const {
  const auto n_doc = static_cast<std::int64_t>(source.size());
  const std::int64_t n = options_.n_features;
  const bool alternate = options_.alternate_sign;
  const int workers = detail::jobs_for(options_.n_jobs, source.size());
  std::vector<CsrMatrix<T>> blocks(static_cast<std::size_t>(workers));
  detail::parallel_blocks(
      n_doc, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
        CsrMatrix<T>& m = blocks[static_cast<std::size_t>(w)];
        m.rows = end - begin;
        m.indptr.reserve(static_cast<std::size_t>(end - begin) + 1);
        RowSums row;
        auto add = [&](std::string_view term) {
          const std::int32_t h = murmurhash3_32_signed(term, 0);
          row.add(column_of(h, n), alternate && h < 0);
        };
        for (auto i = begin; i < end; ++i) {
          if (w == 0) detail::poll_interrupt();
          if (stop.requested()) return;
          source.terms(static_cast<std::size_t>(i), add);
          const std::size_t row_begin = m.data.size();
          row.flush(m, options_.binary);
          // Each row is scaled as it is made, while it is still in cache; rows are independent, so
          // this equals normalising the stacked matrix.
          detail::normalize_row_like_sklearn(m.data.data() + row_begin, m.data.data() + m.data.size(), options_.norm);
        }
        row.trim();
        detail::trim_scratch();
      });
  std::vector<CsrMatrix<T>*> parts;
  parts.reserve(blocks.size());
  for (auto& b : blocks) parts.push_back(&b);
  auto m = detail::stack_rows(parts, n);
  m.rows = n_doc;
  return m;
}

namespace {

// Terms of document i from text through the analyzer, naming the document on a decoding error.
struct HashTextSource {
  const Documents& docs;
  const Analyzer& analyzer;
  std::size_t size() const { return docs.size(); }
  template <class F>
  void terms(std::size_t i, F&& f) const {
    try {
      detail::pipeline_of(analyzer).each_term(docs[i], f);
    } catch (const UnicodeError& e) {
      throw UnicodeError("document " + std::to_string(i) + ": " + e.what(), i, e.byte_offset());
    }
  }
};

// Terms made elsewhere.
struct HashTermSource {
  const TermLists& docs;
  std::size_t size() const { return docs.size(); }
  template <class F>
  void terms(std::size_t i, F&& f) const {
    for (auto t : docs[i]) f(t);
  }
};

}  // namespace

template <class T>
CsrMatrix<T> HashingVectorizer::transform_csr(const Documents& docs) const {
  return transform_impl<T>(HashTextSource{docs, analyzer_});
}

template <class T>
CsrMatrix<T> HashingVectorizer::transform_csr(const TermLists& docs) const {
  return transform_impl<T>(HashTermSource{docs});
}

SparseMatrix<double> HashingVectorizer::transform(const Documents& docs) const {
  return to_eigen(transform_csr<double>(docs));
}

template CsrMatrix<float> HashingVectorizer::transform_csr<float>(const Documents&) const;
template CsrMatrix<double> HashingVectorizer::transform_csr<double>(const Documents&) const;
template CsrMatrix<float> HashingVectorizer::transform_csr<float>(const TermLists&) const;
template CsrMatrix<double> HashingVectorizer::transform_csr<double>(const TermLists&) const;

}  // namespace lexsim
