#pragma once
// Matrices built in row blocks by worker threads (the vectorizers' transforms): how many workers a
// batch gets, stacking the blocks in order, and scikit-learn's row normalisation.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <algorithm>
#include <vector>

#include "lexsim/sparse.hpp"
#include "lexsim/vectorizer.hpp"
#include "parallel.hpp"

namespace lexsim::detail {

// Workers for a batch: each gets at least a few hundred documents, or threads cost more than they save.
inline int jobs_for(int n_jobs, std::size_t n_docs) {
  return resolve_jobs(n_jobs, static_cast<std::int64_t>(n_docs / 256 + 1));
}

// Stacks row blocks in order (moving the first instead of copying when it is the only one); the
// blocks are copied into place by n_jobs threads (`jobs`, capped by the blocks; 0 = one per block).
template <class T>
CsrMatrix<T> stack_rows(std::vector<CsrMatrix<T>*> parts, std::int64_t cols, int jobs = 0) {
  if (parts.size() == 1) {
    CsrMatrix<T> m = std::move(*parts[0]);
    m.cols = cols;
    return m;
  }
  CsrMatrix<T> m;
  m.cols = cols;
  std::vector<std::size_t> row_at{0}, nz_at{0};
  for (auto* p : parts) {
    row_at.push_back(row_at.back() + static_cast<std::size_t>(p->rows));
    nz_at.push_back(nz_at.back() + p->data.size());
  }
  m.rows = static_cast<std::int64_t>(row_at.back());
  m.indptr.assign(row_at.back() + 1, 0);
  m.indices.resize(nz_at.back());
  m.data.resize(nz_at.back());
  m.indptr.back() = static_cast<std::int64_t>(nz_at.back());
  const auto n = static_cast<std::int64_t>(parts.size());
  const int workers = jobs != 0 ? resolve_jobs(jobs, n) : static_cast<int>(n);
  parallel_blocks(n, workers, [&](int, std::int64_t begin, std::int64_t end, const StopToken&) {
    for (auto w = static_cast<std::size_t>(begin); w < static_cast<std::size_t>(end); ++w) {
      CsrMatrix<T>& p = *parts[w];
      for (std::int64_t r = 0; r < p.rows; ++r)
        m.indptr[row_at[w] + static_cast<std::size_t>(r)] =
            static_cast<std::int64_t>(nz_at[w]) + p.indptr[static_cast<std::size_t>(r)];
      std::copy(p.indices.begin(), p.indices.end(), m.indices.begin() + static_cast<std::ptrdiff_t>(nz_at[w]));
      std::copy(p.data.begin(), p.data.end(), m.data.begin() + static_cast<std::ptrdiff_t>(nz_at[w]));
      p = CsrMatrix<T>{};  // release each block as soon as it is copied
    }
  });
  return m;
}

template <class T>
CsrMatrix<T> stack_all(std::vector<CsrMatrix<T>>& blocks, std::int64_t cols, int jobs = 0) {
  std::vector<CsrMatrix<T>*> parts;
  parts.reserve(blocks.size());
  for (auto& b : blocks) parts.push_back(&b);
  if (parts.empty()) {
    CsrMatrix<T> m;
    m.cols = cols;
    return m;
  }
  return stack_rows(parts, cols, jobs);
}

// One row scaled to unit l1 or l2 norm exactly as scikit-learn's normalize() does it: squares (or
// magnitudes) in the data type, summed in double in column order, each value divided in double;
// a row whose sum is zero (empty, or only explicit zeros) is left as it is.
template <class T>
void normalize_row_like_sklearn(T* first, T* last, Norm norm) {
  if (norm == Norm::none) return;
  double sum = 0;
  if (norm == Norm::l2) {
    for (T* p = first; p != last; ++p) sum += static_cast<double>(*p * *p);
    if (sum == 0.0) return;
    sum = std::sqrt(sum);
  } else {
    for (T* p = first; p != last; ++p) sum += std::abs(static_cast<double>(*p));
    if (sum == 0.0) return;
  }
  for (T* p = first; p != last; ++p) *p = static_cast<T>(static_cast<double>(*p) / sum);
}

}  // namespace lexsim::detail
