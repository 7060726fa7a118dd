// Incremental and out-of-core fits: partial_fit, merge, CorpusCounts and the batch callbacks give
// exactly what one fit on all the documents gives, for many options and ways of splitting them.
// The reference for the counts themselves is a plain std::map over Analyzer::analyze.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <lexsim/lexsim.hpp>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "helpers.hpp"

namespace {

using Docs = std::vector<std::string>;
using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

// The corpus: the first sentences of sentences.jsonl, then the five news-seeds articles (long
// documents), so parts mix short and long documents.
const Docs& corpus() {
  static const Docs docs = [] {
    Docs d = lexsim_test::read_sentences(2500);
    for (auto& a : lexsim_test::read_news_seeds()) d.push_back(std::move(a));
    return d;
  }();
  return docs;
}

// Documents the vectorizers have not seen: the next 500 lines of sentences.jsonl.
const Docs& unseen() {
  static const Docs docs = [] {
    Docs all = lexsim_test::read_sentences(3000);
    return Docs(all.begin() + 2500, all.end());
  }();
  return docs;
}

Docs slice(const Docs& d, std::size_t b, std::size_t e) {
  return Docs(d.begin() + static_cast<std::ptrdiff_t>(b), d.begin() + static_cast<std::ptrdiff_t>(e));
}

// Ways of splitting n documents: 2 halves; 3 uneven parts; 7 parts, three of them empty.
std::vector<Ranges> partitionings(std::size_t n) {
  return {
      {{0, n / 2}, {n / 2, n}},
      {{0, 10}, {10, n * 2 / 3}, {n * 2 / 3, n}},
      {{0, 0}, {0, 1}, {1, n / 5}, {n / 5, n / 5}, {n / 5, n / 2}, {n / 2, n - 3}, {n - 3, n}},
  };
}

struct Config {
  const char* name;
  std::function<void(lexsim::TfidfOptions&)> set;
};

std::vector<Config> configs() {
  return {
      {"defaults", [](lexsim::TfidfOptions&) {}},
      {"min_df=3, max_df=200 (ints)",
       [](lexsim::TfidfOptions& o) {
         o.min_df = lexsim::DocFrequency::count(3);
         o.max_df = lexsim::DocFrequency::count(200);
       }},
      {"min_df=0.002, max_df=0.3 (proportions)",
       [](lexsim::TfidfOptions& o) {
         o.min_df = lexsim::DocFrequency::proportion(0.002);
         o.max_df = lexsim::DocFrequency::proportion(0.3);
       }},
      {"max_features=300 (ties at the cut)", [](lexsim::TfidfOptions& o) { o.max_features = 300; }},
      {"ngram_range=(1, 2), min_df=2",
       [](lexsim::TfidfOptions& o) {
         o.analysis.ngram_range = {1, 2};
         o.min_df = lexsim::DocFrequency::count(2);
       }},
      {"char_wb (2, 3)",
       [](lexsim::TfidfOptions& o) {
         o.analysis.analyzer = lexsim::AnalyzerKind::char_wb;
         o.analysis.ngram_range = {2, 3};
       }},
      {"binary, max_features=500",
       [](lexsim::TfidfOptions& o) {
         o.binary = true;
         o.max_features = 500;
       }},
      {"sublinear_tf, norm=l1",
       [](lexsim::TfidfOptions& o) {
         o.sublinear_tf = true;
         o.norm = lexsim::Norm::l1;
       }},
      {"use_idf=false", [](lexsim::TfidfOptions& o) { o.use_idf = false; }},
      {"smooth_idf=false", [](lexsim::TfidfOptions& o) { o.smooth_idf = false; }},
      {"english stop words, accents stripped",
       [](lexsim::TfidfOptions& o) {
         o.analysis.stop_words = lexsim::english_stop_words();
         o.analysis.strip_accents = lexsim::StripAccents::unicode;
       }},
      {"fixed vocabulary",
       [](lexsim::TfidfOptions& o) {
         o.vocabulary =
             std::vector<std::string>{"the", "film", "zebra", "putin", "erdoğan", "syria", "of", "and", "never seen"};
       }},
  };
}

lexsim::TfidfOptions options_of(const Config& c, int n_jobs) {
  lexsim::TfidfOptions o;
  c.set(o);
  o.n_jobs = n_jobs;
  return o;
}

template <class T>
void require_same(const lexsim::CsrMatrix<T>& a, const lexsim::CsrMatrix<T>& b) {
  REQUIRE(a.rows == b.rows);
  REQUIRE(a.cols == b.cols);
  REQUIRE(a.indptr == b.indptr);
  REQUIRE(a.indices == b.indices);
  REQUIRE(a.data == b.data);  // bit for bit: the arithmetic is the same
}

// Everything a fitted TfidfVectorizer shows equals the reference's, exactly.
void require_same_fit(const lexsim::TfidfVectorizer& got, const lexsim::TfidfVectorizer& want) {
  REQUIRE(got.is_fitted());
  REQUIRE(got.feature_names() == want.feature_names());
  REQUIRE(got.idf() == want.idf());
  REQUIRE(got.idf_float() == want.idf_float());
  REQUIRE(got.document_frequencies() == want.document_frequencies());
  REQUIRE(got.n_documents() == want.n_documents());
  REQUIRE(got.counts() == want.counts());
  require_same(got.transform_csr<double>(corpus()), want.transform_csr<double>(corpus()));
  require_same(got.transform_csr<float>(unseen()), want.transform_csr<float>(unseen()));
}

// Pairwise merges, as a tree reduction does them: (0+1), (2+3)... until one is left.
lexsim::TfidfVectorizer merge_tree(std::vector<lexsim::TfidfVectorizer> parts) {
  while (parts.size() > 1) {
    std::vector<lexsim::TfidfVectorizer> next;
    for (std::size_t i = 0; i + 1 < parts.size(); i += 2) next.push_back(std::move(parts[i].merge(parts[i + 1])));
    if (parts.size() % 2 == 1) next.push_back(std::move(parts.back()));
    parts = std::move(next);
  }
  return std::move(parts[0]);
}

// A DocumentBatches callback over parts of a corpus.
struct PartFeeder {
  const Docs& docs;
  Ranges ranges;
  std::size_t next = 0;
  std::vector<std::string_view> views;
  bool operator()(lexsim::Documents& batch) {
    if (next == ranges.size()) return false;
    const auto [b, e] = ranges[next++];
    views.assign(docs.begin() + static_cast<std::ptrdiff_t>(b), docs.begin() + static_cast<std::ptrdiff_t>(e));
    batch = lexsim::Documents(views.data(), views.size());
    return true;
  }
};

lexsim::DocumentBatches feed(const Docs& docs, const Ranges& ranges) {
  auto feeder = std::make_shared<PartFeeder>(PartFeeder{docs, ranges, 0, {}});
  return [feeder](lexsim::Documents& batch) { return (*feeder)(batch); };
}

}  // namespace

