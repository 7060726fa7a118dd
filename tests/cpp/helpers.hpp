#pragma once
// Small helpers shared by the Catch2 test files.
#include <catch2/catch.hpp>
#include <lexsim/lexsim.hpp>

#include <algorithm>
#include <cstdint>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "corpora.hpp"

namespace lexsim_test {

using Dense = std::vector<std::vector<double>>;

/// A row-major sparse matrix with the non-zero entries of a dense one.
inline lexsim::SparseMatrix<double> from_dense(const Dense& d, int cols) {
  lexsim::SparseMatrix<double> m(static_cast<int>(d.size()), cols);
  std::vector<Eigen::Triplet<double>> t;
  for (std::size_t r = 0; r < d.size(); ++r)
    for (int c = 0; c < cols; ++c)
      if (d[r][static_cast<std::size_t>(c)] != 0.0)
        t.emplace_back(static_cast<int>(r), c, d[r][static_cast<std::size_t>(c)]);
  m.setFromTriplets(t.begin(), t.end());
  m.makeCompressed();
  return m;
}

/// The five news-seeds articles (<corpora>/news-seeds), in file-name order.
inline std::vector<std::string> read_news_seeds() {
  namespace fs = std::filesystem;
  const fs::path dir = corpora_dir() / "news-seeds";
  if (!fs::is_directory(dir)) {
    FAIL("corpus directory " << dir.string() << " is missing: set LEXSIM_CORPORA to the shared corpora folder");
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

namespace detail {
inline void append_utf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The JSON string that starts at line[at] (the opening quote), decoded to UTF-8.
inline std::string json_string(const std::string& line, std::size_t at) {
  std::string out;
  auto hex4 = [&](std::size_t i) { return static_cast<std::uint32_t>(std::stoul(line.substr(i, 4), nullptr, 16)); };
  for (std::size_t i = at + 1; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') return out;
    if (c != '\\') {
      out += c;
      continue;
    }
    const char e = line[++i];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        std::uint32_t cp = hex4(i + 1);
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && line.compare(i + 1, 2, "\\u") == 0) {  // a surrogate pair
          cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(i + 3) - 0xDC00);
          i += 6;
        }
        append_utf8(out, cp);
        break;
      }
      default: out += e;  // \" \\ \/
    }
  }
  FAIL("unterminated JSON string in: " << line.substr(0, 80));
  return out;
}
}  // namespace detail

/// The texts of <corpora>/sentences/sentences.jsonl (its first `limit` lines).
inline std::vector<std::string> read_sentences(std::size_t limit = static_cast<std::size_t>(-1)) {
  namespace fs = std::filesystem;
  const fs::path file = corpora_dir() / "sentences" / "sentences.jsonl";
  std::ifstream in(file, std::ios::binary);
  if (!in) FAIL("corpus file " << file.string() << " is missing: set LEXSIM_CORPORA to the shared corpora folder");
  std::vector<std::string> docs;
  std::string line;
  while (docs.size() < limit && std::getline(in, line)) {
    const auto key = line.find("\"text\": \"");
    if (key == std::string::npos) continue;
    docs.push_back(detail::json_string(line, key + 8));
  }
  return docs;
}

}  // namespace lexsim_test
