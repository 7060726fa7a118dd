#pragma once
// What a SearchIndex holds, shared by search.cpp (building, searching, adding) and model_io.cpp
// (saving and loading). Private: the public header sees only a pointer to it.
//
// The index is its postings (for each term, the documents holding it, in increasing order, with
// the weight they are scored with) and, for BM25, the raw counts in the same layout, from which
// add() recomputes every weight. Each array is owned or lies in a file mapped read-only
// (load_index with mmap); a mapped array is used in place.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lexsim/search.hpp"
#include "rows.hpp"

namespace lexsim::detail {

/// A read-only array: its own vector, or a range of a mapped file that `keep` keeps mapped.
template <class T>
class Array {
 public:
  Array() = default;
  explicit Array(std::vector<T> v)
      : owned_(std::make_shared<const std::vector<T>>(std::move(v))), data_(owned_->data()), size_(owned_->size()) {}
  Array(const T* data, std::size_t size, std::shared_ptr<const void> keep)
      : keep_(std::move(keep)), data_(data), size_(size) {}

  const T* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  const T* begin() const noexcept { return data_; }
  const T* end() const noexcept { return data_ + size_; }
  bool mapped() const noexcept { return keep_ != nullptr; }

 private:
  std::shared_ptr<const std::vector<T>> owned_;
  std::shared_ptr<const void> keep_;
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

/// A file mapped read-only (PROT_READ, MAP_SHARED) for as long as an index uses its arrays.
class MappedFile {
 public:
  /// Maps the regular file at `path`; FileError when it cannot be opened, is not a regular file
  /// or cannot be mapped.
  static std::shared_ptr<const MappedFile> open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const noexcept { return {static_cast<const char*>(address_), size_}; }
  const std::string& path() const noexcept { return path_; }
  /// Throws ModelFormatError when the file is now shorter than when it was mapped (reading the
  /// lost pages would end the process with SIGBUS).
  void check_size() const;

 private:
  MappedFile(std::string path, int fd, void* address, std::size_t size)
      : path_(std::move(path)), fd_(fd), address_(address), size_(size) {}
  std::string path_;
  int fd_;
  void* address_;
  std::size_t size_;
};

/// Postings: start[t] .. start[t + 1] index row (increasing document numbers) and value.
template <class T>
struct PostingArrays {
  Array<std::int64_t> start;  // n_terms + 1 entries, or none for an index of no document yet
  Array<std::int32_t> row;
  Array<T> value;
  // Offsets of row's and value's first element in the model (for the error of a mapped index).
  std::size_t row_at = 0, value_at = 0;

  std::int64_t begin(std::size_t t) const noexcept { return start.empty() ? 0 : start[t]; }
  std::int64_t end(std::size_t t) const noexcept { return start.empty() ? 0 : start[t + 1]; }
};

template <class T>
struct SearchState {
  SearchOptions options;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  PostingArrays<T> postings;  // what a search reads: unit rows (cosine) or BM25 weights less the baseline
  PostingArrays<T> counts;    // BM25: the raw counts (every stored count, > 0); empty for cosine
  std::vector<double> idf;
  std::vector<double> baseline;
  double avgdl = 0;
  // A mapped index: its file, and per term whether its postings were checked (null: all were,
  // at load). Set once a term's check passed; two threads checking the same term is harmless.
  std::shared_ptr<const MappedFile> file;
  std::unique_ptr<std::atomic<std::uint8_t>[]> checked;

  PostingsView<T> view() const noexcept { return {postings.start.data(), postings.row.data(), postings.value.data()}; }
};

/// The checks of a loaded index's arrays (ModelFormatError naming the byte offset, messages
/// prefixed by `where`): a term's postings have increasing rows in range and finite values; with
/// `counts_too` (BM25), its counts are also positive integers on increasing rows in range, and
/// every weighted posting is among them. check_all checks every term, with the counts.
template <class T>
void check_term(const SearchState<T>& s, std::size_t term, bool counts_too, const std::string& where);
template <class T>
void check_all(const SearchState<T>& s, const std::string& where);

/// InvalidArgument (naming the option) unless the options are valid.
void check_search_options(const SearchOptions& options);

/// How model_io builds a SearchIndex around a loaded state and reads one to save it.
struct SearchIndexAccess {
  template <class T>
  static SearchIndex<T> make(std::shared_ptr<const SearchState<T>> state) {
    return SearchIndex<T>(std::move(state));
  }
  template <class T>
  static const SearchState<T>& state(const SearchIndex<T>& index) {
    return *index.state_;
  }
};

}  // namespace lexsim::detail
