// Search indexes that grow and persist: add() gives exactly the index built over all documents at
// once; a saved index (read or mapped) searches bit for bit like the saved one; damaged,
// truncated and crafted index files are refused with their reason and byte offset.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "reference/cpp/crc32.hpp"

using namespace lexsim;
namespace fs = std::filesystem;

namespace {

// ------------------------------------------------------------------------------------------------
// The documented layout, read independently of the library

std::uint64_t get_le(const std::string& s, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s.at(at + static_cast<std::size_t>(i)))) << (8 * i);
  return v;
}
void set_le(std::string& s, std::size_t at, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) s.at(at + static_cast<std::size_t>(i)) = static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_le(std::string& s, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

struct Sec {
  std::string tag;
  std::uint32_t flags;
  std::size_t at;  // offset of the payload in the model
  std::string payload;
};

std::vector<Sec> sections_of(const std::string& m) {
  REQUIRE(m.size() >= 24);
  REQUIRE(get_le(m, 12, 8) == m.size());
  REQUIRE(get_le(m, m.size() - 4, 4) == reference::crc32(std::string_view(m).substr(0, m.size() - 4)));
  std::vector<Sec> out;
  std::size_t pos = 20;
  while (pos < m.size() - 4) {
    const auto len = static_cast<std::size_t>(get_le(m, pos + 8, 8));
    out.push_back(
        {m.substr(pos, 4), static_cast<std::uint32_t>(get_le(m, pos + 4, 4)), pos + 16, m.substr(pos + 16, len)});
    pos += 16 + len;
  }
  REQUIRE(pos == m.size() - 4);
  return out;
}

// An array of an index section: where its count, CRC and elements are (absolute offsets).
struct ArrayAt {
  std::size_t header, data;
  std::uint64_t n;
};

// The arrays of the section `tag` with the given element sizes.
std::vector<ArrayAt> arrays_of(const std::string& m, const std::string& tag, std::vector<std::size_t> sizes) {
  for (const auto& s : sections_of(m)) {
    if (s.tag != tag) continue;
    std::vector<ArrayAt> out;
    std::size_t pos = s.at;
    for (const auto size : sizes) {
      const auto n = get_le(m, pos, 8);
      const auto pad = static_cast<std::size_t>(get_le(m, pos + 12, 4));
      const std::size_t data = pos + 16 + pad;
      REQUIRE(data % 64 == 0);  // aligned, as documented
      out.push_back({pos, data, n});
      pos = data + static_cast<std::size_t>(n) * size;
    }
    REQUIRE(pos == s.at + s.payload.size());
    return out;
  }
  FAIL("no section " << tag);
  return {};
}

// Recomputes the CRC-32 of every array of the index sections, then the total size and checksum,
// so that only the content of a crafted model can be wrong.
std::string reseal(std::string m, std::size_t value_size = 8) {
  for (const auto& [tag, sizes] : std::vector<std::pair<std::string, std::vector<std::size_t>>>{
           {"POST", {8, 4, value_size}}, {"RAWC", {8, 4, value_size}}, {"BM25", {8, 8}}}) {
    bool present = false;
    std::size_t pos = 20;
    while (pos < m.size() - 4) {
      if (m.substr(pos, 4) == tag) present = true;
      pos += 16 + static_cast<std::size_t>(get_le(m, pos + 8, 8));
    }
    if (!present) continue;
    std::size_t p = 20;
    while (m.substr(p, 4) != tag) p += 16 + static_cast<std::size_t>(get_le(m, p + 8, 8));
    p += 16;
    for (const auto size : sizes) {
      const auto n = static_cast<std::size_t>(get_le(m, p, 8));
      const auto pad = static_cast<std::size_t>(get_le(m, p + 12, 4));
      const std::size_t data = p + 16 + pad;
      if (n > (m.size() - std::min(m.size(), data)) / size) break;  // a crafted count: leave it to the loader
      set_le(m, p + 8, reference::crc32(std::string_view(m).substr(data, n * size)), 4);
      p = data + n * size;
    }
  }
  set_le(m, 12, m.size(), 8);
  set_le(m, m.size() - 4, reference::crc32(std::string_view(m).substr(0, m.size() - 4)), 4);
  return m;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ModelFormatError& e) {
    return e.what();
  }
  return "(no error)";
}

// ------------------------------------------------------------------------------------------------
// Indexes to build

using Dense = lexsim_test::Dense;

