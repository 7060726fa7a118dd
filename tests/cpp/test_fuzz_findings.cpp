// Regression tests for what the fuzzers (tests/fuzz) and the sanitizer build (make sanitize)
// found: each case is the smallest input that reproduced one finding, with the behaviour it must
// have instead. They fail (or abort under ASan/UBSan) on the code before the fix.
#include <catch2/catch.hpp>
#include <lexsim/lexsim.hpp>

#include <cmath>
#include <limits>
#include <string>

TEST_CASE("a document-frequency count that no integer holds is reported, not cast (UBSan: float-cast-overflow)") {
  // Found by fuzz_model_loader: a model file with min_df = -3.15e231 as a count. The message
  // printed the value through static_cast<long long>, undefined for NaN, inf and huge values.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const double bad : {-3.15279e231, nan, -inf, 0.5, -1.0}) {
    INFO(bad);
    lexsim::CountOptions o;
    o.min_df = lexsim::DocFrequency{bad, false};
    try {
      lexsim::CountVectorizer v(o);
      FAIL("no InvalidArgument for min_df=" << bad);
    } catch (const lexsim::InvalidArgument& e) {
      const std::string what = e.what();
      CHECK(what.find("'min_df'") != std::string::npos);
      CHECK(what.find("got min_df=" + (bad == -1.0 ? std::string("-1") : std::to_string(bad))) != std::string::npos);
    }
    lexsim::TfidfOptions t;
    t.max_df = lexsim::DocFrequency{bad, false};
    CHECK_THROWS_WITH(lexsim::TfidfVectorizer(t), Catch::Contains("got max_df="));
  }
  SECTION("an integral count still prints as an integer") {
    lexsim::CountOptions o;
    o.max_df = lexsim::DocFrequency::count(0);
    CHECK_THROWS_WITH(lexsim::CountVectorizer(o), Catch::EndsWith("got max_df=0"));
  }
}

TEST_CASE("a word whose stem would be empty is kept as it is (no empty terms)") {
  // Found by fuzz_analyzer: Snowball's porter algorithm stems "s" to "" (step 1a drops a final s),
  // which made "" a term, and a column of the vectorizers, once a token pattern allows one-letter
  // words. No other algorithm empties an ASCII word of up to three letters.
  lexsim::AnalyzerOptions o;
  o.stemmer = "porter";
  o.token_pattern = R"(\b\w+\b)";
  const lexsim::Analyzer a(o);
  CHECK(a.analyze("s cats S") == std::vector<std::string>{"s", "cat", "s"});
  const auto tokens = a.tokens_with_offsets("a s");
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[1].text == "s");
  CHECK(tokens[1].byte_begin == 2);
  lexsim::CountOptions c;
  c.analysis = o;
  lexsim::CountVectorizer v(c);
  v.fit(std::vector<std::string>{"s", "s cats"});
  CHECK(v.feature_names() == std::vector<std::string>{"cat", "s"});
}
