#pragma once
// Analysis stage "tokenize" (general path): the word tokens of a preprocessed text, as code-point
// ranges, by a TokenRule. The fused scanners (fused_words.hpp) give the same tokens for the default
// preprocessing without this stage's intermediate buffers.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "analysis/preprocess.hpp"
#include "analysis/token_pattern.hpp"

namespace lexsim::detail {

using TokenRanges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

inline void find_tokens(const ProcessedText& t, const TokenRule& rule, TokenRanges& out) {
  out.clear();
  const std::size_t n = t.size();
  std::size_t i = 0;
  while (i < n) {
    if (!t.word_at(i)) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    if (t.ascii()) {  // two loops, so that the test for ASCII is not made per code point
      while (j < n && kAscii.word[static_cast<unsigned char>(t.text[j])]) ++j;
    } else {
      while (j < n && is_word(t.cps->cp[j])) ++j;
    }
    const std::size_t len = j - i;
    if (rule.bounded) {
      if (rule.fits(len) && !(rule.no_digits && all_digits(i, j, [&](std::size_t k) { return t.at(k); })))
        out.emplace_back(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
    } else {  // unbounded: a run is cut into as many tokens of at most max_len as fit, left to right
      std::size_t p = i;
      while (j - p >= rule.min_len) {
        const std::size_t take = rule.max_len == 0 ? j - p : std::min(rule.max_len, j - p);
        out.emplace_back(static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(p + take));
        p += take;
      }
    }
    i = j;
  }
}

}  // namespace lexsim::detail
