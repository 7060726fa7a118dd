#include "lexsim/similarity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "parallel.hpp"

namespace lexsim {
namespace {

template <class T, class IndPtr, class Ind>
void check_view(const CsrView<T, IndPtr, Ind>& m, const char* name) {
  if (m.rows < 0 || m.cols < 0) throw InvalidArgument(std::string(name) + " has a negative shape");
  if (m.rows > 0 && m.indptr == nullptr) throw InvalidArgument(std::string(name) + " has no indptr");
  if (m.rows > 0 && m.indptr[0] != 0) throw InvalidArgument(std::string(name) + ".indptr[0] must be 0");
  for (std::int64_t r = 0; r < m.rows; ++r) {
    if (m.indptr[r + 1] < m.indptr[r]) throw InvalidArgument(std::string(name) + ".indptr is not non-decreasing at row " + std::to_string(r));
  }
  const auto nnz = m.rows > 0 ? static_cast<std::int64_t>(m.indptr[m.rows]) : 0;
  for (std::int64_t k = 0; k < nnz; ++k) {
    if (m.indices[k] < 0 || static_cast<std::int64_t>(m.indices[k]) >= m.cols)
      throw InvalidArgument(std::string(name) + " has column index " + std::to_string(static_cast<long long>(m.indices[k])) +
                            " out of range at position " + std::to_string(k));
    if (!std::isfinite(static_cast<double>(m.data[k])))
      throw InvalidArgument(std::string(name) + " contains a non-finite value (NaN or inf) at position " + std::to_string(k));
  }
}

// Row-normalised copy of the values (cosine = dot product of unit rows); zero rows stay zero.
// Normally x / sqrt(sum x^2) in the data type, exactly as scikit-learn's normalize(); only when the
// squares overflow or vanish is the row first scaled by its largest magnitude.
template <class T, class IndPtr, class Ind>
std::vector<T> unit_rows(const CsrView<T, IndPtr, Ind>& m) {
  const auto nnz = m.rows > 0 ? static_cast<std::size_t>(m.indptr[m.rows]) : 0;
  std::vector<T> out(m.data, m.data + nnz);
  for (std::int64_t r = 0; r < m.rows; ++r) {
    const auto b = static_cast<std::size_t>(m.indptr[r]), e = static_cast<std::size_t>(m.indptr[r + 1]);
    T sum = 0;
    for (std::size_t k = b; k < e; ++k) sum += out[k] * out[k];
    if (std::isfinite(sum) && sum >= std::numeric_limits<T>::min()) {
      const T norm = std::sqrt(sum);
      for (std::size_t k = b; k < e; ++k) out[k] /= norm;
      continue;
    }
    double scale = 0;
    for (std::size_t k = b; k < e; ++k) scale = std::max(scale, std::abs(static_cast<double>(out[k])));
    if (scale == 0.0) continue;  // an all-zero row
    double scaled = 0;
    for (std::size_t k = b; k < e; ++k) {
      const double v = static_cast<double>(out[k]) / scale;
      scaled += v * v;
    }
    const double norm = std::sqrt(scaled);
    for (std::size_t k = b; k < e; ++k) out[k] = static_cast<T>(static_cast<double>(out[k]) / scale / norm);
  }
  return out;
}

// Column-major copy of B (its transpose in CSR): for each column, the rows holding it.
template <class T>
struct Postings {
  std::vector<std::int64_t> start;
  std::vector<std::int32_t> row;
  std::vector<T> value;
};

template <class T, class IndPtr, class Ind>
Postings<T> transpose(const CsrView<T, IndPtr, Ind>& m, const std::vector<T>& values) {
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

}  // namespace

template <class T, class IndPtr, class Ind>
CsrMatrix<T> top_k(const CsrView<T, IndPtr, Ind>& A, const CsrView<T, IndPtr, Ind>* B, const TopKOptions& options) {
  if (options.k <= 0) throw InvalidArgument("k must be a positive integer; got " + std::to_string(options.k));
  if (options.threshold && std::isnan(*options.threshold)) throw InvalidArgument("threshold must not be NaN");
  const bool self = B == nullptr;
  const CsrView<T, IndPtr, Ind>& Bv = self ? A : *B;
  check_view(A, "A");
  if (!self) check_view(Bv, "B");
  if (A.cols != Bv.cols)
    throw InvalidArgument("A and B must have the same number of columns; got " + std::to_string(A.cols) + " and " +
                          std::to_string(Bv.cols));
  if (Bv.rows > INT32_MAX) throw InvalidArgument("B has more than 2^31-1 rows");

  auto values = [&](const CsrView<T, IndPtr, Ind>& m) {
    if (options.normalize) return unit_rows(m);
    const auto nnz = m.rows > 0 ? static_cast<std::size_t>(m.indptr[m.rows]) : 0;
    return std::vector<T>(m.data, m.data + nnz);
  };
  const std::vector<T> a_unit = values(A);
  const std::vector<T> b_unit = self ? a_unit : values(Bv);
  const Postings<T> post = transpose(Bv, b_unit);
  const auto k = static_cast<std::size_t>(std::min<std::int64_t>(options.k, std::max<std::int64_t>(Bv.rows, 1)));

  // Each worker handles a contiguous block of rows; blocks are concatenated in order, so the
  // result does not depend on the number of workers.
  struct Block {
    std::vector<std::int64_t> row_nnz;
    std::vector<std::int32_t> indices;
    std::vector<T> data;
  };
  const int workers = detail::resolve_jobs(options.n_jobs, A.rows);
  std::vector<Block> blocks(static_cast<std::size_t>(workers));
  detail::parallel_blocks(A.rows, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
    Block& out = blocks[static_cast<std::size_t>(w)];
    std::vector<T> acc(static_cast<std::size_t>(Bv.rows), T(0));
    std::vector<char> hit(static_cast<std::size_t>(Bv.rows), 0);
    std::vector<std::int32_t> touched;
    std::vector<std::pair<T, std::int32_t>> cand;
    for (std::int64_t i = begin; i < end; ++i) {
      if (w == 0) detail::poll_interrupt();  // the calling thread's check (worker 0 runs on it)
      if (stop.requested()) return;
      touched.clear();
      for (auto p = static_cast<std::size_t>(A.indptr[i]); p < static_cast<std::size_t>(A.indptr[i + 1]); ++p) {
        const auto c = static_cast<std::size_t>(A.indices[p]);
        const T av = a_unit[p];
        for (auto q = static_cast<std::size_t>(post.start[c]); q < static_cast<std::size_t>(post.start[c + 1]); ++q) {
          const auto j = static_cast<std::size_t>(post.row[q]);
          if (!hit[j]) {
            hit[j] = 1;
            touched.push_back(post.row[q]);
          }
          acc[j] += av * post.value[q];
        }
      }
      cand.clear();
      for (auto j : touched) {
        const auto ju = static_cast<std::size_t>(j);
        const T s = acc[ju];
        acc[ju] = T(0);
        hit[ju] = 0;
        if (self && j == i) continue;
        if (s == T(0)) continue;
        if (options.threshold && !(static_cast<double>(s) > *options.threshold)) continue;
        cand.emplace_back(s, j);
      }
      auto better = [](const std::pair<T, std::int32_t>& x, const std::pair<T, std::int32_t>& y) {
        return x.first > y.first || (x.first == y.first && x.second < y.second);
      };
      if (cand.size() > k) {
        std::nth_element(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(k), cand.end(), better);
        cand.resize(k);
      }
      std::sort(cand.begin(), cand.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
      out.row_nnz.push_back(static_cast<std::int64_t>(cand.size()));
      for (const auto& [s, j] : cand) {
        out.indices.push_back(j);
        out.data.push_back(s);
      }
    }
  });

  CsrMatrix<T> result;
  result.rows = A.rows;
  result.cols = Bv.rows;
  std::size_t total = 0;
  for (const auto& b : blocks) total += b.data.size();
  result.indices.reserve(total);
  result.data.reserve(total);
  result.indptr.reserve(static_cast<std::size_t>(A.rows) + 1);
  for (auto& b : blocks) {
    for (auto n : b.row_nnz) result.indptr.push_back(result.indptr.back() + n);
    result.indices.insert(result.indices.end(), b.indices.begin(), b.indices.end());
    result.data.insert(result.data.end(), b.data.begin(), b.data.end());
    b = Block{};
  }
  return result;
}

#define LEXSIM_TOPK_INSTANTIATE(T, IP, I) \
  template CsrMatrix<T> top_k<T, IP, I>(const CsrView<T, IP, I>&, const CsrView<T, IP, I>*, const TopKOptions&);
LEXSIM_TOPK_INSTANTIATE(double, std::int64_t, std::int32_t)
LEXSIM_TOPK_INSTANTIATE(float, std::int64_t, std::int32_t)
LEXSIM_TOPK_INSTANTIATE(double, std::int32_t, std::int32_t)
LEXSIM_TOPK_INSTANTIATE(float, std::int32_t, std::int32_t)
#undef LEXSIM_TOPK_INSTANTIATE

SparseMatrix<double> top_k(const SparseMatrix<double>& A, const TopKOptions& options) {
  const auto a = view(A);
  return to_eigen(top_k(a, static_cast<decltype(&a)>(nullptr), options));
}

SparseMatrix<double> top_k(const SparseMatrix<double>& A, const SparseMatrix<double>& B, const TopKOptions& options) {
  const auto a = view(A);
  const auto b = view(B);
  return to_eigen(top_k(a, &b, options));
}

}  // namespace lexsim
