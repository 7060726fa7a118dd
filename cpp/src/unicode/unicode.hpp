#pragma once
// Internal Unicode layer: the one place that decides what a word character, a space and
// "lowercase" are. Python's definitions are the reference (see tests/python/test_unicode_tables.py).
// utf8proc is used only here and never leaks into public headers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexsim/analyzer.hpp"

namespace lexsim::detail {

/// Code points of a text with, for each, the index of the input code point it came from.
struct CodePoints {
  std::vector<char32_t> cp;
  std::vector<std::uint32_t> origin;
  void clear() {
    cp.clear();
    origin.clear();
  }
  void push(char32_t c, std::uint32_t o) {
    cp.push_back(c);
    origin.push_back(o);
  }
  std::size_t size() const noexcept { return cp.size(); }
};

/// Decode UTF-8 as Python's bytes.decode('utf-8', errors) does. For each decoded code point,
/// byte_begin/byte_end receive the [begin, end) bytes it came from (for a U+FFFD from `replace`, the
/// invalid bytes it stands for). Throws UnicodeError (strict).
void decode_utf8(std::string_view in, DecodeError mode, CodePoints& out, std::vector<std::size_t>& byte_begin,
                 std::vector<std::size_t>& byte_end);

/// Offset of the first byte that is not 7-bit ASCII, or in.size().
std::size_t first_non_ascii(std::string_view in) noexcept;

void append_utf8(std::string& out, char32_t c);

/// Python str.isalnum() or '_' (what re's \w matches in a str pattern).
bool is_word(char32_t c) noexcept;
/// A decimal digit: Unicode category Nd (what re's \d matches in a str pattern).
bool is_decimal(char32_t c) noexcept;
/// Python str.isspace() (what re's \s matches in a str pattern).
bool is_space(char32_t c) noexcept;

/// Simple (one code point) lowercase mapping; the full mapping differs only for U+0130 and, by
/// context, U+03A3, which callers handle.
char32_t lower_simple(char32_t c) noexcept;

/// Decodes one well-formed UTF-8 sequence at p[0..n) (n >= 1, p[0] >= 0x80): its length, or 0 when
/// it is not well formed.
inline std::size_t decode_one(const unsigned char* p, std::size_t n, char32_t& cp) noexcept {
  const unsigned char b = p[0];
  std::size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
    cp = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    cp = b & 0x0F;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    cp = b & 0x07;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (n < need + 1) return 0;
  for (std::size_t k = 1; k <= need; ++k) {
    const unsigned char c = p[k];
    if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  return need + 1;
}

/// Python str.lower() over a whole text (context-dependent final sigma included).
void lower(const CodePoints& in, CodePoints& out);
/// Python-compatible full case folding (str.casefold()).
void casefold(const CodePoints& in, CodePoints& out);
/// NFKD, then drop combining (ascii=false) or non-ASCII (ascii=true) code points.
void strip_accents(const CodePoints& in, bool ascii, CodePoints& out);
/// NFC or NFKC.
void normalize(const CodePoints& in, Normalization form, CodePoints& out);

/// Version of the Unicode data utf8proc carries.
const char* unicode_data_version() noexcept;

/// For 64 bytes at p: the bit mask of ASCII word characters ([0-9A-Za-z_]); writes the bytes to
/// out, lowercased when `lower`; sets non_ascii to the mask of bytes >= 0x80.
std::uint64_t word_mask64(const unsigned char* p, char* out, bool lower, std::uint64_t& non_ascii) noexcept;

/// ASCII lookup tables shared by the fast paths.
struct AsciiTables {
  bool word[128];
  bool space[128];
  char lower[128];
};
extern const AsciiTables kAscii;

}  // namespace lexsim::detail