Dense random_counts(std::mt19937& rng, int rows, int cols, double density) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<int> count(1, 4);
  Dense d(static_cast<std::size_t>(rows), std::vector<double>(static_cast<std::size_t>(cols), 0.0));
  for (auto& row : d)
    for (auto& v : row)
      if (u(rng) < density) v = count(rng);
  return d;
}

template <class T>
SparseMatrix<T> sparse(const Dense& d, int cols) {
  SparseMatrix<T> m(static_cast<int>(d.size()), cols);
  std::vector<Eigen::Triplet<T>> t;
  for (std::size_t r = 0; r < d.size(); ++r)
    for (int c = 0; c < cols; ++c)
      if (d[r][static_cast<std::size_t>(c)] != 0.0)
        t.emplace_back(static_cast<int>(r), c, static_cast<T>(d[r][static_cast<std::size_t>(c)]));
  m.setFromTriplets(t.begin(), t.end());
  m.makeCompressed();
  return m;
}

Dense rows_of(const Dense& d, std::size_t begin, std::size_t end) {
  return Dense(d.begin() + static_cast<long>(begin), d.begin() + static_cast<long>(end));
}

std::vector<SearchOptions> every_scoring() {
  std::vector<SearchOptions> out;
  SearchOptions cosine;
  out.push_back(cosine);
  for (const auto m :
       {Bm25Method::robertson, Bm25Method::lucene, Bm25Method::atire, Bm25Method::bm25l, Bm25Method::bm25plus}) {
    SearchOptions o;
    o.scoring = Scoring::bm25;
    o.method = m;
    o.k1 = 1.1;
    o.b = 0.6;
    o.delta = 0.7;
    out.push_back(o);
  }
  return out;
}

template <class T>
void require_same_matrix(const CsrMatrix<T>& a, const CsrMatrix<T>& b) {
  REQUIRE(a.rows == b.rows);
  REQUIRE(a.cols == b.cols);
  REQUIRE(a.indptr == b.indptr);
  REQUIRE(a.indices == b.indices);
  REQUIRE(a.data.size() == b.data.size());
  REQUIRE((a.data.empty() || std::memcmp(a.data.data(), b.data.data(), a.data.size() * sizeof(T)) == 0));
}

// Two indexes are the same: equal state, searches and bytes.
template <class T>
void require_same_index(const SearchIndex<T>& a, const SearchIndex<T>& b, const SparseMatrix<T>& queries) {
  REQUIRE(a.n_documents() == b.n_documents());
  REQUIRE(a.n_terms() == b.n_terms());
  REQUIRE(a.idf() == b.idf());
  REQUIRE(a.baseline() == b.baseline());
  REQUIRE(a.average_length() == b.average_length());
  require_same_matrix(a.matrix(), b.matrix());
  require_same_matrix(a.search(view(queries), 7, 2), b.search(view(queries), 7, 1));
  REQUIRE(serialize(a) == serialize(b));
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "lexsim-index-io-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// The address range of the mapping of `path` in this process (/proc/self/maps), or {0, 0}.
std::pair<std::uintptr_t, std::uintptr_t> mapping_of(const std::string& path) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  const std::string canonical = fs::canonical(path).string();
  while (std::getline(maps, line)) {
    if (line.size() < canonical.size() ||
        line.compare(line.size() - canonical.size(), canonical.size(), canonical) != 0)
      continue;
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream in(line);
    in >> std::hex >> lo >> dash >> hi;
    return {lo, hi};
  }
  return {0, 0};
}

}  // namespace

// ------------------------------------------------------------------------------------------------

TEST_CASE("index io: crc32_combine equals the CRC-32 of the concatenation", "[index_io]") {
  std::mt19937 rng(5);
  std::string bytes(3000, '\0');
  for (auto& c : bytes) c = static_cast<char>(rng());
  for (const std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{1234},
                                std::size_t{2999}, std::size_t{3000}}) {
    const std::string_view a = std::string_view(bytes).substr(0, cut), b = std::string_view(bytes).substr(cut);
    CHECK(detail::crc32_combine(detail::crc32(a), detail::crc32(b), b.size()) == reference::crc32(bytes));
    CHECK(detail::crc32(b, detail::crc32(a)) == reference::crc32(bytes));  // slicing by 8 at any offset
  }
}

