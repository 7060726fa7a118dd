#include "lexsim/similarity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "parallel.hpp"
#include "prepared.hpp"
#include "rows.hpp"
#include "ranking.hpp"

namespace lexsim {
namespace {

using detail::check_view;
using detail::Postings;
using detail::PostingsView;
using detail::transpose;
using detail::unit_rows;

// One scored candidate. `better` is the ranking everywhere: higher score, ties to the lower index.
template <class T>
struct Hit {
  T score;
  std::int32_t index;
};

template <class T>
inline bool better(const Hit<T>& x, const Hit<T>& y) noexcept {
  return detail::ranks_before(x.score, x.index, y.score, y.index);
}

// The k best hits of one row in heap[0, size), worst on top. `floor` is what a score must reach to
// be worth offering: -inf (or the threshold) until the heap is full, then the worst score kept.
// Candidates equal to the floor are offered too, so the result never depends on the order in
// which they arrive.
template <class T>
inline void offer(Hit<T>* heap, std::int32_t& size, T& floor, std::size_t k, Hit<T> h) {
  if (static_cast<std::size_t>(size) < k) {
    heap[size++] = h;
    std::push_heap(heap, heap + size, better<T>);
    if (static_cast<std::size_t>(size) == k) floor = heap[0].score;
    return;
  }
  if (!better(h, heap[0])) return;
  std::pop_heap(heap, heap + size, better<T>);
  heap[size - 1] = h;
  std::push_heap(heap, heap + size, better<T>);
  floor = heap[0].score;
}

// Per-thread scratch for Gustavson's row product with a dense accumulator: acc holds the dot
// products of one row of A with the rows of B, and is all zeros between rows.
template <class T>
struct Accumulator {
  explicit Accumulator(std::size_t n) : acc(n, T(0)), stamp(n, -1) {}
  std::vector<T> acc;
  std::vector<std::int64_t> stamp;  // the last row of A that touched each row of B
  std::vector<std::int32_t> touched;
  bool dense = false;  // true: read acc over [lo, rows); false: only at `touched`
};

// Adds row i of A times B^T into s.acc for the rows of B at or after lo. When the products reach a
// large part of [lo, rows) the caller scans that range; otherwise it reads the touched list.
template <class T, class IndPtr, class Ind>
void accumulate_row(const CsrView<T, IndPtr, Ind>& A, const std::vector<T>& a_values, std::int64_t i,
                    const PostingsView<T>& post, std::int32_t lo, std::int32_t rows, Accumulator<T>& s) {
  const auto p_begin = static_cast<std::size_t>(A.indptr[i]), p_end = static_cast<std::size_t>(A.indptr[i + 1]);
  auto suffix = [&](std::size_t c) {  // the part of a posting list (increasing rows) at or after lo
    const std::int32_t* first = post.row + post.start[c];
    const std::int32_t* last = post.row + post.start[c + 1];
    return std::make_pair(lo > 0 ? std::lower_bound(first, last, lo) : first, last);
  };
  std::size_t work = 0;
  for (std::size_t p = p_begin; p < p_end; ++p) {
    const auto [q, last] = suffix(static_cast<std::size_t>(A.indices[p]));
    work += static_cast<std::size_t>(last - q);
  }
  s.touched.clear();
  s.dense = work * 4 >= static_cast<std::size_t>(rows - lo);
  T* acc = s.acc.data();
  for (std::size_t p = p_begin; p < p_end; ++p) {
    auto [q, last] = suffix(static_cast<std::size_t>(A.indices[p]));
    const T av = a_values[p];
    const T* v = post.value + (q - post.row);
    if (s.dense) {
      for (; q != last; ++q, ++v) acc[*q] += av * *v;
      continue;
    }
    for (; q != last; ++q, ++v) {
      const auto j = static_cast<std::size_t>(*q);
      if (s.stamp[j] != i) {
        s.stamp[j] = i;
        s.touched.push_back(*q);
      }
      acc[j] += av * *v;
    }
  }
}

// Calls visit(j, score) for the rows whose accumulated score may matter, zeroing acc as it goes.
// keep(j, x) is a cheap test that must be true for every score that matters; in the dense case it
// is applied to blocks of 8 so that most of the range is passed over without branching per row.
template <class T, class Keep, class Visit>
void drain_row(Accumulator<T>& s, std::int32_t lo, std::int32_t rows, Keep&& keep, Visit&& visit) {
  T* acc = s.acc.data();
  auto one = [&](std::int32_t j) {
    const T x = acc[j];
    acc[j] = T(0);
    if (x != T(0) && keep(j, x)) visit(j, x);
  };
  if (!s.dense) {
    for (const std::int32_t j : s.touched) one(j);
    return;
  }
  std::int32_t j = lo;
  for (; j + 8 <= rows; j += 8) {
    bool any = false;
    for (int u = 0; u < 8; ++u) any |= keep(j + u, acc[j + u]);
    if (!any) {
      std::fill(acc + j, acc + j + 8, T(0));
      continue;
    }
    for (int u = 0; u < 8; ++u) one(j + u);
  }
  for (; j < rows; ++j) one(j);
}

// Rows in column order: the heap's hits sorted by index, appended to a block of output rows.
template <class T>
struct Block {
  std::vector<std::int64_t> row_nnz;
  std::vector<std::int32_t> indices;
  std::vector<T> data;

