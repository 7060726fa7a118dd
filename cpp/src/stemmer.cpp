#include "stemmer.hpp"

#include <libstemmer.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>

#include "lexsim/analyzer.hpp"
#include "lexsim/errors.hpp"
#include "lexsim/vocabulary.hpp"

namespace lexsim {
namespace {

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const noexcept { sb_stemmer_delete(s); }
};
using StemmerPtr = std::unique_ptr<sb_stemmer, StemmerDeleter>;

// nullptr when libstemmer does not know the name. Its encoding argument is left null: UTF-8.
StemmerPtr make_stemmer(const std::string& algorithm) {
  // c_str() would cut a name at an embedded NUL and accept "english\0junk" as "english".
  if (algorithm.find('\0') != std::string::npos) return nullptr;
  return StemmerPtr(sb_stemmer_new(algorithm.c_str(), nullptr));
}

// One algorithm's stemmer on one thread, with the stems it has computed: text repeats its words
// (Zipf), and a table lookup costs a few percent of running the Snowball algorithm again.
class ThreadStemmer {
 public:
  explicit ThreadStemmer(StemmerPtr stemmer) : stemmer_(std::move(stemmer)) {}

  void append_stem(std::string_view word, std::string& out) {
    if (word.size() > kMaxCachedBytes) {  // rare, and would bloat the memo
      append_computed(word, out);
      return;
    }
    std::int32_t id = words_.find(word);
    if (id < 0) {
      if (words_.size() == kMaxCachedWords) forget();  // bounded memory: start over
      try {
        append_computed(word, stems_);
        stem_end_.push_back(stems_.size());
        id = words_.insert(word);
      } catch (...) {  // the three must stay in step
        forget();
        throw;
      }
    }
    const auto i = static_cast<std::size_t>(id);
    const std::size_t begin = i == 0 ? 0 : stem_end_[i - 1];
    out.append(stems_, begin, stem_end_[i] - begin);
  }

 private:
  static constexpr std::size_t kMaxCachedWords = 1 << 16;  // a few MB at most per thread and algorithm
  static constexpr std::size_t kMaxCachedBytes = 64;

  void forget() {
    words_ = Vocabulary();
    stems_.clear();
    stem_end_.clear();
  }

  void append_computed(std::string_view word, std::string& out) {
    if (word.size() > static_cast<std::size_t>(INT_MAX)) {  // beyond libstemmer's int sizes: kept as is
      out.append(word.data(), word.size());
      return;
    }
    const sb_symbol* stem =
        sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    if (stem == nullptr) throw std::bad_alloc();
    const auto length = static_cast<std::size_t>(sb_stemmer_length(stemmer_.get()));
    if (length == 0) {  // porter stems "s" to nothing: a term is never empty, so the word stays
      out.append(word.data(), word.size());
      return;
    }
    out.append(reinterpret_cast<const char*>(stem), length);
  }

  StemmerPtr stemmer_;
  Vocabulary words_;                   // the words stemmed so far, by id...
  std::string stems_;                  // ...their stems back to back...
  std::vector<std::size_t> stem_end_;  // ...and where each ends
};

// An sb_stemmer is re-entrant but not thread-safe, and analyzers are shared between threads, so
// each thread makes its own on first use and frees it when the thread ends. Keys are names that
// libstemmer accepted (a few dozen at most), so a short list searched linearly is enough.
ThreadStemmer& thread_stemmer(const std::string& algorithm) {
  thread_local std::vector<std::pair<std::string, std::unique_ptr<ThreadStemmer>>> cache;
  for (auto& [name, stemmer] : cache)
    if (name == algorithm) return *stemmer;
  StemmerPtr stemmer = make_stemmer(algorithm);
  if (!stemmer) {
    detail::check_stemmer(algorithm);  // an unknown name is reported as such...
    throw std::bad_alloc();            // ...otherwise libstemmer ran out of memory
  }
  cache.emplace_back(algorithm, std::make_unique<ThreadStemmer>(std::move(stemmer)));
  return *cache.back().second;
}

// The name as the message shows it: control characters (a NUL would end what()) as \xNN.
std::string printable(const std::string& name) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (const char c : name) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f) {
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> stemmers() {
  std::vector<std::string> out;
  for (const char** name = sb_stemmer_list(); *name != nullptr; ++name) out.emplace_back(*name);
  return out;
}

namespace detail {

void check_stemmer(const std::string& algorithm) {
  if (make_stemmer(algorithm)) return;
  std::string names;
  for (const auto& name : stemmers()) names += (names.empty() ? "" : ", ") + name;
  throw InvalidArgument("unknown stemmer '" + printable(algorithm) + "'; available: " + names +
                        " (or a two- or three-letter ISO 639 code such as 'en')");
}

void stem_words(const std::string& algorithm, const std::string_view* words, std::size_t n, std::string& out,
                std::vector<std::size_t>& ends) {
  ThreadStemmer& stemmer = thread_stemmer(algorithm);
  for (std::size_t i = 0; i < n; ++i) {
    stemmer.append_stem(words[i], out);
    ends.push_back(out.size());
  }
}

}  // namespace detail
}  // namespace lexsim
