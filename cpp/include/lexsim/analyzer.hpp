#pragma once
// Text analysis: UTF-8 text -> terms (words, word n-grams or character n-grams).
//
// With default options the result equals scikit-learn's CountVectorizer().build_analyzer():
// Python str.lower(), the token pattern (?u)\b\w\w+\b with Python's \w, no stop words, unigrams.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lexsim/export.hpp"

namespace lexsim {

namespace detail {
class Pipeline;
struct AnalyzerAccess;
}  // namespace detail

/// What to do with bytes that are not valid UTF-8 (mirrors Python's bytes.decode errors=).
enum class DecodeError {
  strict,   ///< throw lexsim::UnicodeError naming the byte offset
  replace,  ///< replace each maximal invalid subsequence with U+FFFD, as Python does
  ignore,   ///< drop invalid bytes
};

/// Accent stripping, applied after lowercasing (scikit-learn's order).
enum class StripAccents {
  none,
  ascii,    ///< NFKD, then drop every non-ASCII code point
  unicode,  ///< NFKD, then drop code points with a non-zero canonical combining class
};

/// Unicode normalisation applied to the decoded text before anything else (not in scikit-learn).
enum class Normalization { none, nfc, nfkc };

/// What a term is.
enum class AnalyzerKind {
  word,     ///< token_pattern matches, stop words removed, word n-grams joined by one space
  char_,    ///< character n-grams over the text with whitespace runs collapsed
  char_wb,  ///< character n-grams inside words padded with one space each side
};

/// All analysis options. Defaults equal scikit-learn's.
struct AnalyzerOptions {
  AnalyzerKind analyzer = AnalyzerKind::word;
  DecodeError decode_error = DecodeError::strict;
  Normalization normalization = Normalization::none;
  /// Full Unicode case folding (Python str.casefold()); replaces lowercase when set.
  bool casefold = false;
  bool lowercase = true;
  StripAccents strip_accents = StripAccents::none;
  /// Supported: an optional (?u) or (?a)... see README; default (?u)\b\w\w+\b.
  std::string token_pattern = R"((?u)\b\w\w+\b)";
  /// Stop words removed before n-grams (word analyzer only). Compare against the processed tokens.
  std::optional<std::vector<std::string>> stop_words;
  std::pair<int, int> ngram_range{1, 1};
  /// Snowball stemming (word analyzer only; not in scikit-learn): an algorithm of stemmers() or an
  /// ISO 639 code libstemmer accepts ("english", "en", "turkish"...). Each token is replaced by its
  /// stem after stop-word removal and before n-grams, so n-grams join stems (a word whose stem would
  /// be empty, as porter's of "s", stays as it is: no term is empty). Off by default.
  std::optional<std::string> stemmer;
};

/// The Snowball stemming algorithms AnalyzerOptions::stemmer accepts (their canonical names).
LEXSIM_API std::vector<std::string> stemmers();

/// scikit-learn's English stop-word list (318 words).
LEXSIM_API const std::vector<std::string>& english_stop_words();

/// A token with its position in the original text, for highlighting.
struct Token {
  std::string text;        ///< the term after preprocessing (lowercase, accents..., stemming)
  std::size_t byte_begin;  ///< offsets into the original UTF-8 input, [begin, end)
  std::size_t byte_end;
  std::size_t char_begin;  ///< code-point offsets into the decoded input, [begin, end)
  std::size_t char_end;
};

/// Receives terms one at a time; the view is valid only during the call.
class LEXSIM_API TermSink {
 public:
  virtual ~TermSink() = default;
  virtual void add(std::string_view term) = 0;
};

/// Turns text into terms. Immutable after construction; safe to share between threads.
class LEXSIM_API Analyzer {
 public:
  /// Validates the options; throws lexsim::InvalidArgument naming a bad one.
  explicit Analyzer(AnalyzerOptions options = {});
  ~Analyzer();
  Analyzer(const Analyzer&);
  Analyzer& operator=(const Analyzer&);
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  const AnalyzerOptions& options() const noexcept;

  /// The terms of one document, in scikit-learn's order.
  std::vector<std::string> analyze(std::string_view text) const;
  /// Same, streamed into a sink (no per-term allocation).
  void analyze(std::string_view text, TermSink& sink) const;

  /// Decoding, normalisation, case and accent handling: the text the tokenizer sees.
  std::string preprocess(std::string_view text) const;
  /// Word tokens of already preprocessed text (no stop words, no n-grams), as token_pattern finds them.
  std::vector<std::string> tokenize(std::string_view preprocessed) const;
  /// Stop-word removal, stemming (when set) and word n-grams over given tokens (what scikit-learn
  /// calls _word_ngrams), so analyze() is word_ngrams(tokenize(preprocess(text))).
  void word_ngrams(const std::vector<std::string_view>& tokens, TermSink& sink) const;
  /// Word tokens of the original text with byte and code-point offsets (word analyzer; before
  /// stop words and n-grams). With a stemmer, a token's text is its stem; its offsets are still
  /// those of the word in the text.
  std::vector<Token> tokens_with_offsets(std::string_view text) const;

  /// True if the pattern can be handled natively (see README for the supported forms).
  static bool supports_token_pattern(const std::string& pattern);

  // The library's counting loops call the pipeline's templates directly (no virtual call per term).
  friend struct detail::AnalyzerAccess;

 private:
  std::unique_ptr<detail::Pipeline> pipeline_;  // the stages of cpp/src/analysis/, opaque here
};

}  // namespace lexsim
