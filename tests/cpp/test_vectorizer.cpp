// Vocabulary, CountVectorizer and TfidfVectorizer against scikit-learn 1.9.1.
// The expected matrices are in expected_vectorizer.inc, written by gen_expected_vectorizer.py.
#include <algorithm>
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <cmath>
#include <lexsim/lexsim.hpp>
#include <string>
#include <vector>

using Terms = std::vector<std::string>;

namespace {

// Keep in sync with CORPUS, NEW_DOCS and FIXED_VOCABULARY in gen_expected_vectorizer.py.
const std::vector<std::string> kCorpus{
    "The quick brown fox jumps over the lazy dog.",
    "Erdoğan met Çavuşoğlu in Ankara; the meeting was brief.",
    "Le café était fermé, mais le café d'en face était ouvert.",
    "Straße und Strasse: zwei Schreibweisen, ein Wort.",
    "Ο ΔΡΟΜΟΣ είναι μακρύς, the dog sleeps.",
    "The dog and the fox: the quick dog wins, the lazy fox sleeps.",
};
const std::vector<std::string> kNewDocs{"The lazy café dog", "nothing known here", "ΔΡΟΜΟΣ Erdoğan fox fox"};
const Terms kFixedVocabulary{"fox", "dog", "zebra", "café", "the"};

// scikit-learn's feature names and CSR result.
struct Expected {
  Terms names;
  std::vector<std::int64_t> indptr;
  std::vector<std::int32_t> indices;
  std::vector<double> data;
};

namespace expected {
#include "expected_vectorizer.inc"
}

template <class T>
void check_csr(const lexsim::CsrMatrix<T>& X, const Expected& e, double tol = 1e-12) {
  REQUIRE(X.rows == static_cast<std::int64_t>(e.indptr.size()) - 1);
  REQUIRE(X.cols == static_cast<std::int64_t>(e.names.size()));
  REQUIRE(X.indptr == e.indptr);
  REQUIRE(X.indices == e.indices);
  REQUIRE(X.data.size() == e.data.size());
  for (std::size_t k = 0; k < e.data.size(); ++k) {
    INFO("value " << k);
    CHECK(static_cast<double>(X.data[k]) == Approx(e.data[k]).epsilon(0).margin(tol));
  }
}

void check_eigen(const lexsim::SparseMatrix<double>& X, const Expected& e, double tol = 1e-12) {
  REQUIRE(X.isCompressed());
  lexsim::CsrMatrix<double> m;
  m.rows = X.rows();
  m.cols = X.cols();
  m.indptr.assign(X.outerIndexPtr(), X.outerIndexPtr() + X.rows() + 1);
  m.indices.assign(X.innerIndexPtr(), X.innerIndexPtr() + X.nonZeros());
  m.data.assign(X.valuePtr(), X.valuePtr() + X.nonZeros());
  check_csr(m, e, tol);
}

lexsim::TfidfVectorizer tfidf(void (*set)(lexsim::TfidfOptions&)) {
  lexsim::TfidfOptions o;
  set(o);
  return lexsim::TfidfVectorizer(o);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Vocabulary

TEST_CASE("Vocabulary insert, find and term") {
  lexsim::Vocabulary v;
  CHECK(v.empty());
  CHECK(v.find("x") == -1);
  CHECK(v.insert("fox") == 0);
  CHECK(v.insert("çavuşoğlu") == 1);
  CHECK(v.insert("") == 2);
  CHECK(v.insert("fox") == 0);  // already present: same id, no growth
  CHECK(v.size() == 3);
  CHECK(v.find("çavuşoğlu") == 1);
  CHECK(v.find("") == 2);
  CHECK(v.find("fo") == -1);
  CHECK(v.term(0) == "fox");
  CHECK(v.term(1) == "çavuşoğlu");
  CHECK(v.terms() == Terms{"fox", "çavuşoğlu", ""});
}

TEST_CASE("Vocabulary ids stay dense through 100k inserts") {
  lexsim::Vocabulary v;
  const int n = 100000;
  for (int i = 0; i < n; ++i) REQUIRE(v.insert("term" + std::to_string(i)) == i);
  REQUIRE(v.size() == static_cast<std::size_t>(n));
  bool all_found = true, all_terms = true;
  for (int i = 0; i < n; ++i) {
    const std::string t = "term" + std::to_string(i);
    all_found = all_found && v.find(t) == i;
    all_terms = all_terms && v.term(i) == t;
  }
  CHECK(all_found);
  CHECK(all_terms);
  CHECK(v.find("term100000") == -1);
  CHECK(v.insert("term99999") == n - 1);
}

TEST_CASE("Vocabulary::from_terms keeps the order and rejects duplicates") {
  const auto v = lexsim::Vocabulary::from_terms({"zeta", "alpha", "μ"});
  CHECK(v.terms() == Terms{"zeta", "alpha", "μ"});
  CHECK(v.find("alpha") == 1);
  CHECK_THROWS_AS(lexsim::Vocabulary::from_terms({"a", "b", "a"}), lexsim::InvalidArgument);
}

TEST_CASE("Vocabulary::from_terms rejects an empty list as documented") {
  // Known bug: vocabulary.hpp says it throws on an empty list; it returns an empty Vocabulary.
  CHECK_THROWS_AS(lexsim::Vocabulary::from_terms({}), lexsim::InvalidArgument);
}

// ---------------------------------------------------------------------------------------------
// CountVectorizer

TEST_CASE("CountVectorizer defaults equal scikit-learn's") {
  lexsim::CountVectorizer v;
  const auto X = v.fit_transform(kCorpus);
  CHECK(v.feature_names() == expected::count_defaults.names);
  check_eigen(X, expected::count_defaults);
  CHECK(v.n_documents() == 6);
  // Document frequency = column sums of the binary matrix.
  std::vector<std::int64_t> df(expected::count_defaults.names.size(), 0);
  for (auto j : expected::count_defaults.indices) ++df[static_cast<std::size_t>(j)];
  CHECK(v.document_frequencies() == df);

  SECTION("integer output") {
    lexsim::CountVectorizer w;
    const auto Xi = w.fit_transform_csr<std::int64_t>(kCorpus);
    check_csr(Xi, expected::count_defaults, 0.0);
  }
}

TEST_CASE("CountVectorizer binary") {
  lexsim::CountOptions o;
  o.binary = true;
  lexsim::CountVectorizer v(o);
  check_eigen(v.fit_transform(kCorpus), expected::count_binary);
  CHECK(v.feature_names() == expected::count_binary.names);
}

TEST_CASE("CountVectorizer max_features keeps the most frequent terms") {
  lexsim::CountOptions o;
  o.max_features = 3;
  lexsim::CountVectorizer v(o);
  check_eigen(v.fit_transform(kCorpus), expected::count_max_features);
  CHECK(v.feature_names() == Terms{"dog", "fox", "the"});

  SECTION("ties at the cut go to the term first in code-point order") {
    // Counts: the 8, dog 4, fox 3, then café, lazy, le, quick, sleeps, était 2 each. scikit-learn
    // breaks this tie through numpy's unstable argsort (it picks "le"); lexsim documents its rule.
    o.max_features = 4;
    lexsim::CountVectorizer w(o);
    w.fit(kCorpus);
    CHECK(w.feature_names() == Terms{"café", "dog", "fox", "the"});
  }
}

TEST_CASE("CountVectorizer with a fixed vocabulary") {
  lexsim::CountOptions o;
  o.vocabulary = kFixedVocabulary;
  lexsim::CountVectorizer v(o);
  CHECK(v.is_fitted());
  CHECK(v.feature_names() == kFixedVocabulary);  // usable before fit, column order as given
  check_eigen(v.fit_transform(kCorpus), expected::count_fixed_vocabulary);
  CHECK(v.feature_names() == expected::count_fixed_vocabulary.names);
  // A fixed vocabulary ignores the pruning options.
  o.min_df = lexsim::DocFrequency::count(5);
  o.max_features = 1;
  lexsim::CountVectorizer w(o);
  check_eigen(w.fit_transform(kCorpus), expected::count_fixed_vocabulary);
}

TEST_CASE("CountVectorizer transform counts only the fitted terms") {
  lexsim::CountVectorizer v;
  v.fit(kCorpus);
  const auto X = v.transform(kNewDocs);
  REQUIRE(X.rows() == 3);
  REQUIRE(X.cols() == 37);
  // ["the", "lazy", "café", "dog"], [], ["erdoğan", "fox" x2] (ΔΡΟΜΟΣ is known, as "δρομος")
  const auto col = [&](const char* t) { return v.vocabulary().find(t); };
  CHECK(X.row(0).nonZeros() == 4);
  CHECK(X.coeff(0, col("café")) == 1.0);
  CHECK(X.row(1).nonZeros() == 0);
  CHECK(X.row(2).nonZeros() == 3);
  CHECK(X.coeff(2, col("fox")) == 2.0);
  CHECK(X.coeff(2, col("δρομος")) == 1.0);
}

// ---------------------------------------------------------------------------------------------
// TfidfVectorizer

TEST_CASE("TfidfVectorizer defaults equal scikit-learn's") {
  lexsim::TfidfVectorizer v;
  const auto X = v.fit_transform(kCorpus);
  CHECK(v.feature_names() == expected::tfidf_defaults.names);
  check_eigen(X, expected::tfidf_defaults);

  SECTION("idf_") {
    const auto& idf = v.idf();
    REQUIRE(idf.size() == expected::tfidf_idf.size());
    for (std::size_t j = 0; j < idf.size(); ++j)
      CHECK(idf[j] == Approx(expected::tfidf_idf[j]).epsilon(0).margin(1e-12));
  }
  SECTION("fit then transform equals fit_transform") {
    lexsim::TfidfVectorizer w;
    w.fit(kCorpus);
    check_eigen(w.transform(kCorpus), expected::tfidf_defaults);
  }
  SECTION("transform of new documents") { check_eigen(v.transform(kNewDocs), expected::tfidf_transform_new); }
  SECTION("CSR output and string_view documents") {
    std::vector<std::string_view> views(kCorpus.begin(), kCorpus.end());
    lexsim::TfidfVectorizer w;
    check_csr(w.fit_transform_csr<double>(views), expected::tfidf_defaults);
  }
}

TEST_CASE("TfidfVectorizer min_df and max_df as counts and proportions") {
  SECTION("min_df=2, max_df=0.5") {
    auto v = tfidf([](auto& o) {
      o.min_df = lexsim::DocFrequency::count(2);
      o.max_df = lexsim::DocFrequency::proportion(0.5);
    });
    check_eigen(v.fit_transform(kCorpus), expected::tfidf_min2_max05);
    CHECK(v.feature_names() == Terms{"dog", "fox", "lazy", "quick", "sleeps"});
    CHECK(v.feature_names() == expected::tfidf_min2_max05.names);
  }
  SECTION("min_df=0.3, max_df=2") {
    auto v = tfidf([](auto& o) {
      o.min_df = lexsim::DocFrequency::proportion(0.3);
      o.max_df = lexsim::DocFrequency::count(2);
    });
    check_eigen(v.fit_transform(kCorpus), expected::tfidf_min03_max2);
    CHECK(v.feature_names() == expected::tfidf_min03_max2.names);
  }
}

TEST_CASE("TfidfVectorizer max_features") {
  auto v = tfidf([](auto& o) { o.max_features = 3; });
  check_eigen(v.fit_transform(kCorpus), expected::tfidf_max_features);
  CHECK(v.feature_names() == expected::tfidf_max_features.names);
}

TEST_CASE("TfidfVectorizer binary") {
  auto v = tfidf([](auto& o) { o.binary = true; });
  check_eigen(v.fit_transform(kCorpus), expected::tfidf_binary);
}

TEST_CASE("TfidfVectorizer norm l1 and none") {
  SECTION("l1") {
    auto v = tfidf([](auto& o) { o.norm = lexsim::Norm::l1; });
    check_eigen(v.fit_transform(kCorpus), expected::tfidf_l1);
  }
  SECTION("none") {
    auto v = tfidf([](auto& o) { o.norm = lexsim::Norm::none; });
    check_eigen(v.fit_transform(kCorpus), expected::tfidf_no_norm);
  }
}

TEST_CASE("TfidfVectorizer use_idf=false") {
  auto v = tfidf([](auto& o) { o.use_idf = false; });
  check_eigen(v.fit_transform(kCorpus), expected::tfidf_no_idf);
  CHECK(v.idf().empty());
}

TEST_CASE("TfidfVectorizer smooth_idf=false") {
  auto v = tfidf([](auto& o) { o.smooth_idf = false; });
  check_eigen(v.fit_transform(kCorpus), expected::tfidf_no_smooth);
  // idf = ln(n / df) + 1: "the" is in 4 of 6 documents.
  CHECK(v.idf()[static_cast<std::size_t>(v.vocabulary().find("the"))] == Approx(std::log(6.0 / 4.0) + 1.0));
}

TEST_CASE("TfidfVectorizer sublinear_tf") {
  auto v = tfidf([](auto& o) { o.sublinear_tf = true; });
  check_eigen(v.fit_transform(kCorpus), expected::tfidf_sublinear);
}

TEST_CASE("TfidfVectorizer with a fixed vocabulary") {
  lexsim::TfidfOptions o;
  o.vocabulary = kFixedVocabulary;
  lexsim::TfidfVectorizer v(o);
  check_eigen(v.fit_transform(kCorpus), expected::tfidf_fixed_vocabulary);
  CHECK(v.feature_names() == kFixedVocabulary);
  // "zebra" is in no document: idf = ln(7 / 1) + 1.
  CHECK(v.idf()[2] == Approx(std::log(7.0) + 1.0).epsilon(0).margin(1e-12));
}

TEST_CASE("TfidfVectorizer with a fixed vocabulary is not fitted before fit") {
  // Known bug: the vocabulary alone marks the TfidfVectorizer as fitted, idf() is then empty and
  // transform() throws InvalidArgument ("idf vector of length 0 ...") instead of NotFittedError,
  // which is what scikit-learn's TfidfVectorizer(vocabulary=...).transform raises.
  lexsim::TfidfOptions o;
  o.vocabulary = kFixedVocabulary;
  lexsim::TfidfVectorizer v(o);
  CHECK_THROWS_AS(v.transform(kNewDocs), lexsim::NotFittedError);
  CHECK_THROWS_AS(v.idf(), lexsim::NotFittedError);
}

TEST_CASE("TfidfVectorizer float output") {
  lexsim::TfidfVectorizer v;
  const lexsim::CsrMatrix<float> X = v.fit_transform_csr<float>(kCorpus);
  // TfidfVectorizer(dtype=np.float32): equal to float precision.
  check_csr(X, expected::tfidf_float32, 1e-6);
  // And to the float64 result to float precision.
  check_csr(X, expected::tfidf_defaults, 1e-6);
  // Rows are still unit vectors.
  for (std::int64_t r = 0; r < X.rows; ++r) {
    double s = 0;
    for (auto k = X.indptr[r]; k < X.indptr[r + 1]; ++k) s += double(X.data[k]) * X.data[k];
    CHECK(s == Approx(1.0).margin(1e-6));
  }
  const auto Y = v.transform_csr<float>(kNewDocs);
  check_csr(Y, expected::tfidf_transform_new, 1e-6);
}

TEST_CASE("TfidfVectorizer float output follows scikit-learn's float32 arithmetic to one ulp") {
  // lexsim computes idf in float and normalises as scikit-learn does (squares in float, sums and
  // divides in double). The one remaining source of difference is log(): numpy's float32 log is its
  // own SIMD kernel (CPU-dependent, not correctly rounded), so values may differ in the last bit.
  lexsim::TfidfVectorizer v;
  const auto X = v.fit_transform_csr<float>(kCorpus);
  const auto& e = expected::tfidf_float32;
  REQUIRE(X.indices == e.indices);
  for (std::size_t k = 0; k < e.data.size(); ++k) {
    INFO("value " << k);
    const float want = static_cast<float>(e.data[k]);
    CHECK(std::abs(X.data[k] - want) <= 2 * std::numeric_limits<float>::epsilon() * std::abs(want));
  }
}

TEST_CASE("fit_transform returns a compressed row-major Eigen matrix with sorted indices") {
  lexsim::TfidfVectorizer vec;
  auto X = vec.fit_transform(kCorpus);
  static_assert(decltype(X)::IsRowMajor, "row-major");
  static_assert(std::is_same<decltype(X)::Scalar, double>::value, "double values");
  CHECK(X.isCompressed());
  CHECK(X.rows() == 6);
  CHECK(X.cols() == 37);
  CHECK(X.nonZeros() == 46);
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    const auto* b = X.innerIndexPtr() + X.outerIndexPtr()[r];
    const auto* e = X.innerIndexPtr() + X.outerIndexPtr()[r + 1];
    CHECK(std::adjacent_find(b, e, [](int a, int c) { return a >= c; }) == e);
  }
  const auto terms = vec.feature_names();
  CHECK(std::is_sorted(terms.begin(), terms.end()));
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST_CASE("a vocabulary of stop words only is empty") {
  lexsim::TfidfOptions o;
  o.analysis.stop_words = lexsim::english_stop_words();
  lexsim::TfidfVectorizer v(o);
  CHECK_THROWS_AS(v.fit_transform(std::vector<std::string>{"the and of", "It is what it is."}),
                  lexsim::InvalidArgument);
  CHECK_THROWS_AS(lexsim::CountVectorizer().fit(std::vector<std::string>{"a", "!"}), lexsim::InvalidArgument);
}

TEST_CASE("using a vectorizer before fit throws NotFittedError") {
  lexsim::TfidfVectorizer t;
  CHECK_FALSE(t.is_fitted());
  CHECK_THROWS_AS(t.transform(kNewDocs), lexsim::NotFittedError);
  CHECK_THROWS_AS(t.feature_names(), lexsim::NotFittedError);
  CHECK_THROWS_AS(t.idf(), lexsim::NotFittedError);
  lexsim::CountVectorizer c;
  CHECK_THROWS_AS(c.transform(kNewDocs), lexsim::NotFittedError);
  CHECK_THROWS_AS(c.vocabulary(), lexsim::NotFittedError);
}

TEST_CASE("max_df below min_df throws") {
  lexsim::CountOptions o;
  o.min_df = lexsim::DocFrequency::count(3);
  o.max_df = lexsim::DocFrequency::count(2);
  lexsim::CountVectorizer v(o);
  CHECK_THROWS_AS(v.fit(kCorpus), lexsim::InvalidArgument);
  lexsim::TfidfOptions t;
  t.min_df = lexsim::DocFrequency::proportion(0.6);
  t.max_df = lexsim::DocFrequency::proportion(0.4);
  CHECK_THROWS_AS(lexsim::TfidfVectorizer(t).fit(kCorpus), lexsim::InvalidArgument);
  // The messages keep scikit-learn's words and name the values and the document count.
  CHECK_THROWS_WITH(v.fit(kCorpus),
                    "max_df=2 keeps no terms: it allows at most 2 documents, min_df=3 asks for at "
                    "least 3; the corpus has 6 documents (max_df corresponds to < documents than min_df)");
  CHECK_THROWS_WITH(lexsim::TfidfVectorizer(t).fit(kCorpus),
                    Catch::StartsWith("max_df=0.4 keeps no terms: it allows at most 2.4 documents, min_df=0.6 asks "
                                      "for at least 3.6; the corpus has 6 documents"));
  lexsim::TfidfOptions many;
  many.min_df = lexsim::DocFrequency::count(10);  // more than there are documents
  CHECK_THROWS_WITH(
      lexsim::TfidfVectorizer(many).fit(kCorpus),
      "min_df=10 keeps no terms: the corpus has 6 documents (max_df corresponds to < documents than min_df)");
}

TEST_CASE("pruning every term throws") {
  // No term is in 5 of the 6 documents ("the" is in 4).
  lexsim::TfidfOptions o;
  o.min_df = lexsim::DocFrequency::count(5);
  lexsim::TfidfVectorizer v(o);
  CHECK_THROWS_AS(v.fit(kCorpus), lexsim::InvalidArgument);
  CHECK_THROWS_WITH(v.fit(kCorpus),
                    "min_df=5 and max_df=1.0 keep no terms: none is in 5 to 6 of the corpus's 6 "
                    "documents (After pruning, no terms remain. Try a lower min_df or a higher max_df.)");
  CHECK_FALSE(v.is_fitted());
  o.min_df = lexsim::DocFrequency::count(7);
  o.max_df = lexsim::DocFrequency::count(100);
  CHECK_THROWS_WITH(lexsim::TfidfVectorizer(o).fit(kCorpus),
                    "min_df=7 keeps no terms: the corpus has 6 documents (After pruning, no terms remain. Try a lower "
                    "min_df or a higher max_df.)");
}

TEST_CASE("invalid vectorizer options throw InvalidArgument") {
  CHECK_THROWS_AS(tfidf([](auto& o) { o.min_df = lexsim::DocFrequency::proportion(1.5); }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(tfidf([](auto& o) { o.max_df = lexsim::DocFrequency::count(0); }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(tfidf([](auto& o) { o.max_features = 0; }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(tfidf([](auto& o) { o.vocabulary = Terms{}; }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(tfidf([](auto& o) { o.vocabulary = Terms{"a", "b", "a"}; }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(tfidf([](auto& o) { o.n_jobs = 0; }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(tfidf([](auto& o) { o.analysis.ngram_range = {2, 1}; }), lexsim::InvalidArgument);
}

TEST_CASE("invalid UTF-8 names the document and the byte") {
  std::vector<std::string> docs = kCorpus;
  docs[3] = "Straße \xff und";
  lexsim::TfidfVectorizer v;
  try {
    v.fit_transform(docs);
    FAIL("no UnicodeError");
  } catch (const lexsim::UnicodeError& e) {
    CHECK(e.document() == 3);
    CHECK(e.byte_offset() == 8);  // "Straße " is 8 bytes
  }
  SECTION("in transform too") {
    v.fit(kCorpus);
    try {
      v.transform(std::vector<std::string>{"ok", "fine", "good", "\xc3("});
      FAIL("no UnicodeError");
    } catch (const lexsim::UnicodeError& e) {
      CHECK(e.document() == 3);
      CHECK(e.byte_offset() == 0);
    }
  }
  SECTION("decode_error replace accepts it") {
    lexsim::TfidfOptions o;
    o.analysis.decode_error = lexsim::DecodeError::replace;
    CHECK(lexsim::TfidfVectorizer(o).fit_transform(docs).rows() == 6);
  }
}

TEST_CASE("fit_transform and transform are bit-identical for every n_jobs") {
  // Enough documents that every worker gets a block (workers get at least 256 documents each).
  std::vector<std::string> docs;
  for (int i = 0; i < 3000; ++i)
    docs.push_back("doc " + std::to_string(i % 97) + " Erdoğan term" + std::to_string(i % 13) + " café x" +
                   std::to_string(i * 7 % 31) + (i % 5 ? " the and of" : " rare" + std::to_string(i)));
  for (bool binary : {false, true}) {
    lexsim::TfidfOptions o;
    o.binary = binary;
    o.min_df = lexsim::DocFrequency::count(2);
    o.max_features = 150;
    lexsim::TfidfVectorizer one(o);
    const auto ref = one.fit_transform_csr<double>(docs);
    const auto ref_t = one.transform_csr<double>(docs);
    for (int jobs : {2, 3, -1}) {
      INFO("n_jobs " << jobs << ", binary " << binary);
      o.n_jobs = jobs;
      lexsim::TfidfVectorizer many(o);
      const auto X = many.fit_transform_csr<double>(docs);
      CHECK(X.indptr == ref.indptr);
      CHECK(X.indices == ref.indices);
      CHECK(X.data == ref.data);
      CHECK(many.feature_names() == one.feature_names());
      CHECK(many.idf() == one.idf());
      const auto T = many.transform_csr<double>(docs);
      CHECK(T.indices == ref_t.indices);
      CHECK(T.data == ref_t.data);
    }
  }
}

TEST_CASE("enum names: one table per enum, to_string and from_string agree") {
  using lexsim::from_string;
  using lexsim::to_string;
  CHECK(to_string(lexsim::AnalyzerKind::char_) == "char");
  CHECK(to_string(lexsim::Normalization::nfkc) == "NFKC");
  CHECK(to_string(lexsim::Norm::l2) == "l2");
  CHECK(from_string<lexsim::DecodeError>("replace") == lexsim::DecodeError::replace);
  CHECK(from_string<lexsim::StripAccents>("unicode") == lexsim::StripAccents::unicode);
  CHECK_FALSE(from_string<lexsim::IdfPrecision>("float16").has_value());
  CHECK(lexsim::enum_choices<lexsim::Norm>() == "'none', 'l1' or 'l2'");
  for (const auto& [value, name] : lexsim::EnumNames<lexsim::AnalyzerKind>::entries)
    CHECK(from_string<lexsim::AnalyzerKind>(name) == value);
}

TEST_CASE("Input: the per-kind names and the one entry point give the same matrices") {
  const std::vector<std::string> docs{"apple berry berry cherry", "berry cherry date", "elder"};
  lexsim::TfidfVectorizer a, b;
  const auto x = a.fit_transform_csr<double>(docs);
  std::vector<std::string_view> views(docs.begin(), docs.end());
  bool served = false;
  const lexsim::DocumentBatches next = [&](lexsim::Documents& batch) {
    if (served) return false;
    served = true;
    batch = lexsim::Documents(views.data(), views.size());
    return true;
  };
  const auto y = b.fit_transform_batches<double>(next);
  CHECK(x.indptr == y.indptr);
  CHECK(x.indices == y.indices);
  CHECK(x.data == y.data);
  CHECK(a.feature_names() == b.feature_names());
  CHECK(a.counter().feature_names() == a.feature_names());
}
