#pragma once
// Analysis stage "n-grams" (char and char_wb analyzers): character n-grams of the preprocessed text
// after scikit-learn's whitespace collapsing (re.sub(r"\s\s+", " ", text)). char: over the whole
// collapsed text; char_wb: inside each word (str.split()) padded with one space each side, a word
// shorter than n counted once.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexsim/analyzer.hpp"
#include "analysis/preprocess.hpp"
#include "analysis/scratch.hpp"

namespace lexsim::detail {

// The collapsed text into s.collapsed, with the byte offset where each of its code points starts
// (and the end) in s.bounds and whether it is a space in s.is_space: a run of two or more spaces
// becomes one ' ', a single space stays as it is. Returns the number of code points.
inline std::size_t collapse_spaces(const ProcessedText& t, Scratch& s) {
  s.collapsed.clear();
  s.bounds.clear();
  s.is_space.clear();
  auto push = [&](std::string_view piece, bool space) {
    s.bounds.push_back(static_cast<std::uint32_t>(s.collapsed.size()));
    s.is_space.push_back(space ? 1 : 0);
    s.collapsed.append(piece.data(), piece.size());
  };
  const std::size_t n = t.size();
  std::size_t i = 0;
  while (i < n) {
    if (t.space_at(i)) {
      std::size_t j = i + 1;
      while (j < n && t.space_at(j)) ++j;
      push(j - i >= 2 ? std::string_view(" ") : t.slice(i, j), true);
      i = j;
    } else {
      push(t.slice(i, i + 1), false);
      ++i;
    }
  }
  s.bounds.push_back(static_cast<std::uint32_t>(s.collapsed.size()));
  return s.bounds.size() - 1;
}

template <class F>
void char_ngrams(const ProcessedText& t, AnalyzerKind kind, int min_n, int max_n, Scratch& s, F& f) {
  const std::size_t len = collapse_spaces(t, s);
  const std::string& buf = s.collapsed;
  const std::vector<std::uint32_t>& bounds = s.bounds;
  auto sub = [&](std::size_t a, std::size_t b) {
    return std::string_view(buf.data() + bounds[a], bounds[b] - bounds[a]);
  };
  if (kind == AnalyzerKind::char_) {
    int from = min_n;
    if (from == 1) {
      for (std::size_t i = 0; i < len; ++i) f(sub(i, i + 1));
      from = 2;
    }
    for (int n = from; n <= max_n && static_cast<std::size_t>(n) <= len; ++n)
      for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= len; ++i) f(sub(i, i + static_cast<std::size_t>(n)));
    return;
  }
  // char_wb: words are the runs between spaces, each padded with one space.
  std::string& w = s.word;
  std::vector<std::uint32_t>& wb = s.word_bounds;
  std::size_t i = 0;
  while (i < len) {
    if (s.is_space[i]) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < len && !s.is_space[j]) ++j;
    w.assign(" ");
    wb.assign(1, 0);
    for (std::size_t k = i; k < j; ++k) {
      wb.push_back(static_cast<std::uint32_t>(w.size()));
      const auto piece = sub(k, k + 1);
      w.append(piece.data(), piece.size());
    }
    wb.push_back(static_cast<std::uint32_t>(w.size()));
    w.push_back(' ');
    wb.push_back(static_cast<std::uint32_t>(w.size()));
    const std::size_t w_len = wb.size() - 1;
    auto wsub = [&](std::size_t a, std::size_t b) {
      b = std::min(b, w_len);
      return std::string_view(w.data() + wb[a], wb[b] - wb[a]);
    };
    for (int n = min_n; n <= max_n; ++n) {
      const auto nn = static_cast<std::size_t>(n);
      std::size_t offset = 0;
      f(wsub(offset, offset + nn));
      while (offset + nn < w_len) {
        ++offset;
        f(wsub(offset, offset + nn));
      }
      if (offset == 0) break;  // a word shorter than n is counted once
    }
    i = j;
  }
}

}  // namespace lexsim::detail
