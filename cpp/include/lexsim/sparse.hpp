#pragma once
// Document batches and compressed sparse row matrices.

#include <Eigen/SparseCore>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "lexsim/errors.hpp"

namespace lexsim {

/// The public matrix type: an Eigen row-major sparse matrix (column indices sorted in each row).
template <class T>
using SparseMatrix = Eigen::SparseMatrix<T, Eigen::RowMajor>;

/// A read-only view of a batch of UTF-8 documents; it never copies the text.
class Documents {
 public:
  Documents(const std::vector<std::string>& docs) noexcept  // NOLINT(google-explicit-constructor)
      : strings_(docs.data()), size_(docs.size()) {}
  Documents(const std::vector<std::string_view>& docs) noexcept  // NOLINT(google-explicit-constructor)
      : views_(docs.data()), size_(docs.size()) {}
  Documents(const std::string_view* docs, std::size_t size) noexcept : views_(docs), size_(size) {}

  std::size_t size() const noexcept { return size_; }
  std::string_view operator[](std::size_t i) const noexcept {
    return strings_ != nullptr ? std::string_view(strings_[i]) : views_[i];
  }

 private:
  const std::string* strings_ = nullptr;
  const std::string_view* views_ = nullptr;
  std::size_t size_ = 0;
};

/// Documents that were already analysed into terms (e.g. by a user's Python callable).
using TermLists = std::vector<std::vector<std::string_view>>;

/// A CSR matrix in plain buffers, the form results are built in. Moving the vectors out is how
/// the Python bindings hand results to numpy without a copy.
template <class T>
struct CsrMatrix {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::vector<std::int64_t> indptr{0};  ///< rows + 1 entries
  std::vector<std::int32_t> indices;    ///< column of each stored value, sorted within a row
  std::vector<T> data;

  std::int64_t nnz() const noexcept { return static_cast<std::int64_t>(data.size()); }
};

/// Copy a CSR matrix into an owning Eigen matrix. Throws lexsim::Error when it holds more
/// non-zeros than Eigen's default index type can address.
template <class T>
SparseMatrix<T> to_eigen(const CsrMatrix<T>& m) {
  using Index = typename SparseMatrix<T>::StorageIndex;
  if (m.nnz() > static_cast<std::int64_t>(std::numeric_limits<Index>::max()) ||
      m.rows > static_cast<std::int64_t>(std::numeric_limits<Index>::max())) {
    throw Error("matrix with " + std::to_string(m.nnz()) +
                " non-zeros is too large for an Eigen matrix with 32-bit indices; use the *_csr API");
  }
  SparseMatrix<T> out(static_cast<Index>(m.rows), static_cast<Index>(m.cols));
  out.resizeNonZeros(static_cast<Index>(m.nnz()));
  for (std::int64_t r = 0; r <= m.rows; ++r) {
    out.outerIndexPtr()[r] = static_cast<Index>(m.indptr[static_cast<std::size_t>(r)]);
  }
  for (std::size_t k = 0; k < m.data.size(); ++k) {
    out.innerIndexPtr()[k] = static_cast<Index>(m.indices[k]);
    out.valuePtr()[k] = m.data[k];
  }
  return out;
}

/// A read-only CSR view over someone else's buffers (scipy arrays, an Eigen matrix...).
template <class T, class IndPtr = std::int64_t, class Ind = std::int32_t>
struct CsrView {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  const IndPtr* indptr = nullptr;
  const Ind* indices = nullptr;
  const T* data = nullptr;
};

/// View an Eigen row-major matrix (it must be compressed).
template <class T>
CsrView<T, typename SparseMatrix<T>::StorageIndex, typename SparseMatrix<T>::StorageIndex> view(
    const SparseMatrix<T>& m) {
  if (!m.isCompressed()) throw InvalidArgument("sparse matrix must be compressed (call makeCompressed())");
  return {m.rows(), m.cols(), m.outerIndexPtr(), m.innerIndexPtr(), m.valuePtr()};
}

/// View a CsrMatrix.
template <class T>
CsrView<T> view(const CsrMatrix<T>& m) {
  return {m.rows, m.cols, m.indptr.data(), m.indices.data(), m.data.data()};
}

}  // namespace lexsim