TEST_CASE("index io: add() grows an index exactly as a build over all documents", "[index_io]") {
  std::mt19937 rng(21);
  const int cols = 9;
  const Dense all = random_counts(rng, 61, cols, 0.3);
  const Dense q = random_counts(rng, 15, cols, 0.4);
  for (const SearchOptions& o : every_scoring()) {
    INFO((o.scoring == Scoring::cosine ? "cosine" : method_name(o.method)));
    const SearchIndex<double> fresh(sparse<double>(all, cols), o);
    const SearchIndex<float> fresh32(sparse<float>(all, cols), o);
    for (const auto& cuts :
         std::vector<std::vector<std::size_t>>{{0, 61}, {1, 61}, {30, 61}, {10, 10, 40, 61}, {60, 61}, {61, 61}}) {
      INFO("parts ending at " << cuts.front() << " ... " << cuts.back());
      SearchIndex<double> grown(sparse<double>(rows_of(all, 0, cuts[0]), cols), o);
      SearchIndex<float> grown32(sparse<float>(rows_of(all, 0, cuts[0]), cols), o);
      for (std::size_t i = 1; i < cuts.size(); ++i) {
        grown.add(sparse<double>(rows_of(all, cuts[i - 1], cuts[i]), cols));
        grown32.add(sparse<float>(rows_of(all, cuts[i - 1], cuts[i]), cols));
      }
      require_same_index(grown, fresh, sparse<double>(q, cols));
      require_same_index(grown32, fresh32, sparse<float>(q, cols));
    }
  }
}

TEST_CASE("index io: add() leaves copies and a failed add as they were", "[index_io]") {
  std::mt19937 rng(8);
  const Dense d = random_counts(rng, 20, 5, 0.4);
  SearchOptions o;
  o.scoring = Scoring::bm25;
  SearchIndex<double> index(sparse<double>(d, 5), o);
  const SearchIndex<double> copy = index;
  const std::string before = serialize(index);
  index.add(sparse<double>(rows_of(d, 0, 3), 5));
  CHECK(index.n_documents() == 23);
  CHECK(copy.n_documents() == 20);
  CHECK(serialize(copy) == before);
  const std::string after = serialize(index);
  Dense bad = rows_of(d, 0, 2);
  bad[1][2] = 1.5;  // not a count
  CHECK_THROWS_WITH(index.add(sparse<double>(bad, 5)),
                    Catch::Contains("raw term counts") && Catch::Contains("row 1, column 2"));
  CHECK_THROWS_WITH(index.add(sparse<double>(rows_of(d, 0, 2), 4)),
                    Catch::Contains("4 columns but the index has 5 terms"));
  CHECK(serialize(index) == after);
}

TEST_CASE("index io: a deserialized index searches bit for bit like the saved one", "[index_io]") {
  std::mt19937 rng(3);
  const int cols = 12;
  const Dense d = random_counts(rng, 80, cols, 0.25), q = random_counts(rng, 20, cols, 0.3);
  for (const SearchOptions& o : every_scoring()) {
    INFO((o.scoring == Scoring::cosine ? "cosine" : method_name(o.method)));
    const SearchIndex<double> index(sparse<double>(d, cols), o);
    const std::string bytes = serialize(index, "{\"note\": 1}");
    IndexModel m = deserialize_index(bytes);
    CHECK(m.metadata == "{\"note\": 1}");
    CHECK_FALSE(m.vectorizer.has_value());
    REQUIRE(std::holds_alternative<SearchIndex<double>>(m.index));
    const auto& loaded = std::get<SearchIndex<double>>(m.index);
    CHECK_FALSE(loaded.is_mapped());
    require_same_index(loaded, index, sparse<double>(q, cols));
    CHECK(serialize(loaded, "{\"note\": 1}") == bytes);
    // Every index section is required: a reader that does not know them refuses the file.
    for (const auto& s : sections_of(bytes)) {
      if (s.tag == "META") continue;
      CHECK(s.flags == 1);
    }
    // float32 too
    const SearchIndex<float> index32(sparse<float>(d, cols), o);
    const auto m32 = deserialize_index(serialize(index32));
    require_same_index(std::get<SearchIndex<float>>(m32.index), index32, sparse<float>(q, cols));
  }
}

