// Model files: a loaded model transforms bit for bit like the saved one, the bytes are the documented
// layout, and every damaged, foreign, truncated, crafted or future input is refused with a reason.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "reference/cpp/crc32.hpp"

using namespace lexsim;
namespace fs = std::filesystem;

namespace {

// ------------------------------------------------------------------------------------------------
// An independent reading of the documented layout, used to inspect and to craft models.

std::uint64_t get_le(const std::string& s, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s.at(at + static_cast<std::size_t>(i)))) << (8 * i);
  return v;
}
void put_le(std::string& s, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void set_le(std::string& s, std::size_t at, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) s.at(at + static_cast<std::size_t>(i)) = static_cast<char>((v >> (8 * i)) & 0xFF);
}

struct Sec {
  std::string tag;
  std::uint32_t flags;
  std::string payload;
};

struct Parsed {
  std::uint32_t version;
  std::vector<Sec> sections;
};

Parsed parse(const std::string& m) {
  Parsed p;
  REQUIRE(m.size() >= 24);
  REQUIRE(m.compare(0, 8, std::string("\x89LXM\r\n\x1a\n", 8)) == 0);
  p.version = static_cast<std::uint32_t>(get_le(m, 8, 4));
  REQUIRE(get_le(m, 12, 8) == m.size());
  REQUIRE(get_le(m, m.size() - 4, 4) == reference::crc32(m.substr(0, m.size() - 4)));
  std::size_t pos = 20;
  while (pos < m.size() - 4) {
    Sec s;
    s.tag = m.substr(pos, 4);
    s.flags = static_cast<std::uint32_t>(get_le(m, pos + 4, 4));
    const auto len = get_le(m, pos + 8, 8);
    s.payload = m.substr(pos + 16, static_cast<std::size_t>(len));
    REQUIRE(s.payload.size() == len);
    pos += 16 + static_cast<std::size_t>(len);
    p.sections.push_back(s);
  }
  REQUIRE(pos == m.size() - 4);
  return p;
}

// Sections -> a model with a correct size and checksum (so only the content can be wrong).
std::string build(const std::vector<Sec>& sections, std::uint32_t version = 1) {
  std::string m("\x89LXM\r\n\x1a\n", 8);
  put_le(m, version, 4);
  put_le(m, 0, 8);
  for (const auto& s : sections) {
    m += s.tag;
    put_le(m, s.flags, 4);
    put_le(m, s.payload.size(), 8);
    m += s.payload;
  }
  set_le(m, 12, m.size() + 4, 8);
  put_le(m, reference::crc32(m), 4);
  return m;
}

Sec& section(Parsed& p, const std::string& tag) {
  for (auto& s : p.sections)
    if (s.tag == tag) return s;
  FAIL("no section " << tag);
  throw;
}

std::string error_of(const std::string& bytes) {
  try {
    deserialize(bytes);
  } catch (const ModelFormatError& e) {
    return e.what();
  }
  return "(no error)";
}

// ------------------------------------------------------------------------------------------------
// Models to save

std::vector<std::string> corpus() {
  auto docs = lexsim_test::read_news_seeds();
  docs.push_back("Erdoğan, ERDOGAN and erdogan; Çavuşoğlu/Cavusoglu — Türkiye. Straße, ΔΡΟΜΟΣ, İstanbul.");
  docs.push_back("");
  docs.push_back("bytes \xff\xfe that are not UTF-8 in a document that decode_error=replace reads");
  return docs;
}

template <class T>
void require_same(const CsrMatrix<T>& a, const CsrMatrix<T>& b) {
  REQUIRE(a.rows == b.rows);
  REQUIRE(a.cols == b.cols);
  REQUIRE(a.indptr == b.indptr);
  REQUIRE(a.indices == b.indices);
  REQUIRE(a.data.size() == b.data.size());
  REQUIRE(
      (a.data.empty() || std::memcmp(a.data.data(), b.data.data(), a.data.size() * sizeof(T)) == 0));  // bit for bit
}

std::vector<TfidfOptions> option_sets() {
  std::vector<TfidfOptions> out;
  auto add = [&](std::function<void(TfidfOptions&)> f) {
    TfidfOptions o;
    o.analysis.decode_error = DecodeError::replace;  // the corpus has a document of invalid UTF-8
    f(o);
    out.push_back(o);
  };
  add([](TfidfOptions&) {});
  add([](TfidfOptions& o) {
    o.analysis.stemmer = "english";
    o.analysis.stop_words = english_stop_words();
    o.analysis.strip_accents = StripAccents::unicode;
    o.sublinear_tf = true;
  });
  add([](TfidfOptions& o) {
    o.analysis.analyzer = AnalyzerKind::char_wb;
    o.analysis.ngram_range = {2, 4};
    o.norm = Norm::l1;
  });
  add([](TfidfOptions& o) {
    o.analysis.analyzer = AnalyzerKind::char_;
    o.analysis.ngram_range = {1, 3};
    o.use_idf = false;
  });
  add([](TfidfOptions& o) {
    o.analysis.ngram_range = {1, 2};
    o.min_df = DocFrequency::proportion(0.2);
    o.max_df = DocFrequency::proportion(0.8);
  });
  add([](TfidfOptions& o) {
    o.min_df = DocFrequency::count(2);
    o.max_df = DocFrequency::count(5);
    o.max_features = 40;
    o.binary = true;
  });
  add([](TfidfOptions& o) {
    o.norm = Norm::none;
    o.smooth_idf = false;
    o.analysis.lowercase = false;
  });
  add([](TfidfOptions& o) {
    o.analysis.normalization = Normalization::nfkc;
    o.analysis.casefold = true;
    o.analysis.strip_accents = StripAccents::ascii;
    o.analysis.token_pattern = R"((?u)\b\w+\b)";
    o.n_jobs = 2;
  });
  add([](TfidfOptions& o) {
    o.analysis.stop_words = std::vector<std::string>{"the", "and", "of", "in"};
    o.vocabulary = std::vector<std::string>{"putin", "erdogan", "assad", "idlib", "unseen", "türkiye"};
  });
  add([](TfidfOptions& o) {  // a fixed vocabulary without smoothing: unseen terms get an infinite idf
    o.vocabulary = std::vector<std::string>{"putin", "zzzunseen"};
    o.smooth_idf = false;
    o.norm = Norm::none;
  });
  return out;
}

