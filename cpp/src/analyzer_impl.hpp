#pragma once
// Private: the analyzer's implementation, shared with the vectorizers so that their per-document
// loop can call each_term() without a virtual call per term.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "lexsim/analyzer.hpp"
#include "lexsim/errors.hpp"
#include "lexsim/vocabulary.hpp"
#include "unicode/unicode.hpp"

namespace lexsim {
namespace detail {

// The subset of Python regular expressions the native tokenizer implements: runs of \w.
struct TokenRule {
  std::size_t min_len = 2;
  std::size_t max_len = 0;  // 0 = unbounded
  bool bounded = true;      // \b ... \b: only whole runs whose length fits
  bool no_digits = false;   // \b(?!\d+\b)...: a run made only of decimal digits (Nd) is no token
};

// True when every code point of the run [b, e) is a decimal digit (Unicode Nd, Python's \d).
template <class At>
inline bool all_digits(std::size_t b, std::size_t e, At&& at) {
  for (std::size_t k = b; k < e; ++k)
    if (!is_decimal(at(k))) return false;
  return true;
}

inline bool parse_size(const std::string& s, std::size_t& pos, std::size_t& out) {
  const std::size_t start = pos;
  out = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    out = out * 10 + static_cast<std::size_t>(s[pos] - '0');
    if (out > 1000000) return false;
    ++pos;
  }
  return pos > start;
}

// Accepts [(?u)] [\b] [(?!\d+\b)] [(] [(?!\d+\b)] \w...\w [+|*|{m}|{m,}|{m,n}] [)] [\b]; returns false
// for anything else. The lookahead (at most once, and only after a leading \b) rejects the runs
// made only of digits, as Python's re does: at the start of a whole run, \d+\b matches exactly
// when the run is all digits.
inline bool parse_token_pattern(const std::string& pattern, TokenRule& rule) {
  std::string p = pattern;
  if (p.rfind("(?u)", 0) == 0) p = p.substr(4);
  bool lead_b = false, trail_b = false, group = false;
  std::size_t pos = 0;
  auto eat = [&](const char* lit) {
    const std::size_t n = std::char_traits<char>::length(lit);
    if (p.compare(pos, n, lit) == 0) {
      pos += n;
      return true;
    }
    return false;
  };
  lead_b = eat("\\b");
  bool no_digits = eat("(?!\\d+\\b)");
  group = eat("(");
  if (eat("(?!\\d+\\b)")) {
    if (no_digits) return false;
    no_digits = true;
  }
  if (no_digits && !lead_b) return false;  // only whole runs: without \b the lookahead means more
  std::size_t atoms = 0;
  while (eat("\\w")) ++atoms;
  if (atoms == 0) return false;
  std::size_t lo = atoms, hi = atoms;
  if (eat("+")) {
    hi = 0;
  } else if (eat("*")) {
    lo = atoms - 1;
    hi = 0;
  } else if (eat("{")) {
    std::size_t m = 0, n = 0;
    if (!parse_size(p, pos, m)) return false;
    if (eat("}")) {
      n = m;
    } else if (eat(",}")) {
      n = 0;
    } else if (eat(",")) {
      if (!parse_size(p, pos, n) || !eat("}") || n < m) return false;
    } else {
      return false;
    }
    lo = atoms - 1 + m;
    hi = n == 0 && !(p[pos - 1] == '}' && m == n) ? 0 : atoms - 1 + n;
    if (n == 0 && m != 0) hi = 0;
    if (n == 0 && m == 0) return false;  // \w{0} matches nothing useful
  }
  if (group && !eat(")")) return false;
  trail_b = eat("\\b");
  if (pos != p.size() || lead_b != trail_b || lo == 0) return false;  // empty matches are not tokens
  rule.min_len = lo;
  rule.max_len = hi;
  rule.bounded = lead_b;
  rule.no_digits = no_digits;
  return true;
}

// Thread-local working storage, so that analysing a document allocates nothing in steady state.
struct Scratch {
  detail::CodePoints decoded, a, b;
  std::vector<std::size_t> byte_begin, byte_end;                // source bytes of each decoded code point
  std::string text;                                             // processed text, UTF-8
  std::vector<std::uint32_t> cp_byte;                           // byte offset of each processed code point (+ end)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> tokens;  // code-point ranges
  std::vector<std::string_view> views;
  std::string join;
  struct Span {
    std::uint32_t begin, end, cps, digits;  // digits: how many of the code points are Nd
  };
  std::vector<Span> spans;                // tokens of the UTF-8 fast path: byte range and length in code points
  std::string stems;                      // a document's stems, back to back...
  std::vector<std::size_t> stem_ends;     // ...the end of each in `stems`...
  std::vector<std::string_view> stemmed;  // ...and views of them, made once `stems` stops growing
};

inline Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Frees this thread's scratch buffers that a huge document grew (they would otherwise stay as
// large as the largest document until the thread ends). Call once a batch of documents is done.
inline void trim_scratch() {
  constexpr std::size_t kKeep = std::size_t{16} << 20;  // bytes
  Scratch& s = scratch();
  auto trim = [&](auto& v, std::size_t element) {
    if (v.capacity() * element > kKeep) std::remove_reference_t<decltype(v)>().swap(v);
  };
  for (CodePoints* c : {&s.decoded, &s.a, &s.b}) {
    trim(c->cp, sizeof(char32_t));
    trim(c->origin, sizeof(std::uint32_t));
  }
  trim(s.byte_begin, sizeof(std::size_t));
  trim(s.byte_end, sizeof(std::size_t));
  trim(s.text, 1);
  trim(s.cp_byte, sizeof(std::uint32_t));
  trim(s.tokens, sizeof(s.tokens[0]));
  trim(s.views, sizeof(std::string_view));
  trim(s.join, 1);
  trim(s.spans, sizeof(Scratch::Span));
  trim(s.stems, 1);
  trim(s.stem_ends, sizeof(std::size_t));
  trim(s.stemmed, sizeof(std::string_view));
}

}  // namespace detail

