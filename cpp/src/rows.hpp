#pragma once
// Row-wise helpers shared by the similarity kernels: input checks, unit rows and the transpose.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "lexsim/errors.hpp"
#include "lexsim/sparse.hpp"

namespace lexsim::detail {

template <class T, class IndPtr, class Ind>
inline void check_view(const CsrView<T, IndPtr, Ind>& m, const char* name) {
  if (m.rows < 0 || m.cols < 0) throw InvalidArgument(std::string(name) + " has a negative shape");
  if (m.rows > 0 && m.indptr == nullptr) throw InvalidArgument(std::string(name) + " has no indptr");
  if (m.rows > 0 && m.indptr[0] != 0) throw InvalidArgument(std::string(name) + ".indptr[0] must be 0");
  for (std::int64_t r = 0; r < m.rows; ++r) {
    if (m.indptr[r + 1] < m.indptr[r])
      throw InvalidArgument(std::string(name) + ".indptr is not non-decreasing at row " + std::to_string(r));
  }
  const auto nnz = m.rows > 0 ? static_cast<std::int64_t>(m.indptr[m.rows]) : 0;
  for (std::int64_t k = 0; k < nnz; ++k) {
    if (m.indices[k] < 0 || static_cast<std::int64_t>(m.indices[k]) >= m.cols)
      throw InvalidArgument(std::string(name) + " has column index " +
                            std::to_string(static_cast<long long>(m.indices[k])) + " out of range at position " +
                            std::to_string(k));
    if (!std::isfinite(static_cast<double>(m.data[k])))
      throw InvalidArgument(std::string(name) + " contains a non-finite value (NaN or inf) at position " +
                            std::to_string(k));
  }
}

// Scales one row to unit length in place (cosine = dot product of unit rows); a zero row stays
// zero. Normally x / sqrt(sum x^2) in the data type, exactly as scikit-learn's normalize(); only
// when the squares overflow or vanish is the row first scaled by its largest magnitude.
template <class T>
inline void normalize_row(T* first, T* last) {
  T sum = 0;
  for (T* p = first; p != last; ++p) sum += *p * *p;
  if (std::isfinite(sum) && sum >= std::numeric_limits<T>::min()) {
    const T norm = std::sqrt(sum);
    for (T* p = first; p != last; ++p) *p /= norm;
    return;
  }
  double scale = 0;
  for (T* p = first; p != last; ++p) scale = std::max(scale, std::abs(static_cast<double>(*p)));
  if (scale == 0.0) return;  // an all-zero row
  double scaled = 0;
  for (T* p = first; p != last; ++p) {
    const double v = static_cast<double>(*p) / scale;
    scaled += v * v;
  }
  const double norm = std::sqrt(scaled);
  for (T* p = first; p != last; ++p) *p = static_cast<T>(static_cast<double>(*p) / scale / norm);
}

// Row-normalised copy of the stored values.
template <class T, class IndPtr, class Ind>
inline std::vector<T> unit_rows(const CsrView<T, IndPtr, Ind>& m) {
  const auto nnz = m.rows > 0 ? static_cast<std::size_t>(m.indptr[m.rows]) : 0;
  std::vector<T> out(m.data, m.data + nnz);
  for (std::int64_t r = 0; r < m.rows; ++r) normalize_row(out.data() + m.indptr[r], out.data() + m.indptr[r + 1]);
  return out;
}

// The unit-length copy of row r alone.
template <class T, class IndPtr, class Ind>
inline std::vector<T> unit_row(const CsrView<T, IndPtr, Ind>& m, std::int64_t r) {
  std::vector<T> out(m.data + m.indptr[r], m.data + m.indptr[r + 1]);
  normalize_row(out.data(), out.data() + out.size());
  return out;
}

// The postings of a prepared matrix, read in place: for column c, the rows holding it are
// row[start[c] .. start[c + 1]) (increasing) with their values value[...]. The arrays may be owned
// by a Postings or lie in a mapped file (a loaded SearchIndex).
template <class T>
struct PostingsView {
  const std::int64_t* start = nullptr;
  const std::int32_t* row = nullptr;
  const T* value = nullptr;
};

// Column-major copy of B (its transpose in CSR): for each column, the rows holding it.
template <class T>
struct Postings {
  std::vector<std::int64_t> start;
  std::vector<std::int32_t> row;
  std::vector<T> value;

  PostingsView<T> view() const noexcept { return {start.data(), row.data(), value.data()}; }
};

template <class T, class IndPtr, class Ind>
inline Postings<T> transpose(const CsrView<T, IndPtr, Ind>& m, const std::vector<T>& values) {
  Postings<T> p;
  p.start.assign(static_cast<std::size_t>(m.cols) + 1, 0);
  const auto nnz = m.rows > 0 ? static_cast<std::size_t>(m.indptr[m.rows]) : 0;
  for (std::size_t k = 0; k < nnz; ++k) ++p.start[static_cast<std::size_t>(m.indices[k]) + 1];
  for (std::size_t c = 0; c < static_cast<std::size_t>(m.cols); ++c) p.start[c + 1] += p.start[c];
  p.row.resize(nnz);
  p.value.resize(nnz);
  std::vector<std::int64_t> fill(p.start.begin(), p.start.end() - 1);
  for (std::int64_t r = 0; r < m.rows; ++r) {
    for (auto k = static_cast<std::size_t>(m.indptr[r]); k < static_cast<std::size_t>(m.indptr[r + 1]); ++k) {
      const auto c = static_cast<std::size_t>(m.indices[k]);
      const auto at = static_cast<std::size_t>(fill[c]++);
      p.row[at] = static_cast<std::int32_t>(r);
      p.value[at] = values[k];
    }
  }
  return p;
}

}  // namespace lexsim::detail