TEST_CASE("the C++ JSON reader reads every sentence", "[corpora]") {
  const auto all = lexsim_test::read_sentences();
  CHECK(all.size() == 50000);
  // Escapes decode to real characters: no backslash-u sequence survives, and text is valid UTF-8
  // (strict decoding would throw).
  lexsim::TfidfVectorizer v;
  CHECK_NOTHROW(v.fit(all));
}

TEST_CASE("corpus counts equal a plain map over the analyzer's terms", "[corpora]") {
  for (const auto& c : configs()) {
    if (std::string(c.name) == "fixed vocabulary") continue;
    INFO(c.name);
    auto o = options_of(c, 1);
    lexsim::TfidfVectorizer v(o);
    v.fit(corpus());
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> want;  // term -> (df, total)
    lexsim::Analyzer a(o.analysis);
    for (const auto& d : corpus()) {
      std::map<std::string, std::int64_t> row;
      for (auto& t : a.analyze(d)) ++row[t];
      for (auto& [t, n] : row) {
        want[t].first += 1;
        want[t].second += o.binary ? 1 : n;
      }
    }
    const auto& got = v.counts();
    REQUIRE(got.n_documents() == static_cast<std::int64_t>(corpus().size()));
    REQUIRE(got.size() == want.size());
    for (std::size_t j = 0; j < got.size(); ++j) {
      const auto t = std::string(got.terms().term(static_cast<std::int32_t>(j)));
      REQUIRE(want.count(t) == 1);
      CHECK(got.document_frequencies()[j] == want[t].first);
      CHECK(got.total_counts()[j] == want[t].second);
    }
  }
}