TEST_CASE("index io: an index saved with its vectorizer", "[index_io][corpora]") {
  const auto docs = lexsim_test::read_news_seeds();
  TfidfOptions t;
  t.analysis.stop_words = english_stop_words();
  t.analysis.strip_accents = StripAccents::unicode;
  TfidfVectorizer tfidf(t);
  const auto X = tfidf.fit_transform_csr<double>(docs);
  const SearchIndex<double> cosine(view(X));
  const std::vector<std::string> queries = {"Erdogan Putin talks", "grain corridor", "central bank rates"};
  const auto Q = tfidf.transform_csr<double>(queries);

  TempDir dir;
  const std::string path = (dir.path / "news.lexsim").string();
  save(cosine, tfidf, path, "meta");
  for (const bool mmap : {false, true}) {
    IndexModel m = load_index(path, {mmap, false});
    REQUIRE(m.vectorizer.has_value());
    const auto& v = std::get<TfidfVectorizer>(*m.vectorizer);
    CHECK(v.feature_names() == tfidf.feature_names());
    require_same_matrix(v.transform_csr<double>(queries), Q);
    const auto& index = std::get<SearchIndex<double>>(m.index);
    CHECK(index.is_mapped() == mmap);
    require_same_matrix(index.search(view(Q), 5, 1), cosine.search(view(Q), 5, 1));
    CHECK(m.metadata == "meta");
  }
  // A vectorizer model is not an index, and an index is not a vectorizer model.
  CHECK_THAT(error_of([&] { load(path); }), Catch::Contains("search index") && Catch::Contains("load_index"));
  save(tfidf, path);
  CHECK_THAT(error_of([&] { load_index(path); }), Catch::Contains("not a search index"));
  CHECK(std::holds_alternative<Model>(load_any(path, {true, false})));

  CountVectorizer counter;
  const auto C = counter.fit_transform_csr<double>(docs);
  SearchOptions o;
  o.scoring = Scoring::bm25;
  const SearchIndex<double> bm25(view(C), o);
  const std::string bytes = serialize(bm25, counter);
  const auto any = deserialize_any(bytes);
  REQUIRE(std::holds_alternative<IndexModel>(any));
  REQUIRE(std::holds_alternative<CountVectorizer>(*std::get<IndexModel>(any).vectorizer));
  CHECK_THROWS_WITH(serialize(bm25, tfidf), Catch::Contains("terms but the index has"));
}

TEST_CASE("index io: a mapped index reads its arrays in place", "[index_io]") {
  std::mt19937 rng(13);
  const int cols = 40;
  const Dense d = random_counts(rng, 500, cols, 0.2), q = random_counts(rng, 30, cols, 0.2);
  SearchOptions o;
  o.scoring = Scoring::bm25;
  o.method = Bm25Method::bm25plus;
  const SearchIndex<double> index(sparse<double>(d, cols), o);
  TempDir dir;
  const std::string path = (dir.path / "bm25.lexsim").string();
  save(index, path);
  {
    IndexModel m = load_index(path, {true, false});
    auto& mapped = std::get<SearchIndex<double>>(m.index);
    REQUIRE(mapped.is_mapped());
    const auto [lo, hi] = mapping_of(path);
    REQUIRE(lo != 0);
    for (const IndexArray& a : mapped.arrays()) {
      INFO(a.name);
      const auto at = reinterpret_cast<std::uintptr_t>(a.data);
      CHECK(at >= lo);
      CHECK(at + a.bytes <= hi);
      CHECK(at % 64 == 0);
    }
    require_same_matrix(mapped.search(view(sparse<double>(q, cols)), 9, 2),
                        index.search(view(sparse<double>(q, cols)), 9, 1));
    require_same_index(mapped, index, sparse<double>(q, cols));

    // A save over the mapped file replaces it by rename: the mapping still reads the old one.
    const SearchIndex<double> other(sparse<double>(rows_of(d, 0, 10), cols), o);
    save(other, path);
    require_same_matrix(mapped.search(view(sparse<double>(q, cols)), 9, 1),
                        index.search(view(sparse<double>(q, cols)), 9, 1));

    // add() copies into memory: the result is the index of all documents, no longer mapped.
    SearchIndex<double> grown = mapped;
    grown.add(sparse<double>(rows_of(d, 0, 50), cols));
    CHECK_FALSE(grown.is_mapped());
    CHECK(mapped.is_mapped());
    Dense both = d;
    both.insert(both.end(), d.begin(), d.begin() + 50);
    require_same_index(grown, SearchIndex<double>(sparse<double>(both, cols), o), sparse<double>(q, cols));
  }
  CHECK(mapping_of(path).first == 0);  // unmapped with its last user
}

