// similar_pairs (all pairs above a cosine threshold) and story groups: single linkage over those
// pairs, or Leiden communities of the nearest-neighbour graph.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "lexsim/similarity.hpp"
#include "leiden.hpp"
#include "parallel.hpp"
#include "rows.hpp"
#include "ranking.hpp"

namespace lexsim {
namespace {

// Relative slack on every bound, far above the rounding of a sum of a few thousand products: a
// bound may let a few extra candidates through to the exact check, never keep a match out.
constexpr double kSlack = 1e-9;

void check_threshold(double threshold) {
  if (std::isnan(threshold)) throw InvalidArgument("threshold must not be NaN");
  if (!(threshold > 0.0 && threshold <= 1.0))
    throw InvalidArgument("threshold must be in (0, 1] (a threshold <= 0 would pair every two documents); got " +
                          std::to_string(threshold));
}

// The index of the prefix-filtering search. Columns are ranked from the most to the least
// frequent; each row splits, in that order, into a prefix whose norm is below the threshold and
// the suffix. If two unit rows have cosine >= t, the shared column that comes last in the order
// lies in both suffixes (otherwise every shared column is in one row's prefix, and Cauchy-Schwarz
// bounds the cosine by that prefix's norm, < t). So only suffix columns are indexed and probed.
template <class T>
struct PrefixIndex {
  std::vector<double> prefix_norm;      // per row: the norm of its prefix (with slack)
  std::vector<std::uint8_t> suffix_at;  // per stored value: 1 when it is in its row's suffix
  detail::Postings<T> suffix;           // per column: the rows holding it in their suffix
};

template <class T, class IndPtr, class Ind>
PrefixIndex<T> build_index(const CsrView<T, IndPtr, Ind>& X, const std::vector<T>& values, double t) {
  const auto cols = static_cast<std::size_t>(X.cols);
  const auto nnz = X.rows > 0 ? static_cast<std::size_t>(X.indptr[X.rows]) : 0;
  std::vector<std::int64_t> df(cols, 0);
  for (std::size_t p = 0; p < nnz; ++p) ++df[static_cast<std::size_t>(X.indices[p])];
  std::vector<std::int32_t> by_df(cols);
  std::iota(by_df.begin(), by_df.end(), 0);
  std::stable_sort(by_df.begin(), by_df.end(), [&](std::int32_t a, std::int32_t b) { return df[a] > df[b]; });
  std::vector<std::int32_t> rank(cols);
  for (std::size_t r = 0; r < cols; ++r) rank[static_cast<std::size_t>(by_df[r])] = static_cast<std::int32_t>(r);

  PrefixIndex<T> index;
  index.prefix_norm.assign(static_cast<std::size_t>(X.rows), 0.0);
  index.suffix_at.assign(nnz, 0);
  std::vector<std::size_t> order;
  for (std::int64_t r = 0; r < X.rows; ++r) {
    const auto b = static_cast<std::size_t>(X.indptr[r]), e = static_cast<std::size_t>(X.indptr[r + 1]);
    order.resize(e - b);
    std::iota(order.begin(), order.end(), b);
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return rank[static_cast<std::size_t>(X.indices[x])] < rank[static_cast<std::size_t>(X.indices[y])];
    });
    double sum = 0;
    std::size_t cut = 0;
    for (; cut < order.size(); ++cut) {
      const double v = static_cast<double>(values[order[cut]]);
      if (std::sqrt(sum + v * v) * (1 + kSlack) >= t) break;
      sum += v * v;
    }
    index.prefix_norm[static_cast<std::size_t>(r)] = std::sqrt(sum) * (1 + kSlack);
    for (std::size_t q = cut; q < order.size(); ++q) index.suffix_at[order[q]] = 1;
  }

