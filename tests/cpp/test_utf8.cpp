// The one definition of UTF-8 (cpp/src/unicode/utf8.hpp), which the analysis, the model files and
// the Python bindings share, against a reference that reasons from code-point arithmetic instead of
// Unicode's table of byte ranges: every scalar value round-trips, and every 1- to 3-byte input (and a
// spread of 4-byte ones) is judged the same way, down to the length Python skips for a bad sequence.
#include <catch2/catch.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "unicode/utf8.hpp"

namespace {

using lexsim::detail::Utf8Fault;

// The sequence length a lead byte announces by its high bits (0: not a lead byte).
int announced_length(unsigned char b) {
  if (b < 0x80) return 1;
  if ((b & 0xE0) == 0xC0) return 2;
  if ((b & 0xF0) == 0xE0) return 3;
  if ((b & 0xF8) == 0xF0) return 4;
  return 0;
}

// Whether bytes p[0..k) (lead byte of length L >= k, then continuation bytes) can be completed into
// the encoding of a Unicode scalar value: the completions span a contiguous range of code points,
// which must meet [smallest value needing L bytes, U+10FFFF] outside the surrogates.
bool completable(const unsigned char* p, int k, int L) {
  static const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  std::uint32_t lo = p[0] & (0x7Fu >> L), hi = lo;
  for (int i = 1; i < L; ++i) {
    const std::uint32_t bits = i < k ? (p[i] & 0x3Fu) : 0;
    lo = (lo << 6) | bits;
    hi = (hi << 6) | (i < k ? bits : 0x3Fu);
  }
  if (lo < smallest[L]) lo = smallest[L];
  if (hi > 0x10FFFF) hi = 0x10FFFF;
  if (lo > hi) return false;
  return !(lo >= 0xD800 && hi <= 0xDFFF);  // a range that is all surrogates
}

struct Expected {
  bool valid;
  std::uint32_t length;  // of the sequence, or of the maximal subpart
  Utf8Fault fault;
};

Expected reference(const unsigned char* p, std::size_t n) {
  const int L = announced_length(p[0]);
  if (L == 0) return {false, 1, (p[0] & 0xC0) == 0x80 ? Utf8Fault::unexpected_continuation : Utf8Fault::invalid_start};
  int k = 1;  // the longest completable prefix
  while (k < L && static_cast<std::size_t>(k) < n && (p[k] & 0xC0) == 0x80 && completable(p, k + 1, L)) ++k;
  if (!completable(p, 1, L)) return {false, 1, Utf8Fault::invalid_start};  // C0, C1, F5..F7
  if (k == L) return {true, static_cast<std::uint32_t>(L), Utf8Fault::none};
  return {false, static_cast<std::uint32_t>(k),
          static_cast<std::size_t>(k) == n ? Utf8Fault::truncated : Utf8Fault::invalid_continuation};
}

bool reference_valid(const unsigned char* p, std::size_t n) {
  for (std::size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    const Expected e = reference(p + i, n - i);
    if (!e.valid) return false;
    i += e.length;
  }
  return true;
}

// Checks one input; returns a description of the first disagreement, or "" (Catch2's assertions
// are too slow for 8 million inputs under the sanitizers).
std::string disagreement(const unsigned char* p, std::size_t n) {
  const Expected want = reference(p, n);
  const auto got = lexsim::detail::decode_sequence(p, n);
  const std::string_view text(reinterpret_cast<const char*>(p), n);
  const bool valid = lexsim::detail::invalid_utf8_at(text) == std::string_view::npos;
  if (got.fault == want.fault && got.length == want.length && valid == reference_valid(p, n)) return "";
  std::string bytes;
  for (std::size_t i = 0; i < n; ++i) bytes += std::to_string(p[i]) + " ";
  return "bytes " + bytes + ": fault " + std::to_string(int(got.fault)) + " length " + std::to_string(got.length) +
         " valid " + std::to_string(valid) + "; the reference says fault " + std::to_string(int(want.fault)) +
         " length " + std::to_string(want.length);
}

}  // namespace

TEST_CASE("utf8: every scalar value round-trips through encode_utf8 and decode_sequence") {
  std::string appended;
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (lexsim::detail::is_surrogate(c)) continue;
    char buf[4];
    const std::size_t len = lexsim::detail::encode_utf8(c, buf);
    const std::size_t want_len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    REQUIRE(len == want_len);
    if (len == 1) continue;  // decode_sequence takes a non-ASCII lead byte
    const auto* p = reinterpret_cast<const unsigned char*>(buf);
    const auto seq = lexsim::detail::decode_sequence(p, len);
    REQUIRE(seq.fault == Utf8Fault::none);
    REQUIRE(seq.cp == c);
    REQUIRE(seq.length == len);
    char32_t cp = 0;
    REQUIRE(lexsim::detail::decode_one(p, len, cp) == len);
    REQUIRE(cp == c);
    appended.clear();
    lexsim::detail::append_utf8(appended, c);
    REQUIRE(appended == std::string(buf, len));
  }
}

TEST_CASE("utf8: every lead byte with every one or two following bytes, and 4-byte leads, judged as the reference") {
  std::string first;
  std::size_t disagreements = 0;
  auto check = [&](std::initializer_list<int> bytes) {
    unsigned char buf[4];
    std::size_t n = 0;
    for (const int b : bytes) buf[n++] = static_cast<unsigned char>(b);
    const std::string d = disagreement(buf, n);
    if (d.empty()) return;
    if (disagreements++ == 0) first = d;
  };
  for (int a = 0x80; a <= 0xFF; ++a) {
    check({a});
    for (int b = 0; b <= 0xFF; ++b) {
      check({a, b});
      for (int c = 0; c <= 0xFF; ++c) check({a, b, c});
    }
  }
  const int spread[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xF4, 0xFF};
  for (int a = 0xF0; a <= 0xF7; ++a)
    for (int b = 0; b <= 0xFF; ++b)
      for (const int c : spread)
        for (const int d : spread) check({a, b, c, d});
  INFO(first);
  CHECK(disagreements == 0);
}

TEST_CASE("utf8: invalid_utf8_at names the first bad byte of a longer text") {
  using lexsim::detail::invalid_utf8_at;
  CHECK(invalid_utf8_at("plain ascii") == std::string_view::npos);
  CHECK(invalid_utf8_at("Erdo\xc4\x9f"
                        "an") == std::string_view::npos);
  CHECK(invalid_utf8_at("Erdo\xc4"
                        "an") == 4);                    // a lead byte without its continuation
  CHECK(invalid_utf8_at("abcdefgh\xed\xa0\x80") == 8);  // an encoded surrogate, after an 8-byte ASCII run
  CHECK(invalid_utf8_at("abc\xe2\x80") == 3);           // cut short at the end
  CHECK(invalid_utf8_at(std::string_view("a\0b", 3)) == std::string_view::npos);  // NUL is ASCII
  CHECK(lexsim::detail::first_non_ascii("abcdefghij\xc3\xa9") == 10);
  CHECK(std::string(lexsim::detail::utf8_fault_reason(Utf8Fault::truncated)) == "unexpected end of data");
}