struct Analyzer::Impl {
  using TokenRule = detail::TokenRule;
  using Scratch = detail::Scratch;
  AnalyzerOptions opt;
  TokenRule rule;
  bool have_stop_words = false;
  Vocabulary stop_words;  // used as a set
  bool stemming = false;  // opt.stemmer is set

  // Fills s.text / s.cp_byte with the processed text; the code points of the processed text stay in
  // *cps (nullptr when the text is ASCII and cp_byte is the identity, s.cp_byte then empty).
  const detail::CodePoints* preprocess(std::string_view in, Scratch& s) const {
    const bool ascii = detail::first_non_ascii(in) == in.size();
    if (ascii) {
      s.cp_byte.clear();
      if (opt.lowercase || opt.casefold) {
        s.text.resize(in.size());
        for (std::size_t i = 0; i < in.size(); ++i) s.text[i] = detail::kAscii.lower[static_cast<unsigned char>(in[i])];
      } else {
        s.text.assign(in.data(), in.size());
      }
      return nullptr;
    }
    detail::decode_utf8(in, opt.decode_error, s.decoded, s.byte_begin, s.byte_end);
    const detail::CodePoints* cur = &s.decoded;
    detail::CodePoints* spare[2] = {&s.a, &s.b};
    int next = 0;
    auto step = [&](auto&& fn) {
      detail::CodePoints* out = spare[next];
      fn(*cur, *out);
      cur = out;
      next ^= 1;
    };
    if (opt.normalization != Normalization::none)
      step([&](const auto& i, auto& o) { detail::normalize(i, opt.normalization, o); });
    if (opt.casefold) {
      step([&](const auto& i, auto& o) { detail::casefold(i, o); });
    } else if (opt.lowercase) {
      step([&](const auto& i, auto& o) { detail::lower(i, o); });
    }
    if (opt.strip_accents != StripAccents::none)
      step([&](const auto& i, auto& o) { detail::strip_accents(i, opt.strip_accents == StripAccents::ascii, o); });
    s.text.clear();
    s.cp_byte.resize(cur->size() + 1);
    for (std::size_t i = 0; i < cur->size(); ++i) {
      s.cp_byte[i] = static_cast<std::uint32_t>(s.text.size());
      detail::append_utf8(s.text, cur->cp[i]);
    }
    s.cp_byte[cur->size()] = static_cast<std::uint32_t>(s.text.size());
    return cur;
  }

  std::size_t n_cp(const Scratch& s) const { return s.cp_byte.empty() ? s.text.size() : s.cp_byte.size() - 1; }
  std::uint32_t byte_of(const Scratch& s, std::size_t cp) const {
    return s.cp_byte.empty() ? static_cast<std::uint32_t>(cp) : s.cp_byte[cp];
  }
  std::string_view slice(const Scratch& s, std::size_t cp_begin, std::size_t cp_end) const {
    const auto b = byte_of(s, cp_begin), e = byte_of(s, cp_end);
    return {s.text.data() + b, e - b};
  }
  char32_t cp_at(const Scratch& s, const detail::CodePoints* cps, std::size_t i) const {
    return cps ? cps->cp[i] : static_cast<char32_t>(static_cast<unsigned char>(s.text[i]));
  }

