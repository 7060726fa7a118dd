// ranked_order and merge_top_k (the one tie rule: best value first, ties to the lower column)
// against a brute-force reference, and merge_top_k against one top_k over the whole of B.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <lexsim/lexsim.hpp>
#include <random>
#include <utility>
#include <vector>

namespace {

using Csr = lexsim::CsrMatrix<double>;
using View = lexsim::CsrView<double, std::int64_t, std::int32_t>;

View view_of(const Csr& m) { return {m.rows, m.cols, m.indptr.data(), m.indices.data(), m.data.data()}; }

// A random CSR matrix whose values come from a few levels, so ties are common.
Csr random_csr(std::mt19937& rng, std::int64_t rows, std::int64_t cols, double density) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<int> level(1, 4);
  Csr m;
  m.rows = rows;
  m.cols = cols;
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c)
      if (u(rng) < density) {
        m.indices.push_back(static_cast<std::int32_t>(c));
        m.data.push_back(0.25 * level(rng));
      }
    m.indptr.push_back(static_cast<std::int64_t>(m.data.size()));
  }
  return m;
}

// Reference: repeatedly pick the best remaining entry by scanning (largest value, then lower column).
std::vector<std::pair<std::int64_t, double>> brute_ranked(std::vector<std::pair<std::int64_t, double>> entries,
                                                          std::size_t k) {
  std::vector<std::pair<std::int64_t, double>> out;
  while (!entries.empty() && out.size() < k) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < entries.size(); ++i)
      if (entries[i].second > entries[best].second ||
          (entries[i].second == entries[best].second && entries[i].first < entries[best].first))
        best = i;
    out.push_back(entries[best]);
    entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(best));
  }
  return out;
}

std::vector<std::pair<std::int64_t, double>> row_entries(const Csr& m, std::int64_t r, std::int64_t offset = 0) {
  std::vector<std::pair<std::int64_t, double>> out;
  for (auto p = m.indptr[static_cast<std::size_t>(r)]; p < m.indptr[static_cast<std::size_t>(r) + 1]; ++p)
    out.emplace_back(m.indices[static_cast<std::size_t>(p)] + offset, m.data[static_cast<std::size_t>(p)]);
  return out;
}

}  // namespace

TEST_CASE("ranked_order ranks every row like the brute-force reference", "[ranking]") {
  std::mt19937 rng(14);
  for (int trial = 0; trial < 20; ++trial) {
    const Csr m = random_csr(rng, 1 + trial % 7, 1 + trial * 3, 0.4);
    const auto order = lexsim::ranked_order(view_of(m));
    REQUIRE(order.size() == m.data.size());
    for (std::int64_t r = 0; r < m.rows; ++r) {
      const auto want = brute_ranked(row_entries(m, r), SIZE_MAX);
      std::vector<std::pair<std::int64_t, double>> got;
      for (auto p = m.indptr[static_cast<std::size_t>(r)]; p < m.indptr[static_cast<std::size_t>(r) + 1]; ++p) {
        const auto q = static_cast<std::size_t>(order[static_cast<std::size_t>(p)]);
        REQUIRE(static_cast<std::int64_t>(q) >= m.indptr[static_cast<std::size_t>(r)]);  // stays in its row
        REQUIRE(static_cast<std::int64_t>(q) < m.indptr[static_cast<std::size_t>(r) + 1]);
        got.emplace_back(m.indices[q], m.data[q]);
      }
      CHECK(got == want);
    }
  }
}

TEST_CASE("ranked_order of an empty matrix is empty", "[ranking]") {
  Csr m;
  m.rows = 3;
  m.cols = 2;
  m.indptr = {0, 0, 0, 0};
  CHECK(lexsim::ranked_order(view_of(m)).empty());
}

TEST_CASE("merge_top_k keeps the k best of every part like the brute-force reference", "[ranking]") {
  std::mt19937 rng(41);
  for (int trial = 0; trial < 20; ++trial) {
    const std::int64_t rows = 1 + trial % 5;
    const std::int64_t k = 1 + trial % 4;
    std::vector<Csr> parts;
    std::vector<std::int64_t> offsets;
    std::int64_t n_cols = 0;
    for (int i = 0; i < 1 + trial % 4; ++i) {
      parts.push_back(random_csr(rng, rows, 1 + (trial + i) % 6, 0.5));
      offsets.push_back(n_cols);
      n_cols += parts.back().cols;
    }
    std::vector<View> views;
    for (const auto& p : parts) views.push_back(view_of(p));
    const Csr merged = lexsim::merge_top_k(views, offsets, k, n_cols);
    REQUIRE(merged.rows == rows);
    REQUIRE(merged.cols == n_cols);
    for (std::int64_t r = 0; r < rows; ++r) {
      std::vector<std::pair<std::int64_t, double>> all;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto e = row_entries(parts[i], r, offsets[i]);
        all.insert(all.end(), e.begin(), e.end());
      }
      auto want = brute_ranked(all, static_cast<std::size_t>(k));
      std::sort(want.begin(), want.end());  // stored in column order
      CHECK(row_entries(merged, r) == want);
    }
  }
}

TEST_CASE("merge_top_k of top_k over row blocks of B is top_k over the whole of B", "[ranking]") {
  std::mt19937 rng(7);
  const Csr A = random_csr(rng, 6, 5, 0.6), B = random_csr(rng, 11, 5, 0.5);
  for (std::int64_t k : {1, 2, 3, 20}) {
    lexsim::TopKOptions opt;
    opt.k = k;
    const View b = view_of(B);
    const Csr whole = lexsim::top_k(view_of(A), &b, opt);
    std::vector<Csr> parts;
    std::vector<std::int64_t> offsets;
    for (std::int64_t begin : {0, 4, 5}) {
      const std::int64_t end = begin == 0 ? 4 : (begin == 4 ? 5 : 11);
      // B's rows [begin, end) as a matrix of their own.
      std::vector<std::int64_t> ip(B.indptr.begin() + begin, B.indptr.begin() + end + 1);
      Csr copy;
      copy.rows = end - begin;
      copy.cols = B.cols;
      copy.indices.assign(B.indices.begin() + ip.front(), B.indices.begin() + ip.back());
      copy.data.assign(B.data.begin() + ip.front(), B.data.begin() + ip.back());
      copy.indptr.clear();
      for (auto v : ip) copy.indptr.push_back(v - ip.front());
      const View cv = view_of(copy);
      parts.push_back(lexsim::top_k(view_of(A), &cv, opt));
      offsets.push_back(begin);
    }
    std::vector<View> views;
    for (const auto& p : parts) views.push_back(view_of(p));
    const Csr merged = lexsim::merge_top_k(views, offsets, k, B.rows);
    CHECK(merged.indptr == whole.indptr);
    CHECK(merged.indices == whole.indices);
    CHECK(merged.data == whole.data);
  }
}

TEST_CASE("merge_top_k names what does not fit", "[ranking]") {
  Csr m;
  m.rows = 2;
  m.cols = 3;
  m.indptr = {0, 0, 0};
  const std::vector<View> one{view_of(m)};
  CHECK_THROWS_WITH(lexsim::merge_top_k(one, {0}, 0, 3), Catch::Contains("k must be a positive integer; got 0"));
  CHECK_THROWS_WITH(lexsim::merge_top_k(one, {0, 3}, 1, 6), Catch::Contains("offsets has 2 entries for 1 parts"));
  CHECK_THROWS_WITH(lexsim::merge_top_k(one, {2}, 1, 4), Catch::Contains("part 0 at offset 2"));
}
