// lexsim::Analyzer: the public face of the analysis pipeline (cpp/src/analysis/pipeline.hpp).

#include "lexsim/analyzer.hpp"

#include <memory>
#include <string>
#include <utility>

#include "analysis/pipeline.hpp"

namespace lexsim {

bool Analyzer::supports_token_pattern(const std::string& pattern) {
  return detail::Pipeline::supports_token_pattern(pattern);
}

Analyzer::Analyzer(AnalyzerOptions options) : pipeline_(std::make_unique<detail::Pipeline>(std::move(options))) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(const Analyzer& other) : pipeline_(std::make_unique<detail::Pipeline>(*other.pipeline_)) {}
Analyzer& Analyzer::operator=(const Analyzer& other) {
  if (this != &other) pipeline_ = std::make_unique<detail::Pipeline>(*other.pipeline_);
  return *this;
}
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

const AnalyzerOptions& Analyzer::options() const noexcept { return pipeline_->options(); }

void Analyzer::analyze(std::string_view text, TermSink& sink) const {
  pipeline_->each_term(text, [&](std::string_view t) { sink.add(t); });  // the vectorizers' path too
}

std::vector<std::string> Analyzer::analyze(std::string_view text) const {
  std::vector<std::string> out;
  pipeline_->each_term(text, [&](std::string_view t) { out.emplace_back(t); });
  return out;
}

std::string Analyzer::preprocess(std::string_view text) const { return pipeline_->preprocess(text); }

std::vector<std::string> Analyzer::tokenize(std::string_view preprocessed) const {
  return pipeline_->tokenize(preprocessed);
}

void Analyzer::word_ngrams(const std::vector<std::string_view>& tokens, TermSink& sink) const {
  // Its own buffers: the tokens may be views into this thread's scratch.
  detail::Scratch s;
  std::string join;
  auto add = [&](std::string_view t) { sink.add(t); };
  pipeline_->words_to_terms(tokens, s, join, add);
}

std::vector<Token> Analyzer::tokens_with_offsets(std::string_view text) const {
  return pipeline_->tokens_with_offsets(text);
}

}  // namespace lexsim