  // Posting lists over the suffix entries only, rows increasing.
  auto& post = index.suffix;
  post.start.assign(cols + 1, 0);
  for (std::size_t p = 0; p < nnz; ++p)
    if (index.suffix_at[p]) ++post.start[static_cast<std::size_t>(X.indices[p]) + 1];
  for (std::size_t c = 0; c < cols; ++c) post.start[c + 1] += post.start[c];
  post.row.resize(static_cast<std::size_t>(post.start[cols]));
  post.value.resize(post.row.size());
  std::vector<std::int64_t> fill(post.start.begin(), post.start.end() - 1);
  for (std::int64_t r = 0; r < X.rows; ++r) {
    for (auto p = static_cast<std::size_t>(X.indptr[r]); p < static_cast<std::size_t>(X.indptr[r + 1]); ++p) {
      if (!index.suffix_at[p]) continue;
      const auto at = static_cast<std::size_t>(fill[static_cast<std::size_t>(X.indices[p])]++);
      post.row[at] = static_cast<std::int32_t>(r);
      post.value[at] = values[p];
    }
  }
  return index;
}

}  // namespace

template <class T, class IndPtr, class Ind>
Pairs<T> similar_pairs(const CsrView<T, IndPtr, Ind>& X, const PairsOptions& options) {
  check_threshold(options.threshold);
  detail::check_view(X, "X");
  if (X.rows > INT32_MAX) throw InvalidArgument("X has more than 2^31-1 rows");
  const double t = options.threshold;
  const std::vector<T> values = detail::unit_rows(X);
  const PrefixIndex<T> index = build_index(X, values, t);
  const auto& post = index.suffix;
  const auto rows = static_cast<std::int32_t>(X.rows);

  // Rows early in the matrix pair with more rows: chunks handed out on demand, each writing its
  // own slot, concatenated in order.
  constexpr std::int64_t kChunk = 64;
  const auto n_chunks = static_cast<std::size_t>((X.rows + kChunk - 1) / kChunk);
  std::vector<Pairs<T>> found(n_chunks);
  const int workers = detail::resolve_jobs(options.n_jobs, X.rows);
  struct Scratch {
    std::vector<T> acc, dense;
    std::vector<std::int64_t> stamp;
    std::vector<std::int32_t> touched;
  };
  std::vector<Scratch> scratch(static_cast<std::size_t>(workers));
  detail::parallel_chunks(X.rows, workers, kChunk, [&](int w, std::int64_t begin, std::int64_t end) {
    Scratch& s = scratch[static_cast<std::size_t>(w)];
    if (s.acc.empty() && rows > 0) {
      s.acc.assign(static_cast<std::size_t>(rows), T(0));
      s.stamp.assign(static_cast<std::size_t>(rows), -1);
      s.dense.assign(static_cast<std::size_t>(X.cols), T(0));
    }
    Pairs<T>& out = found[static_cast<std::size_t>(begin / kChunk)];
    for (std::int64_t x = begin; x < end; ++x) {
      if (w == 0) detail::poll_interrupt();
      const auto xb = static_cast<std::size_t>(X.indptr[x]), xe = static_cast<std::size_t>(X.indptr[x + 1]);
      // Partial dot products over the columns in both suffixes, with the later rows only.
      s.touched.clear();
      for (std::size_t p = xb; p < xe; ++p) {
        if (!index.suffix_at[p]) continue;
        const auto c = static_cast<std::size_t>(X.indices[p]);
        const std::int32_t* first = post.row.data() + post.start[c];
        const std::int32_t* last = post.row.data() + post.start[c + 1];
        const std::int32_t* q = std::upper_bound(first, last, static_cast<std::int32_t>(x));
        const T xv = values[p];
        for (const T* v = post.value.data() + (q - post.row.data()); q != last; ++q, ++v) {
          const auto y = static_cast<std::size_t>(*q);
          if (s.stamp[y] != x) {
            s.stamp[y] = x;
            s.touched.push_back(*q);
          }
          s.acc[y] += xv * *v;
        }
      }
      if (s.touched.empty()) continue;
      // The rest of a dot product runs over columns in one of the two prefixes; prefixes are
      // nested (one global order), so it is at most the larger prefix norm.
      for (std::size_t p = xb; p < xe; ++p) s.dense[static_cast<std::size_t>(X.indices[p])] = values[p];
      std::sort(s.touched.begin(), s.touched.end());
      const double px = index.prefix_norm[static_cast<std::size_t>(x)];
      for (const std::int32_t y : s.touched) {
        const auto yu = static_cast<std::size_t>(y);
        const double upper = (static_cast<double>(s.acc[yu]) + std::max(px, index.prefix_norm[yu])) * (1 + kSlack);
        s.acc[yu] = T(0);
        if (upper < t) continue;
        // The exact score, over the shared columns in increasing order as top_k sums it.
        T dot = T(0);
        for (auto q = static_cast<std::size_t>(X.indptr[y]); q < static_cast<std::size_t>(X.indptr[y + 1]); ++q)
          dot += s.dense[static_cast<std::size_t>(X.indices[q])] * values[q];
        if (static_cast<double>(dot) >= t) {
          out.rows.push_back(static_cast<std::int32_t>(x));
          out.cols.push_back(y);
          out.scores.push_back(dot);
        }
      }
      for (std::size_t p = xb; p < xe; ++p) s.dense[static_cast<std::size_t>(X.indices[p])] = T(0);
    }
  });

  Pairs<T> result;
  std::size_t total = 0;
  for (const auto& f : found) total += f.size();
  result.rows.reserve(total);
  result.cols.reserve(total);
  result.scores.reserve(total);
  for (auto& f : found) {
    result.rows.insert(result.rows.end(), f.rows.begin(), f.rows.end());
    result.cols.insert(result.cols.end(), f.cols.begin(), f.cols.end());
    result.scores.insert(result.scores.end(), f.scores.begin(), f.scores.end());
    f = Pairs<T>{};
  }
  return result;
}