  // Word tokens as code-point ranges of the processed text.
  void find_tokens(const Scratch& s, const detail::CodePoints* cps,
                   std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) const {
    out.clear();
    const std::size_t n = n_cp(s);
    std::size_t i = 0;
    while (i < n) {
      if (!(cps ? detail::is_word(cps->cp[i]) : detail::kAscii.word[static_cast<unsigned char>(s.text[i])])) {
        ++i;
        continue;
      }
      std::size_t j = i + 1;
      if (cps) {
        while (j < n && detail::is_word(cps->cp[j])) ++j;
      } else {
        while (j < n && detail::kAscii.word[static_cast<unsigned char>(s.text[j])]) ++j;
      }
      const std::size_t len = j - i;
      if (rule.bounded) {
        if (len >= rule.min_len && (rule.max_len == 0 || len <= rule.max_len) &&
            !(rule.no_digits && detail::all_digits(i, j, [&](std::size_t k) { return cp_at(s, cps, k); })))
          out.emplace_back(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
      } else {
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

  // The stems of tokens, as views into this thread's scratch valid until its next analysis. Out of
  // line (analyzer.cpp) so that it adds nothing to the inlined paths that do not stem.
  const std::vector<std::string_view>& stem(const std::vector<std::string_view>& tokens) const;

  void word_ngrams(const std::vector<std::string_view>& tokens, TermSink& sink, std::string& join) const {
    const int min_n = opt.ngram_range.first, max_n = opt.ngram_range.second;
    std::vector<std::string_view> kept_storage;
    const std::vector<std::string_view>* kept = &tokens;
    if (have_stop_words) {
      kept_storage.reserve(tokens.size());
      for (auto t : tokens)
        if (stop_words.find(t) < 0) kept_storage.push_back(t);
      kept = &kept_storage;
    }
    if (stemming) kept = &stem(*kept);  // the stems replace the tokens, so n-grams join stems
    const std::size_t nt = kept->size();
    if (min_n == 1) {
      for (auto t : *kept) sink.add(t);
    }
    for (int n = std::max(min_n, 2); n <= max_n && static_cast<std::size_t>(n) <= nt; ++n) {
      for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= nt; ++i) {
        join.assign((*kept)[i].data(), (*kept)[i].size());
        for (std::size_t k = 1; k < static_cast<std::size_t>(n); ++k) {
          join.push_back(' ');
          join.append((*kept)[i + k].data(), (*kept)[i + k].size());
        }
        sink.add(join);
      }
    }
  }

  bool space_at(const Scratch& s, const detail::CodePoints* cps, std::size_t i) const {
    return cps ? detail::is_space(cps->cp[i]) : detail::kAscii.space[static_cast<unsigned char>(s.text[i])];
  }

  // scikit-learn's re.sub(r"\s\s+", " ", text): runs of two or more spaces become one ' '.
  // Produces the collapsed text as code-point ranges of s.text plus a flag for the inserted ' '.
  template <class Emit>
  void collapsed(const Scratch& s, const detail::CodePoints* cps, Emit&& emit) const {
    const std::size_t n = n_cp(s);
    std::size_t i = 0;
    while (i < n) {
      if (space_at(s, cps, i)) {
        std::size_t j = i + 1;
        while (j < n && space_at(s, cps, j)) ++j;
        if (j - i >= 2) {
          emit(std::string_view(" "), true);
        } else {
          emit(slice(s, i, j), true);
        }
        i = j;
      } else {
        emit(slice(s, i, i + 1), false);
        ++i;
      }
    }
  }

  void char_ngrams(const Scratch& s, const detail::CodePoints* cps, TermSink& sink, std::string& buf) const {
    // Build the collapsed text and its code-point boundaries.
    buf.clear();
    std::vector<std::uint32_t> bounds;
    std::vector<bool> is_sp;
    collapsed(s, cps, [&](std::string_view piece, bool sp) {
      bounds.push_back(static_cast<std::uint32_t>(buf.size()));
      is_sp.push_back(sp);
      buf.append(piece.data(), piece.size());
    });
    bounds.push_back(static_cast<std::uint32_t>(buf.size()));
    const std::size_t len = bounds.size() - 1;
    auto sub = [&](std::size_t a, std::size_t b) {
      return std::string_view(buf.data() + bounds[a], bounds[b] - bounds[a]);
    };
    int min_n = opt.ngram_range.first;
    const int max_n = opt.ngram_range.second;
    if (opt.analyzer == AnalyzerKind::char_) {
      if (min_n == 1) {
        for (std::size_t i = 0; i < len; ++i) sink.add(sub(i, i + 1));
        min_n = 2;
      }
      for (int n = min_n; n <= max_n && static_cast<std::size_t>(n) <= len; ++n)
        for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= len; ++i)
          sink.add(sub(i, i + static_cast<std::size_t>(n)));
      return;
    }
    // char_wb: words are the runs between spaces (str.split()), each padded with one space.
    std::string w;
    std::vector<std::uint32_t> wb;
    std::size_t i = 0;
    while (i < len) {
      if (is_sp[i]) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < len && !is_sp[j]) ++j;
      w.assign(" ");
      wb.assign(1, 0);
      for (std::size_t k = i; k < j; ++k) {
        wb.push_back(static_cast<std::uint32_t>(w.size()));
        auto piece = sub(k, k + 1);
        w.append(piece.data(), piece.size());
      }
      wb.push_back(static_cast<std::uint32_t>(w.size()));
      w.push_back(' ');
      wb.push_back(static_cast<std::uint32_t>(w.size()));
      const std::size_t w_len = wb.size() - 1;
      auto wsub = [&](std::size_t a, std::size_t b) {
        b = std::min(b, w_len);
        return std::string_view(w.data() + wb[a], wb[b] - wb[a]);
      };
      for (int n = opt.ngram_range.first; n <= max_n; ++n) {
        const auto nn = static_cast<std::size_t>(n);
        std::size_t offset = 0;
        sink.add(wsub(offset, offset + nn));
        while (offset + nn < w_len) {
          ++offset;
          sink.add(wsub(offset, offset + nn));
        }
        if (offset == 0) break;  // a word shorter than n is counted once
      }
      i = j;
    }
  }

  void analyze(std::string_view text, TermSink& sink) const {
    check_size(text);
    Scratch& s = detail::scratch();
    const detail::CodePoints* cps = preprocess(text, s);
    if (opt.analyzer != AnalyzerKind::word) {
      char_ngrams(s, cps, sink, s.join);
      return;
    }
    find_tokens(s, cps, s.tokens);
    s.views.clear();
    for (auto [a, b] : s.tokens) s.views.push_back(slice(s, a, b));
    if (!have_stop_words && !stemming && opt.ngram_range.first == 1 && opt.ngram_range.second == 1) {
      for (auto v : s.views) sink.add(v);
      return;
    }
    word_ngrams(s.views, sink, s.join);
  }
  // Positions inside a document are 32-bit (half the scratch memory of 64-bit ones): refuse what
  // they cannot address rather than wrap around.
  static void check_size(std::string_view text) {
    if (text.size() >= std::numeric_limits<std::uint32_t>::max())
      throw InvalidArgument("a document of " + std::to_string(text.size()) +
                            " bytes is too large: lexsim analyses documents of up to 4 GiB - 1 bytes");
  }

  // The ASCII fast path of each_term: 64 bytes at a time, lowercase them and mark word characters
  // in a bit mask; tokens are the runs of set bits. Returns false, having done nothing, when the
  // text is not all ASCII.
  template <class F>
  bool ascii_words(std::string_view text, F& f) const {
    if (detail::first_non_ascii(text) != text.size()) return false;
    Scratch& s = detail::scratch();
    const std::size_t n = text.size();
    const bool lower = opt.lowercase || opt.casefold;
    s.text.resize(n + 64);
    const auto* in = reinterpret_cast<const unsigned char*>(text.data());
    char* out = s.text.data();
    const char* base = lower ? out : text.data();
    std::size_t tok_start = 0;
    bool in_tok = false;
    unsigned char tail[64];
    auto emit = [&](std::size_t b, std::size_t e) {
      const std::size_t len = e - b;
      if (len >= rule.min_len && (rule.max_len == 0 || len <= rule.max_len)) {
        const std::string_view term(base + b, len);
        if (rule.no_digits && ascii_digits(term)) return;
        if (!have_stop_words || stop_words.find(term) < 0) f(term);
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
      const std::uint64_t word = detail::word_mask64(p, out + at, lower, non_ascii);  // zero padding is not \w
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

  static bool ascii_digits(std::string_view t) noexcept {
    for (const char c : t)
      if (c < '0' || c > '9') return false;
    return true;
  }

  // The UTF-8 fast path of each_term for the default preprocessing (lowercase only): decodes,
  // lowercases (Python's rules) and classifies in one pass, then emits the tokens. Returns false,
  // having emitted nothing, for options it does not cover, invalid UTF-8 (the general path applies
  // decode_error) or a capital sigma (whose lowercase depends on context).
  template <class F>
  bool utf8_words(std::string_view text, F& f) const {
    if (!opt.lowercase || opt.casefold || opt.strip_accents != StripAccents::none ||
        opt.normalization != Normalization::none)
      return false;
    Scratch& s = detail::scratch();
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
    auto emit_spans = [&] {
      for (const auto& sp : s.spans) {
        const std::size_t cps = sp.cps;
        if (cps >= rule.min_len && (rule.max_len == 0 || cps <= rule.max_len) &&
            !(rule.no_digits && sp.digits == cps)) {
          const std::string_view term(s.text.data() + sp.begin, sp.end - sp.begin);
          if (!have_stop_words || stop_words.find(term) < 0) f(term);
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
        const bool w = detail::kAscii.word[b];
        if (w)
          mark();
        else if (in_tok) {  // close before appending the separator
          s.spans.push_back({tok_begin, static_cast<std::uint32_t>(s.text.size()), tok_cps, tok_digits});
          in_tok = false;
        }
        s.text.push_back(detail::kAscii.lower[b]);
        if (w) step(true, b >= '0' && b <= '9');
        ++i;
        continue;
      }
      char32_t cp;
      const std::size_t len = detail::decode_one(p + i, n - i, cp);
      if (len == 0 || cp == 0x3A3) return false;
      i += len;
      if (cp == 0x130) {  // lowercases to i + U+0307, a combining mark that ends the word
        mark();
        s.text.push_back('i');
        step(true, false);
        if (in_tok) s.spans.push_back({tok_begin, static_cast<std::uint32_t>(s.text.size()), tok_cps, tok_digits});
        in_tok = false;
        detail::append_utf8(s.text, 0x307);
        continue;
      }
      const char32_t lc = detail::lower_simple(cp);
      const bool w = detail::is_word(lc);
      if (w)
        mark();
      else if (in_tok) {
        s.spans.push_back({tok_begin, static_cast<std::uint32_t>(s.text.size()), tok_cps, tok_digits});
        in_tok = false;
      }
      detail::append_utf8(s.text, lc);
      if (w) step(true, detail::is_decimal(lc));
    }
    if (in_tok) s.spans.push_back({tok_begin, static_cast<std::uint32_t>(s.text.size()), tok_cps, tok_digits});
    emit_spans();
    return true;
  }

  static constexpr std::size_t kStreamAbove = std::size_t{1} << 20;

  // True when utf8_words will not give up on text: valid UTF-8 without a capital sigma.
  static bool streamable(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
      if (p[i] < 0x80) {
        ++i;
        continue;
      }
      char32_t cp;
      const std::size_t len = detail::decode_one(p + i, n - i, cp);
      if (len == 0 || cp == 0x3A3) return false;
      i += len;
    }
    return true;
  }

  // True when every view each_term passes stays valid until the next analysis on this thread
  // (word unigrams: slices of one buffer, the text or the stems), so a caller may collect a
  // document's terms first.
  bool stable_views() const noexcept {
    return opt.analyzer == AnalyzerKind::word && opt.ngram_range.first == 1 && opt.ngram_range.second == 1;
  }

  // Calls f(term) for every term of text. The common case (word analyzer, unigrams, no stemmer,
  // ASCII text) runs in one tight loop without building token lists; everything else goes through
  // analyze().
  template <class F>
  void each_term(std::string_view text, F&& f) const {
    check_size(text);
    if (opt.analyzer == AnalyzerKind::word && opt.ngram_range.first == 1 && opt.ngram_range.second == 1 &&
        rule.bounded && !stemming && (ascii_words(text, f) || utf8_words(text, f))) {
      return;
    }
    using Fn = std::remove_reference_t<F>;
    struct Sink : TermSink {
      Fn* fn;
      explicit Sink(Fn* g) : fn(g) {}
      void add(std::string_view term) override { (*fn)(term); }
    } sink(&f);
    analyze(text, sink);
  }
};

}  // namespace lexsim
