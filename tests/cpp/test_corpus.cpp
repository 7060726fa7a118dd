// The news-seeds corpus (../shared/corpora/news-seeds): nearest neighbours with accent folding,
// English stop words and sublinear tf. Expected values from scikit-learn 1.9.1:
//   v = TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True)
//   X = v.fit_transform(docs); S = (X @ X.T).toarray(); np.fill_diagonal(S, -1); S.argmax(1)
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <lexsim/lexsim.hpp>

#include "helpers.hpp"
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

using lexsim_test::read_news_seeds;

}  // namespace

TEST_CASE("news-seeds: each article's nearest neighbour is in its own story", "[corpora]") {
  const auto docs = read_news_seeds();
  REQUIRE(docs.size() == 5);

  lexsim::TfidfOptions o;
  o.analysis.strip_accents = lexsim::StripAccents::unicode;
  o.analysis.stop_words = lexsim::english_stop_words();
  o.sublinear_tf = true;
  lexsim::TfidfVectorizer vec(o);
  const auto X = vec.fit_transform(docs);
  CHECK(X.rows() == 5);
  CHECK(X.cols() == 491);  // len(v.get_feature_names_out())

  const auto terms = vec.feature_names();
  for (const char* t : {"erdogan", "cavusoglu", "turkiye"}) {
    INFO(t);
    CHECK(std::binary_search(terms.begin(), terms.end(), t));
  }
  CHECK_FALSE(std::binary_search(terms.begin(), terms.end(), "erdoğan"));

  lexsim::TopKOptions k1;
  k1.k = 1;
  const auto S = lexsim::top_k(X, k1);
  const int expected_nn[5] = {3, 4, 3, 2, 1};
  const double expected_cos[5] = {0.21239894994796105, 0.27390454414419485, 0.23111665641982032, 0.23111665641982032,
                                  0.27390454414419485};
  for (int i = 0; i < 5; ++i) {
    INFO("article " << i);
    REQUIRE(S.outerIndexPtr()[i + 1] - S.outerIndexPtr()[i] == 1);
    const auto at = S.outerIndexPtr()[i];
    CHECK(S.innerIndexPtr()[at] == expected_nn[i]);
    CHECK(S.valuePtr()[at] == Approx(expected_cos[i]).epsilon(0).margin(1e-12));
  }
}

TEST_CASE("news-seeds: with bare defaults article 004 goes to the other story", "[corpora]") {
  // TfidfVectorizer() on the same files: S.argmax(1) == [2, 4, 0, 0, 0]
  const auto docs = read_news_seeds();
  lexsim::TfidfVectorizer vec;
  const auto X = vec.fit_transform(docs);
  CHECK(X.cols() == 610);
  lexsim::TopKOptions k1;
  k1.k = 1;
  const auto S = lexsim::top_k(X, k1);
  const int expected_nn[5] = {2, 4, 0, 0, 0};
  for (int i = 0; i < 5; ++i) {
    INFO("article " << i);
    CHECK(S.innerIndexPtr()[S.outerIndexPtr()[i]] == expected_nn[i]);
  }
}
