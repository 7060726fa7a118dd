// Snowball stemming (AnalyzerOptions::stemmer): stems, its place in the analysis (after stop words,
// before n-grams), offsets, errors and threads. Expected stems are Snowball's (libstemmer 2.2 and
// the snowballstemmer 3 package agree on every word used here).
#include <algorithm>
#include <catch2/catch.hpp>
#include <lexsim/lexsim.hpp>
#include <string>
#include <thread>
#include <vector>

using Terms = std::vector<std::string>;

namespace {

lexsim::AnalyzerOptions stemming(const std::string& algorithm) {
  lexsim::AnalyzerOptions o;
  o.stemmer = algorithm;
  return o;
}

lexsim::Analyzer english() { return lexsim::Analyzer(stemming("english")); }

// Documents with many inflected forms, so stems merge columns; some non-ASCII text and some
// stop words too, so every path of the analysis is taken.
std::vector<std::string> inflected_corpus(std::size_t n) {
  const std::vector<std::string> words{"running",    "runs",     "connection", "connections", "connected",
                                       "generously", "generous", "talks",      "talked",      "talking",
                                       "meetings",   "the",      "and",        "Erdoğan",     "Türkiye'de",
                                       "çocuklar",   "Straße",   "naïve",      "cafés"};
  std::vector<std::string> docs;
  docs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::string d;
    for (std::size_t k = 0; k < 3 + i % 7; ++k) {
      if (k) d += (k % 3 == 0) ? ", " : " ";
      d += words[(i * 7 + k * 13 + k * k) % words.size()];
    }
    d += " word" + std::to_string(i % 97);
    docs.push_back(std::move(d));
  }
  return docs;
}

}  // namespace

TEST_CASE("stemmer is off by default") {
  CHECK_FALSE(lexsim::AnalyzerOptions{}.stemmer.has_value());
  CHECK(lexsim::Analyzer().analyze("running connections") == Terms{"running", "connections"});
}

TEST_CASE("stemmers() lists libstemmer's algorithms") {
  const auto names = lexsim::stemmers();
  CHECK(std::is_sorted(names.begin(), names.end()));
  for (const char* name : {"english", "porter", "french", "german", "russian", "turkish"}) {
    INFO(name);
    CHECK(std::find(names.begin(), names.end(), name) != names.end());
  }
}

TEST_CASE("English stems of known words") {
  CHECK(english().analyze("running connections generously") == Terms{"run", "connect", "generous"});
  CHECK(english().analyze("Connected, CONNECTING; caresses") == Terms{"connect", "connect", "caress"});
  // the stemmer sees lowercase tokens: the same word in any case gets the same stem
  CHECK(english().analyze("Running RUNNING running") == Terms{"run", "run", "run"});
  // ISO 639 codes name the same algorithm
  CHECK(lexsim::Analyzer(stemming("en")).analyze("running connections") == Terms{"run", "connect"});
  CHECK(lexsim::Analyzer(stemming("eng")).analyze("running connections") == Terms{"run", "connect"});
  // the original Porter algorithm is available too
  CHECK(lexsim::Analyzer(stemming("porter")).analyze("generously caresses") == Terms{"gener", "caress"});
}

TEST_CASE("Turkish, Russian and French stems (non-ASCII words)") {
  CHECK(lexsim::Analyzer(stemming("turkish")).analyze("Kitaplarımız çocuklar okullarda öğretmenler") ==
        Terms{"kitap", "çocuk", "okul", "öğretmen"});
  CHECK(lexsim::Analyzer(stemming("tr")).analyze("arabalar evlerimizden") == Terms{"araba", "ev"});
  CHECK(lexsim::Analyzer(stemming("russian")).analyze("Книги книгами") == Terms{"книг", "книг"});
  CHECK(lexsim::Analyzer(stemming("french")).analyze("continuité nationales") == Terms{"continu", "national"});
}

TEST_CASE("stemming comes after accent stripping and the token pattern") {
  auto o = stemming("french");
  o.strip_accents = lexsim::StripAccents::unicode;
  // the stemmer gets "continuite", not "continuité" (which would stem to "continu")
  CHECK(lexsim::Analyzer(o).analyze("Continuité FERMÉ") == Terms{"continuit", "ferm"});
  auto p = stemming("english");
  p.token_pattern = R"(\b\w{3,}\b)";
  CHECK(lexsim::Analyzer(p).analyze("we ran running races") == Terms{"ran", "run", "race"});
}

