#pragma once
// The analysis' working storage, one per thread, so that analysing a document allocates nothing in
// steady state. Every stage writes its output here; views a stage passes on stay valid until the
// next document is analysed on the same thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "unicode/unicode.hpp"

namespace lexsim::detail {

struct Scratch {
  CodePoints decoded, a, b;
  std::vector<std::size_t> byte_begin, byte_end;                // source bytes of each decoded code point
  std::string text;                                             // processed text, UTF-8
  std::vector<std::uint32_t> cp_byte;                           // byte offset of each processed code point (+ end)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> tokens;  // code-point ranges
  std::vector<std::string_view> views;                          // the tokens as text
  std::vector<std::string_view> kept;                           // ...without the stop words
  std::string join;                                             // the word n-gram being built
  struct Span {
    std::uint32_t begin, end, cps, digits;  // digits: how many of the code points are Nd
  };
  std::vector<Span> spans;                // tokens of the UTF-8 fast path: byte range and length in code points
  std::string stems;                      // a document's stems, back to back...
  std::vector<std::size_t> stem_ends;     // ...the end of each in `stems`...
  std::vector<std::string_view> stemmed;  // ...and views of them, made once `stems` stops growing
  // Character n-grams: the text with whitespace runs collapsed, its code-point boundaries and which
  // of its code points are spaces; a word padded with spaces and its boundaries (char_wb).
  std::string collapsed;
  std::vector<std::uint32_t> bounds;
  std::vector<char> is_space;
  std::string word;
  std::vector<std::uint32_t> word_bounds;
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
  trim(s.kept, sizeof(std::string_view));
  trim(s.join, 1);
  trim(s.spans, sizeof(Scratch::Span));
  trim(s.stems, 1);
  trim(s.stem_ends, sizeof(std::size_t));
  trim(s.stemmed, sizeof(std::string_view));
  trim(s.collapsed, 1);
  trim(s.bounds, sizeof(std::uint32_t));
  trim(s.is_space, 1);
  trim(s.word, 1);
  trim(s.word_bounds, sizeof(std::uint32_t));
}

}  // namespace lexsim::detail
