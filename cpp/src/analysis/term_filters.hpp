#pragma once
// Analysis stage "filter" (word analyzer): stop-word removal, then Snowball stemming, over a
// document's tokens before n-grams are made. Stop words are compared with the preprocessed tokens,
// as scikit-learn does.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lexsim/vocabulary.hpp"
#include "analysis/scratch.hpp"
#include "stemmer.hpp"

namespace lexsim::detail {

struct StopWords {
  bool active = false;
  Vocabulary words;  // used as a set

  explicit StopWords(const std::optional<std::vector<std::string>>& list) {
    if (!list) return;
    active = true;
    for (const auto& w : *list) words.insert(w);
  }
  bool contains(std::string_view t) const noexcept { return words.find(t) >= 0; }

  // The tokens that are not stop words, in order, into `kept` (returned).
  const std::vector<std::string_view>& remove(const std::vector<std::string_view>& tokens,
                                              std::vector<std::string_view>& kept) const {
    kept.clear();
    for (const auto t : tokens)
      if (!contains(t)) kept.push_back(t);
    return kept;
  }
};

// Passes on the terms that are not stop words: composed in front of a term consumer at compile time,
// so the fused scanners call it inline.
template <class Next>
struct DropStopWords {
  const StopWords& stop;
  Next& next;
  void operator()(std::string_view term) const {
    if (!stop.contains(term)) next(term);
  }
};

struct Stemming {
  std::optional<std::string> algorithm;  // none: no stemming

  bool active() const noexcept { return algorithm.has_value(); }

  // The stems of tokens as views into s (stems, stemmed), valid until the next analysis on this
  // thread. Out of line (pipeline.cpp): it adds nothing to the inlined paths that do not stem.
  const std::vector<std::string_view>& stem(const std::vector<std::string_view>& tokens, Scratch& s) const;
};

}  // namespace lexsim::detail