std::int64_t derived_neighbors(std::int64_t n) noexcept {
  if (n < 2) return 1;
  const auto k = static_cast<std::int64_t>(std::lround(std::log2(static_cast<double>(n))));
  return std::clamp<std::int64_t>(k, 1, 10);
}

namespace {

// Single linkage: the connected components of the pairs with cosine >= threshold (union-find,
// each component named by its lowest row).
template <class T, class IndPtr, class Ind>
std::vector<std::int32_t> single_linkage(const CsrView<T, IndPtr, Ind>& X, const GroupOptions& options,
                                         std::int64_t& n_links) {
  if (!options.threshold)
    throw InvalidArgument("method 'single' needs a threshold: documents are linked when their cosine is >= it");
  PairsOptions po;
  po.threshold = *options.threshold;
  po.n_jobs = options.n_jobs;
  const Pairs<T> pairs = similar_pairs(X, po);
  n_links = static_cast<std::int64_t>(pairs.size());
  const auto n = static_cast<std::size_t>(X.rows);
  std::vector<std::int32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::int32_t v) {
    while (parent[static_cast<std::size_t>(v)] != v) {
      parent[static_cast<std::size_t>(v)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(v)])];
      v = parent[static_cast<std::size_t>(v)];
    }
    return v;
  };
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    const std::int32_t a = find(pairs.rows[p]), b = find(pairs.cols[p]);
    if (a != b) parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
  }
  for (std::size_t v = 0; v < n; ++v) parent[v] = find(static_cast<std::int32_t>(v));
  return parent;
}

// The graph Leiden groups: each row linked to its k most similar rows (cosine), keeping only the
// links to rows that share at least min_shared columns with it (and, when asked, score at least the
// threshold and are at most date_window apart), made undirected. Bounded by rows x k links.
//
// Candidates come through the row's columns held by at most max(1000, rows / 1000) rows: two rows
// linked only through words that common (said, people, like) are not the same story, and walking
// those posting lists is what makes a plain k-nearest-neighbour search quadratic on large corpora.
// Scores stay exact cosines: the common columns' products are looked up in each candidate's row.
// Walking stops even earlier when it cannot change the top k (MaxScore, Turtle & Flood 1995): with
// columns taken rarest first, each candidate's partial sum is a lower bound of its cosine (weights
// are non-negative), and once the most the remaining columns can add is below the k-th best
// partial sum, no row outside the candidates can enter the top k.
constexpr std::int64_t kCommonPostings = 1000;

