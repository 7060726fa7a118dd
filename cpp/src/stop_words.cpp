#include "lexsim/analyzer.hpp"

namespace lexsim {

const std::vector<std::string>& english_stop_words() {
  static const std::vector<std::string> words = {
#include "stop_words_english.inc"
  };
  return words;
}

}  // namespace lexsim
