#pragma once
// Internal Unicode layer: the one place that decides what a word character, a space and
// "lowercase" are (and, in utf8.hpp, what well-formed UTF-8 is). Python's definitions are the
// reference (see tests/python/test_unicode.py, which compares every code point).
// utf8proc is used only here and never leaks into public headers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexsim/analyzer.hpp"
#include "unicode/utf8.hpp"

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

/// What the analysis asks of a code point of the Basic Multilingual Plane, and of its simple
/// lowercase, answered by one load: a 256 KiB table built from utf8proc on first use (the functions
/// below ask utf8proc's two-level tables, several loads and an out-of-line call per question).
struct BmpProps {
  char16_t lower;       ///< lower_simple(c), when not kBmpLowerOutside
  std::uint8_t flags;   ///< kBmp* bits
  std::uint8_t unused;  ///< keeps an entry at 4 bytes
};
enum : std::uint8_t {
  kBmpWord = 1,           ///< is_word(c)
  kBmpDecimal = 2,        ///< is_decimal(c)
  kBmpSpace = 4,          ///< is_space(c)
  kBmpLowerWord = 8,      ///< is_word(lower_simple(c))
  kBmpLowerDecimal = 16,  ///< is_decimal(lower_simple(c))
  kBmpLowerOutside = 32,  ///< lower_simple(c) is not in the BMP (no such code point in Unicode 15; checked)
};
/// The 65,536 entries; thread-safe, built once.
const BmpProps* bmp_props() noexcept;

/// Python str.isalnum() or '_' (what re's \w matches in a str pattern).
bool is_word(char32_t c) noexcept;
/// A decimal digit: Unicode category Nd (what re's \d matches in a str pattern).
bool is_decimal(char32_t c) noexcept;
/// Python str.isspace() (what re's \s matches in a str pattern).
bool is_space(char32_t c) noexcept;

/// Simple (one code point) lowercase mapping; the full mapping differs only for U+0130 and, by
/// context, U+03A3, which callers handle.
char32_t lower_simple(char32_t c) noexcept;

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
