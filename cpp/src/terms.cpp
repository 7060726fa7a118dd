// Key terms of each row, and the shared terms behind one similarity.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "lexsim/similarity.hpp"
#include "parallel.hpp"
#include "rows.hpp"
#include "ranking.hpp"

namespace lexsim {

template <class T, class IndPtr, class Ind>
CsrMatrix<T> top_terms(const CsrView<T, IndPtr, Ind>& X, std::int64_t n, int n_jobs) {
  if (n <= 0) throw InvalidArgument("n must be a positive integer; got " + std::to_string(n));
  detail::check_view(X, "X");
  struct Block {
    std::vector<std::int64_t> row_nnz;
    std::vector<std::int32_t> indices;
    std::vector<T> data;
  };
  const int workers = detail::resolve_jobs(n_jobs, X.rows);
  std::vector<Block> blocks(static_cast<std::size_t>(workers));
  detail::parallel_blocks(
      X.rows, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
        Block& out = blocks[static_cast<std::size_t>(w)];
        std::vector<std::pair<T, std::int32_t>> row;
        for (std::int64_t r = begin; r < end; ++r) {
          if (w == 0 && (r & 1023) == 0) detail::poll_interrupt();
          if (stop.requested()) return;
          row.clear();
          for (auto p = static_cast<std::size_t>(X.indptr[r]); p < static_cast<std::size_t>(X.indptr[r + 1]); ++p)
            if (X.data[p] != T(0)) row.emplace_back(X.data[p], static_cast<std::int32_t>(X.indices[p]));
          const auto keep = std::min(row.size(), static_cast<std::size_t>(n));
          std::partial_sort(
              row.begin(), row.begin() + static_cast<std::ptrdiff_t>(keep), row.end(),
              [](const auto& a, const auto& b) { return detail::ranks_before(a.first, a.second, b.first, b.second); });
          row.resize(keep);
          std::sort(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
          out.row_nnz.push_back(static_cast<std::int64_t>(keep));
          for (const auto& [v, c] : row) {
            out.indices.push_back(c);
            out.data.push_back(v);
          }
        }
      });
  CsrMatrix<T> result;
  result.rows = X.rows;
  result.cols = X.cols;
  for (auto& b : blocks) {
    for (auto k : b.row_nnz) result.indptr.push_back(result.indptr.back() + k);
    result.indices.insert(result.indices.end(), b.indices.begin(), b.indices.end());
    result.data.insert(result.data.end(), b.data.begin(), b.data.end());
  }
  return result;
}

template <class T, class IndPtr, class Ind>
std::vector<Contribution> explain(const CsrView<T, IndPtr, Ind>& X, std::int64_t i, std::int64_t j) {
  detail::check_view(X, "X");
  for (const auto r : {i, j})
    if (r < 0 || r >= X.rows)
      throw InvalidArgument("row " + std::to_string(r) + " is out of range for a matrix with " +
                            std::to_string(X.rows) + " rows");
  const std::vector<T> ui = detail::unit_row(X, i), uj = detail::unit_row(X, j);
  std::vector<Contribution> out;
  // Both rows are sorted by column: merge them.
  auto p = static_cast<std::size_t>(X.indptr[i]), q = static_cast<std::size_t>(X.indptr[j]);
  const auto pe = static_cast<std::size_t>(X.indptr[i + 1]), qe = static_cast<std::size_t>(X.indptr[j + 1]);
  const auto p0 = p, q0 = q;
  while (p < pe && q < qe) {
    if (X.indices[p] < X.indices[q]) {
      ++p;
    } else if (X.indices[q] < X.indices[p]) {
      ++q;
    } else {
      const T a = ui[p - p0], b = uj[q - q0];
      // The product in the data type, as the similarity kernels compute it.
      const T c = a * b;
      if (c != T(0))
        out.push_back({static_cast<std::int32_t>(X.indices[p]), static_cast<double>(c), static_cast<double>(a),
                       static_cast<double>(b)});
      ++p;
      ++q;
    }
  }
  std::sort(out.begin(), out.end(), [](const Contribution& a, const Contribution& b) {
    return detail::ranks_before(a.contribution, a.column, b.contribution, b.column);
  });
  return out;
}

#define LEXSIM_TERMS_INSTANTIATE(T, IP, I)                                                \
  template CsrMatrix<T> top_terms<T, IP, I>(const CsrView<T, IP, I>&, std::int64_t, int); \
  template std::vector<Contribution> explain<T, IP, I>(const CsrView<T, IP, I>&, std::int64_t, std::int64_t);
LEXSIM_TERMS_INSTANTIATE(double, std::int64_t, std::int32_t)
LEXSIM_TERMS_INSTANTIATE(float, std::int64_t, std::int32_t)
LEXSIM_TERMS_INSTANTIATE(double, std::int32_t, std::int32_t)
LEXSIM_TERMS_INSTANTIATE(float, std::int32_t, std::int32_t)
#undef LEXSIM_TERMS_INSTANTIATE

SparseMatrix<double> top_terms(const SparseMatrix<double>& X, std::int64_t n, int n_jobs) {
  return to_eigen(top_terms(view(X), n, n_jobs));
}

std::vector<Contribution> explain(const SparseMatrix<double>& X, std::int64_t i, std::int64_t j) {
  return explain(view(X), i, j);
}

}  // namespace lexsim
