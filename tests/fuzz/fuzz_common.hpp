#pragma once
// Shared by the libFuzzer harnesses: reading options from the first bytes of an input, slow
// obviously-correct references (UTF-8 decoding as Python does it, word and space classes, the token
// rules, scikit-learn's character n-grams) and a check that aborts with a message.
//
// Input layout: a fixed number of option bytes first (missing bytes read as 0, and all-zero option
// bytes mean scikit-learn's defaults), then the text. The seed corpora follow this layout.

#include <lexsim/lexsim.hpp>
#include <utf8proc.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

[[noreturn]] inline void fail(const char* file, int line, const char* what, const std::string& detail) {
  std::fprintf(stderr, "\n%s:%d: invariant violated: %s\n%s\n", file, line, what, detail.c_str());
  std::abort();  // libFuzzer saves the input as a crash artifact
}
#define FUZZ_CHECK(cond, detail)                                    \
  do {                                                              \
    if (!(cond)) ::fuzz::fail(__FILE__, __LINE__, #cond, (detail)); \
  } while (0)

/// Printable form of bytes for failure messages.
inline std::string show(std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
    }
  }
  return out + "\"";
}

inline std::string show(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + show(v[i]);
  return out + "]";
}

/// Consumes option bytes from the front of the input; past its end every byte is 0.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  /// The option block of n bytes (so that the text starts at a fixed offset whatever was read).
  std::vector<std::uint8_t> block(std::size_t n) {
    std::vector<std::uint8_t> b(n, 0);
    for (std::size_t i = 0; i < n; ++i) b[i] = byte();
    return b;
  }
  std::string_view rest() const {
    return pos_ < size_ ? std::string_view(reinterpret_cast<const char*>(data_ + pos_), size_ - pos_)
                        : std::string_view();
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// ------------------------------------------------------------------------------------------------
// UTF-8 as Python decodes it, written from the table of well-formed byte sequences (Unicode 15,
// Table 3-7) rather than from bit tests. An ill-formed sequence is replaced (or dropped) as one
// "maximal subpart": the longest prefix of some well-formed sequence, at least one byte.

struct Utf8Row {
  int n;
  std::uint8_t lo[4], hi[4];
};
inline const std::vector<Utf8Row>& utf8_rows() {
  static const std::vector<Utf8Row> rows = {
      {1, {0x00}, {0x7F}},
      {2, {0xC2, 0x80}, {0xDF, 0xBF}},
      {3, {0xE0, 0xA0, 0x80}, {0xE0, 0xBF, 0xBF}},
      {3, {0xE1, 0x80, 0x80}, {0xEC, 0xBF, 0xBF}},
      {3, {0xED, 0x80, 0x80}, {0xED, 0x9F, 0xBF}},
      {3, {0xEE, 0x80, 0x80}, {0xEF, 0xBF, 0xBF}},
      {4, {0xF0, 0x90, 0x80, 0x80}, {0xF0, 0xBF, 0xBF, 0xBF}},
      {4, {0xF1, 0x80, 0x80, 0x80}, {0xF3, 0xBF, 0xBF, 0xBF}},
      {4, {0xF4, 0x80, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}},
  };
  return rows;
}

/// One decoded code point and the bytes [begin, end) it came from (U+FFFD for a replaced subpart).
struct RefChar {
  char32_t cp;
  std::size_t begin, end;
};

struct RefDecoded {
  std::vector<RefChar> chars;
  std::optional<std::size_t> first_error;  ///< offset of the first ill-formed subpart
};

inline RefDecoded ref_decode(std::string_view s, lexsim::DecodeError mode) {
  RefDecoded out;
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t matched = 0;  // longest prefix of a row that the bytes at i match
    const Utf8Row* full = nullptr;
    for (const auto& row : utf8_rows()) {
      std::size_t k = 0;
      while (k < static_cast<std::size_t>(row.n) && i + k < s.size() && p[i + k] >= row.lo[k] && p[i + k] <= row.hi[k])
        ++k;
      if (k == static_cast<std::size_t>(row.n)) full = &row;
      if (k > matched) matched = k;
    }
    if (full != nullptr) {
      char32_t cp = full->n == 1 ? p[i] : p[i] & (0xFF >> (full->n + 1));
      for (int k = 1; k < full->n; ++k) cp = (cp << 6) | (p[i + static_cast<std::size_t>(k)] & 0x3F);
      out.chars.push_back({cp, i, i + static_cast<std::size_t>(full->n)});
      i += static_cast<std::size_t>(full->n);
      continue;
    }
    if (matched == 0) matched = 1;
    if (!out.first_error) out.first_error = i;
    if (mode == lexsim::DecodeError::replace) out.chars.push_back({0xFFFD, i, i + matched});
    i += matched;
  }
  return out;
}