template <class T, class IndPtr, class Ind>
detail::Graph neighbour_graph(const CsrView<T, IndPtr, Ind>& X, const GroupOptions& options, std::int64_t k) {
  const auto n = static_cast<std::size_t>(X.rows);
  const auto cols = static_cast<std::size_t>(X.cols);
  const auto nnz = static_cast<std::size_t>(X.rows > 0 ? X.indptr[X.rows] : 0);
  const std::vector<T> values = detail::unit_rows(X);
  const detail::Postings<T> post = detail::transpose(X, values);
  bool non_negative = true;
  std::vector<double> column_max(cols, 0.0);
  for (std::size_t p = 0; p < nnz; ++p) {
    const double v = static_cast<double>(values[p]);
    non_negative &= v >= 0.0;
    auto& mx = column_max[static_cast<std::size_t>(X.indices[p])];
    mx = std::max(mx, v);
  }
  // Each row's columns sorted, for looking products up by column.
  std::vector<std::int32_t> row_cols(nnz);
  std::vector<double> row_vals(nnz);
  {
    std::vector<std::pair<std::int32_t, double>> tmp;
    for (std::size_t r = 0; r < n; ++r) {
      const auto b = static_cast<std::size_t>(X.indptr[r]), e = static_cast<std::size_t>(X.indptr[r + 1]);
      tmp.clear();
      for (std::size_t p = b; p < e; ++p)
        tmp.emplace_back(static_cast<std::int32_t>(X.indices[p]), static_cast<double>(values[p]));
      std::sort(tmp.begin(), tmp.end());
      for (std::size_t p = b; p < e; ++p) {
        row_cols[p] = tmp[p - b].first;
        row_vals[p] = tmp[p - b].second;
      }
    }
  }
  // Words in more documents than this do not bring candidates (they still count in the scores).
  const auto common = static_cast<std::size_t>(std::max<std::int64_t>(kCommonPostings, X.rows / 1000));
  const bool use_dates = options.date_window > 0.0;
  const auto m = static_cast<std::int32_t>(options.min_shared);
  const auto kk = static_cast<std::size_t>(k);
  // Per row: its kept links (index, score) in [row * k, row * k + count[row]).
  std::vector<std::int32_t> hit_index(n * kk);
  std::vector<double> hit_score(n * kk);
  std::vector<std::int32_t> count(n, 0);
  const int workers = detail::resolve_jobs(options.n_jobs, X.rows);
  detail::parallel_chunks(X.rows, workers, 64, [&](int w, std::int64_t begin, std::int64_t end) {
    std::vector<double> acc(n, 0.0);
    std::vector<std::int32_t> shared(n, 0);
    std::vector<std::uint8_t> seen(n, 0);
    std::vector<std::int32_t> touched;
    std::vector<double> partial;
    std::vector<std::pair<std::int64_t, std::size_t>> order;  // (posting length, position) of row i's columns
    std::vector<double> rest;                                 // rest[o]: the most columns o.. can add
    std::vector<std::pair<double, std::int32_t>> best;
    for (std::int64_t r = begin; r < end; ++r) {
      if (w == 0) detail::poll_interrupt();
      const auto i = static_cast<std::size_t>(r);
      const auto pb = static_cast<std::size_t>(X.indptr[r]), pe = static_cast<std::size_t>(X.indptr[r + 1]);
      order.clear();
      for (std::size_t p = pb; p < pe; ++p) {
        const auto c = static_cast<std::size_t>(X.indices[p]);
        order.emplace_back(post.start[c + 1] - post.start[c], p);
      }
      std::sort(order.begin(), order.end());  // rarest first, ties by position
      rest.assign(order.size() + 1, 0.0);
      for (std::size_t o = order.size(); o-- > 0;) {
        const std::size_t p = order[o].second;
        rest[o] = rest[o + 1] + static_cast<double>(values[p]) * column_max[static_cast<std::size_t>(X.indices[p])];
      }
      touched.clear();
      std::size_t o = 0;
      for (; o < order.size(); ++o) {
        const auto length = static_cast<std::size_t>(order[o].first);
        if (length > common) break;  // this column and the rest: common words
        if (non_negative && touched.size() >= kk && length > touched.size()) {
          partial.clear();
          for (const std::int32_t j : touched) partial.push_back(acc[static_cast<std::size_t>(j)]);
          std::nth_element(partial.begin(), partial.begin() + static_cast<std::ptrdiff_t>(kk - 1), partial.end(),
                           std::greater<double>());
          // Strictly below: a row reaching only the k-th score could still win its tie.
          if (rest[o] * (1.0 + 1e-9) < partial[kk - 1]) break;
        }
        const std::size_t p = order[o].second;
        const auto c = static_cast<std::size_t>(X.indices[p]);
        const double v = static_cast<double>(values[p]);
        for (auto q = static_cast<std::size_t>(post.start[c]); q < static_cast<std::size_t>(post.start[c + 1]); ++q) {
          const auto j = static_cast<std::size_t>(post.row[q]);
          if (j == i) continue;
          if (!seen[j]) {
            seen[j] = 1;
            touched.push_back(static_cast<std::int32_t>(j));
          }
          ++shared[j];
          acc[j] += v * static_cast<double>(post.value[q]);
        }
      }
      // Only candidates whose partial sum plus the most the columns left can add reaches the k-th
      // best partial sum can still make the top k.
      if (o < order.size() && non_negative && touched.size() > kk) {
        partial.clear();
        for (const std::int32_t j : touched) partial.push_back(acc[static_cast<std::size_t>(j)]);
        std::nth_element(partial.begin(), partial.begin() + static_cast<std::ptrdiff_t>(kk - 1), partial.end(),
                         std::greater<double>());
        const double kth = partial[kk - 1];
        const double slack = rest[o] * (1.0 + 1e-9) + 1e-12;
        std::size_t kept = 0;
        for (const std::int32_t jj : touched) {
          const auto j = static_cast<std::size_t>(jj);
          if (acc[j] + slack >= kth) {
            touched[kept++] = jj;
          } else {
            acc[j] = 0.0;
            shared[j] = 0;
            seen[j] = 0;
          }
        }
        touched.resize(kept);
      }
      // The columns left: looked up in each candidate's row.
      for (; o < order.size(); ++o) {
        const std::size_t p = order[o].second;
        const auto c = static_cast<std::int32_t>(X.indices[p]);
        const double v = static_cast<double>(values[p]);
        for (const std::int32_t jj : touched) {
          const auto j = static_cast<std::size_t>(jj);
          const auto b = row_cols.begin() + X.indptr[j], e = row_cols.begin() + X.indptr[j + 1];
          const auto at = std::lower_bound(b, e, c);
          if (at != e && *at == c) {
            ++shared[j];
            acc[j] += v * row_vals[static_cast<std::size_t>(at - row_cols.begin())];
          }
        }
      }
      best.clear();
      for (const std::int32_t jj : touched) {
        const auto j = static_cast<std::size_t>(jj);
        if (acc[j] > 0.0) best.emplace_back(acc[j], jj);
      }
      const std::size_t top = std::min(kk, best.size());
      std::partial_sort(
          best.begin(), best.begin() + static_cast<std::ptrdiff_t>(top), best.end(),
          [](const auto& a, const auto& b) { return detail::ranks_before(a.first, a.second, b.first, b.second); });
      std::int32_t kept = 0;
      for (std::size_t h = 0; h < top; ++h) {
        const auto j = static_cast<std::size_t>(best[h].second);
        const double score = best[h].first;
        if (shared[j] < m) continue;
        if (options.threshold && score < *options.threshold) continue;
        if (use_dates && std::abs(options.dates[i] - options.dates[j]) > options.date_window) continue;  // NaN: kept
        hit_index[i * kk + static_cast<std::size_t>(kept)] = best[h].second;
        hit_score[i * kk + static_cast<std::size_t>(kept)] = score;
        ++kept;
      }
      count[i] = kept;
      for (const std::int32_t jj : touched) {
        const auto j = static_cast<std::size_t>(jj);
        acc[j] = 0.0;
        shared[j] = 0;
        seen[j] = 0;
      }
    }
  });

  std::vector<std::int64_t> degree(n + 1, 0);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t h = 0; h < static_cast<std::size_t>(count[r]); ++h) {
      ++degree[r + 1];
      ++degree[static_cast<std::size_t>(hit_index[r * kk + h]) + 1];
    }
  for (std::size_t r = 0; r < n; ++r) degree[r + 1] += degree[r];
  std::vector<std::pair<std::int32_t, double>> adjacency(static_cast<std::size_t>(degree[n]));
  {
    std::vector<std::int64_t> fill(degree.begin(), degree.end() - 1);
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t h = 0; h < static_cast<std::size_t>(count[r]); ++h) {
        const auto j = static_cast<std::size_t>(hit_index[r * kk + h]);
        const double w = hit_score[r * kk + h];
        adjacency[static_cast<std::size_t>(fill[r]++)] = {static_cast<std::int32_t>(j), w};
        adjacency[static_cast<std::size_t>(fill[j]++)] = {static_cast<std::int32_t>(r), w};
      }
  }
  hit_index = {};
  hit_score = {};
  detail::Graph g;
  g.offsets.reserve(n + 1);
  g.node_weight.assign(n, 0.0);
  for (std::size_t r = 0; r < n; ++r) {
    const auto b = adjacency.begin() + degree[r], e = adjacency.begin() + degree[r + 1];
    std::sort(b, e, [](const auto& x, const auto& y) {
      return x.first < y.first || (x.first == y.first && x.second > y.second);
    });
    std::int32_t last = -1;
    for (auto it = b; it != e; ++it) {
      if (it->first == last) continue;
      last = it->first;
      g.targets.push_back(it->first);
      g.weights.push_back(it->second);
      g.node_weight[r] += it->second;
    }
    g.offsets.push_back(static_cast<std::int64_t>(g.targets.size()));
  }
  return g;
}

