#pragma once
// HashingVectorizer: documents -> term counts in a fixed number of hashed columns, with no
// vocabulary (nothing to fit, nothing to store). Results equal scikit-learn's HashingVectorizer.

#include <cstdint>
#include <string_view>

#include "lexsim/export.hpp"
#include "lexsim/analyzer.hpp"
#include "lexsim/sparse.hpp"
#include "lexsim/vectorizer.hpp"

namespace lexsim {

/// MurmurHash3 x86_32 (Austin Appleby's published algorithm) of the bytes, 4-byte blocks read
/// little-endian: the hash scikit-learn's FeatureHasher and HashingVectorizer use.
LEXSIM_API std::uint32_t murmurhash3_32(std::string_view bytes, std::uint32_t seed = 0) noexcept;

/// The same as a signed 32-bit integer: sklearn.utils.murmurhash3_32(bytes, seed, positive=False).
inline std::int32_t murmurhash3_32_signed(std::string_view bytes, std::uint32_t seed = 0) noexcept {
  const std::uint32_t h = murmurhash3_32(bytes, seed);
  // Two's complement reinterpretation, spelled out (a plain cast is implementation-defined before C++20).
  return h <= 0x7FFFFFFFu ? static_cast<std::int32_t>(h) : -static_cast<std::int32_t>(~h) - 1;
}

/// Where a term goes: its column and the sign of its contribution (+1 or -1).
struct HashedTerm {
  std::int32_t column;
  int sign;
};

struct HashingOptions {
  AnalyzerOptions analysis;
  /// Number of columns, in [1, 2^31 - 1]. (scikit-learn's Python class also refuses 2^31 - 1.)
  std::int64_t n_features = std::int64_t{1} << 20;
  /// Every stored value becomes 1 (before the norm), including the zeros of cancelled terms.
  bool binary = false;
  Norm norm = Norm::l2;
  /// A term whose signed hash is negative counts -1, which keeps inner products unbiased when
  /// terms collide; without it every term counts +1.
  bool alternate_sign = true;
  /// Worker threads (1 = the calling thread only, -1 = the usable CPUs, see lexsim/threads.hpp); results do not depend
  /// on it.
  int n_jobs = 1;
};

/// The hashing trick, exactly as scikit-learn computes it: each term's signed MurmurHash3 (seed 0)
/// of its UTF-8 bytes h gives column |h| mod n_features (2^31 mod n_features for h = -2^31) and,
/// with alternate_sign, sign -1 when h < 0; a row's contributions to one column are summed. Sums
/// that cancel to zero stay stored as explicit zeros (as scipy's sum_duplicates leaves them); then
/// binary, then the row norm. Stateless: no fit, safe to share between threads.
class LEXSIM_API HashingVectorizer {
 public:
  /// Validates the options; throws lexsim::InvalidArgument naming a bad one.
  explicit HashingVectorizer(HashingOptions options = {});

  const HashingOptions& options() const noexcept { return options_; }
  const Analyzer& analyzer() const noexcept { return analyzer_; }

  /// The column and sign of one term (its UTF-8 bytes as they are, no analysis).
  HashedTerm hash(std::string_view term) const noexcept;

  /// Documents -> n_documents x n_features matrix (zero documents give zero rows).
  SparseMatrix<double> transform(const Documents& docs) const;

  /// The same, in plain CSR buffers, float or double (counts are summed exactly in integers, then
  /// converted).
  template <class T>
  CsrMatrix<T> transform_csr(const Documents& docs) const;
  /// Pre-analysed documents (each a list of terms, e.g. from a user's Python callable).
  template <class T>
  CsrMatrix<T> transform_csr(const TermLists& docs) const;
  /// transform_csr(TermLists), named as on the other vectorizers.
  template <class T>
  CsrMatrix<T> transform_terms(const TermLists& docs) const {
    return transform_csr<T>(docs);
  }

 private:
  template <class T, class Source>
  CsrMatrix<T> transform_impl(const Source& source) const;

  HashingOptions options_;
  Analyzer analyzer_;
};

}  // namespace lexsim