// Equal sizes and equal bytes (memcmp on the null data of empty vectors is undefined).
template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

void require_same_state(const CountVectorizer& a, const CountVectorizer& b) {
  REQUIRE(a.feature_names() == b.feature_names());
  REQUIRE(a.n_documents() == b.n_documents());
  REQUIRE(a.document_frequencies() == b.document_frequencies());
  REQUIRE(detail::encode_options(a.options()) == detail::encode_options(b.options()));
}

}  // namespace

// ------------------------------------------------------------------------------------------------

TEST_CASE("model io: CRC-32 is the IEEE one zlib computes", "[model_io]") {
  CHECK(detail::crc32("") == 0u);
  CHECK(detail::crc32("123456789") == 0xCBF43926u);  // the standard check value
  CHECK(detail::crc32("The quick brown fox jumps over the lazy dog") == 0x414FA339u);
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  CHECK(detail::crc32(all) == reference::crc32(all));
  CHECK(detail::crc32(all.substr(100), detail::crc32(all.substr(0, 100))) == detail::crc32(all));
}

TEST_CASE("model io: a loaded TfidfVectorizer transforms bit for bit like the saved one", "[model_io][corpora]") {
  const auto docs = corpus();
  const std::vector<std::string> fit_on(docs.begin(), docs.begin() + 4);
  int k = 0;
  for (const auto& options : option_sets()) {
    INFO("option set " << k++);
    TfidfVectorizer v(options);
    v.fit(fit_on);
    const std::string bytes = serialize(v, "{\"note\": \"ünïcode\"}");
    Model m = deserialize(bytes);
    REQUIRE(m.metadata == "{\"note\": \"ünïcode\"}");
    REQUIRE(std::holds_alternative<TfidfVectorizer>(m.vectorizer));
    const auto& w = std::get<TfidfVectorizer>(m.vectorizer);
    REQUIRE(w.feature_names() == v.feature_names());
    REQUIRE(w.n_documents() == v.n_documents());
    REQUIRE(w.document_frequencies() == v.document_frequencies());
    REQUIRE(detail::encode_options(w.tfidf_options()) == detail::encode_options(v.tfidf_options()));
    REQUIRE(w.idf().size() == v.idf().size());
    REQUIRE(same_bits(w.idf(), v.idf()));
    REQUIRE(same_bits(w.idf_float(), v.idf_float()));
    require_same(w.transform_csr<double>(docs), v.transform_csr<double>(docs));
    require_same(w.transform_csr<float>(docs), v.transform_csr<float>(docs));
    REQUIRE(serialize(w, m.metadata) == bytes);  // saving a loaded model gives the same bytes
  }
}

TEST_CASE("model io: a loaded CountVectorizer transforms bit for bit like the saved one", "[model_io][corpora]") {
  const auto docs = corpus();
  int k = 0;
  for (const auto& options : option_sets()) {
    INFO("option set " << k++);
    CountVectorizer v(static_cast<const CountOptions&>(options));
    v.fit(docs);
    const std::string bytes = serialize(v);
    Model m = deserialize(bytes);
    REQUIRE(m.metadata.empty());
    REQUIRE(std::holds_alternative<CountVectorizer>(m.vectorizer));
    const auto& w = std::get<CountVectorizer>(m.vectorizer);
    require_same_state(w, v);
    require_same(w.transform_csr<std::int32_t>(docs), v.transform_csr<std::int32_t>(docs));
    require_same(w.transform_csr<std::int64_t>(docs), v.transform_csr<std::int64_t>(docs));
    require_same(w.transform_csr<float>(docs), v.transform_csr<float>(docs));
    require_same(w.transform_csr<double>(docs), v.transform_csr<double>(docs));
    REQUIRE(serialize(w) == bytes);
    // No IDFV section in a CountVectorizer model.
    for (const auto& s : parse(bytes).sections) CHECK(s.tag != "IDFV");
  }
  // A fixed vocabulary needs no fit to be saved.
  CountOptions fixed;
  fixed.analysis.decode_error = DecodeError::replace;
  fixed.vocabulary = std::vector<std::string>{"putin", "assad"};
  CountVectorizer unfit(fixed);
  Model m = deserialize(serialize(unfit));
  require_same(std::get<CountVectorizer>(m.vectorizer).transform_csr<std::int64_t>(docs),
               unfit.transform_csr<std::int64_t>(docs));
}

