// Writes the seed corpus of fuzz_model_loader: a few fitted vectorizers and search indexes
// serialized with lexsim::serialize, each prefixed with the harness's mode byte (0: keep the
// envelope consistent).
// Generated at build time rather than stored, so the seeds always follow the current format.
#include <lexsim/lexsim.hpp>
#include <lexsim/model_io.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

const std::vector<std::string> kDocs = {
    "The quick brown fox jumps over the lazy dog.",
    "Erdoğan met Çavuşoğlu; Erdogan met Cavusoglu.",
    "東京タワー と 富士山",
    "naïve café, CAFÉ, ΣΊΣΥΦΟΣ",
    "the the the fox",
};

bool write(const std::string& dir, const std::string& name, const std::string& model) {
  std::ofstream out(dir + "/" + name, std::ios::binary | std::ios::trunc);
  out.put('\0');
  out << model;
  return static_cast<bool>(out.flush());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  using namespace lexsim;
  bool ok = true;

  TfidfVectorizer plain;
  plain.fit(kDocs);
  ok &= write(dir, "tfidf_default", serialize(plain));
  ok &= write(dir, "tfidf_default_metadata", serialize(plain, R"({"note": "metadata é"})"));

  TfidfOptions rich;
  rich.analysis.analyzer = AnalyzerKind::char_wb;
  rich.analysis.ngram_range = {2, 4};
  rich.analysis.strip_accents = StripAccents::unicode;
  rich.analysis.decode_error = DecodeError::replace;
  rich.sublinear_tf = true;
  rich.norm = Norm::l1;
  rich.smooth_idf = false;
  rich.max_features = 40;
  TfidfVectorizer chars(rich);
  chars.fit(kDocs);
  ok &= write(dir, "tfidf_char_wb", serialize(chars));

  TfidfOptions words;
  words.analysis.stop_words = english_stop_words();
  words.analysis.stemmer = "english";
  words.analysis.ngram_range = {1, 2};
  words.analysis.normalization = Normalization::nfkc;
  words.analysis.casefold = true;
  words.use_idf = false;
  words.binary = true;
  words.min_df = DocFrequency::count(1);
  words.max_df = DocFrequency::proportion(0.9);
  TfidfVectorizer stemmed(words);
  stemmed.fit(kDocs);
  ok &= write(dir, "tfidf_stemmed_bigrams", serialize(stemmed));

  CountOptions fixed;
  fixed.vocabulary = std::vector<std::string>{"fox", "東京タワー", "café", "zz"};
  fixed.analysis.token_pattern = R"(\b\w+\b)";
  CountVectorizer counts(fixed);
  counts.fit(kDocs);
  ok &= write(dir, "count_fixed_vocabulary", serialize(counts));

  CountVectorizer count_plain;
  count_plain.fit(kDocs);
  ok &= write(dir, "count_default", serialize(count_plain));

  // Search indexes: cosine over TF-IDF with its vectorizer, BM25 (bm25+) over counts with its
  // vectorizer, and a float32 robertson index saved without one.
  const auto X = plain.transform_csr<double>(kDocs);
  ok &= write(dir, "index_cosine_tfidf", serialize(SearchIndex<double>(view(X)), plain, R"({"note": "index"})"));
  SearchOptions bm25;
  bm25.scoring = Scoring::bm25;
  bm25.method = Bm25Method::bm25plus;
  const auto C = count_plain.transform_csr<double>(kDocs);
  ok &= write(dir, "index_bm25plus_counts", serialize(SearchIndex<double>(view(C), bm25), count_plain));
  bm25.method = Bm25Method::robertson;
  const auto C32 = count_plain.transform_csr<float>(kDocs);
  ok &= write(dir, "index_robertson_float32", serialize(SearchIndex<float>(view(C32), bm25)));

  if (!ok) {
    std::fprintf(stderr, "could not write the seeds to %s\n", dir.c_str());
    return 1;
  }
  return 0;
}
