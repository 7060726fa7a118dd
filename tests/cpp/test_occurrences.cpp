// term_occurrences: raw counts and first positions of vocabulary terms.
#include <catch2/catch.hpp>
#include <lexsim/lexsim.hpp>

#include <string>
#include <vector>

TEST_CASE("term_occurrences counts terms and finds their first positions") {
  lexsim::AnalyzerOptions o;
  o.stop_words = lexsim::english_stop_words();
  const lexsim::Analyzer analyzer(o);
  const auto vocabulary = lexsim::Vocabulary::from_terms({"mat", "cat", "dog"});
  const std::vector<std::string> docs = {"The mat, a cat, the MAT and a bird", "", "dog dog"};
  for (const int jobs : {1, 2, 3}) {
    const auto r = lexsim::term_occurrences(analyzer, vocabulary, docs, jobs);
    CHECK(r.counts.rows == 3);
    CHECK(r.counts.cols == 3);
    CHECK(r.counts.indptr == std::vector<std::int64_t>{0, 2, 2, 3});
    CHECK(r.counts.indices == std::vector<std::int32_t>{0, 1, 2});  // columns increasing
    CHECK(r.counts.data == std::vector<std::int64_t>{2, 1, 2});
    // terms of document 0 after stop words: mat cat mat bird
    CHECK(r.first == std::vector<std::int64_t>{0, 1, 0});
    CHECK(r.lengths == std::vector<std::int64_t>{4, 0, 2});
  }
}

TEST_CASE("term_occurrences of pre-analysed documents") {
  const auto vocabulary = lexsim::Vocabulary::from_terms({"b", "a"});
  const lexsim::TermLists docs = {{"x", "a", "b", "a"}};
  const auto r = lexsim::term_occurrences(vocabulary, docs);
  CHECK(r.counts.indices == std::vector<std::int32_t>{0, 1});
  CHECK(r.counts.data == std::vector<std::int64_t>{1, 2});
  CHECK(r.first == std::vector<std::int64_t>{2, 1});
  CHECK(r.lengths == std::vector<std::int64_t>{4});
}
