#include "lexsim/analyzer.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "lexsim/errors.hpp"
#include "lexsim/vocabulary.hpp"
#include "analyzer_impl.hpp"
#include "stemmer.hpp"
#include "unicode/unicode.hpp"

namespace lexsim {

using detail::parse_token_pattern;
using detail::scratch;
using detail::Scratch;
using detail::TokenRule;

bool Analyzer::supports_token_pattern(const std::string& pattern) {
  TokenRule rule;
  return parse_token_pattern(pattern, rule);
}

Analyzer::Analyzer(AnalyzerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->opt = std::move(options);
  const auto& o = impl_->opt;
  if (o.ngram_range.first < 1 || o.ngram_range.second < 1) {
    throw InvalidArgument("ngram_range=(" + std::to_string(o.ngram_range.first) + ", " +
                          std::to_string(o.ngram_range.second) + ") must hold positive integers");
  }
  if (o.ngram_range.first > o.ngram_range.second) {
    throw InvalidArgument("Invalid value for ngram_range=(" + std::to_string(o.ngram_range.first) + ", " +
                          std::to_string(o.ngram_range.second) + ") lower boundary larger than the upper boundary.");
  }
  if (o.analyzer == AnalyzerKind::word && !parse_token_pattern(o.token_pattern, impl_->rule)) {
    throw InvalidArgument("token_pattern " + o.token_pattern +
                          " is not supported natively (supported: runs of \\w such as (?u)\\b\\w\\w+\\b, "
                          "\\b\\w+\\b, \\w{3,}, and \\b(?!\\d+\\b)\\w\\w\\w+\\b without all-digit runs); "
                          "use a custom tokenizer");
  }
  if (o.stemmer) {
    detail::check_stemmer(*o.stemmer);
    if (o.analyzer != AnalyzerKind::word) {
      throw InvalidArgument("stemmer='" + *o.stemmer + "' applies to the word analyzer only, not to analyzer='" +
                            (o.analyzer == AnalyzerKind::char_ ? "char" : "char_wb") + "'");
    }
    impl_->stemming = true;
  }
  if (o.stop_words) {
    impl_->have_stop_words = true;
    for (const auto& w : *o.stop_words) impl_->stop_words.insert(w);
  }
}

const std::vector<std::string_view>& Analyzer::Impl::stem(const std::vector<std::string_view>& tokens) const {
  Scratch& s = scratch();
  s.stems.clear();
  s.stem_ends.clear();
  detail::stem_words(*opt.stemmer, tokens.data(), tokens.size(), s.stems, s.stem_ends);
  s.stemmed.clear();
  std::size_t begin = 0;
  for (const std::size_t end : s.stem_ends) {
    s.stemmed.emplace_back(s.stems.data() + begin, end - begin);
    begin = end;
  }
  return s.stemmed;
}

Analyzer::~Analyzer() = default;
Analyzer::Analyzer(const Analyzer& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Analyzer& Analyzer::operator=(const Analyzer& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

const AnalyzerOptions& Analyzer::options() const noexcept { return impl_->opt; }

void Analyzer::analyze(std::string_view text, TermSink& sink) const {
  impl_->each_term(text, [&](std::string_view t) { sink.add(t); });  // the vectorizers' path too
}

std::vector<std::string> Analyzer::analyze(std::string_view text) const {
  struct Collect : TermSink {
    std::vector<std::string> out;
    void add(std::string_view t) override { out.emplace_back(t); }
  } c;
  analyze(text, c);
  return std::move(c.out);
}

std::string Analyzer::preprocess(std::string_view text) const {
  Scratch& s = scratch();
  impl_->preprocess(text, s);
  return s.text;
}

std::vector<std::string> Analyzer::tokenize(std::string_view preprocessed) const {
  // The text is already preprocessed: only decode it.
  Impl raw = *impl_;
  raw.opt.lowercase = false;
  raw.opt.casefold = false;
  raw.opt.strip_accents = StripAccents::none;
  raw.opt.normalization = Normalization::none;
  Scratch& s = scratch();
  const auto* cps = raw.preprocess(preprocessed, s);
  raw.find_tokens(s, cps, s.tokens);
  std::vector<std::string> out;
  out.reserve(s.tokens.size());
  for (auto [a, b] : s.tokens) out.emplace_back(raw.slice(s, a, b));
  return out;
}

void Analyzer::word_ngrams(const std::vector<std::string_view>& tokens, TermSink& sink) const {
  std::string join;
  impl_->word_ngrams(tokens, sink, join);
}

std::vector<Token> Analyzer::tokens_with_offsets(std::string_view text) const {
  Scratch& s = scratch();
  const auto* cps = impl_->preprocess(text, s);
  impl_->find_tokens(s, cps, s.tokens);
  std::vector<Token> out;
  out.reserve(s.tokens.size());
  for (auto [a, b] : s.tokens) {
    Token t;
    t.text = std::string(impl_->slice(s, a, b));
    if (cps == nullptr) {
      t.byte_begin = t.char_begin = a;
      t.byte_end = t.char_end = b;
    } else {
      const std::uint32_t first = cps->origin[a], last = cps->origin[b - 1];
      t.char_begin = first;
      t.char_end = static_cast<std::size_t>(last) + 1;
      t.byte_begin = s.byte_begin[first];
      t.byte_end = s.byte_end[last];
    }
    out.push_back(std::move(t));
  }
  if (impl_->stemming) {  // the texts become stems; the offsets stay those of the words
    std::vector<std::string_view> words(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) words[i] = out[i].text;
    std::string stems;
    std::vector<std::size_t> ends;
    detail::stem_words(*impl_->opt.stemmer, words.data(), words.size(), stems, ends);
    std::size_t begin = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i].text.assign(stems, begin, ends[i] - begin);
      begin = ends[i];
    }
  }
  return out;
}

}  // namespace lexsim