TEST_CASE("index io: a mapped file cut short is refused, not read", "[index_io]") {
  std::mt19937 rng(14);
  const Dense d = random_counts(rng, 200, 10, 0.3);
  const SearchIndex<double> index(sparse<double>(d, 10));
  TempDir dir;
  const std::string path = (dir.path / "cut.lexsim").string();
  save(index, path);
  IndexModel m = load_index(path, {true, false});
  const auto& mapped = std::get<SearchIndex<double>>(m.index);
  REQUIRE(::truncate(path.c_str(), 100) == 0);
  CHECK_THAT(error_of([&] { mapped.search({{1, 1.0}}); }), Catch::Contains("was cut to 100 bytes while mapped"));
  CHECK_THAT(error_of([&] { serialize(mapped); }), Catch::Contains("was cut to 100 bytes while mapped"));
}

TEST_CASE("index io: truncation and every single-byte change are refused", "[index_io]") {
  std::mt19937 rng(4);
  const Dense d = random_counts(rng, 6, 4, 0.5);
  SearchOptions o;
  o.scoring = Scoring::bm25;
  o.method = Bm25Method::bm25l;
  CountOptions co;
  co.vocabulary = std::vector<std::string>{"a", "b", "c", "d"};
  CountVectorizer v(co);
  const std::string good = serialize(SearchIndex<double>(sparse<double>(d, 4), o), v, "m");
  for (std::size_t n = 0; n < good.size(); ++n) {
    INFO("cut at " << n);
    CHECK_THROWS_AS(deserialize_index(good.substr(0, n)), ModelFormatError);
    CHECK_THROWS_AS(deserialize_any(good.substr(0, n)), ModelFormatError);
  }
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    INFO("byte " << i);
    try {
      deserialize_index(bad);
      FAIL("accepted");
    } catch (const ModelFormatError& e) {
      CHECK(e.byte_offset() <= bad.size());
    }
  }
}

TEST_CASE("index io: a mapped index checks what it reads", "[index_io]") {
  // A damaged byte in the mapped arrays passes the load (their stored CRC-32 stands in for them),
  // and is refused when a search reads it if it breaks the structure; verify = true finds all.
  std::mt19937 rng(9);
  const Dense d = random_counts(rng, 12, 3, 0.6);
  const SearchIndex<double> index(sparse<double>(d, 3));
  const std::string good = serialize(index);
  const auto post = arrays_of(good, "POST", {8, 4, 8});
  TempDir dir;
  const std::string path = (dir.path / "damaged.lexsim").string();
  std::size_t refused_at_load = 0, refused_by_search = 0, trusted = 0;
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    write_file(path, bad);
    INFO("byte " << i);
    CHECK_THROWS_AS(load_index(path, {true, true}), ModelFormatError);  // verify: refused at load
    std::optional<IndexModel> m;
    try {
      m = load_index(path, {true, false});
    } catch (const ModelFormatError&) {
      ++refused_at_load;
      continue;
    }
    // Only bytes of the mapped row and value arrays can get this far.
    const bool in_rows = i >= post[1].data && i < post[1].data + 4 * post[1].n;
    const bool in_values = i >= post[2].data && i < post[2].data + 8 * post[2].n;
    REQUIRE((in_rows || in_values));
    const auto& mapped = std::get<SearchIndex<double>>(m->index);
    try {
      for (std::int32_t t = 0; t < 3; ++t) mapped.search({{t, 1.0}});
      ++trusted;  // a document number or a weight that still makes sense: trusted, as documented
    } catch (const ModelFormatError& e) {
      CHECK_THAT(e.what(), Catch::Contains("the index mapped from") && Catch::Contains("section 'POST'"));
      CHECK((e.byte_offset() >= post[1].data && e.byte_offset() < post[2].data + 8 * post[2].n));
      ++refused_by_search;
    }
  }
  CHECK(refused_at_load > 0);
  CHECK(refused_by_search > 0);
  CHECK(trusted > 0);
  CHECK(refused_at_load + refused_by_search + trusted == good.size());
}