namespace {

// partial_fit part by part, fit then partial_fit, a tree of merges, fit_batches and
// fit_transform_batches, each with n_jobs 1 and 2 and for every partitioning, equal one fit.
void check_config(const Config& c) {
  const auto& docs = corpus();
  {
    lexsim::TfidfVectorizer whole(options_of(c, 1));
    const auto X = whole.fit_transform_csr<double>(docs);
    const auto& o1 = whole.count_options();
    if (o1.min_df.value > 1 || o1.max_df.value < 1 || o1.max_features) {
      REQUIRE(whole.feature_names().size() < whole.counts().size());  // pruning pruned something
    }
    if (o1.max_features) {  // the cut falls among terms of equal total count, broken by code point
      const auto& counts = whole.counts();
      std::int64_t lowest = std::numeric_limits<std::int64_t>::max();
      for (const auto& t : whole.feature_names())
        lowest = std::min(lowest, counts.total_counts()[static_cast<std::size_t>(counts.terms().find(t))]);
      const auto tied = std::count(counts.total_counts().begin(), counts.total_counts().end(), lowest);
      std::size_t tied_kept = 0;
      for (const auto& t : whole.feature_names())
        tied_kept += counts.total_counts()[static_cast<std::size_t>(counts.terms().find(t))] == lowest;
      REQUIRE(static_cast<std::size_t>(tied) > tied_kept);
    }
    for (const auto& ranges : partitionings(docs.size())) {
      for (int n_jobs : {1, 2}) {
        INFO(c.name << ", " << ranges.size() << " parts, n_jobs=" << n_jobs);
        const auto o = options_of(c, n_jobs);

        lexsim::TfidfVectorizer sequential(o);
        for (auto [b, e] : ranges) sequential.partial_fit(slice(docs, b, e));
        require_same_fit(sequential, whole);

        // fit on the first part, then partial_fit the rest (when the first part can be fitted alone)
        if (ranges[0].second - ranges[0].first > 100) {
          lexsim::TfidfVectorizer then(o);
          then.fit(slice(docs, ranges[0].first, ranges[0].second));
          for (std::size_t p = 1; p < ranges.size(); ++p)
            then.partial_fit(slice(docs, ranges[p].first, ranges[p].second));
          require_same_fit(then, whole);
        }

        std::vector<lexsim::TfidfVectorizer> parts;
        for (auto [b, e] : ranges) {
          parts.emplace_back(o);
          parts.back().partial_fit(slice(docs, b, e));
        }
        lexsim::CorpusCounts summed;  // the counts alone merge too, and a fit restored from them is the same
        for (const auto& part : parts) summed.merge(part.counts());
        REQUIRE(summed == whole.counts());
        lexsim::TfidfVectorizer from_counts(o);
        from_counts.set_counts(summed.canonical());
        require_same_fit(from_counts, whole);
        require_same_fit(merge_tree(std::move(parts)), whole);

        lexsim::TfidfVectorizer batches(o);
        batches.fit_batches(feed(docs, ranges));
        require_same_fit(batches, whole);

        lexsim::TfidfVectorizer partial_batches(o);
        const Ranges first{ranges[0]}, rest(ranges.begin() + 1, ranges.end());
        partial_batches.partial_fit_batches(feed(docs, first)).partial_fit_batches(feed(docs, rest));
        require_same_fit(partial_batches, whole);

        lexsim::TfidfVectorizer one_pass(o);
        require_same(one_pass.fit_transform_batches<double>(feed(docs, ranges)), X);
        require_same_fit(one_pass, whole);
        require_same(whole.transform_batches<double>(feed(docs, ranges)), X);
        require_same(whole.transform_batches<float>(feed(docs, ranges)), whole.transform_csr<float>(docs));
      }
    }
  }
}

}  // namespace