template <class T, class IndPtr, class Ind>
std::vector<std::int32_t> leiden_groups(const CsrView<T, IndPtr, Ind>& X, const GroupOptions& options,
                                        std::int64_t& n_neighbors, std::int64_t& n_links, double& quality) {
  if (options.n_neighbors < 0)
    throw InvalidArgument("n_neighbors must be >= 0 (0: derived from the number of documents); got " +
                          std::to_string(options.n_neighbors));
  if (options.min_shared < 1)
    throw InvalidArgument("min_shared must be >= 1; got " + std::to_string(options.min_shared));
  if (!(options.resolution > 0.0) || !std::isfinite(options.resolution))
    throw InvalidArgument("resolution must be a positive number; got " + std::to_string(options.resolution));
  if (options.threshold) check_threshold(*options.threshold);
  if (std::isnan(options.date_window) || options.date_window < 0.0)
    throw InvalidArgument("date_window must be >= 0 (0: dates unused); got " + std::to_string(options.date_window));
  if (options.date_window > 0.0 && static_cast<std::int64_t>(options.dates.size()) != X.rows)
    throw InvalidArgument("dates must have one value per row: got " + std::to_string(options.dates.size()) + " for " +
                          std::to_string(X.rows) + " rows");
  n_neighbors = options.n_neighbors > 0 ? options.n_neighbors : derived_neighbors(X.rows);
  const detail::Graph graph = neighbour_graph(X, options, n_neighbors);
  n_links = static_cast<std::int64_t>(graph.targets.size() / 2);
  detail::Partition part = detail::leiden(graph, options.resolution);
  quality = part.modularity;
  return std::move(part.membership);
}

}  // namespace

