#pragma once
// Analysis stage "preprocess": UTF-8 in, the text the tokenizer sees out. Decoding (decode_error),
// then Unicode normalisation, case (lowercase or casefold) and accent stripping, in that order
// (scikit-learn's order, with normalisation first). This is the general path; the fused scanners
// (fused_words.hpp) do the default case in the same pass as tokenizing.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lexsim/analyzer.hpp"
#include "analysis/scratch.hpp"
#include "unicode/unicode.hpp"

namespace lexsim::detail {

// The preprocessed text of one document, as views into a Scratch: its UTF-8 and, unless the text is
// ASCII (one byte per code point), its code points and the byte offset of each.
struct ProcessedText {
  std::string_view text;
  const CodePoints* cps = nullptr;         // nullptr: ASCII
  const std::uint32_t* cp_byte = nullptr;  // size() + 1 offsets into text; nullptr: ASCII

  bool ascii() const noexcept { return cps == nullptr; }
  std::size_t size() const noexcept { return cps ? cps->size() : text.size(); }
  std::size_t byte_of(std::size_t cp) const noexcept { return cp_byte ? cp_byte[cp] : cp; }
  // The code points [begin, end) as UTF-8.
  std::string_view slice(std::size_t begin, std::size_t end) const noexcept {
    const std::size_t b = byte_of(begin);
    return text.substr(b, byte_of(end) - b);
  }
  char32_t at(std::size_t i) const noexcept {
    return cps ? cps->cp[i] : static_cast<char32_t>(static_cast<unsigned char>(text[i]));
  }
  bool word_at(std::size_t i) const noexcept {
    return cps ? is_word(cps->cp[i]) : kAscii.word[static_cast<unsigned char>(text[i])];
  }
  bool space_at(std::size_t i) const noexcept {
    return cps ? is_space(cps->cp[i]) : kAscii.space[static_cast<unsigned char>(text[i])];
  }
};

struct Preprocessor {
  DecodeError decode_error = DecodeError::strict;
  Normalization normalization = Normalization::none;
  bool casefold = false;
  bool lowercase = true;
  StripAccents strip_accents = StripAccents::none;

  static Preprocessor of(const AnalyzerOptions& o) noexcept {
    return {o.decode_error, o.normalization, o.casefold, o.lowercase, o.strip_accents};
  }
  // Only decoding: for text that is already preprocessed.
  Preprocessor decode_only() const noexcept { return {decode_error, Normalization::none, false, false, {}}; }
  bool lowers() const noexcept { return lowercase || casefold; }

  // Writes the preprocessed text into s (text, cp_byte and one of its code-point buffers).
  ProcessedText run(std::string_view in, Scratch& s) const {
    if (first_non_ascii(in) == in.size()) {  // ASCII: only the case can change, byte for byte
      s.cp_byte.clear();
      if (lowers()) {
        s.text.resize(in.size());
        for (std::size_t i = 0; i < in.size(); ++i) s.text[i] = kAscii.lower[static_cast<unsigned char>(in[i])];
      } else {
        s.text.assign(in.data(), in.size());
      }
      return {s.text, nullptr, nullptr};
    }
    decode_utf8(in, decode_error, s.decoded, s.byte_begin, s.byte_end);
    const CodePoints* cur = &s.decoded;
    CodePoints* spare[2] = {&s.a, &s.b};
    int next = 0;
    auto step = [&](auto&& fn) {
      CodePoints* out = spare[next];
      fn(*cur, *out);
      cur = out;
      next ^= 1;
    };
    if (normalization != Normalization::none)
      step([&](const CodePoints& i, CodePoints& o) { normalize(i, normalization, o); });
    if (casefold) {
      step([&](const CodePoints& i, CodePoints& o) { detail::casefold(i, o); });
    } else if (lowercase) {
      step([&](const CodePoints& i, CodePoints& o) { lower(i, o); });
    }
    if (strip_accents != StripAccents::none)
      step([&](const CodePoints& i, CodePoints& o) {
        detail::strip_accents(i, strip_accents == StripAccents::ascii, o);
      });
    s.text.clear();
    s.cp_byte.resize(cur->size() + 1);
    for (std::size_t i = 0; i < cur->size(); ++i) {
      s.cp_byte[i] = static_cast<std::uint32_t>(s.text.size());
      append_utf8(s.text, cur->cp[i]);
    }
    s.cp_byte[cur->size()] = static_cast<std::uint32_t>(s.text.size());
    return {s.text, cur, s.cp_byte.data()};
  }
};

}  // namespace lexsim::detail