TEST_CASE("model io: pre-analysed terms and a hand-set idf survive", "[model_io]") {
  TfidfVectorizer v;
  const TermLists terms{{"a b", "c"}, {"c", "d", "d"}, {"ünï"}};
  v.fit_transform_terms<double>(terms);
  std::vector<double> idf = v.idf();
  for (auto& x : idf) x = x * 1.5 + 0.1;
  v.set_idf(idf);
  Model m = deserialize(serialize(v));
  const auto& w = std::get<TfidfVectorizer>(m.vectorizer);
  require_same(w.transform_terms<float>(terms), v.transform_terms<float>(terms));
  require_same(w.transform_terms<double>(terms), v.transform_terms<double>(terms));
  // The hand-set idf equal to the computed one: float32 output must still be the rounded float64.
  TfidfVectorizer u;
  u.fit_transform_terms<double>(terms);
  u.set_idf(std::vector<double>(u.idf()));
  Model n = deserialize(serialize(u));
  const auto& x = std::get<TfidfVectorizer>(n.vectorizer);
  REQUIRE(same_bits(x.idf_float(), u.idf_float()));
  require_same(x.transform_terms<float>(terms), u.transform_terms<float>(terms));
}

TEST_CASE("model io: the bytes are the documented layout", "[model_io]") {
  TfidfOptions o;
  o.analysis.stop_words = std::vector<std::string>{"the"};
  TfidfVectorizer v(o);
  v.fit(std::vector<std::string>{"Erdoğan met Putin", "Putin met the Assad"});
  const std::string m = serialize(v, "meta");
  REQUIRE(m.compare(0, 8, std::string(model_magic, 8)) == 0);
  Parsed p = parse(m);
  REQUIRE(p.version == 1);
  std::vector<std::string> tags;
  for (const auto& s : p.sections) tags.push_back(s.tag);
  REQUIRE(tags == std::vector<std::string>{"OPTS", "TERM", "NDOC", "DOCF", "IDFV", "TCNT", "META"});
  for (const auto& s : p.sections) CHECK(s.flags == (s.tag == "META" || s.tag == "TCNT" ? 0u : 1u));

  // TCNT: documents counted, n, document frequencies, total counts, then the terms as in TERM, in
  // code-point order (stop words are never counted, so these are the vocabulary's four terms).
  const std::string& tc = section(p, "TCNT").payload;
  CHECK(get_le(tc, 0, 8) == 2);
  CHECK(get_le(tc, 8, 8) == 4);
  const std::vector<std::uint64_t> df_counts{1, 1, 2, 2}, totals{1, 1, 2, 2};  // assad, erdoğan, met, putin
  for (std::size_t j = 0; j < 4; ++j) {
    CHECK(get_le(tc, 16 + 8 * j, 8) == df_counts[j]);
    CHECK(get_le(tc, 48 + 8 * j, 8) == totals[j]);
  }
  CHECK(get_le(tc, 80, 8) == 4);
  CHECK(tc.substr(88 + 16) == "assaderdoğanmetputin");

  const std::string& opts = section(p, "OPTS").payload;
  CHECK(opts[0] == 2);                                         // TfidfVectorizer
  CHECK(opts.substr(1, 6) == std::string("\0\0\0\0\1\0", 6));  // word, strict, none, casefold 0, lowercase 1, none
  const std::string pattern = R"((?u)\b\w\w+\b)";
  CHECK(get_le(opts, 7, 4) == pattern.size());
  CHECK(opts.substr(11, pattern.size()) == pattern);
  std::size_t at = 11 + pattern.size();
  CHECK(opts[at] == 1);                 // stop words follow
  CHECK(get_le(opts, at + 1, 8) == 1);  // one of them
  CHECK(get_le(opts, at + 9, 4) == 3);
  CHECK(opts.substr(at + 13, 3) == "the");
  at += 16;
  CHECK(get_le(opts, at, 4) == 1);  // ngram_range (1, 1)
  CHECK(get_le(opts, at + 4, 4) == 1);
  CHECK(opts[at + 8] == 0);  // no stemmer
  at += 9;
  double d;
  const std::uint64_t min_bits = get_le(opts, at, 8);
  std::memcpy(&d, &min_bits, 8);
  CHECK(d == 1.0);
  CHECK(opts[at + 8] == 0);  // min_df = 1 document
  const std::uint64_t max_bits = get_le(opts, at + 9, 8);
  std::memcpy(&d, &max_bits, 8);
  CHECK(d == 1.0);
  CHECK(opts[at + 17] == 1);  // max_df = 100 %
  at += 18;
  CHECK(opts.substr(at, 3) == std::string("\0\0\0", 3));     // no max_features, no fixed vocabulary, not binary
  CHECK(get_le(opts, at + 3, 4) == 1);                       // n_jobs
  CHECK(opts.substr(at + 7) == std::string("\2\1\1\0", 4));  // l2, use_idf, smooth_idf, no sublinear_tf
  CHECK(opts == detail::encode_options(v.tfidf_options()));

  const std::string& terms = section(p, "TERM").payload;
  REQUIRE(get_le(terms, 0, 8) == 4);
  CHECK(get_le(terms, 8, 4) == 5);   // assad
  CHECK(get_le(terms, 12, 4) == 8);  // erdoğan (ğ is two bytes)
  CHECK(get_le(terms, 16, 4) == 3);
  CHECK(get_le(terms, 20, 4) == 5);
  CHECK(terms.substr(24) == "assaderdoğanmetputin");
  CHECK(get_le(section(p, "NDOC").payload, 0, 8) == 2);
  const std::string& docf = section(p, "DOCF").payload;
  REQUIRE(docf.size() == 8 + 4 * 8);
  CHECK(get_le(docf, 8, 8) == 1);
  CHECK(get_le(docf, 24, 8) == 2);
  const std::string& idf = section(p, "IDFV").payload;
  REQUIRE(idf.size() == 8 + 4 * 12);
  for (std::size_t j = 0; j < 4; ++j) {
    const std::uint64_t b64 = get_le(idf, 8 + 8 * j, 8);
    const std::uint32_t b32 = static_cast<std::uint32_t>(get_le(idf, 8 + 32 + 4 * j, 4));
    double x;
    float y;
    std::memcpy(&x, &b64, 8);
    std::memcpy(&y, &b32, 4);
    CHECK(x == v.idf()[j]);
    CHECK(y == v.idf_float()[j]);
  }
  CHECK(section(p, "META").payload == "meta");
}

