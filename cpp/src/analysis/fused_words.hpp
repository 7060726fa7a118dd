#pragma once
// Analysis stages "preprocess" and "tokenize" fused into one pass, for the common case: the word
// analyzer with a whole-run rule and lowercase (or no case change), no normalisation or accent
// stripping. Each scanner gives exactly the tokens preprocess.hpp + word_tokens.hpp would, and
// declines (returns false before emitting anything) where it does not apply. A token is passed to
// f as a view into the Scratch, valid until the next document on this thread.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "analysis/scratch.hpp"
#include "analysis/token_pattern.hpp"
#include "unicode/unicode.hpp"

namespace lexsim::detail {

// A document larger than this streams its tokens out as they are found (utf8_lowercase_words).
constexpr std::size_t kStreamAbove = std::size_t{1} << 20;

inline bool ascii_digits(std::string_view t) noexcept {
  for (const char c : t)
    if (c < '0' || c > '9') return false;
  return true;
}

// True when utf8_lowercase_words will not give up on text: valid UTF-8 without a capital sigma.
inline bool streamable(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t len = decode_one(p + i, n - i, cp);
    if (len == 0 || cp == 0x3A3) return false;
    i += len;
  }
  return true;
}

// ASCII text: 64 bytes at a time, lowercase them (when `lower`) and mark word characters in a bit
// mask; tokens are the runs of set bits. Returns false, having done nothing, when the text is not
// all ASCII.
template <class F>
bool ascii_words(std::string_view text, const TokenRule& rule, bool lower, Scratch& s, F& f) {
  if (first_non_ascii(text) != text.size()) return false;
  const std::size_t n = text.size();
  s.text.resize(n + 64);
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  char* out = s.text.data();
  const char* base = lower ? out : text.data();
  std::size_t tok_start = 0;
  bool in_tok = false;
  unsigned char tail[64];
  auto emit = [&](std::size_t b, std::size_t e) {
    const std::size_t len = e - b;
    if (rule.fits(len)) {
      const std::string_view term(base + b, len);
      if (rule.no_digits && ascii_digits(term)) return;
      f(term);
    }
  };
  // Each block is lowercased before its tokens are emitted, and a token only reads bytes of its
  // own and earlier blocks.
  for (std::size_t at = 0; at < n; at += 64) {
    const unsigned char* p = in + at;
    const std::size_t avail = n - at;
    if (avail < 64) {
      std::memset(tail, 0, sizeof tail);
      std::memcpy(tail, p, avail);
      p = tail;
    }
    std::uint64_t non_ascii = 0;
    const std::uint64_t word = word_mask64(p, out + at, lower, non_ascii);  // zero padding is not \w
    // A token starts at a word bit whose predecessor is not one, and ends at the first non-word bit
    // after it (in a short last block, at the padding: position n).
    const std::uint64_t prev = (word << 1) | (in_tok ? 1u : 0u);
    const std::uint64_t starts = word & ~prev;
    const std::uint64_t ends = ~word & prev;
    std::uint64_t events = starts | ends;
    while (events) {
      const int bit = __builtin_ctzll(events);
      const std::uint64_t one = std::uint64_t{1} << bit;
      if (starts & one) {
        tok_start = at + static_cast<std::size_t>(bit);
      } else {
        emit(tok_start, at + static_cast<std::size_t>(bit));
      }
      events &= events - 1;
    }
    in_tok = (word >> 63) != 0;  // only a full block can end inside a token
  }
  if (in_tok) emit(tok_start, n);
  return true;
}

// UTF-8 text under the default preprocessing (lowercase only, which the caller checks): decodes,
// lowercases (Python's rules) and classifies in one pass, then emits the tokens. Returns false,
// having emitted nothing, for invalid UTF-8 (the general path applies decode_error) or a capital
// sigma (whose lowercase depends on context).
template <class F>
bool utf8_lowercase_words(std::string_view text, const TokenRule& rule, Scratch& s, F& f) {
  // A large document streams its tokens out as it goes, instead of holding a span per token: it
  // is first checked for what would make this path give up (so nothing is emitted before a
  // fallback), and the buffer is reserved for the largest possible lowercase growth (1.5x), so
  // the views already emitted never move. Reserving costs address space, not memory.
  const bool stream = text.size() > kStreamAbove && streamable(text);
  s.text.clear();
  s.text.reserve(stream ? text.size() + text.size() / 2 + 8 : text.size() + 8);
  s.spans.clear();
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const BmpProps* const bmp = bmp_props();
  auto emit_spans = [&] {
    for (const auto& sp : s.spans) {
      const std::size_t cps = sp.cps;
      if (rule.accepts(cps, sp.digits)) {
        const std::string_view term(s.text.data() + sp.begin, sp.end - sp.begin);
        f(term);
      }
    }
    s.spans.clear();
  };
  bool in_tok = false;
  std::uint32_t tok_begin = 0, tok_cps = 0, tok_digits = 0;
  auto step = [&](bool word, bool digit) {  // called after appending one lowered code point
    if (word) {
      if (!in_tok) {
        in_tok = true;
        tok_cps = 0;
        tok_digits = 0;
      }
      ++tok_cps;
      tok_digits += digit ? 1u : 0u;
      return;
    }
    if (in_tok) s.spans.push_back({tok_begin, static_cast<std::uint32_t>(s.text.size()), tok_cps, tok_digits});
    in_tok = false;
  };
  auto mark = [&]() {
    if (!in_tok) tok_begin = static_cast<std::uint32_t>(s.text.size());
  };
  std::size_t i = 0;
  while (i < n) {
    if (stream && s.spans.size() >= 4096) emit_spans();
    const unsigned char b = p[i];
    if (b < 0x80) {
      const bool w = kAscii.word[b];
      if (w)
        mark();
      else if (in_tok) {  // close before appending the separator
        s.spans.push_back({tok_begin, static_cast<std::uint32_t>(s.text.size()), tok_cps, tok_digits});
        in_tok = false;
      }
      s.text.push_back(kAscii.lower[b]);
      if (w) step(true, b >= '0' && b <= '9');
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t len = decode_one(p + i, n - i, cp);
    if (len == 0 || cp == 0x3A3) return false;
    i += len;
    if (cp == 0x130) {  // lowercases to i + U+0307, a combining mark that ends the word
      mark();
      s.text.push_back('i');
      step(true, false);
      if (in_tok) s.spans.push_back({tok_begin, static_cast<std::uint32_t>(s.text.size()), tok_cps, tok_digits});
      in_tok = false;
      append_utf8(s.text, 0x307);
      continue;
    }
    char32_t lc;
    bool w, digit;
    if (cp < 0x10000 && !(bmp[cp].flags & kBmpLowerOutside)) {  // one load answers the three questions
      lc = bmp[cp].lower;
      w = (bmp[cp].flags & kBmpLowerWord) != 0;
      digit = (bmp[cp].flags & kBmpLowerDecimal) != 0;
    } else {
      lc = lower_simple(cp);
      w = is_word(lc);
      digit = w && is_decimal(lc);
    }
    if (w)
      mark();
    else if (in_tok) {
      s.spans.push_back({tok_begin, static_cast<std::uint32_t>(s.text.size()), tok_cps, tok_digits});
      in_tok = false;
    }
    append_utf8(s.text, lc);
    if (w) step(true, digit);
  }
  if (in_tok) s.spans.push_back({tok_begin, static_cast<std::uint32_t>(s.text.size()), tok_cps, tok_digits});
  emit_spans();
  return true;
}

}  // namespace lexsim::detail
