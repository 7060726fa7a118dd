// Analyzer: tokens, stop words, word and character n-grams, token patterns, options.
// Expected values come from scikit-learn 1.9.1, e.g.
//   CountVectorizer(analyzer="char", ngram_range=(1, 2)).build_analyzer()(text)
#include <algorithm>
#include <catch2/catch.hpp>
#include <lexsim/lexsim.hpp>

using Terms = std::vector<std::string>;

namespace {

lexsim::Analyzer make(lexsim::AnalyzerKind kind, std::pair<int, int> range) {
  lexsim::AnalyzerOptions o;
  o.analyzer = kind;
  o.ngram_range = range;
  return lexsim::Analyzer(o);
}

lexsim::Analyzer with_pattern(const std::string& pattern) {
  lexsim::AnalyzerOptions o;
  o.token_pattern = pattern;
  return lexsim::Analyzer(o);
}

}  // namespace

TEST_CASE("default analyzer matches scikit-learn on a simple sentence") {
  lexsim::Analyzer a;
  auto t = a.analyze("The Quick brown fox, a fox!");
  CHECK(t == Terms{"the", "quick", "brown", "fox", "fox"});
}

TEST_CASE("default word tokens: runs of two or more word characters, lowercased") {
  lexsim::Analyzer a;
  // CountVectorizer().build_analyzer()(...)
  CHECK(a.analyze("It's 2024: x_y, A1 b-c  I/O e.g. 3.14") == Terms{"it", "2024", "x_y", "a1", "14"});
  CHECK(a.analyze("").empty());
  CHECK(a.analyze("a b c ! ?").empty());
  CHECK(a.analyze("Erdoğan met Çavuşoğlu") == Terms{"erdoğan", "met", "çavuşoğlu"});
}

TEST_CASE("default options equal scikit-learn's") {
  const lexsim::AnalyzerOptions o;
  CHECK(o.analyzer == lexsim::AnalyzerKind::word);
  CHECK(o.decode_error == lexsim::DecodeError::strict);
  CHECK(o.lowercase);
  CHECK_FALSE(o.casefold);
  CHECK(o.strip_accents == lexsim::StripAccents::none);
  CHECK(o.normalization == lexsim::Normalization::none);
  CHECK(o.token_pattern == R"((?u)\b\w\w+\b)");
  CHECK_FALSE(o.stop_words.has_value());
  CHECK(o.ngram_range == std::pair<int, int>{1, 1});
}

TEST_CASE("lowercase=false keeps the case") {
  lexsim::AnalyzerOptions o;
  o.lowercase = false;
  lexsim::Analyzer a(o);
  CHECK(a.analyze("The Quick ÉCOLE") == Terms{"The", "Quick", "ÉCOLE"});
  CHECK(a.preprocess("AbÇ") == "AbÇ");
}

TEST_CASE("english stop words are scikit-learn's list") {
  const auto& words = lexsim::english_stop_words();
  // len(sklearn.feature_extraction.text.ENGLISH_STOP_WORDS) == 318
  CHECK(words.size() == 318);
  for (const char* w : {"the", "a", "and", "of", "whereby", "yourselves", "amoungst"}) {
    INFO(w);
    CHECK(std::find(words.begin(), words.end(), w) != words.end());
  }
  CHECK(std::find(words.begin(), words.end(), "cat") == words.end());
}

TEST_CASE("stop words are removed after lowercasing") {
  lexsim::AnalyzerOptions o;
  o.stop_words = lexsim::english_stop_words();
  lexsim::Analyzer a(o);
  // CountVectorizer(stop_words="english").build_analyzer()("The cat and THE hat of Ankara")
  CHECK(a.analyze("The cat and THE hat of Ankara") == Terms{"cat", "hat", "ankara"});

  SECTION("a custom list") {
    o.stop_words = Terms{"cat", "ankara"};
    lexsim::Analyzer b(o);
    CHECK(b.analyze("The cat and THE hat of Ankara") == Terms{"the", "and", "the", "hat", "of"});
  }
}

