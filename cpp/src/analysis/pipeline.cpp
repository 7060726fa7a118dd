#include "analysis/pipeline.hpp"

#include <string>
#include <utility>

#include "lexsim/enums.hpp"
#include "stemmer.hpp"

namespace lexsim::detail {

Pipeline::Pipeline(AnalyzerOptions options)
    : opt_(std::move(options)),
      preprocess_(Preprocessor::of(opt_)),
      stop_words_(opt_.stop_words),
      stemming_{opt_.stemmer} {
  const auto [min_n, max_n] = opt_.ngram_range;
  if (min_n < 1 || max_n < 1) {
    throw InvalidArgument("ngram_range=(" + std::to_string(min_n) + ", " + std::to_string(max_n) +
                          ") must hold positive integers");
  }
  if (min_n > max_n) {
    throw InvalidArgument("Invalid value for ngram_range=(" + std::to_string(min_n) + ", " + std::to_string(max_n) +
                          ") lower boundary larger than the upper boundary.");
  }
  if (opt_.analyzer == AnalyzerKind::word && !parse_token_pattern(opt_.token_pattern, rule_)) {
    throw InvalidArgument("token_pattern " + opt_.token_pattern +
                          " is not supported natively (supported: runs of \\w such as (?u)\\b\\w\\w+\\b, "
                          "\\b\\w+\\b, \\w{3,}, and \\b(?!\\d+\\b)\\w\\w\\w+\\b without all-digit runs); "
                          "use a custom tokenizer");
  }
  if (opt_.stemmer) {
    check_stemmer(*opt_.stemmer);
    if (opt_.analyzer != AnalyzerKind::word) {
      throw InvalidArgument("stemmer='" + *opt_.stemmer + "' applies to the word analyzer only, not to analyzer='" +
                            std::string(lexsim::to_string(opt_.analyzer)) + "'");
    }
  }
  unigrams_ = min_n == 1 && max_n == 1;
  fused_ = opt_.analyzer == AnalyzerKind::word && unigrams_ && rule_.bounded && !stemming_.active();
  fused_utf8_ = fused_ && opt_.lowercase && !opt_.casefold && opt_.strip_accents == StripAccents::none &&
                opt_.normalization == Normalization::none;
}

const std::vector<std::string_view>& Stemming::stem(const std::vector<std::string_view>& tokens, Scratch& s) const {
  s.stems.clear();
  s.stem_ends.clear();
  stem_words(*algorithm, tokens.data(), tokens.size(), s.stems, s.stem_ends);
  s.stemmed.clear();
  std::size_t begin = 0;
  for (const std::size_t end : s.stem_ends) {
    s.stemmed.emplace_back(s.stems.data() + begin, end - begin);
    begin = end;
  }
  return s.stemmed;
}

std::string Pipeline::preprocess(std::string_view text) const {
  return std::string(preprocess_.run(text, scratch()).text);
}

std::vector<std::string> Pipeline::tokenize(std::string_view preprocessed) const {
  Scratch& s = scratch();
  const ProcessedText t = preprocess_.decode_only().run(preprocessed, s);  // already preprocessed
  find_tokens(t, rule_, s.tokens);
  std::vector<std::string> out;
  out.reserve(s.tokens.size());
  for (const auto& [a, b] : s.tokens) out.emplace_back(t.slice(a, b));
  return out;
}

std::vector<Token> Pipeline::tokens_with_offsets(std::string_view text) const {
  Scratch& s = scratch();
  const ProcessedText t = preprocess_.run(text, s);
  find_tokens(t, rule_, s.tokens);
  std::vector<Token> out;
  out.reserve(s.tokens.size());
  for (const auto& [a, b] : s.tokens) {
    Token tok;
    tok.text = std::string(t.slice(a, b));
    if (t.ascii()) {
      tok.byte_begin = tok.char_begin = a;
      tok.byte_end = tok.char_end = b;
    } else {  // through the code points each processed one came from, to the bytes of those
      const std::uint32_t first = t.cps->origin[a], last = t.cps->origin[b - 1];
      tok.char_begin = first;
      tok.char_end = static_cast<std::size_t>(last) + 1;
      tok.byte_begin = s.byte_begin[first];
      tok.byte_end = s.byte_end[last];
    }
    out.push_back(std::move(tok));
  }
  if (stemming_.active()) {  // the texts become stems; the offsets stay those of the words
    std::vector<std::string_view> words(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) words[i] = out[i].text;
    std::string stems;
    std::vector<std::size_t> ends;
    stem_words(*stemming_.algorithm, words.data(), words.size(), stems, ends);
    std::size_t begin = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i].text.assign(stems, begin, ends[i] - begin);
      begin = ends[i];
    }
  }
  return out;
}

}  // namespace lexsim::detail
