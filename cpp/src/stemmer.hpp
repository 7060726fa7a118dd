#pragma once
// Private: Snowball stemming (libstemmer) behind lexsim's own interface, so that libstemmer.h is
// included by stemmer.cpp alone.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lexsim::detail {

/// Throws InvalidArgument naming `algorithm` and listing the available ones when libstemmer does not
/// know it (canonical names and the ISO 639 codes libstemmer accepts are both fine).
void check_stemmer(const std::string& algorithm);

/// Appends the stem of each word to `out` and the end offset of each stem in `out` to `ends`, with
/// this thread's stemmer for `algorithm`.
void stem_words(const std::string& algorithm, const std::string_view* words, std::size_t n, std::string& out,
                std::vector<std::size_t>& ends);

}  // namespace lexsim::detail