TEST_CASE("model io: truncation at every byte offset is refused", "[model_io]") {
  TfidfVectorizer v;
  v.fit(std::vector<std::string>{"Erdoğan met Putin", "Putin met Assad"});
  const std::string m = serialize(v, "{}");
  for (std::size_t n = 0; n < m.size(); ++n) {
    INFO("first " << n << " bytes");
    REQUIRE_THROWS_AS(deserialize(m.substr(0, n)), ModelFormatError);
  }
  CHECK_THAT(error_of(""), Catch::Contains("empty"));
  CHECK_THAT(error_of(m.substr(0, 5)), Catch::Contains("inside the magic"));
  CHECK_THAT(error_of(m.substr(0, 10)), Catch::Contains("inside the format version"));
  CHECK_THAT(error_of(m.substr(0, 15)), Catch::Contains("inside the header"));
  CHECK_THAT(error_of(m.substr(0, m.size() - 1)),
             Catch::Contains("truncated") && Catch::Contains("byte offset " + std::to_string(m.size() - 1)));
  CHECK_THAT(error_of(m + "x"), Catch::Contains("1 unexpected bytes after the end"));
}

TEST_CASE("model io: every single-byte change is refused", "[model_io]") {
  CountVectorizer v;
  v.fit(std::vector<std::string>{"Erdoğan met Putin", "Putin met Assad"});
  const std::string m = serialize(v, "x");
  std::size_t by_checksum = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    for (unsigned mask : {0x01u, 0x10u, 0x80u, 0xFFu}) {
      std::string bad = m;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ mask);
      INFO("byte " << i << " xor " << mask);
      const std::string e = error_of(bad);
      REQUIRE(e != "(no error)");
      by_checksum += e.find("checksum mismatch") != std::string::npos;
    }
  }
  // Every change past the envelope is caught by the checksum.
  CHECK(by_checksum == 4 * (m.size() - 20));
}

TEST_CASE("model io: empty, foreign and future inputs", "[model_io]") {
  CountVectorizer v;
  v.fit(std::vector<std::string>{"one two", "two three"});
  const std::string good = serialize(v);
  CHECK_THAT(error_of(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)),
             Catch::Contains("wrong magic") && Catch::Contains("PNG"));
  CHECK_THAT(error_of(std::string("\x80\x04\x95\x10\0\0\0\0\0\0\0", 11)), Catch::Contains("pickle"));
  CHECK_THAT(error_of(std::string("PK\x03\x04\x14\0\0\0", 8)), Catch::Contains("zip"));
  CHECK_THAT(error_of(std::string("\x1f\x8b\x08\0", 4)), Catch::Contains("gzip"));
  CHECK_THAT(error_of(std::string("LEXSIM\0M\1\0\0\0", 12)), Catch::Contains("development version"));
  CHECK_THAT(error_of("{\"vocabulary\": []}"),
             Catch::Contains("not a lexsim model") && Catch::Contains("byte offset 0"));
  CHECK_THAT(error_of(std::string(1000, '\0')), Catch::Contains("wrong magic"));

  Parsed p = parse(good);
  CHECK_THAT(error_of(build(p.sections, 2)), Catch::Contains("version 2 is newer than this lexsim reads (1)"));
  CHECK_THAT(error_of(build(p.sections, 0xFFFFFFFFu)), Catch::Contains("version 4294967295 is newer"));
  CHECK_THAT(error_of(build(p.sections, 0)), Catch::Contains("invalid model format version 0"));
  // A newer version is refused from its first 12 bytes: nothing after them is looked at.
  CHECK_THAT(error_of(build(p.sections, 2).substr(0, 12)), Catch::Contains("version 2 is newer"));
}

