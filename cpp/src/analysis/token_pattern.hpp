#pragma once
// Analysis stage "tokenize", its rule: the subset of Python's regular expressions the native word
// tokenizer implements (runs of \w with length bounds, optionally whole runs only and without
// all-digit runs), parsed from a token_pattern.

#include <cstddef>
#include <string>

#include "unicode/unicode.hpp"

namespace lexsim::detail {

// The subset of Python regular expressions the native tokenizer implements: runs of \w.
struct TokenRule {
  std::size_t min_len = 2;
  std::size_t max_len = 0;  // 0 = unbounded
  bool bounded = true;      // \b ... \b: only whole runs whose length fits
  bool no_digits = false;   // \b(?!\d+\b)...: a run made only of decimal digits (Nd) is no token

  // Whether a whole run of `length` code points, `digits` of them decimal digits, is a token
  // (bounded rules).
  bool accepts(std::size_t length, std::size_t digits) const noexcept {
    return length >= min_len && (max_len == 0 || length <= max_len) && !(no_digits && digits == length);
  }
  bool fits(std::size_t length) const noexcept { return length >= min_len && (max_len == 0 || length <= max_len); }
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

}  // namespace lexsim::detail