TEST_CASE("index io: crafted index files with valid checksums are still checked", "[index_io]") {
  std::mt19937 rng(6);
  const Dense d = random_counts(rng, 10, 4, 0.5);
  SearchOptions o;
  o.scoring = Scoring::bm25;
  const std::string good = serialize(SearchIndex<double>(sparse<double>(d, 4), o));
  REQUIRE_NOTHROW(deserialize_index(reseal(good)));
  auto refused = [&](std::string bad, const std::string& why) {
    INFO(why);
    const std::string sealed = reseal(bad);
    CHECK_THAT(error_of([&] { deserialize_index(sealed); }), Catch::Contains(why));
  };
  const auto post = arrays_of(good, "POST", {8, 4, 8});
  const auto raw = arrays_of(good, "RAWC", {8, 4, 8});
  const auto bm25 = arrays_of(good, "BM25", {8, 8});
  std::size_t sidx = 0;
  for (const auto& s : sections_of(good))
    if (s.tag == "SIDX") sidx = s.at;

  {  // a claimed length of 2^60 elements allocates nothing
    std::string bad = good;
    set_le(bad, post[1].header, std::uint64_t{1} << 60, 8);
    refused(bad, "1152921504606846976 elements of 4 bytes, but only");
  }
  {
    std::string bad = good;
    set_le(bad, post[1].header + 12, 3, 4);
    refused(bad, "padding of 3 bytes");
  }
  {
    std::string bad = good;
    set_le(bad, post[0].data + 8 * 2, 0, 8);
    refused(bad, "term 2 starts at 0");
  }
  {
    std::string bad = good;
    set_le(bad, post[1].data, 99, 4);
    refused(bad, "lists document 99 of 10");
  }
  {
    std::string bad = good;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::uint64_t bits;
    std::memcpy(&bits, &nan, 8);
    set_le(bad, post[2].data, bits, 8);
    refused(bad, "holds the weight nan");
  }
  {
    std::string bad = good;
    const double half = 1.5;
    std::uint64_t bits;
    std::memcpy(&bits, &half, 8);
    set_le(bad, raw[2].data, bits, 8);
    refused(bad, "holds the count 1.5");
  }
  {
    std::string bad = good;
    const double minus = -1.0;
    std::uint64_t bits;
    std::memcpy(&bits, &minus, 8);
    set_le(bad, bm25[0].data + 8, bits, 8);
    refused(bad, "the idf of term 1 is -1");
  }
  {
    std::string bad = good;
    bad[sidx] = 2;
    refused(bad, "scoring is 2, not one of 0 (cosine), 1 (bm25)");
  }
  {
    std::string bad = good;
    bad[sidx + 1] = 5;
    refused(bad, "the BM25 method is 5, not one of 0 (robertson), 1 (lucene), 2 (atire), 3 (bm25l), 4 (bm25+)");
  }
  {
    std::string bad = good;
    bad[sidx + 2] = 5;
    refused(bad, "the value type is 5");
  }
  {
    std::string bad = good;
    set_le(bad, sidx + 3 + 24, 1u << 31, 8);
    refused(bad, "the number of documents is 2147483648");
  }
  {  // a document weighed for a term it does not hold: the weights are not the counts'
    std::string bad = good;
    // move term 0's first weighted document to one term 0 has no count for
    std::vector<bool> counted(10, false);
    for (auto p = get_le(good, raw[0].data, 8); p < get_le(good, raw[0].data + 8, 8); ++p)
      counted[static_cast<std::size_t>(get_le(good, raw[1].data + 4 * p, 4))] = true;
    const auto n0 = get_le(good, post[0].data + 8, 8);
    REQUIRE(n0 > 0);
    const auto last = get_le(good, post[1].data + 4 * (n0 - 1), 4);
    std::uint64_t spare = last + 1;
    while (spare < 10 && counted[spare]) ++spare;
    if (spare < 10) {
      set_le(bad, post[1].data + 4 * (n0 - 1), spare, 4);
      refused(bad, "which section 'RAWC' does not count");
    }
  }
  {  // sections that do not belong together
    const auto secs = sections_of(good);
    std::string rebuilt("\x89LXM\r\n\x1a\n", 8);
    put_le(rebuilt, 1, 4);
    put_le(rebuilt, 0, 8);
    for (const auto& s : secs) {
      if (s.tag == "RAWC") continue;
      rebuilt += s.tag;
      put_le(rebuilt, s.flags, 4);
      put_le(rebuilt, s.payload.size(), 8);
      rebuilt += s.payload;
    }
    put_le(rebuilt, 0, 4);
    // the arrays' padding depends on their offsets: a model cut differently is refused for it or
    // for the missing section, never accepted
    set_le(rebuilt, 12, rebuilt.size(), 8);
    set_le(rebuilt, rebuilt.size() - 4, reference::crc32(std::string_view(rebuilt).substr(0, rebuilt.size() - 4)), 4);
    CHECK_THAT(error_of([&] { deserialize_index(rebuilt); }),
               Catch::Contains("'RAWC' is missing") || Catch::Contains("padding"));
  }
}