TEST_CASE("word n-grams come after all unigrams, in scikit-learn's order") {
  lexsim::AnalyzerOptions o;
  o.ngram_range = {1, 2};
  // CountVectorizer(ngram_range=(1, 2)).build_analyzer()("the cat sat on the mat")
  CHECK(lexsim::Analyzer(o).analyze("the cat sat on the mat") ==
        Terms{"the", "cat", "sat", "on", "the", "mat", "the cat", "cat sat", "sat on", "on the", "the mat"});

  SECTION("bigrams only") {
    o.ngram_range = {2, 2};
    CHECK(lexsim::Analyzer(o).analyze("a b cc dd ee") == Terms{"cc dd", "dd ee"});
  }
  SECTION("stop words are removed before joining") {
    // CountVectorizer(ngram_range=(1, 3), stop_words="english").build_analyzer()(...)
    o.ngram_range = {1, 3};
    o.stop_words = lexsim::english_stop_words();
    CHECK(lexsim::Analyzer(o).analyze("the cat sat on the mat by a dog") ==
          Terms{"cat", "sat", "mat", "dog", "cat sat", "sat mat", "mat dog", "cat sat mat", "sat mat dog"});
  }
  SECTION("n larger than the number of tokens gives no n-grams") {
    o.ngram_range = {3, 4};
    CHECK(lexsim::Analyzer(o).analyze("only two").empty());
  }
}

TEST_CASE("word_ngrams on given tokens") {
  lexsim::AnalyzerOptions o;
  o.ngram_range = {2, 3};
  lexsim::Analyzer a(o);
  struct Collect : lexsim::TermSink {
    Terms out;
    void add(std::string_view t) override { out.emplace_back(t); }
  } sink;
  const std::vector<std::string_view> tokens{"x", "yy", "z"};
  a.word_ngrams(tokens, sink);
  CHECK(sink.out == Terms{"x yy", "yy z", "x yy z"});
}

TEST_CASE("char n-grams collapse only runs of two or more spaces") {
  // "Ab  c\td\n e\nf": the double space and "\n " become " ", the single \t and \n stay.
  const std::string text = "Ab  c\td\n e\nf";
  SECTION("char (1, 2)") {
    // CountVectorizer(analyzer="char", ngram_range=(1, 2)).build_analyzer()(text)
    CHECK(make(lexsim::AnalyzerKind::char_, {1, 2}).analyze(text) == Terms{"a", "b", " ", "c", "\t", "d", " ", "e",
                                                                           "\n", "f", "ab", "b ", " c", "c\t", "\td",
                                                                           "d ", " e", "e\n", "\nf"});
  }
  SECTION("char (3, 3)") {
    CHECK(make(lexsim::AnalyzerKind::char_, {3, 3}).analyze(text) ==
          Terms{"ab ", "b c", " c\t", "c\td", "\td ", "d e", " e\n", "e\nf"});
  }
  SECTION("char_wb (2, 3)") {
    // CountVectorizer(analyzer="char_wb", ngram_range=(2, 3)).build_analyzer()(text)
    CHECK(make(lexsim::AnalyzerKind::char_wb, {2, 3}).analyze(text) == Terms{" a", "ab", "b ", " ab", "ab ", " c", "c ",
                                                                             " c ", " d", "d ", " d ", " e", "e ",
                                                                             " e ", " f", "f ", " f "});
  }
  SECTION("char_wb (1, 1)") {
    CHECK(make(lexsim::AnalyzerKind::char_wb, {1, 1}).analyze(text) ==
          Terms{" ", "a", "b", " ", " ", "c", " ", " ", "d", " ", " ", "e", " ", " ", "f", " "});
  }
  SECTION("char_wb (4, 5): a padded word shorter than n is counted once") {
    CHECK(make(lexsim::AnalyzerKind::char_wb, {4, 5}).analyze(text) == Terms{" ab ", " c ", " d ", " e ", " f "});
  }
}

TEST_CASE("char n-grams over non-ASCII text with Unicode spaces") {
  // text = "Çé\u00a0\u00a0ğ\u3000x"; the two no-break spaces collapse, the single U+3000 stays.
  const std::string text = "Çé\u00a0\u00a0ğ\u3000x";
  // CountVectorizer(analyzer="char", ngram_range=(2, 2)).build_analyzer()(text)
  CHECK(make(lexsim::AnalyzerKind::char_, {2, 2}).analyze(text) == Terms{"çé", "é ", " ğ", "ğ\u3000", "\u3000x"});
  // CountVectorizer(analyzer="char_wb", ngram_range=(3, 3)).build_analyzer()(text)
  CHECK(make(lexsim::AnalyzerKind::char_wb, {3, 3}).analyze(text) == Terms{" çé", "çé ", " ğ ", " x "});
}