TEST_CASE("model io: crafted models with a valid checksum are still checked", "[model_io]") {
  TfidfOptions o;
  o.analysis.stop_words = std::vector<std::string>{"the"};
  TfidfVectorizer v(o);
  v.fit(std::vector<std::string>{"Erdoğan met Putin", "Putin met the Assad"});
  const Parsed good = parse(serialize(v, "meta"));
  REQUIRE(error_of(build(good.sections)) == "(no error)");
  const std::size_t pattern_len = std::string(R"((?u)\b\w\w+\b)").size();
  const std::size_t stop_count_at = 11 + pattern_len + 1;

  auto edited = [&](const std::string& tag, std::function<void(std::string&)> f) {
    Parsed p = good;
    f(section(p, tag).payload);
    return error_of(build(p.sections));
  };
  auto without = [&](const std::string& tag) {
    Parsed p = good;
    p.sections.erase(std::remove_if(p.sections.begin(), p.sections.end(), [&](const Sec& s) { return s.tag == tag; }),
                     p.sections.end());
    return error_of(build(p.sections));
  };
  const std::uint64_t huge = std::uint64_t(1) << 60;

  SECTION("lengths beyond the input, up to 2^60, are refused before anything is allocated") {
    Parsed p = good;
    std::string m = build(p.sections);
    set_le(m, 20 + 8, huge, 8);  // OPTS claims 2^60 bytes
    set_le(m, m.size() - 4, reference::crc32(m.substr(0, m.size() - 4)), 4);
    CHECK_THAT(error_of(m),
               Catch::Contains("section 'OPTS' claims 1152921504606846976 bytes") && Catch::Contains("byte offset 28"));
    CHECK_THAT(edited("TERM", [&](std::string& s) { set_le(s, 0, huge, 8); }),
               Catch::Contains("the number of terms is 1152921504606846976"));
    CHECK_THAT(edited("TERM", [&](std::string& s) { set_le(s, 8, 0xFFFFFFFFu, 4); }),
               Catch::Contains("term lengths add up to"));
    CHECK_THAT(edited("DOCF", [&](std::string& s) { set_le(s, 0, huge, 8); }),
               Catch::Contains("the number of document frequencies is"));
    CHECK_THAT(edited("IDFV", [&](std::string& s) { set_le(s, 0, huge, 8); }),
               Catch::Contains("the number of idf values is"));
    CHECK_THAT(edited("OPTS", [&](std::string& s) { set_le(s, stop_count_at, huge, 8); }),
               Catch::Contains("the number of stop words is"));
    CHECK_THAT(edited("OPTS", [&](std::string& s) { set_le(s, 7, 0xFFFFFFF0u, 4); }),
               Catch::Contains("token_pattern needs 4294967280 bytes"));
  }
  SECTION("inconsistent terms") {
    CHECK_THAT(edited("TERM", [](std::string& s) { s.replace(s.size() - 5, 5, "assad"); }),
               Catch::Contains("repeats term 0"));
    CHECK_THAT(edited("TERM", [](std::string& s) { s[s.size() - 1] = '\xC3'; }),
               Catch::Contains("term 3 is not valid UTF-8"));
    CHECK_THAT(edited("TERM", [](std::string& s) { s[s.size() - 1] = '\xED'; }), Catch::Contains("not valid UTF-8"));
    CHECK_THAT(edited("TERM", [](std::string& s) { s = std::string(8, '\0'); }),
               Catch::Contains("the model has no terms"));
    CHECK_THAT(edited("TERM", [](std::string& s) { s += "x"; }), Catch::Contains("add up to"));
  }
  SECTION("idf") {
    CHECK_THAT(edited("IDFV",
                      [](std::string& s) {
                        set_le(s, 0, 3, 8);
                        s.erase(8 + 3 * 8, 8);
                        s.erase(s.size() - 4);
                      }),
               Catch::Contains("3 idf values for 4 terms"));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::uint64_t bits;
    std::memcpy(&bits, &nan, 8);
    CHECK_THAT(edited("IDFV", [&](std::string& s) { set_le(s, 16, bits, 8); }), Catch::Contains("idf[1] is NaN"));
    CHECK_THAT(edited("IDFV", [&](std::string& s) { set_le(s, 8 + 32 + 8, 0x7FC00000u, 4); }),
               Catch::Contains("float32 idf[2] is NaN"));
    CHECK_THAT(edited("IDFV", [&](std::string& s) { s[8 + 32 + 4] ^= 1; }), Catch::Contains("float32 idf is neither"));
    CHECK_THAT(edited("IDFV",
                      [&](std::string& s) {
                        const double inf = INFINITY;
                        std::uint64_t b;
                        std::memcpy(&b, &inf, 8);
                        set_le(s, 8, b, 8);
                      }),
               Catch::Contains("invalid model: idf[0] is not finite"));
    CHECK_THAT(edited("IDFV", [](std::string& s) { s += std::string(4, '\0'); }),
               Catch::Contains("4 unexpected bytes at the end of the section"));
  }
  SECTION("options: enums, booleans, values the vectorizer refuses") {
    CHECK_THAT(edited("OPTS", [](std::string& s) { s[0] = 3; }), Catch::Contains("the vectorizer class is 3"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s[0] = 0; }), Catch::Contains("the vectorizer class is 0"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s[1] = 7; }), Catch::Contains("analyzer is 7, not one of 0 (word)"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s[2] = 3; }), Catch::Contains("decode_error is 3"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s[3] = 9; }), Catch::Contains("normalization is 9"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s[4] = 2; }), Catch::Contains("casefold is 2, not 0 or 1"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s[6] = 3; }), Catch::Contains("strip_accents is 3"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s[s.size() - 4] = 3; }), Catch::Contains("norm is 3"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s[s.size() - 1] = 5; }), Catch::Contains("sublinear_tf is 5"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s[11] = '\xFF'; }),
               Catch::Contains("token_pattern is not valid UTF-8"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s.replace(11, 4, "[a-z"); }),
               Catch::Contains("invalid model: token_pattern"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s.push_back('\0'); }),
               Catch::Contains("1 unexpected bytes at the end of the section"));
    CHECK_THAT(edited("OPTS", [](std::string& s) { s.pop_back(); }),
               Catch::Contains("sublinear_tf needs 1 bytes but only 0 remain"));
    const std::size_t ngram_at = stop_count_at + 8 + 4 + 3;
    CHECK_THAT(edited("OPTS", [&](std::string& s) { set_le(s, ngram_at, 0, 4); }),
               Catch::Contains("invalid model") && Catch::Contains("ngram_range"));
    const std::size_t min_df_at = ngram_at + 9;
    CHECK_THAT(edited("OPTS",
                      [&](std::string& s) {
                        const double x = 2.5;
                        std::uint64_t b;
                        std::memcpy(&b, &x, 8);
                        set_le(s, min_df_at, b, 8);
                      }),
               Catch::Contains("min_df is the document count 2.5"));
    CHECK_THAT(edited("OPTS",
                      [&](std::string& s) {
                        const double x = 1.5;
                        std::uint64_t b;
                        std::memcpy(&b, &x, 8);
                        set_le(s, min_df_at, b, 8);
                        s[min_df_at + 8] = 1;
                      }),
               Catch::Contains("invalid model: The 'min_df' parameter"));
    // A stemmer this lexsim does not have.
    CHECK_THAT(
        edited("OPTS", [&](std::string& s) { s.replace(ngram_at + 8, 1, std::string("\1\7\0\0\0klingon", 12)); }),
        Catch::Contains("invalid model: unknown stemmer 'klingon'"));
  }
  SECTION("sections: missing, repeated, unknown, misplaced, flags") {
    for (const char* tag : {"OPTS", "TERM", "NDOC", "DOCF", "IDFV"})
      CHECK_THAT(without(tag), Catch::Contains(std::string("the required section '") + tag + "' is missing"));
    CHECK(without("META") == "(no error)");
    Parsed p = good;
    p.sections.push_back(p.sections[1]);
    CHECK_THAT(error_of(build(p.sections)), Catch::Contains("section 'TERM' appears twice"));
    p = good;
    p.sections.insert(p.sections.begin() + 2, Sec{"ZZZZ", 1, "future stuff"});
    CHECK_THAT(error_of(build(p.sections)), Catch::Contains("section 'ZZZZ' is required but unknown to this lexsim"));
    p = good;
    p.sections.insert(p.sections.begin() + 2, Sec{"zzzz", 0, "future stuff"});
    p.sections.push_back(Sec{"XTRA", 0, std::string(100, '\7')});
    {
      Model m = deserialize(build(p.sections));  // unknown optional sections are skipped
      CHECK(m.metadata == "meta");
      require_same(
          std::get<TfidfVectorizer>(m.vectorizer).transform_csr<double>(std::vector<std::string>{"Putin met Assad"}),
          v.transform_csr<double>(std::vector<std::string>{"Putin met Assad"}));
    }
    p = good;
    p.sections[2].flags = 3;
    CHECK_THAT(error_of(build(p.sections)), Catch::Contains("flags 0x00000003 that this lexsim does not know"));
    p = good;
    p.sections.insert(p.sections.begin(), Sec{std::string("\0\1\2\3", 4), 1, ""});
    CHECK_THAT(error_of(build(p.sections)),
               Catch::Contains("section with the bytes 00 01 02 03 is required but unknown"));
    p = good;
    section(p, "OPTS").payload[0] = 1;  // a CountVectorizer: its options end before the tf-idf ones
    section(p, "OPTS").payload.resize(section(p, "OPTS").payload.size() - 4);
    CHECK_THAT(error_of(build(p.sections)), Catch::Contains("section 'IDFV' in a CountVectorizer model"));
    std::string m = build(good.sections);
    m.insert(m.size() - 4, "\1\2\3");  // a partial section header before the checksum
    set_le(m, 12, m.size(), 8);
    set_le(m, m.size() - 4, reference::crc32(m.substr(0, m.size() - 4)), 4);
    CHECK_THAT(error_of(m), Catch::Contains("section header: the tag needs 4 bytes but only 3 remain"));
    m = build(good.sections);
    set_le(m, 12, 23, 8);
    CHECK_THAT(error_of(m), Catch::Contains("impossible size"));
  }
  SECTION("counts and metadata") {
    CHECK_THAT(edited("NDOC", [](std::string& s) { set_le(s, 0, static_cast<std::uint64_t>(-5), 8); }),
               Catch::Contains("number of documents is negative"));
    CHECK_THAT(edited("NDOC", [](std::string& s) { s += "x"; }), Catch::Contains("unexpected bytes"));
    CHECK_THAT(edited("DOCF", [](std::string& s) { set_le(s, 8, static_cast<std::uint64_t>(-1), 8); }),
               Catch::Contains("document frequency of term 0 is negative"));
    CHECK_THAT(edited("DOCF",
                      [](std::string& s) {
                        set_le(s, 0, 3, 8);
                        s.resize(8 + 24);
                      }),
               Catch::Contains("3 document frequencies for 4 terms"));
    CHECK_THAT(edited("META", [](std::string& s) { s = "ok \xC0\x80"; }),
               Catch::Contains("metadata is not valid UTF-8"));
  }
}