// One test case per configuration, so that ctest runs them in parallel.
#define LEXSIM_INCREMENTAL_CASE(i)                                              \
  TEST_CASE("incremental fits equal one fit: configuration " #i, "[corpora]") { \
    const auto all = configs();                                                 \
    REQUIRE(all.size() == 12);                                                  \
    INFO(all[i].name);                                                          \
    check_config(all[i]);                                                       \
  }
LEXSIM_INCREMENTAL_CASE(0)
LEXSIM_INCREMENTAL_CASE(1)
LEXSIM_INCREMENTAL_CASE(2)
LEXSIM_INCREMENTAL_CASE(3)
LEXSIM_INCREMENTAL_CASE(4)
LEXSIM_INCREMENTAL_CASE(5)
LEXSIM_INCREMENTAL_CASE(6)
LEXSIM_INCREMENTAL_CASE(7)
LEXSIM_INCREMENTAL_CASE(8)
LEXSIM_INCREMENTAL_CASE(9)
LEXSIM_INCREMENTAL_CASE(10)
LEXSIM_INCREMENTAL_CASE(11)
#undef LEXSIM_INCREMENTAL_CASE

TEST_CASE("CountVectorizer: partial_fit and merge equal fit", "[corpora]") {
  const auto& docs = corpus();
  lexsim::CountOptions o;
  o.min_df = lexsim::DocFrequency::count(2);
  o.max_features = 1000;
  lexsim::CountVectorizer whole(o);
  const auto X = whole.fit_transform_csr<std::int64_t>(docs);
  const auto n = docs.size();
  lexsim::CountVectorizer a(o), b(o);
  a.fit(slice(docs, 0, n / 3));
  b.partial_fit(slice(docs, n / 3, n));
  a.merge(b);
  CHECK(a.feature_names() == whole.feature_names());
  CHECK(a.counts() == whole.counts());
  require_same(a.transform_csr<std::int64_t>(docs), X);
  lexsim::CountVectorizer c(o);
  c.fit(slice(docs, 0, n / 2)).partial_fit(slice(docs, n / 2, n));
  require_same(c.transform_csr<std::int32_t>(docs), whole.transform_csr<std::int32_t>(docs));
  // Pre-analysed documents go through the same counting.
  lexsim::Analyzer an(o.analysis);
  std::vector<std::vector<std::string>> owned;
  for (const auto& d : docs) owned.push_back(an.analyze(d));
  lexsim::TermLists lists;
  for (const auto& t : owned) lists.emplace_back(t.begin(), t.end());
  lexsim::TermLists first(lists.begin(), lists.begin() + static_cast<std::ptrdiff_t>(n / 2)),
      second(lists.begin() + static_cast<std::ptrdiff_t>(n / 2), lists.end());
  lexsim::CountVectorizer t(o);
  t.partial_fit_terms(first).partial_fit_terms(second);
  CHECK(t.counts() == whole.counts());
  require_same(t.transform_terms<std::int64_t>(lists), X);
  std::size_t served = 0;
  lexsim::CountVectorizer tb(o);
  const auto Xt = tb.fit_transform_batches_terms<std::int64_t>([&](lexsim::TermLists& batch) {
    if (served >= 2) return false;
    batch = served++ == 0 ? first : second;
    return true;
  });
  require_same(Xt, X);
}