TEST_CASE("word n-grams are built from stems") {
  auto o = stemming("english");
  o.ngram_range = {1, 2};
  CHECK(lexsim::Analyzer(o).analyze("running connections generously") ==
        Terms{"run", "connect", "generous", "run connect", "connect generous"});
  o.ngram_range = {2, 3};
  CHECK(lexsim::Analyzer(o).analyze("talks talked talking") == Terms{"talk talk", "talk talk", "talk talk talk"});
}

TEST_CASE("stop words are removed before stemming, compared with the unstemmed tokens") {
  auto o = stemming("english");
  o.stop_words = lexsim::english_stop_words();
  o.ngram_range = {1, 2};
  // "the", "and" and "were" go; "haves" and "having" are not stop words and stem to "have", which
  // stays even though "have" itself is one.
  CHECK(lexsim::Analyzer(o).analyze("The haves and the having runners were running") ==
        Terms{"have", "have", "runner", "run", "have have", "have runner", "runner run"});
}

TEST_CASE("word_ngrams stems too, so analyze() is word_ngrams(tokenize(preprocess()))") {
  auto o = stemming("english");
  o.ngram_range = {1, 2};
  const lexsim::Analyzer a(o);
  const std::string text = "Generously connected runners";
  const auto tokens = a.tokenize(a.preprocess(text));
  CHECK(tokens == Terms{"generously", "connected", "runners"});  // tokenize does not stem
  struct Collect : lexsim::TermSink {
    Terms out;
    void add(std::string_view t) override { out.emplace_back(t); }
  } sink;
  a.word_ngrams(std::vector<std::string_view>(tokens.begin(), tokens.end()), sink);
  CHECK(sink.out == a.analyze(text));
  CHECK(sink.out == Terms{"generous", "connect", "runner", "generous connect", "connect runner"});
}

TEST_CASE("tokens_with_offsets give stems at the original words' offsets") {
  const std::string text = "Erdoğan's Connections, running";
  const auto t = english().tokens_with_offsets(text);
  REQUIRE(t.size() == 3);
  CHECK(t[0].text == "erdoğan");
  CHECK(t[1].text == "connect");
  CHECK(t[2].text == "run");
  CHECK(text.substr(t[1].byte_begin, t[1].byte_end - t[1].byte_begin) == "Connections");
  CHECK(text.substr(t[2].byte_begin, t[2].byte_end - t[2].byte_begin) == "running");
  CHECK(t[1].char_begin == 10);
  CHECK(t[1].char_end == 21);
  const auto plain = lexsim::Analyzer().tokens_with_offsets(text);
  for (std::size_t i = 0; i < t.size(); ++i) {
    CHECK(t[i].byte_begin == plain[i].byte_begin);
    CHECK(t[i].byte_end == plain[i].byte_end);
    CHECK(t[i].char_begin == plain[i].char_begin);
    CHECK(t[i].char_end == plain[i].char_end);
  }
}

TEST_CASE("an unknown stemmer is an InvalidArgument naming it and listing the algorithms") {
  for (const std::string& bad : Terms{"klingon", "English", "", std::string("english\0x", 9)}) {
    try {
      lexsim::Analyzer a(stemming(bad));
      FAIL("accepted stemmer '" << bad << "'");
    } catch (const lexsim::InvalidArgument& e) {
      const std::string what = e.what();
      const std::string shown = bad.find('\0') == std::string::npos ? bad : "english\\x00x";  // NUL escaped
      CHECK(what.find("unknown stemmer '" + shown + "'") != std::string::npos);
      CHECK(what.find("english") != std::string::npos);
      CHECK(what.find("turkish") != std::string::npos);
    }
  }
  lexsim::CountOptions c;
  c.analysis.stemmer = "klingon";
  CHECK_THROWS_AS(lexsim::CountVectorizer(c), lexsim::InvalidArgument);
}

TEST_CASE("a stemmer with a character analyzer is an InvalidArgument") {
  for (auto kind : {lexsim::AnalyzerKind::char_, lexsim::AnalyzerKind::char_wb}) {
    auto o = stemming("english");
    o.analyzer = kind;
    o.ngram_range = {2, 3};
    CHECK_THROWS_WITH(lexsim::Analyzer(o),
                      Catch::Contains("stemmer='english'") && Catch::Contains("word analyzer only"));
  }
}

