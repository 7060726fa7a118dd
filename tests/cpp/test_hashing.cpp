// MurmurHash3 and HashingVectorizer against scikit-learn 1.9.1.
// The expected values are in expected_hashing.inc, written by gen_expected_hashing.py.
#include <catch2/catch.hpp>

#include <cstdint>
#include <lexsim/lexsim.hpp>
#include <map>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace {

struct HashCase {
  const char* key;
  std::size_t size;
  std::int64_t seed0, seed1, seed_max;
};

struct MinHashColumn {
  std::int64_t n_features;
  std::int32_t column;
  double value;
};

// scikit-learn's CSR result.
struct ExpectedHash {
  std::int64_t n_features;
  std::vector<std::int64_t> indptr;
  std::vector<std::int32_t> indices;
  std::vector<double> data;
};

namespace expected {
#include "expected_hashing.inc"
}  // namespace expected

// Keep in sync with CORPUS in gen_expected_hashing.py.
std::vector<std::string> hash_corpus() {
  std::vector<std::string> docs{
      "The quick brown fox jumps over the lazy dog.",
      "Erdoğan met Çavuşoğlu in Ankara; the meeting was brief.",
      "Le café était fermé, mais le café d'en face était ouvert.",
      "Straße und Strasse: zwei Schreibweisen, ein Wort.",
      "Ο ΔΡΟΜΟΣ είναι μακρύς, the dog sleeps.",
      "The dog and the fox: the quick dog wins, the lazy fox sleeps.",
      "",
      "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau",
  };
  std::string last;
  for (const auto& w : expected::kMinHashWords) last += w + " ";
  docs.push_back(last + expected::kMinHashWords[0]);
  return docs;
}

template <class T>
void check_csr(const lexsim::CsrMatrix<T>& X, const ExpectedHash& e, double tol = 1e-12) {
  REQUIRE(X.rows == static_cast<std::int64_t>(e.indptr.size()) - 1);
  REQUIRE(X.cols == e.n_features);
  REQUIRE(X.indptr == e.indptr);
  REQUIRE(X.indices == e.indices);  // the same sparsity structure, explicit zeros included
  REQUIRE(X.data.size() == e.data.size());
  for (std::size_t k = 0; k < e.data.size(); ++k) {
    INFO("value " << k);
    CHECK(static_cast<double>(X.data[k]) == Approx(e.data[k]).epsilon(0).margin(tol));
  }
}

lexsim::HashingVectorizer hashing(void (*set)(lexsim::HashingOptions&)) {
  lexsim::HashingOptions o;
  set(o);
  return lexsim::HashingVectorizer(o);
}

}  // namespace

TEST_CASE("murmurhash3_32 equals sklearn.utils.murmurhash3_32") {
  REQUIRE(expected::kHashCases.size() > 400);
  for (const auto& c : expected::kHashCases) {
    const std::string_view key(c.key, c.size);
    INFO("key of " << c.size << " bytes: " << key);
    CHECK(lexsim::murmurhash3_32_signed(key, 0) == c.seed0);
    CHECK(lexsim::murmurhash3_32_signed(key, 1) == c.seed1);
    CHECK(lexsim::murmurhash3_32_signed(key, 0xFFFFFFFFu) == c.seed_max);
    CHECK(static_cast<std::int64_t>(lexsim::murmurhash3_32(key)) ==
          (c.seed0 < 0 ? c.seed0 + (std::int64_t{1} << 32) : c.seed0));
  }
}

TEST_CASE("the extreme signed hashes -2^31 and 2^31 - 1") {
  for (const auto& w : expected::kMinHashWords) CHECK(lexsim::murmurhash3_32_signed(w) == INT32_MIN);
  for (const auto& w : expected::kMaxHashWords) CHECK(lexsim::murmurhash3_32_signed(w) == INT32_MAX);
  // Column 2^31 mod n and sign -1, as scikit-learn's FeatureHasher puts them.
  for (const auto& c : expected::kMinHashColumns) {
    INFO("n_features " << c.n_features);
    lexsim::HashingOptions o;
    o.n_features = c.n_features;
    const auto t = lexsim::HashingVectorizer(o).hash(expected::kMinHashWords[0]);
    CHECK(t.column == c.column);
    CHECK(t.sign == static_cast<int>(c.value));
    o.alternate_sign = false;
    CHECK(lexsim::HashingVectorizer(o).hash(expected::kMinHashWords[0]).sign == 1);
  }
}