TEST_CASE("model io: a loaded model goes on with partial_fit and merge exactly", "[model_io][corpora]") {
  const auto docs = corpus();
  const std::vector<std::string> a(docs.begin(), docs.begin() + static_cast<std::ptrdiff_t>(docs.size() / 2));
  const std::vector<std::string> b(docs.begin() + static_cast<std::ptrdiff_t>(docs.size() / 2), docs.end());
  int k = 0;
  for (const auto& options : option_sets()) {
    INFO("option set " << k++);
    if (options.vocabulary) continue;  // a fixed vocabulary has nothing to prune
    TfidfVectorizer whole(options);
    whole.fit(docs);
    TfidfVectorizer first(options);
    first.fit(a);
    Model m = deserialize(serialize(first));
    auto& loaded = std::get<TfidfVectorizer>(m.vectorizer);
    REQUIRE(loaded.has_counts());
    REQUIRE(loaded.counts() == first.counts());
    loaded.partial_fit(b);
    REQUIRE(loaded.feature_names() == whole.feature_names());
    REQUIRE(same_bits(loaded.idf(), whole.idf()));
    require_same(loaded.transform_csr<double>(docs), whole.transform_csr<double>(docs));
    // And as the other side of a merge.
    TfidfVectorizer second(options);
    second.fit(b);
    Model n = deserialize(serialize(first));
    std::get<TfidfVectorizer>(n.vectorizer).merge(second);
    require_same(std::get<TfidfVectorizer>(n.vectorizer).transform_csr<double>(docs),
                 whole.transform_csr<double>(docs));

    CountVectorizer count_a(static_cast<const CountOptions&>(options)),
        count_whole(static_cast<const CountOptions&>(options));
    count_a.fit(a);
    count_whole.fit(docs);
    Model c = deserialize(serialize(count_a));
    std::get<CountVectorizer>(c.vectorizer).partial_fit(b);
    require_same(std::get<CountVectorizer>(c.vectorizer).transform_csr<std::int64_t>(docs),
                 count_whole.transform_csr<std::int64_t>(docs));
  }
}