inline bool valid_utf8(std::string_view s) { return !ref_decode(s, lexsim::DecodeError::strict).first_error; }

inline std::u32string code_points(std::string_view valid) {
  std::u32string out;
  for (const auto& c : ref_decode(valid, lexsim::DecodeError::strict).chars) out.push_back(c.cp);
  return out;
}

inline std::string encode(const std::u32string& cps) {
  std::string out;
  for (const char32_t c : cps) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// Python's definitions, from the Unicode properties: \w is str.isalnum() or '_' (letters and
// numbers), \s is str.isspace() (bidirectional class WS, B or S, or general category Zs).
inline bool ref_is_word(char32_t c) {
  if (c == U'_') return true;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return true;
    default: return false;
  }
}
inline bool ref_is_space(char32_t c) {
  const auto* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
  return p->category == UTF8PROC_CATEGORY_ZS || p->bidi_class == UTF8PROC_BIDI_CLASS_WS ||
         p->bidi_class == UTF8PROC_BIDI_CLASS_B || p->bidi_class == UTF8PROC_BIDI_CLASS_S;
}

// ------------------------------------------------------------------------------------------------
// Analysis options from 6 bytes. All zero = scikit-learn's defaults.
//   byte 0: bits 0-1 analyzer (word, char, char_wb), bits 2-3 decode_error (strict, replace,
//           ignore), bit 4 lowercase off, bit 5 casefold, bits 6-7 normalization (none, NFC, NFKC)
//   byte 1: bits 0-1 strip_accents (none, ascii, unicode), bits 2-3 stop words (none, English, a
//           custom list), bit 4 stemmer (word analyzer), bit 5 also analyse the text repeated
//           past 1 MiB (fuzz_analyzer: the streaming path for large documents)
//   byte 2: ngram_range min - 1;  byte 3: max - min;  byte 4: token pattern;  byte 5: stemmer

/// Token patterns lexsim supports and what each means for re.findall over a run of \w: whole runs
/// of min..max characters (bounded by \b), or a run cut greedily into max-sized pieces (no \b).
struct Pattern {
  const char* pattern;
  std::size_t min_len, max_len;  // max 0 = unbounded
  bool bounded;
};
inline const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> p = {
      {R"((?u)\b\w\w+\b)", 2, 0, true},   {R"(\b\w+\b)", 1, 0, true},  {R"(\w{3,})", 3, 0, false},
      {R"((?u)\b\w\w\w+\b)", 3, 0, true}, {R"(\w{2})", 2, 2, false},   {R"(\w\w)", 2, 2, false},
      {R"(\b\w{2,4}\b)", 2, 4, true},     {R"(\w{3,5})", 3, 5, false}, {R"((\w+))", 1, 0, false},
      {R"(\b(\w\w+)\b)", 2, 0, true},     {R"(\w)", 1, 1, false},      {R"((?u)\w{1,3})", 1, 3, false},
  };
  return p;
}

constexpr std::size_t kAnalyzerBytes = 6;

struct AnalysisChoice {
  lexsim::AnalyzerOptions options;
  Pattern pattern;
  int stop_mode = 0;  // 0 none, 1 English, 2 custom list
};

/// `words` supplies custom stop words (e.g. taken from the input itself).
inline AnalysisChoice analysis_options(const std::vector<std::uint8_t>& b, const std::vector<std::string>& words = {}) {
  using namespace lexsim;
  AnalysisChoice c;
  AnalyzerOptions& o = c.options;
  o.analyzer = static_cast<AnalyzerKind>((b[0] & 3) % 3);
  o.decode_error = static_cast<DecodeError>(((b[0] >> 2) & 3) % 3);
  o.lowercase = (b[0] & 0x10) == 0;
  o.casefold = (b[0] & 0x20) != 0;
  o.normalization = static_cast<Normalization>(((b[0] >> 6) & 3) % 3);
  o.strip_accents = static_cast<StripAccents>((b[1] & 3) % 3);
  c.stop_mode = ((b[1] >> 2) & 3) % 3;
  const bool stem = (b[1] & 0x10) != 0 && o.analyzer == AnalyzerKind::word;
  const int span = o.analyzer == AnalyzerKind::word ? 4 : 6;  // longer character n-grams are cheap
  o.ngram_range.first = 1 + b[2] % span;
  o.ngram_range.second = o.ngram_range.first + b[3] % 4;
  c.pattern = patterns()[b[4] % patterns().size()];
  o.token_pattern = c.pattern.pattern;
  if (stem) {
    static const std::vector<std::string> names = lexsim::stemmers();
    o.stemmer = names[b[5] % names.size()];
  }
  if (c.stop_mode == 1) {
    o.stop_words = lexsim::english_stop_words();
  } else if (c.stop_mode == 2) {
    std::vector<std::string> sw = {"", "the", "é"};
    for (std::size_t i = 0; i < words.size() && i < 3; ++i) sw.push_back(words[i]);
    o.stop_words = sw;
  }
  return c;
}

