// Ranked rows and merged top-k parts, for every caller that orders or merges rows of a result:
// Python's reports, Dask's blockwise top_k. The tie rule itself is ranking.hpp's.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "lexsim/similarity.hpp"
#include "ranking.hpp"
#include "rows.hpp"

namespace lexsim {
namespace {

template <class T>
bool better(const std::pair<T, std::int64_t>& a, const std::pair<T, std::int64_t>& b) {
  return detail::ranks_before(a.first, a.second, b.first, b.second);
}

}  // namespace

template <class T, class IndPtr, class Ind>
std::vector<std::int64_t> ranked_order(const CsrView<T, IndPtr, Ind>& X) {
  detail::check_view(X, "X");
  const auto nnz = X.rows > 0 ? static_cast<std::size_t>(X.indptr[X.rows]) : std::size_t{0};
  std::vector<std::int64_t> order(nnz);
  for (std::int64_t r = 0; r < X.rows; ++r) {
    if ((r & 4095) == 0) detail::poll_interrupt();
    const auto b = static_cast<std::int64_t>(X.indptr[r]), e = static_cast<std::int64_t>(X.indptr[r + 1]);
    for (std::int64_t p = b; p < e; ++p) order[static_cast<std::size_t>(p)] = p;
    std::sort(order.begin() + b, order.begin() + e, [&](std::int64_t x, std::int64_t y) {
      return detail::ranks_before(X.data[x], X.indices[x], X.data[y], X.indices[y]);
    });
  }
  return order;
}

template <class T, class IndPtr, class Ind>
CsrMatrix<T> merge_top_k(const std::vector<CsrView<T, IndPtr, Ind>>& parts, const std::vector<std::int64_t>& offsets,
                         std::int64_t k, std::int64_t n_cols) {
  if (k <= 0) throw InvalidArgument("k must be a positive integer; got " + std::to_string(k));
  if (parts.empty()) throw InvalidArgument("merge_top_k needs at least one part");
  if (offsets.size() != parts.size())
    throw InvalidArgument("offsets has " + std::to_string(offsets.size()) + " entries for " +
                          std::to_string(parts.size()) + " parts");
  if (n_cols < 0 || n_cols > INT32_MAX) throw InvalidArgument("n_cols " + std::to_string(n_cols) + " is out of range");
  const std::int64_t rows = parts[0].rows;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    detail::check_view(parts[i], "part");
    if (parts[i].rows != rows)
      throw InvalidArgument("part " + std::to_string(i) + " has " + std::to_string(parts[i].rows) +
                            " rows; part 0 has " + std::to_string(rows));
    if (offsets[i] < 0 || offsets[i] + parts[i].cols > n_cols)
      throw InvalidArgument("part " + std::to_string(i) + " at offset " + std::to_string(offsets[i]) +
                            " does not fit in " + std::to_string(n_cols) + " columns");
  }
  CsrMatrix<T> out;
  out.rows = rows;
  out.cols = n_cols;
  out.indptr.assign(1, 0);
  std::vector<std::pair<T, std::int64_t>> row;
  for (std::int64_t r = 0; r < rows; ++r) {
    if ((r & 4095) == 0) detail::poll_interrupt();
    row.clear();
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto& m = parts[i];
      for (auto p = static_cast<std::size_t>(m.indptr[r]); p < static_cast<std::size_t>(m.indptr[r + 1]); ++p)
        row.emplace_back(m.data[p], static_cast<std::int64_t>(m.indices[p]) + offsets[i]);
    }
    const auto keep = std::min(row.size(), static_cast<std::size_t>(k));
    std::partial_sort(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(keep), row.end(), better<T>);
    row.resize(keep);
    // Column indices sorted within each row, as top_k stores them.
    std::sort(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [v, c] : row) {
      out.indices.push_back(static_cast<std::int32_t>(c));
      out.data.push_back(v);
    }
    out.indptr.push_back(static_cast<std::int64_t>(out.data.size()));
  }
  return out;
}

#define LEXSIM_RANKING_INSTANTIATE(T, IP, I)                                                                 \
  template std::vector<std::int64_t> ranked_order(const CsrView<T, IP, I>&);                                 \
  template CsrMatrix<T> merge_top_k(const std::vector<CsrView<T, IP, I>>&, const std::vector<std::int64_t>&, \
                                    std::int64_t, std::int64_t);
LEXSIM_RANKING_INSTANTIATE(double, std::int64_t, std::int32_t)
LEXSIM_RANKING_INSTANTIATE(float, std::int64_t, std::int32_t)
LEXSIM_RANKING_INSTANTIATE(double, std::int32_t, std::int32_t)
LEXSIM_RANKING_INSTANTIATE(float, std::int32_t, std::int32_t)
#undef LEXSIM_RANKING_INSTANTIATE

}  // namespace lexsim
