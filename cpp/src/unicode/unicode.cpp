#include "unicode.hpp"

#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>

#include "lexsim/errors.hpp"

namespace lexsim::detail {
namespace {

struct CodePointRange {
  char32_t first;
  char32_t last;
};

#include "case_context.inc"

template <std::size_t N>
bool in_ranges(const CodePointRange (&ranges)[N], char32_t c) noexcept {
  const auto* end = ranges + N;
  const auto* it = std::upper_bound(ranges, end, c, [](char32_t v, const CodePointRange& r) { return v < r.first; });
  return it != ranges && c <= (it - 1)->last;
}

AsciiTables make_ascii_tables() {
  AsciiTables t{};
  for (int c = 0; c < 128; ++c) {
    t.word[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    t.space[c] = (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
    t.lower[c] = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  }
  return t;
}

[[noreturn]] void throw_invalid(std::size_t offset, const char* why) {
  throw UnicodeError("invalid UTF-8 at byte offset " + std::to_string(offset) + ": " + why, 0, offset);
}

// Decompose one code point with utf8proc (options select NFD/NFKD/casefold) into out.
void decompose_into(char32_t c, utf8proc_option_t options, std::uint32_t origin, CodePoints& out) {
  utf8proc_int32_t buf[32];
  int last_boundclass = 0;
  auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buf, 32, options, &last_boundclass);
  if (n < 0 || n > 32) {  // cannot happen for valid code points; keep the character as it is
    out.push(c, origin);
    return;
  }
  for (utf8proc_ssize_t i = 0; i < n; ++i) out.push(static_cast<char32_t>(buf[i]), origin);
}

int ccc(char32_t c) noexcept { return utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->combining_class; }

// Canonical ordering: stable sort of each run of non-starters by combining class.
void canonical_order(CodePoints& t) {
  const std::size_t n = t.size();
  std::size_t i = 0;
  while (i < n) {
    if (ccc(t.cp[i]) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && ccc(t.cp[j]) != 0) ++j;
    if (j - i > 1) {
      std::vector<std::pair<char32_t, std::uint32_t>> run;
      for (std::size_t k = i; k < j; ++k) run.emplace_back(t.cp[k], t.origin[k]);
      std::stable_sort(run.begin(), run.end(),
                       [](const auto& a, const auto& b) { return ccc(a.first) < ccc(b.first); });
      for (std::size_t k = i; k < j; ++k) {
        t.cp[k] = run[k - i].first;
        t.origin[k] = run[k - i].second;
      }
    }
    i = j;
  }
}

// Code points that are the second half of some canonical composition (so a segment may not end
// before them). Built once from utf8proc's own data.
struct SecondTable {
  std::vector<bool> second;
  SecondTable() : second(0x110000, false) {
    for (char32_t c = 0; c < 0x110000; ++c) {
      const auto* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
      if (p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0 || p->comp_exclusion) continue;
      utf8proc_int32_t buf[8];
      int bc = 0;
      // One level of canonical decomposition: compare with the full NFD to find pairs.
      auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buf, 8, UTF8PROC_DECOMPOSE, &bc);
      if (n >= 2) {
        for (utf8proc_ssize_t i = 1; i < n; ++i) second[static_cast<std::size_t>(buf[i])] = true;
      }
    }
    for (char32_t c = 0x1161; c <= 0x1175; ++c) second[c] = true;  // Hangul V
    for (char32_t c = 0x11A8; c <= 0x11C2; ++c) second[c] = true;  // Hangul T
  }
};

const SecondTable& second_table() {
  static const SecondTable table;
  return table;
}

}  // namespace

const AsciiTables kAscii = make_ascii_tables();

const char* unicode_data_version() noexcept { return ::utf8proc_unicode_version(); }

#if defined(__SSE2__)
std::uint64_t word_mask64(const unsigned char* p, char* out, bool lower, std::uint64_t& non_ascii) noexcept {
  // Unsigned range test a <= x <= b as min(x - a, b - a) == x - a.
  auto in_range = [](__m128i x, char a, char b) {
    const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8(a));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(static_cast<char>(b - a))), d);
  };
  std::uint64_t mask = 0, high = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i letter = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
    const __m128i digit = in_range(v, '0', '9');
    const __m128i under = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
    const __m128i word = _mm_or_si128(_mm_or_si128(letter, digit), under);
    mask |= static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(word))) << (16 * k);
    high |= static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(v))) << (16 * k);
    __m128i o = v;
    if (lower) o = _mm_add_epi8(v, _mm_and_si128(in_range(v, 'A', 'Z'), _mm_set1_epi8(0x20)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * k), o);
  }
  non_ascii = high;
  return mask;
}
#else
std::uint64_t word_mask64(const unsigned char* p, char* out, bool lower, std::uint64_t& non_ascii) noexcept {
  std::uint64_t mask = 0, high = 0;
  for (int i = 0; i < 64; ++i) {
    const unsigned char c = p[i];
    high |= static_cast<std::uint64_t>(c >> 7) << i;
    const unsigned char a = c & 0x7F;
    mask |= static_cast<std::uint64_t>(kAscii.word[a] && c < 128) << i;
    out[i] = lower && c < 128 ? kAscii.lower[c] : static_cast<char>(c);
  }
  non_ascii = high;
  return mask;
}
#endif

