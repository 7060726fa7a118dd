#pragma once
// Small helpers shared by the Catch2 test files.
#include <catch2/catch.hpp>
#include <lexsim/lexsim.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lexsim_test {

using Dense = std::vector<std::vector<double>>;

/// A row-major sparse matrix with the non-zero entries of a dense one.
inline lexsim::SparseMatrix<double> from_dense(const Dense& d, int cols) {
  lexsim::SparseMatrix<double> m(static_cast<int>(d.size()), cols);
  std::vector<Eigen::Triplet<double>> t;
  for (std::size_t r = 0; r < d.size(); ++r)
    for (int c = 0; c < cols; ++c)
      if (d[r][static_cast<std::size_t>(c)] != 0.0) t.emplace_back(static_cast<int>(r), c, d[r][static_cast<std::size_t>(c)]);
  m.setFromTriplets(t.begin(), t.end());
  m.makeCompressed();
  return m;
}

/// The five news-seeds articles (../shared/corpora/news-seeds), in file-name order.
inline std::vector<std::string> read_news_seeds() {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(LEXSIM_CORPORA_DIR) / "news-seeds";
  if (!fs::is_directory(dir)) {
    FAIL("corpus directory " << dir.string()
                             << " is missing: the tests expect ../shared/corpora next to the repository");
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> docs;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    docs.push_back(s.str());
  }
  return docs;
}

}  // namespace lexsim_test