TEST_CASE("model io: counts that do not give the stored vocabulary are refused", "[model_io]") {
  TfidfVectorizer v;
  v.fit(std::vector<std::string>{"Erdoğan met Putin", "Putin met Assad"});
  Parsed p = parse(serialize(v));
  std::string& tc = section(p, "TCNT").payload;
  set_le(tc, 0, 3, 8);  // three documents counted, two in NDOC
  CHECK_THAT(error_of(build(p.sections)), Catch::Contains("the counts do not give the model's vocabulary"));
  // Counts that no term survives the pruning of (found by fuzz_model_loader): min_df = 2 documents.
  TfidfOptions two;
  two.min_df = DocFrequency::count(2);
  TfidfVectorizer w2(two);
  w2.fit(std::vector<std::string>{"Putin met Assad", "Putin met Erdogan"});
  p = parse(serialize(w2));
  std::string& counts2 = section(p, "TCNT").payload;
  for (std::size_t j = 0; j < 4; ++j) set_le(counts2, 16 + 8 * j, 1, 8);  // every term in one document only
  CHECK_THAT(error_of(build(p.sections)), Catch::Contains("the counts do not give the model's vocabulary"));
  p = parse(serialize(v));
  set_le(section(p, "TCNT").payload, 16, 5, 8);  // a document frequency above the number of documents
  CHECK_THAT(error_of(build(p.sections)), Catch::Contains("section 'TCNT': invalid counts"));
  p = parse(serialize(v));
  set_le(section(p, "TCNT").payload, 8, std::uint64_t{1} << 60, 8);
  CHECK_THAT(error_of(build(p.sections)), Catch::Contains("bytes cannot hold that many"));
  // Without the section the model still loads and transforms; it just cannot continue a fit.
  p = parse(serialize(v));
  p.sections.erase(std::remove_if(p.sections.begin(), p.sections.end(), [](const Sec& s) { return s.tag == "TCNT"; }),
                   p.sections.end());
  Model m = deserialize(build(p.sections));
  auto& w = std::get<TfidfVectorizer>(m.vectorizer);
  CHECK_FALSE(w.has_counts());
  require_same(w.transform_csr<double>(std::vector<std::string>{"Putin met Assad"}),
               v.transform_csr<double>(std::vector<std::string>{"Putin met Assad"}));
  CHECK_THROWS_AS(w.partial_fit(std::vector<std::string>{"more"}), InvalidArgument);
}

TEST_CASE("model io: what no loader would accept cannot be saved", "[model_io]") {
  REQUIRE_THROWS_AS(serialize(TfidfVectorizer()), NotFittedError);
  REQUIRE_THROWS_AS(serialize(CountVectorizer()), NotFittedError);
  CountVectorizer v;
  v.fit(std::vector<std::string>{"one two"});
  REQUIRE_THROWS_AS(serialize(v, "bad \xFF"), InvalidArgument);
  // Unknown document frequencies (a vocabulary restored without them) are allowed.
  Parsed p = parse(serialize(v));
  section(p, "DOCF").payload = std::string(8, '\0');
  p.sections.erase(std::remove_if(p.sections.begin(), p.sections.end(), [](const Sec& s) { return s.tag == "TCNT"; }),
                   p.sections.end());
  REQUIRE(std::get<CountVectorizer>(deserialize(build(p.sections)).vectorizer).document_frequencies().empty());
  CountOptions o;
  o.vocabulary = std::vector<std::string>{"ok", "not \xFF utf-8"};
  REQUIRE_THROWS_WITH(serialize(CountVectorizer(o)), Catch::Contains("term 1 is not valid UTF-8"));
  TfidfOptions t;  // no smoothing, no documents: idf is 0/0
  t.vocabulary = std::vector<std::string>{"a"};
  t.smooth_idf = false;
  TfidfVectorizer nan_idf(t);
  nan_idf.fit(std::vector<std::string>{});
  REQUIRE_THROWS_WITH(serialize(nan_idf), Catch::Contains("idf[0] is NaN"));
}

