#pragma once
// UTF-8 itself: the one definition of a well-formed sequence (Unicode Table 3-7), used to decode
// documents (analysis), to check the strings of model files (model_codec) and to encode code points
// (the analysis' output and the Python bindings' str encoder). Header-only and free of utf8proc, so
// the bindings and hot loops can inline it.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace lexsim::detail {

/// Why a byte sequence is not well-formed UTF-8; the reasons are Python's, word for word.
enum class Utf8Fault : std::uint8_t {
  none,
  invalid_start,            ///< 0xC0, 0xC1 or 0xF5..0xFF
  unexpected_continuation,  ///< 0x80..0xBF where a sequence should start
  invalid_continuation,     ///< a byte outside the range the lead byte allows
  truncated,                ///< the text ends inside a sequence
};

/// Python's message for a fault ("invalid start byte"...).
inline const char* utf8_fault_reason(Utf8Fault f) noexcept {
  switch (f) {
    case Utf8Fault::invalid_start: return "invalid start byte";
    case Utf8Fault::unexpected_continuation: return "unexpected continuation byte";
    case Utf8Fault::invalid_continuation: return "invalid continuation byte";
    case Utf8Fault::truncated: return "unexpected end of data";
    case Utf8Fault::none: break;
  }
  return "valid";
}

/// What a lead byte says (Unicode Table 3-7): how many continuation bytes follow (0: it is no lead
/// byte), the allowed range of the first of them, which excludes overlong forms, surrogates and
/// values above U+10FFFF, and the lead byte's payload bits.
struct Utf8Lead {
  std::uint32_t need;
  unsigned char lo, hi;
  char32_t bits;
};

inline Utf8Lead utf8_lead(unsigned char b) noexcept {
  if (b >= 0xC2 && b <= 0xDF) return {1, 0x80, 0xBF, static_cast<char32_t>(b & 0x1F)};
  if (b >= 0xE0 && b <= 0xEF)
    return {2, static_cast<unsigned char>(b == 0xE0 ? 0xA0 : 0x80), static_cast<unsigned char>(b == 0xED ? 0x9F : 0xBF),
            static_cast<char32_t>(b & 0x0F)};
  if (b >= 0xF0 && b <= 0xF4)
    return {3, static_cast<unsigned char>(b == 0xF0 ? 0x90 : 0x80), static_cast<unsigned char>(b == 0xF4 ? 0x8F : 0xBF),
            static_cast<char32_t>(b & 0x07)};
  return {0, 0, 0, 0};
}

/// The length of the well-formed sequence at p[0..n) (p[0] >= 0x80) with its code point in cp, or 0.
/// The analysis' inner loop for non-ASCII text: one length test up front, no fault bookkeeping.
inline std::size_t decode_one(const unsigned char* p, std::size_t n, char32_t& cp) noexcept {
  const Utf8Lead lead = utf8_lead(p[0]);
  if (lead.need == 0 || n < lead.need + 1) return 0;
  cp = lead.bits;
  for (std::uint32_t k = 1; k <= lead.need; ++k) {
    const unsigned char c = p[k];
    if (c < (k == 1 ? lead.lo : 0x80) || c > (k == 1 ? lead.hi : 0xBF)) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  return lead.need + 1;
}

/// One decoded sequence. Well formed: the code point and its length in bytes. Not: the fault and
/// the length of the maximal subpart (the lead byte plus the continuation bytes that were valid),
/// which Python's decoder replaces or skips as one unit.
struct Utf8Sequence {
  char32_t cp;
  std::uint32_t length;
  Utf8Fault fault;
};

/// Decodes the sequence at p[0..n) whose lead byte p[0] is not ASCII (n >= 1), saying why it is not
/// well formed when it is not.
inline Utf8Sequence decode_sequence(const unsigned char* p, std::size_t n) noexcept {
  char32_t cp = 0;
  if (const std::size_t len = decode_one(p, n, cp)) return {cp, static_cast<std::uint32_t>(len), Utf8Fault::none};
  const Utf8Lead lead = utf8_lead(p[0]);
  if (lead.need == 0) return {0, 1, p[0] <= 0xBF ? Utf8Fault::unexpected_continuation : Utf8Fault::invalid_start};
  for (std::uint32_t k = 1; k <= lead.need; ++k) {
    if (k >= n) return {0, k, Utf8Fault::truncated};
    const unsigned char c = p[k];
    if (c < (k == 1 ? lead.lo : 0x80) || c > (k == 1 ? lead.hi : 0xBF)) return {0, k, Utf8Fault::invalid_continuation};
  }
  return {0, 1, Utf8Fault::invalid_start};  // not reached: decode_one accepts every sequence that passes
}

/// Offset of the first byte that is not 7-bit ASCII, or in.size(). (An ASCII text is its own UTF-8
/// and its own code points, which the fast paths rely on.)
inline std::size_t first_non_ascii(std::string_view in) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ULL) break;
  }
  for (; i < n; ++i) {
    if (p[i] & 0x80) return i;
  }
  return n;
}

/// Offset of the first byte that is not part of well-formed UTF-8, or npos.
inline std::size_t invalid_utf8_at(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = first_non_ascii(s); i < n;) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t len = decode_one(p + i, n - i, cp);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

/// A UTF-16 surrogate, which UTF-8 cannot encode (Python's str can hold one alone).
constexpr bool is_surrogate(char32_t c) noexcept { return c >= 0xD800 && c <= 0xDFFF; }

/// Writes the UTF-8 form of c (a scalar value: not a surrogate, at most U+10FFFF) to out[0..4) and
/// returns its length.
inline std::size_t encode_utf8(char32_t c, char* out) noexcept {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

// Byte by byte, a branch per length: for one to four bytes this is cheaper than append's bookkeeping
// and memcpy (callgrind on the non-Latin corpus).
inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace lexsim::detail
