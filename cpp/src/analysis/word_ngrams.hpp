#pragma once
// Analysis stage "n-grams" (word analyzer): the word n-grams of a document's filtered tokens, for n
// from min_n to max_n, each joined by one space (scikit-learn's _word_ngrams order: all unigrams,
// then all bigrams...).

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lexsim::detail {

template <class F>
void word_ngrams(const std::vector<std::string_view>& tokens, int min_n, int max_n, std::string& join, F& f) {
  const std::size_t nt = tokens.size();
  if (min_n == 1) {
    for (const auto t : tokens) f(t);
  }
  for (int n = std::max(min_n, 2); n <= max_n && static_cast<std::size_t>(n) <= nt; ++n) {
    const auto nn = static_cast<std::size_t>(n);
    for (std::size_t i = 0; i + nn <= nt; ++i) {
      join.assign(tokens[i].data(), tokens[i].size());
      for (std::size_t k = 1; k < nn; ++k) {
        join.push_back(' ');
        join.append(tokens[i + k].data(), tokens[i + k].size());
      }
      f(std::string_view(join));
    }
  }
}

}  // namespace lexsim::detail