// ------------------------------------------------------------------------------------------------
// Files

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "lexsim-model-io-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("model io: save and load files", "[model_io][corpora]") {
  TempDir dir;
  const auto docs = corpus();
  TfidfOptions o;
  o.analysis.decode_error = DecodeError::replace;
  o.analysis.stemmer = "english";
  TfidfVectorizer v(o);
  v.fit(docs);
  const std::string path = (dir.path / "news.lexsim").string();
  save(v, path, "{\"saved\": 1}");
  REQUIRE(slurp(path) == serialize(v, "{\"saved\": 1}"));
  REQUIRE(dir.names() == std::vector<std::string>{"news.lexsim"});
  Model m = load(path);
  REQUIRE(m.metadata == "{\"saved\": 1}");
  require_same(std::get<TfidfVectorizer>(m.vectorizer).transform_csr<float>(docs), v.transform_csr<float>(docs));

  // Replacing keeps the file's permission bits.
  ::chmod(path.c_str(), 0640);
  CountOptions co;
  co.analysis.decode_error = DecodeError::replace;
  CountVectorizer c(co);
  c.fit(docs);
  save(c, path);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
  Model n = load(path);
  REQUIRE(std::holds_alternative<CountVectorizer>(n.vectorizer));
  require_same_state(std::get<CountVectorizer>(n.vectorizer), c);
  REQUIRE(dir.names() == std::vector<std::string>{"news.lexsim"});

  // A relative path saves into the working directory.
  const fs::path cwd = fs::current_path();
  fs::current_path(dir.path);
  save(c, "relative.lexsim");
  fs::current_path(cwd);
  REQUIRE(load((dir.path / "relative.lexsim").string()).metadata.empty());
}

TEST_CASE("model io: loading a file that is not a model", "[model_io]") {
  TempDir dir;
  const std::string missing = (dir.path / "missing.lexsim").string();
  try {
    load(missing);
    FAIL("no error");
  } catch (const FileError& e) {
    CHECK(e.error_code() == ENOENT);
    CHECK(e.path() == missing);
    CHECK_THAT(e.what(), Catch::Contains(missing) && Catch::Contains("No such file or directory"));
  }
  try {
    load(dir.path.string());
    FAIL("no error");
  } catch (const FileError& e) {
    CHECK(e.error_code() == EISDIR);
  }
  const std::string fifo = (dir.path / "pipe.lexsim").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  REQUIRE_THROWS_WITH(load(fifo), Catch::Contains("not a regular file"));  // and no hang
  const std::string empty = (dir.path / "empty.lexsim").string();
  std::ofstream(empty).close();
  REQUIRE_THROWS_WITH(load(empty), Catch::Contains(empty) && Catch::Contains("empty"));
  const std::string text = (dir.path / "text.lexsim").string();
  std::ofstream(text) << std::string(100000, 'a');
  try {
    load(text);
    FAIL("no error");
  } catch (const ModelFormatError& e) {
    CHECK(e.byte_offset() == 0);
    CHECK_THAT(e.what(), Catch::Contains("cannot load the model '" + text + "': not a lexsim model"));
  }
}

TEST_CASE("model io: a failed save leaves the old model and no temporary file", "[model_io]") {
  TempDir dir;
  CountVectorizer small;
  small.fit(std::vector<std::string>{"old model"});
  const std::string path = (dir.path / "m.lexsim").string();
  save(small, path);
  const std::string before = slurp(path);
  CountVectorizer big;
  std::vector<std::string> docs;
  for (int i = 0; i < 2000; ++i) docs.push_back("term" + std::to_string(i) + " other" + std::to_string(i * 7));
  big.fit(docs);

  SECTION("a directory that does not exist") {
    const std::string nowhere = (dir.path / "no" / "such" / "m.lexsim").string();
    try {
      save(big, nowhere);
      FAIL("no error");
    } catch (const FileError& e) {
      CHECK(e.error_code() == ENOENT);
      CHECK_THAT(e.what(), Catch::Contains(nowhere) && Catch::Contains("No such file or directory"));
    }
  }
  SECTION("the target is a directory: the rename fails after the data is written") {
    const fs::path target = dir.path / "folder.lexsim";
    fs::create_directory(target);
    std::ofstream(target / "keep") << "x";
    REQUIRE_THROWS_AS(save(big, target.string()), FileError);
    CHECK(slurp(target / "keep") == "x");
    CHECK(dir.names() == std::vector<std::string>{"folder.lexsim", "m.lexsim"});
  }
  SECTION("the file system refuses the data half-way (RLIMIT_FSIZE)") {
    // A file-size limit makes write() fail with EFBIG part-way through the temporary file; the
    // signal it would also raise is ignored for the duration.
    struct rlimit old {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    auto* previous = ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = old;
    lim.rlim_cur = 4096;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &lim) == 0);
    std::optional<FileError> error;
    try {
      save(big, path);
    } catch (const FileError& e) {
      error = e;
    }
    ::setrlimit(RLIMIT_FSIZE, &old);
    ::signal(SIGXFSZ, previous);
    REQUIRE(error);
    CHECK(error->error_code() == EFBIG);
    CHECK_THAT(error->what(), Catch::Contains(path) && Catch::Contains("File too large"));
  }
  SECTION("a read-only directory (not for root, whom permissions do not stop)") {
    if (::geteuid() != 0) {
      fs::permissions(dir.path, fs::perms::owner_read | fs::perms::owner_exec);
      REQUIRE_THROWS_WITH(save(big, path), Catch::Contains("Permission denied"));
      fs::permissions(dir.path, fs::perms::owner_all);
    }
  }
  CHECK(slurp(path) == before);
  std::vector<std::string> left = dir.names();
  left.erase(std::remove(left.begin(), left.end(), "folder.lexsim"), left.end());
  CHECK(left == std::vector<std::string>{"m.lexsim"});
  require_same_state(std::get<CountVectorizer>(load(path).vectorizer), small);
}