TEST_CASE("CorpusCounts: construction, merge, canonical form and equality") {
  lexsim::CorpusCounts a({"b", "a", "c"}, {1, 2, 1}, {3, 2, 1}, 2);
  lexsim::CorpusCounts b({"c", "d"}, {1, 1}, {4, 1}, 1);
  CHECK(a.size() == 3);
  CHECK(a.n_documents() == 2);
  lexsim::CorpusCounts sum = a;
  sum.merge(b);
  CHECK(sum.size() == 4);
  CHECK(sum.n_documents() == 3);
  const auto canon = sum.canonical();
  CHECK(canon.term_list() == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(canon.document_frequencies() == std::vector<std::int64_t>{2, 1, 2, 1});
  CHECK(canon.total_counts() == std::vector<std::int64_t>{2, 3, 5, 1});
  CHECK(canon == sum);
  lexsim::CorpusCounts other_order = b;
  other_order.merge(a);
  CHECK(other_order == sum);
  CHECK(other_order.canonical().term_list() == canon.term_list());
  CHECK(other_order.term_list() != sum.term_list());  // ids differ, the counts do not
  lexsim::CorpusCounts twice = a;
  twice.merge(twice);  // merging with itself doubles everything
  CHECK(twice.n_documents() == 4);
  CHECK(twice.canonical().document_frequencies() == std::vector<std::int64_t>{4, 2, 2});
  CHECK(lexsim::CorpusCounts() != a);

  CHECK_THROWS_AS(lexsim::CorpusCounts({"a", "a"}, {1, 1}, {1, 1}, 1), lexsim::InvalidArgument);
  CHECK_THROWS_AS(lexsim::CorpusCounts({"a"}, {1, 1}, {1}, 1), lexsim::InvalidArgument);
  CHECK_THROWS_AS(lexsim::CorpusCounts({"a"}, {2}, {1}, 2), lexsim::InvalidArgument);  // df > total
  CHECK_THROWS_AS(lexsim::CorpusCounts({"a"}, {2}, {2}, 1), lexsim::InvalidArgument);  // df > documents
  CHECK_THROWS_AS(lexsim::CorpusCounts({"a"}, {-1}, {1}, 1), lexsim::InvalidArgument);
  CHECK_THROWS_WITH(lexsim::CorpusCounts({"x"}, {3}, {2}, 5), Catch::Contains("'x'") && Catch::Contains("3"));

  const auto big = std::numeric_limits<std::int64_t>::max() - 1;
  lexsim::CorpusCounts huge({"a", "z"}, {1, 1}, {big, 1}, 1);
  lexsim::CorpusCounts before = huge;
  CHECK_THROWS_WITH(huge.merge(lexsim::CorpusCounts({"z", "a"}, {1, 1}, {1, 2}, 1)),
                    Catch::Contains("'a'") && Catch::Contains("overflow"));
  CHECK(huge == before);  // nothing changed
}

TEST_CASE("partial_fit with nothing left after pruning keeps the counts and is not fitted") {
  lexsim::TfidfOptions o;
  o.min_df = lexsim::DocFrequency::count(2);
  lexsim::TfidfVectorizer v(o);
  v.partial_fit(std::vector<std::string>{"alpha beta", "gamma"});  // every term once: none passes min_df
  CHECK_FALSE(v.is_fitted());
  CHECK(v.has_counts());
  CHECK(v.counts().n_documents() == 2);
  CHECK_THROWS_AS(v.transform_csr<double>(std::vector<std::string>{"alpha"}), lexsim::NotFittedError);
  CHECK_THROWS_WITH(v.feature_names(),
                    Catch::Contains("After pruning, no terms remain") && Catch::Contains("2 documents"));
  v.partial_fit(std::vector<std::string>{"alpha delta"});
  REQUIRE(v.is_fitted());
  CHECK(v.feature_names() == std::vector<std::string>{"alpha"});
  lexsim::TfidfVectorizer empty(o);
  empty.partial_fit(std::vector<std::string>{});
  CHECK(empty.has_counts());
  CHECK_THROWS_WITH(empty.feature_names(), Catch::Contains("empty vocabulary"));
  // fit keeps scikit-learn's behaviour: it throws and changes nothing.
  lexsim::TfidfVectorizer f(o);
  f.fit(std::vector<std::string>{"alpha alpha", "alpha"});
  CHECK_THROWS_AS(f.fit(std::vector<std::string>{"one", "two"}), lexsim::InvalidArgument);
  CHECK(f.feature_names() == std::vector<std::string>{"alpha"});
  CHECK(f.counts().n_documents() == 2);
}

TEST_CASE("merge refuses other options, unfitted vectorizers and missing counts") {
  lexsim::TfidfOptions o;
  lexsim::TfidfVectorizer a(o);
  a.fit(std::vector<std::string>{"alpha beta"});
  auto differ = [&](auto set, const char* name) {
    lexsim::TfidfOptions p;
    set(p);
    lexsim::TfidfVectorizer b(p);
    b.fit(std::vector<std::string>{"alpha gamma"});
    INFO(name);
    CHECK_THROWS_WITH(a.merge(b), Catch::Contains(name));
  };
  differ([](lexsim::TfidfOptions& p) { p.min_df = lexsim::DocFrequency::proportion(1.0); }, "min_df");
  differ([](lexsim::TfidfOptions& p) { p.max_df = lexsim::DocFrequency::count(1); }, "max_df");
  differ([](lexsim::TfidfOptions& p) { p.max_features = 3; }, "max_features");
  differ([](lexsim::TfidfOptions& p) { p.binary = true; }, "binary");
  differ([](lexsim::TfidfOptions& p) { p.analysis.ngram_range = {1, 2}; }, "ngram_range");
  differ([](lexsim::TfidfOptions& p) { p.analysis.analyzer = lexsim::AnalyzerKind::char_; }, "analyzer");
  differ([](lexsim::TfidfOptions& p) { p.analysis.lowercase = false; }, "lowercase");
  differ([](lexsim::TfidfOptions& p) { p.analysis.stop_words = std::vector<std::string>{"x"}; }, "stop_words");
  differ([](lexsim::TfidfOptions& p) { p.analysis.token_pattern = "(?u)\\b\\w+\\b"; }, "token_pattern");
  differ([](lexsim::TfidfOptions& p) { p.sublinear_tf = true; }, "sublinear_tf");
  differ([](lexsim::TfidfOptions& p) { p.smooth_idf = false; }, "smooth_idf");
  differ([](lexsim::TfidfOptions& p) { p.norm = lexsim::Norm::l1; }, "norm");
  differ([](lexsim::TfidfOptions& p) { p.use_idf = false; }, "use_idf");
  CHECK(a.feature_names() == std::vector<std::string>{"alpha", "beta"});  // unchanged by the refusals

  lexsim::TfidfOptions two = o;
  two.n_jobs = 2;  // threads do not change results, so they may differ
  lexsim::TfidfVectorizer b(two);
  b.fit(std::vector<std::string>{"alpha gamma"});
  CHECK_NOTHROW(a.merge(b));
  CHECK(a.feature_names() == std::vector<std::string>{"alpha", "beta", "gamma"});
  CHECK(b.feature_names() == std::vector<std::string>{"alpha", "gamma"});  // other is unchanged

  lexsim::TfidfVectorizer unfitted(o);
  CHECK_THROWS_AS(a.merge(unfitted), lexsim::NotFittedError);
  CHECK_NOTHROW(unfitted.merge(a));  // merging into a new vectorizer copies the counts
  CHECK(unfitted.counts() == a.counts());

  lexsim::TfidfVectorizer restored(o);
  restored.set_state({"alpha", "beta"}, 1, {1.5, 1.5}, {1, 1});
  CHECK_THROWS_WITH(restored.partial_fit(std::vector<std::string>{"x"}), Catch::Contains("without them"));
  CHECK_THROWS_AS(restored.merge(a), lexsim::InvalidArgument);
  CHECK_THROWS_AS(a.merge(restored), lexsim::InvalidArgument);
  CHECK_THROWS_AS(restored.counts(), lexsim::NotFittedError);
}

TEST_CASE("set_counts restores a fit from its counts", "[corpora]") {
  const auto& docs = corpus();
  lexsim::TfidfOptions o;
  o.min_df = lexsim::DocFrequency::count(2);
  lexsim::TfidfVectorizer whole(o);
  whole.fit(docs);
  const auto saved = whole.counts().canonical();
  lexsim::CorpusCounts copy(saved.term_list(), saved.document_frequencies(), saved.total_counts(), saved.n_documents());
  lexsim::TfidfVectorizer restored(o);
  restored.set_counts(std::move(copy));
  require_same_fit(restored, whole);
  restored.partial_fit(unseen());
  lexsim::TfidfVectorizer both(o);
  Docs all = docs;
  all.insert(all.end(), unseen().begin(), unseen().end());
  both.fit(all);
  require_same_fit(restored, both);

  lexsim::TfidfOptions f;
  f.vocabulary = std::vector<std::string>{"b", "a"};
  lexsim::TfidfVectorizer fixed(f);
  fixed.set_counts(lexsim::CorpusCounts({"a", "b"}, {1, 2}, {1, 5}, 3));
  CHECK(fixed.document_frequencies() == std::vector<std::int64_t>{2, 1});  // in column order
  CHECK_THROWS_WITH(fixed.set_counts(lexsim::CorpusCounts({"a", "c"}, {1, 1}, {1, 1}, 1)), Catch::Contains("'c'"));
  CHECK_THROWS_AS(fixed.set_counts(lexsim::CorpusCounts({"a"}, {1}, {1}, 1)), lexsim::InvalidArgument);
}

TEST_CASE("batches: errors name the document in the whole input and change nothing") {
  lexsim::TfidfVectorizer v;
  v.fit(std::vector<std::string>{"kept terms"});
  const Docs docs{"good one", "good two", "bad \xff byte"};
  try {
    v.fit_batches(feed(docs, {{0, 2}, {2, 3}}));
    FAIL("no error");
  } catch (const lexsim::UnicodeError& e) {
    CHECK(e.document() == 2);
    CHECK(e.byte_offset() == 4);
    CHECK_THAT(e.what(), Catch::Contains("document 2"));
  }
  CHECK(v.feature_names() == std::vector<std::string>{"kept", "terms"});
  int calls = 0;
  CHECK_THROWS_AS(v.fit_transform_batches<double>([&](lexsim::Documents&) -> bool {
    if (++calls == 2) throw std::runtime_error("the source failed");
    return true;
  }),
                  std::runtime_error);
  CHECK(v.feature_names() == std::vector<std::string>{"kept", "terms"});
  CHECK(v.counts().n_documents() == 1);
  // No batches at all: as fit on no documents.
  CHECK_THROWS_WITH(v.fit_batches([](lexsim::Documents&) { return false; }), Catch::Contains("empty vocabulary"));
}

TEST_CASE("an idf set by hand is not silently replaced by partial_fit or merge") {
  lexsim::TfidfVectorizer v;
  v.fit(std::vector<std::string>{"alpha beta", "beta gamma"});
  auto idf = v.idf();
  for (auto& x : idf) x *= 2;
  v.set_idf(idf);
  CHECK(v.idf_set_by_hand());
  CHECK_THROWS_WITH(v.partial_fit(std::vector<std::string>{"alpha"}), Catch::Contains("set by hand"));
  lexsim::TfidfVectorizer w;
  w.fit(std::vector<std::string>{"delta"});
  CHECK_THROWS_WITH(v.merge(w), Catch::Contains("set by hand"));
  CHECK_THROWS_WITH(w.merge(v), Catch::Contains("set by hand"));
  CHECK(v.idf() == idf);                          // unchanged by the refusals
  v.fit(std::vector<std::string>{"alpha beta"});  // a fit computes the idf again
  CHECK_FALSE(v.idf_set_by_hand());
  CHECK_NOTHROW(v.partial_fit(std::vector<std::string>{"alpha"}));
}