TEST_CASE("supported token patterns") {
  const std::string text = "a bb ccc dddd x_1 é9 naïve";
  SECTION("\\b\\w+\\b keeps one-character tokens") {
    // CountVectorizer(token_pattern=r"\b\w+\b").build_analyzer()(text)
    CHECK(with_pattern(R"(\b\w+\b)").analyze(text) == Terms{"a", "bb", "ccc", "dddd", "x_1", "é9", "naïve"});
  }
  SECTION("\\w{3,}") { CHECK(with_pattern(R"(\w{3,})").analyze(text) == Terms{"ccc", "dddd", "x_1", "naïve"}); }
  SECTION("(?u)\\b\\w\\w\\w+\\b") {
    CHECK(with_pattern(R"((?u)\b\w\w\w+\b)").analyze(text) == Terms{"ccc", "dddd", "x_1", "naïve"});
  }
  SECTION("unbounded \\w{2} splits long runs like re.findall") {
    // re.findall(r"\w{2}", "abcde fg h") == ["ab", "cd", "fg"]
    CHECK(with_pattern(R"(\w{2})").analyze("abcde fg h") == Terms{"ab", "cd", "fg"});
  }
  CHECK(lexsim::Analyzer::supports_token_pattern(R"((?u)\b\w\w+\b)"));
  CHECK(lexsim::Analyzer::supports_token_pattern(R"(\w{3,})"));
  CHECK_FALSE(lexsim::Analyzer::supports_token_pattern("[a-z]+"));
}

TEST_CASE("unsupported token patterns throw InvalidArgument") {
  for (const char* p : {"[a-z]+", R"(\S+)", R"(\b\w+)", "", R"(\w{0})"}) {
    INFO(p);
    CHECK_THROWS_AS(with_pattern(p), lexsim::InvalidArgument);
  }
  SECTION("the pattern is not checked for character analyzers") {
    lexsim::AnalyzerOptions o;
    o.analyzer = lexsim::AnalyzerKind::char_;
    o.token_pattern = "[a-z]+";
    CHECK_NOTHROW(lexsim::Analyzer(o));
  }
}

TEST_CASE("invalid ngram_range throws InvalidArgument") {
  for (auto range : {std::pair<int, int>{0, 1}, {2, 1}, {-1, 2}, {1, 0}}) {
    INFO(range.first << ", " << range.second);
    lexsim::AnalyzerOptions o;
    o.ngram_range = range;
    CHECK_THROWS_AS(lexsim::Analyzer(o), lexsim::InvalidArgument);
    o.analyzer = lexsim::AnalyzerKind::char_wb;
    CHECK_THROWS_AS(lexsim::Analyzer(o), lexsim::InvalidArgument);
  }
}

TEST_CASE("tokenize and preprocess expose the two halves of analyze") {
  lexsim::AnalyzerOptions o;
  o.strip_accents = lexsim::StripAccents::unicode;
  lexsim::Analyzer a(o);
  const std::string pre = a.preprocess("Çavuşoğlu MET x");
  CHECK(pre == "cavusoglu met x");
  CHECK(a.tokenize(pre) == Terms{"cavusoglu", "met"});
  // tokenize() does no case or accent processing of its own.
  CHECK(a.tokenize("Ça VA") == Terms{"Ça", "VA"});
}

TEST_CASE("analyzers can be copied and moved") {
  lexsim::AnalyzerOptions o;
  o.ngram_range = {1, 2};
  lexsim::Analyzer a(o);
  lexsim::Analyzer b = a;
  lexsim::Analyzer c = std::move(a);
  const Terms expected{"aa", "bb", "aa bb"};
  CHECK(b.analyze("AA bb") == expected);
  CHECK(c.analyze("AA bb") == expected);
  CHECK(c.options().ngram_range == std::pair<int, int>{1, 2});
}

