#pragma once
// Documents read from Arrow string or binary arrays (pyarrow, polars, pandas' Arrow-backed strings,
// or anything else with the Arrow PyCapsule interface) without a Python object per document: the
// producer exports its arrays through the Arrow C data / C stream interface, and the documents are
// viewed in the exported buffers, which stay alive until this object is destroyed.

#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The Arrow C data interface ABI (arrow.apache.org/docs/format/CDataInterface.html). The guard is
// the one the specification prescribes, so that any other definition of these structs wins.
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
extern "C" {
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
}
#endif

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
extern "C" {
struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);
  void (*release)(struct ArrowArrayStream*);
  void* private_data;
};
}
#endif

namespace lexsim::bindings {

namespace py = pybind11;

/// The documents of an object that exports Arrow data (``__arrow_c_stream__`` or
/// ``__arrow_c_array__``) of type utf8 ("u"), large_utf8 ("U"), utf8_view ("vu"), binary ("z"),
/// large_binary ("Z"), binary_view ("vz"), or a dictionary of one of them, in any number of chunks.
/// Construct and destroy it with the GIL held (it calls the producer, and the producer's release
/// callbacks); the views may be read from any thread in between.
///
/// A null is a ValueError naming the document; another type a TypeError naming it; buffers that
/// contradict themselves (offsets that decrease, a view past its buffer) a ValueError. The text is
/// not checked for valid UTF-8 here: the analysis does that, as it does for bytes (decode_error).
class ArrowDocuments {
 public:
  explicit ArrowDocuments(const py::object& source);
  ~ArrowDocuments();
  ArrowDocuments(const ArrowDocuments&) = delete;
  ArrowDocuments& operator=(const ArrowDocuments&) = delete;

  const std::vector<std::string_view>& views() const noexcept { return views_; }
  std::size_t size() const noexcept { return views_.size(); }
  /// Whether the values are binary (Python bytes) rather than strings.
  bool binary() const noexcept { return binary_; }
  /// The Arrow format string of the values ("u", "U", "vu", "z", "Z", "vz"), and of the
  /// dictionary's indices when the data is dictionary-encoded ("" otherwise).
  const std::string& format() const noexcept { return format_; }
  const std::string& index_format() const noexcept { return index_format_; }
  /// One Python object per document: str for strings (UTF-8 decoded with `errors`, as
  /// bytes.decode takes it; a strict failure names the document and byte offset), bytes for binary.
  py::list to_list(const std::string& errors) const;

 private:
  void read_stream(const py::object& capsule);
  void read_array(const py::object& schema_capsule, const py::object& array_capsule);
  void set_type(const ArrowSchema& schema);
  void add_chunk(ArrowArray&& chunk);

  std::vector<ArrowArray> chunks_;  // owned: released by the destructor
  std::vector<std::string_view> views_;
  std::string format_, index_format_;
  bool binary_ = false;
};

}  // namespace lexsim::bindings
