// Smoke test of an installed lexsim: the minimal usage from the README, checked against
// scikit-learn 1.9.1 (TfidfVectorizer().fit_transform(docs) on the same four documents).
#include <lexsim/lexsim.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  std::cout << (ok ? "ok      " : "FAILED  ") << what << '\n';
  if (!ok) ++failures;
}

}  // namespace

int main() {
  try {
    const std::vector<std::string> docs{"The cat sat on the mat.", "The dog sat on the log.",
                                        "Cats and dogs are friends.", "Erdoğan met Çavuşoğlu in Ankara."};

    lexsim::TfidfVectorizer vec;       // defaults equal scikit-learn's TfidfVectorizer()
    auto X = vec.fit_transform(docs);  // docs: std::vector<std::string>; X: Eigen row-major sparse
    auto terms = vec.feature_names();  // std::vector<std::string>, in column order

    std::cout << "lexsim " << lexsim::version << " (Unicode " << lexsim::unicode_version() << ")\n";
    std::cout << "X: " << X.rows() << " x " << X.cols() << ", " << X.nonZeros() << " non-zeros\n";
    std::cout << "terms:";
    for (const auto& t : terms) std::cout << ' ' << t;
    std::cout << '\n';

    expect(std::string(lexsim::version) == "0.1.0", "lexsim::version is 0.1.0");
    expect(X.rows() == 4 && X.cols() == 17, "X is 4 x 17");
    expect(X.isCompressed(), "X is compressed");
    expect(terms.size() == 17, "17 feature names");
    expect(std::is_sorted(terms.begin(), terms.end()), "feature names are sorted");
    expect(std::find(terms.begin(), terms.end(), "çavuşoğlu") != terms.end(), "\"çavuşoğlu\" is a feature");

    // Rows are L2-normalised.
    bool unit = true;
    for (int r = 0; r < X.rows(); ++r) unit = unit && std::abs(X.row(r).norm() - 1.0) < 1e-12;
    expect(unit, "rows have unit L2 norm");

    // Nearest neighbour of each document (self excluded): 0 <-> 1 with cosine 0.6509328139962117.
    lexsim::TopKOptions options;
    options.k = 1;
    const auto S = lexsim::top_k(X, options);
    for (int r = 0; r < S.rows(); ++r) {
      std::cout << "nearest to document " << r << ": ";
      bool any = false;
      for (decltype(S)::InnerIterator it(S, r); it; ++it, any = true)
        std::cout << it.col() << " (cosine " << it.value() << ")";
      std::cout << (any ? "" : "none") << '\n';
    }
    expect(S.rows() == 4 && S.cols() == 4, "top_k result is 4 x 4");
    expect(S.nonZeros() == 2, "only documents 0 and 1 have a match");
    expect(std::abs(S.coeff(0, 1) - 0.6509328139962117) < 1e-12, "cos(0, 1) = 0.650933");
    expect(std::abs(S.coeff(1, 0) - 0.6509328139962117) < 1e-12, "cos(1, 0) = 0.650933");

    // HashingVectorizer: scikit-learn's HashingVectorizer(n_features=16, norm=None) gives row 0 of
    // the documents as 1 in column 4, -1 in column 11 and -2 in column 14, 14 stored values in all.
    lexsim::HashingOptions hashing_options;
    hashing_options.n_features = 16;
    hashing_options.norm = lexsim::Norm::none;
    const auto H = lexsim::HashingVectorizer(hashing_options).transform(docs);
    expect(H.rows() == 4 && H.cols() == 16 && H.nonZeros() == 14, "hashed X is 4 x 16 with 14 stored values");
    expect(H.coeff(0, 4) == 1.0 && H.coeff(0, 11) == -1.0 && H.coeff(0, 14) == -2.0,
           "hashed row 0 equals scikit-learn's");
    expect(lexsim::murmurhash3_32_signed("çavuşoğlu") == -885277671, "murmurhash3_32(\"çavuşoğlu\") = -885277671");

    // The options example of the README's C++ quick start.
    lexsim::TfidfOptions folded_options;
    folded_options.analysis.strip_accents = lexsim::StripAccents::unicode;
    folded_options.analysis.stop_words = lexsim::english_stop_words();
    folded_options.sublinear_tf = true;
    lexsim::TfidfVectorizer folded(folded_options);
    const std::vector<std::string> spellings{"Erdoğan met Putin", "Erdogan and Putin met again"};
    auto Y = folded.fit_transform(spellings);
    auto neighbours = lexsim::top_k(Y, {/*k=*/1});
    const auto folded_terms = folded.feature_names();
    expect(folded_terms == std::vector<std::string>{"erdogan", "met", "putin"}, "accent folding: erdogan, met, putin");
    expect(neighbours.nonZeros() == 2 && std::abs(neighbours.coeff(0, 1) - 1.0) < 1e-12,
           "both spellings make the same vector");

    // The BM25 example of the README's Search section. "sat" is in 2 of the 4 documents (lucene's
    // idf ln 2 still ranks them; robertson's would be 0); "cat" only in document 0, "log" only in 1.
    const std::vector<std::string> queries{"cat log", "sat"};
    lexsim::CountVectorizer counter;  // BM25 indexes raw term counts
    lexsim::SearchOptions search_options;
    search_options.scoring = lexsim::Scoring::bm25;  // method lucene, k1 = 1.2, b = 0.75 unless set
    const lexsim::SearchIndex index(counter.fit_transform(docs), search_options);  // SearchIndex<double>
    const auto Q = counter.transform(queries);                                     // one row per query
    const auto results = index.search(lexsim::view(Q), /*k=*/10, /*n_jobs=*/2);    // queries x documents
    std::vector<long> found;
    for (const lexsim::Hit<double>& hit : lexsim::ranked(results, 0)) found.push_back(static_cast<long>(hit.doc));
    std::sort(found.begin(), found.end());
    expect(results.rows == 2 && results.cols == 4, "search result is 2 x 4");
    expect(found == std::vector<long>{0, 1}, "BM25 \"cat log\" finds documents 0 and 1");
    expect(lexsim::ranked(results, 1).size() == 2, "BM25 (lucene) \"sat\" finds its 2 documents");
    search_options.method = lexsim::Bm25Method::robertson;
    const lexsim::SearchIndex robertson(counter.transform(docs), search_options);
    expect(lexsim::ranked(robertson.search(lexsim::view(Q), 10, 1), 1).empty(),
           "BM25 (robertson) \"sat\" finds nothing (idf floored at 0)");
    // Incremental fits: two halves, fitted apart and merged, equal one fit on all four documents.
    lexsim::TfidfVectorizer left, right;
    left.partial_fit(std::vector<std::string>(docs.begin(), docs.begin() + 2));
    right.partial_fit(std::vector<std::string>(docs.begin() + 2, docs.end()));
    left.merge(right);
    expect(left.feature_names() == terms && left.idf() == vec.idf(), "partial_fit + merge equal one fit");
    const lexsim::CorpusCounts& counts = left.counts();
    expect(counts.n_documents() == 4 && counts.size() == 17, "the counts: 4 documents, 17 terms");

    // Stemming: libstemmer is private to lexsim, linked in through the package (static builds).
    lexsim::CountOptions stem_options;
    stem_options.analysis.stemmer = "english";
    lexsim::CountVectorizer stemmed(stem_options);
    const auto C = stemmed.fit_transform(std::vector<std::string>{"Running runners run", "connections connected"});
    const auto stems = stemmed.feature_names();
    expect(stems == std::vector<std::string>{"connect", "run", "runner"}, "stemmer='english': connect, run, runner");
    expect(C.coeff(0, 1) == 2 && C.coeff(1, 0) == 2, "stems are counted together");

    // The C++ example of the README's Model files section, in a temporary directory.
    const auto dir = std::filesystem::temp_directory_path() / ("lexsim-consumer-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "news.lexsim").string();
    lexsim::save(vec, path, /*metadata=*/"{\"corpus\": \"news\"}");
    lexsim::Model m = lexsim::load(path);
    auto& tfidf = std::get<lexsim::TfidfVectorizer>(m.vectorizer);
    const auto Z = tfidf.transform(docs);
    const std::string bytes = lexsim::serialize(vec, m.metadata);
    std::filesystem::remove_all(dir);
    expect(m.metadata == "{\"corpus\": \"news\"}", "a model keeps its metadata");
    expect(Z.nonZeros() == X.nonZeros() && (Z - X).norm() == 0.0, "a loaded model transforms exactly as the saved one");
    expect(bytes.compare(0, 4, "\x89LXM") == 0, "model bytes start with the magic");
    bool refused = false;
    try {
      lexsim::deserialize(bytes.substr(0, bytes.size() / 2));
    } catch (const lexsim::ModelFormatError& e) {
      refused = e.byte_offset() == bytes.size() / 2;
    }
    expect(refused, "a truncated model is refused with its byte offset");
  } catch (const lexsim::Error& e) {
    std::cout << "FAILED  lexsim error: " << e.what() << '\n';
    return 1;
  }
  if (failures != 0) {
    std::cout << failures << " check(s) failed\n";
    return 1;
  }
  std::cout << "all checks passed\n";
  return 0;
}