TEST_CASE("HashingVectorizer equals scikit-learn's on the small corpus") {
  const auto docs = hash_corpus();
  using O = lexsim::HashingOptions;
  using lexsim::AnalyzerKind;
  using lexsim::Norm;
  const std::vector<std::pair<const ExpectedHash*, void (*)(O&)>> cases{
      {&expected::defaults, [](O&) {}},
      {&expected::no_alternate_sign, [](O& o) { o.alternate_sign = false; }},
      {&expected::norm_none, [](O& o) { o.norm = Norm::none; }},
      {&expected::norm_l1, [](O& o) { o.norm = Norm::l1; }},
      {&expected::n16_none, [](O& o) { o.n_features = 16, o.norm = Norm::none; }},
      {&expected::n16_l2, [](O& o) { o.n_features = 16; }},
      {&expected::n16_binary_none, [](O& o) { o.n_features = 16, o.binary = true, o.norm = Norm::none; }},
      {&expected::n16_binary_l1, [](O& o) { o.n_features = 16, o.binary = true, o.norm = Norm::l1; }},
      {&expected::n1_none, [](O& o) { o.n_features = 1, o.norm = Norm::none; }},
      {&expected::n1_no_alternate_l2, [](O& o) { o.n_features = 1, o.alternate_sign = false; }},
      {&expected::ngram_1_2,
       [](O& o) {
         o.analysis.ngram_range = {1, 2}, o.n_features = 1 << 10;
       }},
      {&expected::char_wb_2_4,
       [](O& o) {
         o.analysis.analyzer = AnalyzerKind::char_wb, o.analysis.ngram_range = {2, 4}, o.n_features = 1 << 12;
       }},
      {&expected::char_1_3_none,
       [](O& o) {
         o.analysis.analyzer = AnalyzerKind::char_, o.analysis.ngram_range = {1, 3}, o.n_features = 1 << 8,
         o.norm = Norm::none;
       }},
      {&expected::stop_english, [](O& o) { o.analysis.stop_words = lexsim::english_stop_words(); }},
      {&expected::strip_unicode_no_lowercase,
       [](O& o) {
         o.analysis.strip_accents = lexsim::StripAccents::unicode, o.analysis.lowercase = false, o.n_features = 1 << 9;
       }},
  };
  int zeros = 0;
  for (std::size_t c = 0; c < cases.size(); ++c) {
    INFO("case " << c);
    const auto v = hashing(cases[c].second);
    const auto X = v.transform_csr<double>(docs);
    check_csr(X, *cases[c].first);
    for (double x : X.data) zeros += x == 0.0;
    // The terms path gives the same as the text path.
    lexsim::TermLists lists;
    std::vector<std::vector<std::string>> terms;
    for (const auto& d : docs) terms.push_back(v.analyzer().analyze(d));
    for (const auto& t : terms) lists.emplace_back(t.begin(), t.end());
    const auto Y = v.transform_csr<double>(lists);
    CHECK(Y.indptr == X.indptr);
    CHECK(Y.indices == X.indices);
    CHECK(Y.data == X.data);
    CHECK(v.transform_terms<double>(lists).data == X.data);
  }
  CHECK(zeros > 0);  // cancellations happen, and are kept as scikit-learn keeps them
}

TEST_CASE("HashingVectorizer float output equals scikit-learn's float32") {
  lexsim::HashingOptions o;
  o.n_features = 16;
  const auto X = lexsim::HashingVectorizer(o).transform_csr<float>(hash_corpus());
  check_csr(X, expected::float32_n16, 0.0);  // bit for bit: the same float arithmetic
}

TEST_CASE("HashingVectorizer equals scikit-learn's on the news-seeds articles", "[corpora]") {
  const auto docs = lexsim_test::read_news_seeds();
  REQUIRE(docs.size() == 5);
  check_csr(lexsim::HashingVectorizer().transform_csr<double>(docs), expected::news_defaults);
  check_csr(hashing([](auto& o) { o.n_features = 16, o.norm = lexsim::Norm::none; }).transform_csr<double>(docs),
            expected::news_n16_none);
  check_csr(hashing([](auto& o) {
              o.analysis.ngram_range = {1, 2};
              o.analysis.stop_words = lexsim::english_stop_words();
              o.analysis.strip_accents = lexsim::StripAccents::ascii;
              o.norm = lexsim::Norm::l1;
            }).transform_csr<double>(docs),
            expected::news_ngram_stop);
}

TEST_CASE("transform returns a compressed Eigen matrix equal to the CSR result") {
  const auto docs = hash_corpus();
  lexsim::HashingVectorizer v;
  const auto E = v.transform(docs);
  REQUIRE(E.isCompressed());
  CHECK(E.rows() == static_cast<Eigen::Index>(docs.size()));
  CHECK(E.cols() == (1 << 20));
  const auto X = v.transform_csr<double>(docs);
  REQUIRE(E.nonZeros() == X.nnz());
  for (std::int64_t k = 0; k < X.nnz(); ++k) {
    CHECK(E.innerIndexPtr()[k] == X.indices[static_cast<std::size_t>(k)]);
    CHECK(E.valuePtr()[k] == X.data[static_cast<std::size_t>(k)]);
  }
}