TEST_CASE("a stemming vectorizer counts stems and its feature names are stems") {
  lexsim::CountOptions o;
  o.analysis.stemmer = "english";
  lexsim::CountVectorizer v(o);
  const std::vector<std::string> docs{"Running runs; the runner ran", "connections connected", "running connection"};
  const auto X = v.fit_transform(docs);
  CHECK(v.feature_names() == Terms{"connect", "ran", "run", "runner", "the"});
  CHECK(X.coeff(0, 2) == 2);  // running, runs
  CHECK(X.coeff(1, 0) == 2);
  CHECK(X.coeff(2, 0) == 1);
  CHECK(X.coeff(2, 2) == 1);
  const auto Y = v.transform(std::vector<std::string>{"RUNNING connects"});
  CHECK(Y.coeff(0, 0) == 1);
  CHECK(Y.coeff(0, 2) == 1);
}

TEST_CASE("a multi-threaded fit with a stemmer equals the single-threaded one") {
  const auto docs = inflected_corpus(3000);
  for (auto range : {std::pair<int, int>{1, 1}, std::pair<int, int>{1, 2}}) {
    INFO("ngram_range (" << range.first << ", " << range.second << ")");
    lexsim::TfidfOptions o;
    o.analysis.stemmer = "english";
    o.analysis.stop_words = lexsim::english_stop_words();
    o.analysis.ngram_range = range;
    o.n_jobs = 1;
    lexsim::TfidfVectorizer one(o);
    const auto X1 = one.fit_transform_csr<double>(docs);
    const auto T1 = one.transform_csr<double>(docs);
    o.n_jobs = 2;
    lexsim::TfidfVectorizer two(o);
    const auto X2 = two.fit_transform_csr<double>(docs);
    const auto T2 = two.transform_csr<double>(docs);
    CHECK(one.feature_names() == two.feature_names());
    CHECK(X1.indptr == X2.indptr);
    CHECK(X1.indices == X2.indices);
    CHECK(X1.data == X2.data);
    CHECK(T1.indptr == T2.indptr);
    CHECK(T1.indices == T2.indices);
    CHECK(T1.data == T2.data);
    const auto names = one.feature_names();
    CHECK(std::find(names.begin(), names.end(), "connect") != names.end());
    CHECK(std::find(names.begin(), names.end(), "connections") == names.end());
  }
}

TEST_CASE("one stemming analyzer shared by several threads gives every thread the same terms") {
  const auto docs = inflected_corpus(400);
  const lexsim::Analyzer a(stemming("english"));
  const lexsim::Analyzer t(stemming("turkish"));  // a second algorithm on the same threads
  std::vector<Terms> expected;
  for (const auto& d : docs) expected.push_back(a.analyze(d));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      for (int round = 0; round < 5; ++round)
        for (std::size_t i = 0; i < docs.size(); ++i) {
          t.analyze(docs[(i + static_cast<std::size_t>(w)) % docs.size()]);
          if (a.analyze(docs[i]) != expected[i]) ++mismatches[static_cast<std::size_t>(w)];
        }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}

TEST_CASE("stems do not depend on what the thread stemmed before (past the memo's size too)") {
  // More distinct words than a thread remembers the stems of, then the same words again, against
  // a fresh thread's stems of the same words.
  std::vector<std::string> words;
  for (int i = 0; i < 70000; ++i) {
    std::string w = "connect";
    for (int k = i; k > 0; k /= 26) w += static_cast<char>('a' + k % 26);
    words.push_back(w + (i % 3 == 0 ? "ions" : i % 3 == 1 ? "ing" : "ed"));
  }
  const lexsim::Analyzer a(stemming("english"));
  Terms first, second, fresh;
  for (const auto& w : words) first.push_back(a.analyze(w).at(0));
  for (const auto& w : words) second.push_back(a.analyze(w).at(0));
  std::thread([&] {
    for (auto it = words.rbegin(); it != words.rend(); ++it) fresh.push_back(a.analyze(*it).at(0));
  }).join();
  std::reverse(fresh.begin(), fresh.end());
  CHECK(first == second);
  CHECK(first == fresh);
  CHECK(first[0] == "connect");   // "connections"
  CHECK(first[1] == "connectb");  // "connectbing"
  std::string long_word;          // longer than the words whose stems a thread remembers
  for (int i = 0; i < 50; ++i) long_word += "ba";
  CHECK(a.analyze(long_word + "ing") == Terms{long_word});
}