void decode_utf8(std::string_view in, DecodeError mode, CodePoints& out, std::vector<std::size_t>& byte_begin,
                 std::vector<std::size_t>& byte_end) {
  out.clear();
  byte_begin.clear();
  byte_end.clear();
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  out.cp.reserve(n);
  out.origin.reserve(n);
  byte_begin.reserve(n);
  byte_end.reserve(n);
  std::size_t i = 0;
  auto emit = [&](char32_t c, std::size_t at, std::size_t len) {
    out.push(c, static_cast<std::uint32_t>(out.size()));
    byte_begin.push_back(at);
    byte_end.push_back(at + len);
  };
  while (i < n) {
    const unsigned char b = p[i];
    if (b < 0x80) {
      emit(b, i, 1);
      ++i;
      continue;
    }
    const Utf8Sequence q = decode_sequence(p + i, n - i);
    if (q.fault == Utf8Fault::none) {
      emit(q.cp, i, q.length);
    } else {
      switch (mode) {
        case DecodeError::strict: throw_invalid(i, utf8_fault_reason(q.fault));
        case DecodeError::replace: emit(0xFFFD, i, q.length); break;
        case DecodeError::ignore: break;
      }
    }
    i += q.length;  // a fault skips the maximal subpart: lead byte plus the valid continuation bytes
  }
}

namespace {

bool is_word_slow(char32_t c) noexcept {
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

bool is_decimal_slow(char32_t c) noexcept {
  return utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_ND;
}

bool is_space_slow(char32_t c) noexcept {
  switch (c) {
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000: return true;
    default: return c >= 0x2000 && c <= 0x200A;
  }
}

char32_t lower_slow(char32_t c) noexcept {
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
}

struct BmpTable {
  BmpProps entries[0x10000];
  BmpTable() noexcept {
    for (char32_t c = 0; c < 0x10000; ++c) {
      // ASCII through kAscii, the rest through utf8proc: the same answers as the functions below.
      const bool ascii = c < 128;
      const char32_t lc = ascii ? static_cast<char32_t>(kAscii.lower[c]) : lower_slow(c);
      auto word = [](char32_t x) { return x < 128 ? kAscii.word[x] : is_word_slow(x); };
      auto decimal = [](char32_t x) { return x < 128 ? (x >= '0' && x <= '9') : is_decimal_slow(x); };
      std::uint8_t f = 0;
      if (word(c)) f |= kBmpWord;
      if (decimal(c)) f |= kBmpDecimal;
      if (ascii ? kAscii.space[c] : is_space_slow(c)) f |= kBmpSpace;
      if (word(lc)) f |= kBmpLowerWord;
      if (decimal(lc)) f |= kBmpLowerDecimal;
      if (lc >= 0x10000) f |= kBmpLowerOutside;
      entries[c] = {static_cast<char16_t>(lc < 0x10000 ? lc : c), f, 0};
    }
  }
};

}  // namespace

const BmpProps* bmp_props() noexcept {
  static const BmpTable table;
  return table.entries;
}

bool is_word(char32_t c) noexcept {
  if (c < 128) return kAscii.word[c];
  if (c < 0x10000) return (bmp_props()[c].flags & kBmpWord) != 0;
  return is_word_slow(c);
}

bool is_decimal(char32_t c) noexcept {
  if (c < 128) return c >= '0' && c <= '9';
  if (c < 0x10000) return (bmp_props()[c].flags & kBmpDecimal) != 0;
  return is_decimal_slow(c);
}

bool is_space(char32_t c) noexcept {
  if (c < 128) return kAscii.space[c];
  return is_space_slow(c);  // eleven code points: a switch is as fast as the table
}

char32_t lower_simple(char32_t c) noexcept {
  if (c < 128) return static_cast<char32_t>(kAscii.lower[c]);
  if (c < 0x10000) {
    const BmpProps& e = bmp_props()[c];
    if (!(e.flags & kBmpLowerOutside)) return e.lower;
  }
  return lower_slow(c);
}

void lower(const CodePoints& in, CodePoints& out) {
  out.clear();
  out.cp.reserve(in.size());
  out.origin.reserve(in.size());
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char32_t c = in.cp[i];
    const std::uint32_t o = in.origin[i];
    if (c < 128) {
      out.push(static_cast<char32_t>(kAscii.lower[c]), o);
    } else if (c == 0x130) {  // the one code point whose full lowercase is two: i + combining dot
      out.push(U'i', o);
      out.push(0x307, o);
    } else if (c == 0x3A3) {  // Greek capital sigma: final form at the end of a word (Final_Sigma)
      std::size_t j = i;
      bool final_sigma = false;
      while (j > 0 && in_ranges(kCaseIgnorable, in.cp[j - 1])) --j;
      if (j > 0 && in_ranges(kCasedNotIgnorable, in.cp[j - 1])) {
        std::size_t k = i + 1;
        while (k < n && in_ranges(kCaseIgnorable, in.cp[k])) ++k;
        final_sigma = k == n || !in_ranges(kCasedNotIgnorable, in.cp[k]);
      }
      out.push(final_sigma ? 0x3C2 : 0x3C3, o);
    } else {
      out.push(lower_simple(c), o);
    }
  }
}