  void append(Hit<T>* hits, std::size_t n) {
    std::sort(hits, hits + n, [](const Hit<T>& x, const Hit<T>& y) { return x.index < y.index; });
    row_nnz.push_back(static_cast<std::int64_t>(n));
    for (std::size_t p = 0; p < n; ++p) {
      indices.push_back(hits[p].index);
      data.push_back(hits[p].score);
    }
  }
};

template <class T>
CsrMatrix<T> concatenate(std::int64_t rows, std::int64_t cols, std::vector<Block<T>>& blocks) {
  CsrMatrix<T> result;
  result.rows = rows;
  result.cols = cols;
  std::size_t total = 0;
  for (const auto& b : blocks) total += b.data.size();
  result.indices.reserve(total);
  result.data.reserve(total);
  result.indptr.reserve(static_cast<std::size_t>(rows) + 1);
  for (auto& b : blocks) {
    for (auto n : b.row_nnz) result.indptr.push_back(result.indptr.back() + n);
    result.indices.insert(result.indices.end(), b.indices.begin(), b.indices.end());
    result.data.insert(result.data.end(), b.data.begin(), b.data.end());
    b = Block<T>{};
  }
  return result;
}

// The self-join keeps per-thread heaps for every row so that each pair is scored once. Above this
// many bytes for all of them, each row is scored against all rows instead (scratch per thread only).
constexpr std::size_t kSymmetricBudget = std::size_t{1} << 30;

// Self-join scoring each pair (i, j), i < j, once and offering it to both rows. The dot product
// runs over the shared columns in increasing order either way, so it is the same number the
// one-sided path computes for (i, j) and for (j, i). Rows early in the matrix pair with more rows,
// so work is handed out in small chunks; which thread scores a pair does not change the result,
// because the final selection per row is over a fixed set of candidates.
template <class T, class IndPtr, class Ind>
CsrMatrix<T> top_k_symmetric(const CsrView<T, IndPtr, Ind>& A, const std::vector<T>& values,
                             const PostingsView<T>& post, std::size_t k, std::optional<double> threshold, int workers) {
  const auto rows = static_cast<std::size_t>(A.rows);
  const auto n = static_cast<std::int32_t>(A.rows);
  const T floor0 = threshold ? static_cast<T>(*threshold) : -std::numeric_limits<T>::infinity();
  struct Heaps {
    std::vector<Hit<T>> hits;
    std::vector<std::int32_t> size;
    std::vector<T> floor;
    std::unique_ptr<Accumulator<T>> scratch;
  };
  std::vector<Heaps> heaps(static_cast<std::size_t>(workers));
  detail::parallel_chunks(A.rows, workers, 16, [&](int w, std::int64_t begin, std::int64_t end) {
    Heaps& h = heaps[static_cast<std::size_t>(w)];
    if (!h.scratch) {
      h.hits.resize(rows * k);
      h.size.assign(rows, 0);
      h.floor.assign(rows, floor0);
      h.scratch = std::make_unique<Accumulator<T>>(rows);
    }
    Hit<T>* const hits = h.hits.data();
    std::int32_t* const size = h.size.data();
    T* const floor = h.floor.data();
    for (std::int64_t i = begin; i < end; ++i) {
      if (w == 0) detail::poll_interrupt();
      const auto ii = static_cast<std::int32_t>(i);
      accumulate_row(A, values, i, post, ii + 1, n, *h.scratch);
      T floor_i = floor[i];
      drain_row(
          *h.scratch, ii + 1, n, [&](std::int32_t j, T x) { return (x >= floor[j]) | (x >= floor_i); },
          [&](std::int32_t j, T x) {
            if (threshold && !(static_cast<double>(x) > *threshold)) return;
            if (x >= floor[j]) offer(hits + static_cast<std::size_t>(j) * k, size[j], floor[j], k, Hit<T>{x, ii});
            if (x >= floor_i) offer(hits + static_cast<std::size_t>(i) * k, size[i], floor_i, k, Hit<T>{x, j});
          });
      floor[i] = floor_i;
    }
  });
  for (auto& h : heaps) h.scratch.reset();

  // Merge the workers' heaps row by row.
  std::vector<Block<T>> blocks(static_cast<std::size_t>(workers));
  detail::parallel_blocks(A.rows, workers, [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken&) {
    Block<T>& out = blocks[static_cast<std::size_t>(w)];
    std::vector<Hit<T>> merged;
    for (std::int64_t i = begin; i < end; ++i) {
      const auto iu = static_cast<std::size_t>(i);
      merged.clear();
      for (const Heaps& h : heaps) {
        if (h.hits.empty()) continue;
        const Hit<T>* hi = h.hits.data() + iu * k;
        merged.insert(merged.end(), hi, hi + h.size[iu]);
      }
      if (merged.size() > k) {
        std::nth_element(merged.begin(), merged.begin() + static_cast<std::ptrdiff_t>(k), merged.end(), better<T>);
        merged.resize(k);
      }
      out.append(merged.data(), merged.size());
    }
  });
  return concatenate(A.rows, A.rows, blocks);
}

// Each row of A against all rows of B (given by its postings), in contiguous blocks concatenated
// in order. `self`: A is B, and a row's match with itself is left out.
// Below this many rows of B a dense accumulator is always used (its scratch is small).
constexpr std::int64_t kDenseFloor = 1 << 16;

// Row i of A times B^T without a dense accumulator: the products gathered as (row of B, product)
// in the order the dense path adds them, stably sorted by row and summed run by run, so each sum
// is the same floating-point number the dense path computes. For few products over a huge B.
template <class T, class IndPtr, class Ind, class Visit>
void sparse_row(const CsrView<T, IndPtr, Ind>& A, const std::vector<T>& a_values, std::int64_t i,
                const PostingsView<T>& post, std::vector<Hit<T>>& products, Visit&& visit) {
  products.clear();
  for (auto p = static_cast<std::size_t>(A.indptr[i]); p < static_cast<std::size_t>(A.indptr[i + 1]); ++p) {
    const auto c = static_cast<std::size_t>(A.indices[p]);
    const T av = a_values[p];
    for (auto q = post.start[c]; q < post.start[c + 1]; ++q) {
      const auto qq = static_cast<std::size_t>(q);
      products.push_back(Hit<T>{av * post.value[qq], post.row[qq]});
    }
  }
  std::stable_sort(products.begin(), products.end(),
                   [](const Hit<T>& x, const Hit<T>& y) { return x.index < y.index; });
  for (std::size_t a = 0; a < products.size();) {
    const std::int32_t j = products[a].index;
    T x = T(0);
    for (; a < products.size() && products[a].index == j; ++a) x += products[a].score;
    if (x != T(0)) visit(j, x);
  }
}

template <class T, class IndPtr, class Ind>
CsrMatrix<T> top_k_one_sided(const CsrView<T, IndPtr, Ind>& A, const std::vector<T>& a_values,
                             const PostingsView<T>& post, std::int64_t b_rows, std::size_t k,
                             std::optional<double> threshold, int workers, bool self) {
  // Only rows of B below `span` hold a column of A (posting lists are increasing), and `work`
  // products are added in all. The dense accumulator (12 bytes per row of B and thread) is sized to
  // the span, and not used at all when the span is far larger than the work: a few queries against
  // a large index (or a small file that claims a huge one) then cost memory in proportion to what
  // they read.
  std::int64_t span = 0;
  std::size_t work = 0;
  const auto a_nnz = A.rows > 0 ? static_cast<std::size_t>(A.indptr[A.rows]) : 0;
  for (std::size_t p = 0; p < a_nnz; ++p) {
    const auto c = static_cast<std::size_t>(A.indices[p]);
    const auto b = post.start[c], e = post.start[c + 1];
    if (e > b) span = std::max<std::int64_t>(span, std::int64_t{post.row[e - 1]} + 1);
    work += static_cast<std::size_t>(e - b);
  }
  span = std::min(span, b_rows);
  const bool dense = span <= std::max<std::int64_t>(
                                 kDenseFloor, 4 * static_cast<std::int64_t>(std::min<std::size_t>(work, INT32_MAX)));
  const auto n_b = static_cast<std::int32_t>(span);
  const T floor0 = threshold ? static_cast<T>(*threshold) : -std::numeric_limits<T>::infinity();
  std::vector<Block<T>> blocks(static_cast<std::size_t>(workers));
  detail::parallel_blocks(A.rows, workers,
                          [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
                            Block<T>& out = blocks[static_cast<std::size_t>(w)];
                            std::optional<Accumulator<T>> scratch;
                            std::vector<Hit<T>> products;
                            if (dense) scratch.emplace(static_cast<std::size_t>(n_b));
                            std::vector<Hit<T>> heap(k);
                            for (std::int64_t i = begin; i < end; ++i) {
                              if (w == 0) detail::poll_interrupt();  // the calling thread's check (worker 0 runs on it)
                              if (stop.requested()) return;
                              std::int32_t size = 0;
                              T floor = floor0;
                              auto take = [&](std::int32_t j, T x) {
                                if (self && j == i) return;
                                if (threshold && !(static_cast<double>(x) > *threshold)) return;
                                offer(heap.data(), size, floor, k, Hit<T>{x, j});
                              };
                              if (dense) {
                                accumulate_row(A, a_values, i, post, 0, n_b, *scratch);
                                drain_row(
                                    *scratch, 0, n_b, [&](std::int32_t, T x) { return x >= floor; }, take);
                              } else {
                                sparse_row(A, a_values, i, post, products, [&](std::int32_t j, T x) {
                                  if (x >= floor) take(j, x);
                                });
                              }
                              out.append(heap.data(), static_cast<std::size_t>(size));
                            }
                          });
  return concatenate(A.rows, b_rows, blocks);
}

template <class T, class IndPtr, class Ind>
std::vector<T> row_values(const CsrView<T, IndPtr, Ind>& m, bool normalize) {
  if (normalize) return unit_rows(m);
  const auto nnz = m.rows > 0 ? static_cast<std::size_t>(m.indptr[m.rows]) : 0;
  return std::vector<T>(m.data, m.data + nnz);
}

void check_top_k_options(const TopKOptions& options) {
  if (options.k <= 0) throw InvalidArgument("k must be a positive integer; got " + std::to_string(options.k));
  if (options.threshold && std::isnan(*options.threshold)) throw InvalidArgument("threshold must not be NaN");
}

}  // namespace

template <class T, class IndPtr, class Ind>
CsrMatrix<T> top_k(const CsrView<T, IndPtr, Ind>& A, const CsrView<T, IndPtr, Ind>* B, const TopKOptions& options) {
  check_top_k_options(options);
  const bool self = B == nullptr;
  const CsrView<T, IndPtr, Ind>& Bv = self ? A : *B;
  check_view(A, "A");
  if (!self) check_view(Bv, "B");
  if (A.cols != Bv.cols)
    throw InvalidArgument("A and B must have the same number of columns; got " + std::to_string(A.cols) + " and " +
                          std::to_string(Bv.cols));
  if (Bv.rows > INT32_MAX) throw InvalidArgument("B has more than 2^31-1 rows");

  const std::vector<T> a_values = row_values(A, options.normalize);
  const std::vector<T> b_values = self ? std::vector<T>{} : row_values(Bv, options.normalize);
  const Postings<T> post = transpose(Bv, self ? a_values : b_values);
  const auto k = static_cast<std::size_t>(std::min<std::int64_t>(options.k, std::max<std::int64_t>(Bv.rows, 1)));
  const std::optional<double> threshold = options.threshold;
  const int workers = detail::resolve_jobs(options.n_jobs, A.rows);

  const std::size_t heap_bytes =
      static_cast<std::size_t>(A.rows) * k * sizeof(Hit<T>) * static_cast<std::size_t>(workers);
  if (self && A.rows > 1 && heap_bytes <= kSymmetricBudget)
    return top_k_symmetric(A, a_values, post.view(), k, threshold, workers);

  return top_k_one_sided(A, a_values, post.view(), Bv.rows, k, threshold, workers, self);
}

#define LEXSIM_TOPK_INSTANTIATE(T, IP, I) \
  template CsrMatrix<T> top_k<T, IP, I>(const CsrView<T, IP, I>&, const CsrView<T, IP, I>*, const TopKOptions&);
LEXSIM_TOPK_INSTANTIATE(double, std::int64_t, std::int32_t)
LEXSIM_TOPK_INSTANTIATE(float, std::int64_t, std::int32_t)
LEXSIM_TOPK_INSTANTIATE(double, std::int32_t, std::int32_t)
LEXSIM_TOPK_INSTANTIATE(float, std::int32_t, std::int32_t)
#undef LEXSIM_TOPK_INSTANTIATE

namespace detail {
template <class T, class IndPtr, class Ind>
CsrMatrix<T> top_k_prepared(const CsrView<T, IndPtr, Ind>& A, const TopKOptions& options, const PostingsView<T>& post,
                            std::int64_t b_rows, std::int64_t b_cols) {
  check_top_k_options(options);
  check_view(A, "A");
  if (A.cols != b_cols)
    throw InvalidArgument("A and B must have the same number of columns; got " + std::to_string(A.cols) + " and " +
                          std::to_string(b_cols));
  const auto k = static_cast<std::size_t>(std::min<std::int64_t>(options.k, std::max<std::int64_t>(b_rows, 1)));
  const int workers = resolve_jobs(options.n_jobs, A.rows);
  return top_k_one_sided(A, row_values(A, options.normalize), post, b_rows, k, options.threshold, workers, false);
}

#define LEXSIM_TOPK_PREPARED_INSTANTIATE(T, IP, I)                                                                     \
  template CsrMatrix<T> top_k_prepared<T, IP, I>(const CsrView<T, IP, I>&, const TopKOptions&, const PostingsView<T>&, \
                                                 std::int64_t, std::int64_t);
LEXSIM_TOPK_PREPARED_INSTANTIATE(double, std::int64_t, std::int32_t)
LEXSIM_TOPK_PREPARED_INSTANTIATE(float, std::int64_t, std::int32_t)
LEXSIM_TOPK_PREPARED_INSTANTIATE(double, std::int32_t, std::int32_t)
LEXSIM_TOPK_PREPARED_INSTANTIATE(float, std::int32_t, std::int32_t)
#undef LEXSIM_TOPK_PREPARED_INSTANTIATE
}  // namespace detail

template <class T>
struct TopKIndex<T>::Prepared {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  Postings<T> post;
};

template <class T>
template <class IndPtr, class Ind>
TopKIndex<T>::TopKIndex(const CsrView<T, IndPtr, Ind>& B, bool normalize) {
  check_view(B, "B");
  if (B.rows > INT32_MAX) throw InvalidArgument("B has more than 2^31-1 rows");
  auto p = std::make_shared<Prepared>();
  p->rows = B.rows;
  p->cols = B.cols;
  p->post = transpose(B, row_values(B, normalize));
  prepared_ = std::move(p);
}

template <class T>
template <class IndPtr, class Ind>
CsrMatrix<T> TopKIndex<T>::top_k(const CsrView<T, IndPtr, Ind>& A, const TopKOptions& options) const {
  return detail::top_k_prepared(A, options, prepared_->post.view(), prepared_->rows, prepared_->cols);
}

template <class T>
std::int64_t TopKIndex<T>::rows() const noexcept {
  return prepared_->rows;
}

template <class T>
std::int64_t TopKIndex<T>::cols() const noexcept {
  return prepared_->cols;
}

template class TopKIndex<double>;
template class TopKIndex<float>;
#define LEXSIM_TOPK_INDEX_INSTANTIATE(T, IP, I)                     \
  template TopKIndex<T>::TopKIndex(const CsrView<T, IP, I>&, bool); \
  template CsrMatrix<T> TopKIndex<T>::top_k<IP, I>(const CsrView<T, IP, I>&, const TopKOptions&) const;
LEXSIM_TOPK_INDEX_INSTANTIATE(double, std::int64_t, std::int32_t)
LEXSIM_TOPK_INDEX_INSTANTIATE(float, std::int64_t, std::int32_t)
LEXSIM_TOPK_INDEX_INSTANTIATE(double, std::int32_t, std::int32_t)
LEXSIM_TOPK_INDEX_INSTANTIATE(float, std::int32_t, std::int32_t)
#undef LEXSIM_TOPK_INDEX_INSTANTIATE

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