TEST_CASE("the lookahead (?!\\d+\\b) drops all-digit runs, as Python's re does") {
  // CountVectorizer(token_pattern=r"(?u)\b(?!\d+\b)\w\w\w+\b", ...).build_analyzer()(text), scikit-learn 1.9.1
  const std::string pattern = R"((?u)\b(?!\d+\b)\w\w\w+\b)";
  CHECK(lexsim::Analyzer::supports_token_pattern(pattern));
  CHECK(lexsim::Analyzer::supports_token_pattern(R"(\b(?!\d+\b)(\w{2,})\b)"));
  CHECK(lexsim::Analyzer::supports_token_pattern(R"(\b((?!\d+\b)\w+)\b)"));
  CHECK_FALSE(lexsim::Analyzer::supports_token_pattern(R"((?!\d+\b)\w\w+)"));  // not whole runs
  CHECK_FALSE(lexsim::Analyzer::supports_token_pattern(R"(\b(?!\d+\b)(?!\d+\b)\w+\b)"));
  // ASCII fast path
  CHECK(with_pattern(pattern).analyze("In 2024, covid19 hit 12 of 100 towns; x1 ab 3rd") ==
        Terms{"covid19", "hit", "towns", "3rd"});
  // UTF-8 fast path: Arabic-Indic digits are Nd
  CHECK(with_pattern(pattern).analyze("Sochi ٢٠٢٤ ٢٠٢٤م café 1990s") == Terms{"sochi", "٢٠٢٤م", "café", "1990s"});
  // general path (accent folding; NFKD turns fullwidth digits into ASCII ones)
  lexsim::AnalyzerOptions o;
  o.token_pattern = pattern;
  o.strip_accents = lexsim::StripAccents::unicode;
  CHECK(lexsim::Analyzer(o).analyze("Erdoğan 2020 ２０２０ Ｆ２０ idlib") == Terms{"erdogan", "f20", "idlib"});
  // offsets and tokenize() use the same rule
  const auto tokens = with_pattern(pattern).tokens_with_offsets("at 2024 then");
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].text == "then");
  CHECK(tokens[0].byte_begin == 8);
  CHECK(with_pattern(pattern).tokenize("١٢٣ abc١٢٣") == Terms{"abc١٢٣"});
}

TEST_CASE("analyzer: the fused one-pass scanners give what the stages give one after the other") {
  // analyze() takes the fused path for these options (ASCII, or UTF-8 under lowercase alone);
  // tokenize(preprocess()) runs the general stages. With stop words the fused path filters inline.
  std::string big;  // over 1 MiB: the UTF-8 scanner streams its tokens out
  while (big.size() < (std::size_t{1} << 20) + 100) big += "Çavuşoğlu met Erdoğan in Ankara 2024 ";
  const std::vector<std::string> texts = {
      "",
      "The quick brown fox, 42 times: don't_stop",
      "İstanbul ve İzmir'de Çavuşoğlu; Türkiye/Turkey",
      "ΟΔΥΣΣΕΥΣ ὈΔΥΣΣΕΎΣ σοφός",  // capital sigma: the fused path declines, the general one decides
      "\xd9\xa1\xd9\xa2 digits and caf\xc3\xa9 ",
      "bad \xff byte",  // invalid: the fused path declines, decode_error decides
      big,
  };
  for (const auto decode : {lexsim::DecodeError::replace, lexsim::DecodeError::ignore}) {
    for (const bool with_stop_words : {false, true}) {
      lexsim::AnalyzerOptions o;
      o.decode_error = decode;
      if (with_stop_words) o.stop_words = std::vector<std::string>{"the", "met", "in", "ve", "σοφός"};
      const lexsim::Analyzer a(o);
      for (const auto& text : texts) {
        std::vector<std::string> want;
        for (auto& t : a.tokenize(a.preprocess(text))) {
          const bool stop =
              o.stop_words && std::find(o.stop_words->begin(), o.stop_words->end(), t) != o.stop_words->end();
          if (!stop) want.push_back(std::move(t));
        }
        INFO("text of " << text.size() << " bytes: " << text.substr(0, 60));
        CHECK(a.analyze(text) == want);
      }
    }
  }
}