// ------------------------------------------------------------------------------------------------
// References for the analysis that follows preprocessing (scikit-learn's own algorithms).

/// Token code-point ranges of preprocessed text, as re.findall(token_pattern) finds them.
inline std::vector<std::u32string> ref_tokens(const std::u32string& text, const Pattern& p) {
  std::vector<std::u32string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!ref_is_word(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && ref_is_word(text[j])) ++j;
    const std::size_t len = j - i;
    if (p.bounded) {
      if (len >= p.min_len && (p.max_len == 0 || len <= p.max_len)) out.push_back(text.substr(i, len));
    } else {
      for (std::size_t at = i; j - at >= p.min_len;) {
        const std::size_t take = p.max_len == 0 ? j - at : std::min(p.max_len, j - at);
        out.push_back(text.substr(at, take));
        at += take;
      }
    }
    i = j;
  }
  return out;
}

/// scikit-learn's _word_ngrams (after stop-word removal).
inline std::vector<std::string> ref_word_ngrams(const std::vector<std::string>& tokens, std::pair<int, int> range) {
  std::vector<std::string> out;
  const auto [lo, hi] = range;
  if (lo == 1) out = tokens;
  for (int n = std::max(lo, 2); n <= hi; ++n) {
    for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= tokens.size(); ++i) {
      std::string g = tokens[i];
      for (int k = 1; k < n; ++k) g += " " + tokens[i + static_cast<std::size_t>(k)];
      out.push_back(g);
    }
  }
  return out;
}

/// re.sub(r"\s\s+", " ", text).
inline std::u32string ref_collapse_spaces(const std::u32string& t) {
  std::u32string out;
  for (std::size_t i = 0; i < t.size();) {
    if (!ref_is_space(t[i])) {
      out += t[i++];
      continue;
    }
    std::size_t j = i;
    while (j < t.size() && ref_is_space(t[j])) ++j;
    if (j - i >= 2) {
      out += U' ';
    } else {
      out += t[i];
    }
    i = j;
  }
  return out;
}

/// scikit-learn's _char_ngrams and _char_wb_ngrams over preprocessed text.
inline std::vector<std::string> ref_char_ngrams(const std::u32string& pre, lexsim::AnalyzerKind kind,
                                                std::pair<int, int> range) {
  const std::u32string t = ref_collapse_spaces(pre);
  std::vector<std::string> out;
  const auto [lo, hi] = range;
  if (kind == lexsim::AnalyzerKind::char_) {
    const auto len = static_cast<int>(t.size());
    for (int n = lo; n <= std::min(hi, len); ++n)
      for (int i = 0; i + n <= len; ++i)
        out.push_back(encode(t.substr(static_cast<std::size_t>(i), static_cast<std::size_t>(n))));
    // scikit-learn lists the unigrams first and then n = 2.. (the loop above does the same, n in order)
    return out;
  }
  // for w in text.split(): w = " " + w + " "; ...
  std::vector<std::u32string> words;
  for (std::size_t i = 0; i < t.size();) {
    if (ref_is_space(t[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < t.size() && !ref_is_space(t[j])) ++j;
    words.push_back(t.substr(i, j - i));
    i = j;
  }
  for (const auto& word : words) {
    const std::u32string w = U" " + word + U" ";
    const std::size_t w_len = w.size();
    for (int n = lo; n <= hi; ++n) {
      const auto nn = static_cast<std::size_t>(n);
      std::size_t offset = 0;
      out.push_back(encode(w.substr(offset, nn)));
      while (offset + nn < w_len) {
        ++offset;
        out.push_back(encode(w.substr(offset, nn)));
      }
      if (offset == 0) break;
    }
  }
  return out;
}

}  // namespace fuzz