template <class T, class IndPtr, class Ind>
Groups<T> group(const CsrView<T, IndPtr, Ind>& X, const GroupOptions& options) {
  if (options.n_terms < 0) throw InvalidArgument("n_terms must be >= 0; got " + std::to_string(options.n_terms));
  detail::check_view(X, "X");
  const auto n = static_cast<std::size_t>(X.rows);
  std::int64_t n_neighbors = 0, n_links = 0;
  double quality = 0.0;
  // Any labelling of the rows; renumbered below by size.
  std::vector<std::int32_t> part;
  switch (options.method) {
    case GroupMethod::single: part = single_linkage(X, options, n_links); break;
    case GroupMethod::leiden: part = leiden_groups(X, options, n_neighbors, n_links, quality); break;
    default: throw InvalidArgument("unknown grouping method " + std::to_string(static_cast<int>(options.method)));
  }
  // Name each part by its lowest row, then order parts by decreasing size (ties: lowest row).
  std::vector<std::int32_t> first(n, -1);
  for (std::size_t v = 0; v < n; ++v) {
    auto& f = first[static_cast<std::size_t>(part[v])];
    if (f < 0) f = static_cast<std::int32_t>(v);
  }
  std::vector<std::int32_t> root(n);
  for (std::size_t v = 0; v < n; ++v) root[v] = first[static_cast<std::size_t>(part[v])];
  std::vector<std::int64_t> size(n, 0);
  for (std::size_t v = 0; v < n; ++v) ++size[static_cast<std::size_t>(root[v])];
  std::vector<std::int32_t> roots;
  for (std::size_t v = 0; v < n; ++v)
    if (root[v] == static_cast<std::int32_t>(v)) roots.push_back(static_cast<std::int32_t>(v));
  std::stable_sort(roots.begin(), roots.end(), [&](std::int32_t a, std::int32_t b) {
    return size[static_cast<std::size_t>(a)] > size[static_cast<std::size_t>(b)];
  });
  auto find = [&](std::int32_t v) { return root[static_cast<std::size_t>(v)]; };

  Groups<T> g;
  g.n_neighbors = n_neighbors;
  g.n_links = n_links;
  g.modularity = quality;
  const std::size_t n_groups = roots.size();
  std::vector<std::int32_t> label_of_root(n, -1);
  g.offsets.assign(n_groups + 1, 0);
  for (std::size_t l = 0; l < n_groups; ++l) {
    label_of_root[static_cast<std::size_t>(roots[l])] = static_cast<std::int32_t>(l);
    g.offsets[l + 1] = g.offsets[l] + size[static_cast<std::size_t>(roots[l])];
  }
  g.labels.resize(n);
  g.members.resize(n);
  std::vector<std::int64_t> fill(g.offsets.begin(), g.offsets.end() - 1);
  for (std::size_t v = 0; v < n; ++v) {
    const std::int32_t l = label_of_root[static_cast<std::size_t>(find(static_cast<std::int32_t>(v)))];
    g.labels[v] = l;
    g.members[static_cast<std::size_t>(fill[static_cast<std::size_t>(l)]++)] = static_cast<std::int32_t>(v);
  }

  // Centroids (mean of unit rows) give each member's summed cosine to the others in one pass:
  // sum_j cos(i, j) = u_i . (sum_j u_j) - u_i . u_i.
  const std::vector<T> values = detail::unit_rows(X);
  g.representative.resize(n_groups);
  g.top_terms.rows = static_cast<std::int64_t>(n_groups);
  g.top_terms.cols = X.cols;
  std::vector<double> centroid(static_cast<std::size_t>(X.cols), 0.0);
  std::vector<std::uint8_t> in_use(static_cast<std::size_t>(X.cols), 0);
  std::vector<std::int32_t> used;
  std::vector<std::pair<double, std::int32_t>> heavy;
  for (std::size_t l = 0; l < n_groups; ++l) {
    if ((l & 255) == 0) detail::poll_interrupt();
    const auto mb = static_cast<std::size_t>(g.offsets[l]), me = static_cast<std::size_t>(g.offsets[l + 1]);
    used.clear();
    for (std::size_t m = mb; m < me; ++m) {
      const auto r = static_cast<std::size_t>(g.members[m]);
      for (auto p = static_cast<std::size_t>(X.indptr[r]); p < static_cast<std::size_t>(X.indptr[r + 1]); ++p) {
        const auto c = static_cast<std::size_t>(X.indices[p]);
        if (!in_use[c]) {
          in_use[c] = 1;
          used.push_back(static_cast<std::int32_t>(c));
        }
        centroid[c] += static_cast<double>(values[p]);
      }
    }
    std::int32_t best = g.members[mb];
    double best_sum = -std::numeric_limits<double>::infinity();
    for (std::size_t m = mb; m < me && me - mb > 1; ++m) {
      const auto r = static_cast<std::size_t>(g.members[m]);
      double dot = 0, self = 0;
      for (auto p = static_cast<std::size_t>(X.indptr[r]); p < static_cast<std::size_t>(X.indptr[r + 1]); ++p) {
        const double v = static_cast<double>(values[p]);
        dot += v * centroid[static_cast<std::size_t>(X.indices[p])];
        self += v * v;
      }
      if (dot - self > best_sum) {
        best_sum = dot - self;
        best = g.members[m];
      }
    }
    g.representative[l] = best;
    heavy.clear();
    const auto count = static_cast<double>(me - mb);
    for (const std::int32_t c : used) {
      const double w = centroid[static_cast<std::size_t>(c)] / count;
      centroid[static_cast<std::size_t>(c)] = 0.0;
      in_use[static_cast<std::size_t>(c)] = 0;
      if (w != 0.0) heavy.emplace_back(w, c);
    }
    const auto keep = std::min(heavy.size(), static_cast<std::size_t>(options.n_terms));
    std::partial_sort(
        heavy.begin(), heavy.begin() + static_cast<std::ptrdiff_t>(keep), heavy.end(),
        [](const auto& a, const auto& b) { return detail::ranks_before(a.first, a.second, b.first, b.second); });
    heavy.resize(keep);
    std::sort(heavy.begin(), heavy.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [w, c] : heavy) {
      g.top_terms.indices.push_back(c);
      g.top_terms.data.push_back(static_cast<T>(w));
    }
    g.top_terms.indptr.push_back(static_cast<std::int64_t>(g.top_terms.data.size()));
  }
  return g;
}

#define LEXSIM_PAIRS_INSTANTIATE(T, IP, I)                                                  \
  template Pairs<T> similar_pairs<T, IP, I>(const CsrView<T, IP, I>&, const PairsOptions&); \
  template Groups<T> group<T, IP, I>(const CsrView<T, IP, I>&, const GroupOptions&);
LEXSIM_PAIRS_INSTANTIATE(double, std::int64_t, std::int32_t)
LEXSIM_PAIRS_INSTANTIATE(float, std::int64_t, std::int32_t)
LEXSIM_PAIRS_INSTANTIATE(double, std::int32_t, std::int32_t)
LEXSIM_PAIRS_INSTANTIATE(float, std::int32_t, std::int32_t)
#undef LEXSIM_PAIRS_INSTANTIATE

Pairs<double> similar_pairs(const SparseMatrix<double>& X, const PairsOptions& options) {
  return similar_pairs(view(X), options);
}

Groups<double> group(const SparseMatrix<double>& X, const GroupOptions& options) { return group(view(X), options); }

}  // namespace lexsim
