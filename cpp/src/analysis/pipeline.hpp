#pragma once
// The analysis pipeline: the one orchestrator of the stages, each in its own header here.
//
//   preprocess.hpp    decode (decode_error), normalise, lowercase/casefold, strip accents
//   word_tokens.hpp   word tokens by the token_pattern's rule (token_pattern.hpp)
//   term_filters.hpp  stop words, stemming
//   word_ngrams.hpp   word n-grams          char_ngrams.hpp   char / char_wb n-grams
//   fused_words.hpp   preprocess + tokenize in one pass for the common options
//
// Stages are composed at compile time: each calls the next through a template parameter, so a
// term reaches the caller's consumer (the vectorizers' counting loop) without a virtual call. Which
// composition runs is decided once per document from the options, never per token.
// lexsim::Analyzer (analyzer.cpp) is the public face of a Pipeline; the library's counting loops
// reach its templates through AnalyzerAccess.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "lexsim/analyzer.hpp"
#include "lexsim/errors.hpp"
#include "analysis/char_ngrams.hpp"
#include "analysis/fused_words.hpp"
#include "analysis/preprocess.hpp"
#include "analysis/scratch.hpp"
#include "analysis/term_filters.hpp"
#include "analysis/token_pattern.hpp"
#include "analysis/word_ngrams.hpp"
#include "analysis/word_tokens.hpp"

namespace lexsim::detail {

class Pipeline {
 public:
  // Validates the options; throws InvalidArgument naming a bad one (pipeline.cpp).
  explicit Pipeline(AnalyzerOptions options);

  const AnalyzerOptions& options() const noexcept { return opt_; }

  // Calls f(term) for every term of text, in scikit-learn's order; a term is a view valid during
  // the call (and longer: see stable_views).
  template <class F>
  void each_term(std::string_view text, F&& f) const {
    check_size(text);
    if (fused_) {
      if (!stop_words_.active) {
        if (fused_words(text, f)) return;
      } else {
        DropStopWords<std::remove_reference_t<F>> kept{stop_words_, f};
        if (fused_words(text, kept)) return;
      }
    }
    Scratch& s = scratch();
    const ProcessedText t = preprocess_.run(text, s);
    if (opt_.analyzer != AnalyzerKind::word) {
      char_ngrams(t, opt_.analyzer, opt_.ngram_range.first, opt_.ngram_range.second, s, f);
      return;
    }
    find_tokens(t, rule_, s.tokens);
    s.views.clear();
    for (const auto& [a, b] : s.tokens) s.views.push_back(t.slice(a, b));
    words_to_terms(s.views, s, s.join, f);
  }

  // Stop words, stemming and word n-grams over tokens (none of them in s.kept, s.stems or
  // s.stemmed, which this writes).
  template <class F>
  void words_to_terms(const std::vector<std::string_view>& tokens, Scratch& s, std::string& join, F& f) const {
    const std::vector<std::string_view>* words = &tokens;
    if (stop_words_.active) words = &stop_words_.remove(*words, s.kept);
    if (stemming_.active()) words = &stemming_.stem(*words, s);  // n-grams join stems
    if (unigrams_) {
      for (const auto w : *words) f(w);
      return;
    }
    word_ngrams(*words, opt_.ngram_range.first, opt_.ngram_range.second, join, f);
  }

  // True when every view each_term passes stays valid until the next analysis on this thread
  // (word unigrams: slices of one buffer, the text or the stems), so a caller may collect a
  // document's terms first.
  bool stable_views() const noexcept { return opt_.analyzer == AnalyzerKind::word && unigrams_; }

  // The text the tokenizer sees, and its word tokens with offsets (the public Analyzer's
  // preprocess, tokenize and tokens_with_offsets; pipeline.cpp).
  std::string preprocess(std::string_view text) const;
  std::vector<std::string> tokenize(std::string_view preprocessed) const;
  std::vector<Token> tokens_with_offsets(std::string_view text) const;

  static bool supports_token_pattern(const std::string& pattern) {
    TokenRule rule;
    return parse_token_pattern(pattern, rule);
  }

 private:
  // Positions inside a document are 32-bit (half the scratch memory of 64-bit ones): refuse what
  // they cannot address rather than wrap around.
  static void check_size(std::string_view text) {
    if (text.size() >= std::numeric_limits<std::uint32_t>::max())
      throw InvalidArgument("a document of " + std::to_string(text.size()) +
                            " bytes is too large: lexsim analyses documents of up to 4 GiB - 1 bytes");
  }

  // The fused scanners, ASCII first; false when neither applies to this text.
  template <class G>
  bool fused_words(std::string_view text, G& g) const {
    Scratch& s = scratch();
    return ascii_words(text, rule_, preprocess_.lowers(), s, g) ||
           (fused_utf8_ && utf8_lowercase_words(text, rule_, s, g));
  }

  AnalyzerOptions opt_;
  Preprocessor preprocess_;
  TokenRule rule_;
  StopWords stop_words_;
  Stemming stemming_;
  bool unigrams_ = false;    // ngram_range == (1, 1)
  bool fused_ = false;       // word unigrams by a whole-run rule, no stemming: fused_words may apply
  bool fused_utf8_ = false;  // ...and lowercase is the only preprocessing: for non-ASCII text too
};

// The library's way to a public Analyzer's pipeline (a friend of Analyzer).
struct AnalyzerAccess {
  static const Pipeline& pipeline(const Analyzer& a) noexcept { return *a.pipeline_; }
};

inline const Pipeline& pipeline_of(const Analyzer& a) noexcept { return AnalyzerAccess::pipeline(a); }

}  // namespace lexsim::detail