TEST_CASE("a huge document's counts equal a term-by-term tally") {
  // Past 65,536 terms a row's contributions are folded into running sums: the result must equal
  // the plain tally of every term's column and sign.
  std::string doc;
  for (std::int64_t i = 0; i < 300000; ++i) doc += "w" + std::to_string(i * 7919 % 5003) + (i % 3 ? " " : " tail ");
  for (std::int64_t n : {std::int64_t{16}, std::int64_t{1} << 20}) {
    lexsim::HashingOptions o;
    o.n_features = n;
    o.norm = lexsim::Norm::none;
    lexsim::HashingVectorizer v(o);
    std::map<std::int32_t, std::int64_t> tally;
    for (const auto& t : v.analyzer().analyze(doc)) {
      const std::int32_t h = lexsim::murmurhash3_32_signed(t);
      const std::int64_t mag = h == INT32_MIN ? (std::int64_t{1} << 31) : (h < 0 ? -std::int64_t{h} : h);
      tally[static_cast<std::int32_t>(mag % n)] += h < 0 ? -1 : 1;
    }
    const auto X = v.transform_csr<double>(std::vector<std::string>{"before", doc, "after"});
    REQUIRE(X.rows == 3);
    const auto b = static_cast<std::size_t>(X.indptr[1]), e = static_cast<std::size_t>(X.indptr[2]);
    REQUIRE(e - b == tally.size());
    std::size_t k = b;
    for (const auto& [column, sum] : tally) {
      CHECK(X.indices[k] == column);
      CHECK(X.data[k] == static_cast<double>(sum));
      ++k;
    }
  }
}

TEST_CASE("HashingVectorizer results are bit-identical for every n_jobs", "[corpora]") {
  std::vector<std::string> docs;
  const auto news = lexsim_test::read_news_seeds();
  for (int i = 0; i < 3000; ++i)
    docs.push_back(i % 7 == 0 ? news[static_cast<std::size_t>(i) % news.size()]
                              : "doc " + std::to_string(i % 97) + " Erdoğan term" + std::to_string(i % 13) + " café x" +
                                    std::to_string(i * 7 % 31));
  for (std::int64_t n : {std::int64_t{16}, std::int64_t{1} << 20}) {
    lexsim::HashingOptions o;
    o.n_features = n;
    const auto ref = lexsim::HashingVectorizer(o).transform_csr<double>(docs);
    const auto ref_f = lexsim::HashingVectorizer(o).transform_csr<float>(docs);
    for (int jobs : {2, 3, -1}) {
      INFO("n_jobs " << jobs << ", n_features " << n);
      o.n_jobs = jobs;
      const lexsim::HashingVectorizer v(o);
      const auto X = v.transform_csr<double>(docs);
      CHECK(X.indptr == ref.indptr);
      CHECK(X.indices == ref.indices);
      CHECK(X.data == ref.data);
      CHECK(v.transform_csr<float>(docs).data == ref_f.data);
    }
  }
}

TEST_CASE("zero documents give zero rows") {
  const auto X = lexsim::HashingVectorizer().transform_csr<double>(std::vector<std::string>{});
  CHECK(X.rows == 0);
  CHECK(X.cols == (1 << 20));
  CHECK(X.indptr == std::vector<std::int64_t>{0});
}

TEST_CASE("invalid hashing options throw InvalidArgument") {
  CHECK_THROWS_AS(hashing([](auto& o) { o.n_features = 0; }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(hashing([](auto& o) { o.n_features = -5; }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(hashing([](auto& o) { o.n_features = std::int64_t{1} << 31; }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(hashing([](auto& o) { o.n_jobs = 0; }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(hashing([](auto& o) { o.n_jobs = -2; }), lexsim::InvalidArgument);
  CHECK_THROWS_AS(hashing([](auto& o) { o.analysis.ngram_range = {2, 1}; }), lexsim::InvalidArgument);
  CHECK_NOTHROW(hashing([](auto& o) { o.n_features = INT32_MAX; }));
  CHECK_NOTHROW(hashing([](auto& o) { o.n_features = 1; }));
  try {
    hashing([](auto& o) { o.n_features = 0; });
  } catch (const lexsim::InvalidArgument& e) {
    CHECK_THAT(e.what(), Catch::Contains("n_features") && Catch::Contains("got 0"));
  }
}

TEST_CASE("hashing invalid UTF-8 names the document and the byte") {
  std::vector<std::string> docs(600, "fine words");
  docs[450] = "Straße \xff und";
  for (int jobs : {1, 2}) {
    lexsim::HashingOptions o;
    o.n_jobs = jobs;
    try {
      lexsim::HashingVectorizer(o).transform_csr<double>(docs);
      FAIL("no UnicodeError");
    } catch (const lexsim::UnicodeError& e) {
      CHECK(e.document() == 450);
      CHECK(e.byte_offset() == 8);
    }
  }
}

TEST_CASE("an interrupt check stops a long hashing transform") {
  std::vector<std::string> docs(200000, "the quick brown fox jumps over the lazy dog");
  int calls = 0;
  lexsim::InterruptGuard guard([&] { return ++calls >= 1; });
  CHECK_THROWS_AS(lexsim::HashingVectorizer().transform_csr<double>(docs), lexsim::Cancelled);
  CHECK(calls >= 1);
}