void casefold(const CodePoints& in, CodePoints& out) {
  out.clear();
  out.cp.reserve(in.size());
  out.origin.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char32_t c = in.cp[i];
    if (c < 128) {
      out.push(static_cast<char32_t>(kAscii.lower[c]), in.origin[i]);
    } else {
      decompose_into(c, UTF8PROC_CASEFOLD, in.origin[i], out);
    }
  }
}

void strip_accents(const CodePoints& in, bool ascii, CodePoints& out) {
  out.clear();
  out.cp.reserve(in.size());
  out.origin.reserve(in.size());
  CodePoints tmp;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char32_t c = in.cp[i];
    if (c < 128) {
      out.push(c, in.origin[i]);
      continue;
    }
    // Canonical reordering never moves a starter, and only non-starters (which both modes drop,
    // being non-ASCII with a non-zero class) are reordered, so per-character NFKD is exact.
    tmp.clear();
    decompose_into(c, static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT), in.origin[i], tmp);
    for (std::size_t k = 0; k < tmp.size(); ++k) {
      const char32_t d = tmp.cp[k];
      const bool keep = ascii ? d < 128 : ccc(d) == 0;
      if (keep) out.push(d, tmp.origin[k]);
    }
  }
}

void normalize(const CodePoints& in, Normalization form, CodePoints& out) {
  out.clear();
  if (form == Normalization::none) {
    out = in;
    return;
  }
  // Full decomposition per character, canonical ordering, then canonical composition of each
  // segment that starts at a starter no composition can reach back over.
  CodePoints dec;
  const auto opts =
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | (form == Normalization::nfkc ? UTF8PROC_COMPAT : 0));
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in.cp[i] < 128) {
      dec.push(in.cp[i], in.origin[i]);
    } else {
      decompose_into(in.cp[i], opts, in.origin[i], dec);
    }
  }
  canonical_order(dec);
  const auto& second = second_table().second;
  std::vector<utf8proc_int32_t> seg;
  std::size_t i = 0;
  const std::size_t n = dec.size();
  while (i < n) {
    std::size_t j = i + 1;
    while (j < n && !(ccc(dec.cp[j]) == 0 && !second[dec.cp[j]])) ++j;
    if (j - i == 1) {
      out.push(dec.cp[i], dec.origin[i]);
    } else {
      seg.assign(dec.cp.begin() + static_cast<std::ptrdiff_t>(i), dec.cp.begin() + static_cast<std::ptrdiff_t>(j));
      auto m = utf8proc_normalize_utf32(seg.data(), static_cast<utf8proc_ssize_t>(seg.size()),
                                        static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
      if (m < 0) m = static_cast<utf8proc_ssize_t>(seg.size());
      // Composed characters take the origin of the segment's first code point; the others keep theirs
      // when the segment length did not change.
      const bool same = static_cast<std::size_t>(m) == j - i;
      for (utf8proc_ssize_t k = 0; k < m; ++k) {
        out.push(static_cast<char32_t>(seg[static_cast<std::size_t>(k)]),
                 same ? dec.origin[i + static_cast<std::size_t>(k)] : (k == 0 ? dec.origin[i] : dec.origin[j - 1]));
      }
    }
    i = j;
  }
}

}  // namespace lexsim::detail
