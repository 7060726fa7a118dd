#pragma once
// The one place where C++ buffers become numpy arrays: vectors are moved into a heap object
// owned by a capsule, so numpy reads the very memory C++ wrote (no copy).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arrow_input.hpp"
#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "lexsim/sparse.hpp"

namespace lexsim::bindings {

namespace py = pybind11;

template <class T>
py::array_t<T> move_to_numpy(std::vector<T>&& v) {
  auto* owner = new std::vector<T>(std::move(v));
  py::capsule capsule(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  const auto n = static_cast<py::ssize_t>(owner->size());
  return py::array_t<T>({n}, {static_cast<py::ssize_t>(sizeof(T))}, owner->data(), capsule);
}

/// (data, indices, indptr, shape) for scipy: index arrays are int32 when every index fits, as scipy
/// would choose itself (so it does not copy), int64 otherwise.
template <class T>
py::tuple csr_to_python(CsrMatrix<T>&& m) {
  const std::int64_t rows = m.rows, cols = m.cols;
  py::object data = move_to_numpy(std::move(m.data));
  const bool small = m.nnz() <= INT32_MAX && rows <= INT32_MAX && cols <= INT32_MAX;
  py::object indices, indptr;
  if (small) {
    std::vector<std::int32_t> ip(m.indptr.begin(), m.indptr.end());  // rows + 1 values
    m.indptr = {};
    indptr = move_to_numpy(std::move(ip));
    indices = move_to_numpy(std::move(m.indices));
  } else {
    std::vector<std::int64_t> ix(m.indices.begin(), m.indices.end());
    m.indices = {};
    indices = move_to_numpy(std::move(ix));
    indptr = move_to_numpy(std::move(m.indptr));
  }
  return py::make_tuple(data, indices, indptr, py::make_tuple(rows, cols));
}

/// A CSR matrix the Python layer hands in as (data, indices, indptr, rows, cols), viewed in place:
/// data of type T, indices int32, indptr of type IP, each a contiguous 1-d array (the Python layer
/// converts; a wrong dtype here is a TypeError, an inconsistent shape a ValueError).
/// Whether an array holds `want` values. Not dtype identity: an array that was pickled (by Dask,
/// multiprocessing...) carries an equal dtype object that is not numpy's cached one.
inline bool has_dtype(const py::array& arr, const py::dtype& want) {
  return py::detail::npy_api::get().PyArray_EquivTypes_(arr.dtype().ptr(), want.ptr());
}

template <class T, class IP>
CsrView<T, IP, std::int32_t> csr_view(const py::tuple& m, const char* name) {
  const std::string who(name);
  if (m.size() != 5) throw py::type_error(who + " must be a (data, indices, indptr, rows, cols) tuple");
  const auto data = m[0].cast<py::array>(), indices = m[1].cast<py::array>(), indptr = m[2].cast<py::array>();
  const auto rows = m[3].cast<std::int64_t>(), cols = m[4].cast<std::int64_t>();
  auto check = [&](const py::array& arr, const py::dtype& want, const char* part) {
    if (!has_dtype(arr, want))
      throw py::type_error(who + "." + part + " has dtype " + py::str(arr.dtype()).cast<std::string>() + ", expected " +
                           py::str(want).cast<std::string>());
    if (arr.ndim() != 1 || !(arr.flags() & py::array::c_style))
      throw py::value_error(who + "." + part + " must be a contiguous 1-d array");
  };
  check(data, py::dtype::of<T>(), "data");
  check(indices, py::dtype::of<std::int32_t>(), "indices");
  check(indptr, py::dtype::of<IP>(), "indptr");
  if (rows < 0 || cols < 0) throw py::value_error(who + " has a negative shape");
  if (indptr.size() != rows + 1) throw py::value_error(who + ".indptr must have rows + 1 entries");
  if (indices.size() != data.size()) throw py::value_error(who + ".indices and .data must have the same length");
  if (static_cast<std::int64_t>(data.size()) < static_cast<std::int64_t>(static_cast<const IP*>(indptr.data())[rows]))
    throw py::value_error(who + ".indptr[-1] exceeds the number of stored values");
  return {rows, cols, static_cast<const IP*>(indptr.data()), static_cast<const std::int32_t*>(indices.data()),
          static_cast<const T*>(data.data())};
}

/// The types of a (data, indices, indptr, rows, cols) tuple: float32 data? int32 indptr? (false
/// for what is not such a tuple: csr_view then says what is wrong)
inline bool csr_is_float32(const py::tuple& m) {
  return m.size() == 5 && py::isinstance<py::array>(m[0]) && has_dtype(m[0].cast<py::array>(), py::dtype::of<float>());
}
inline bool csr_has_int32_indptr(const py::tuple& m) {
  return m.size() == 5 && py::isinstance<py::array>(m[2]) &&
         has_dtype(m[2].cast<py::array>(), py::dtype::of<std::int32_t>());
}

/// The UTF-8 text of a list of str/bytes, without copying where possible: ASCII str and bytes are
/// viewed in place; other str are encoded into one arena owned by this object (not cached inside
/// the str objects, which would keep a second copy of the user's corpus alive). The list must stay
/// alive and unmodified while the views are used.
class DocumentViews {
 public:
  explicit DocumentViews(const py::list& docs) {
    const std::size_t n = docs.size();
    views_.resize(n);
    std::vector<std::pair<std::size_t, std::size_t>> in_arena;  // (doc, offset) of encoded documents
    for (std::size_t i = 0; i < n; ++i) {
      PyObject* o = PyList_GET_ITEM(docs.ptr(), static_cast<py::ssize_t>(i));
      if (PyUnicode_Check(o)) {
        if (PyUnicode_IS_ASCII(o)) {
          views_[i] = std::string_view(static_cast<const char*>(PyUnicode_DATA(o)),
                                       static_cast<std::size_t>(PyUnicode_GET_LENGTH(o)));
        } else {
          const std::size_t at = arena_.size();
          encode(o, i);
          in_arena.emplace_back(i, at);
        }
      } else if (PyBytes_Check(o)) {
        views_[i] = std::string_view(PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o)));
      } else {
        throw py::type_error("document " + std::to_string(i) + " is " + std::string(Py_TYPE(o)->tp_name) +
                             ", expected str or bytes");
      }
    }
    // The arena no longer grows: point the encoded documents into it.
    for (std::size_t k = 0; k < in_arena.size(); ++k) {
      const std::size_t end = k + 1 < in_arena.size() ? in_arena[k + 1].second : arena_.size();
      views_[in_arena[k].first] = std::string_view(arena_.data() + in_arena[k].second, end - in_arena[k].second);
    }
  }
  const std::vector<std::string_view>& views() const noexcept { return views_; }

 private:
  void encode(PyObject* o, std::size_t doc) {
    const int kind = PyUnicode_KIND(o);
    const void* data = PyUnicode_DATA(o);
    const auto len = PyUnicode_GET_LENGTH(o);
    arena_.reserve(arena_.size() + static_cast<std::size_t>(len) * (kind == PyUnicode_1BYTE_KIND   ? 2
                                                                    : kind == PyUnicode_2BYTE_KIND ? 3
                                                                                                   : 4));
    for (Py_ssize_t j = 0; j < len; ++j) {
      const Py_UCS4 c = PyUnicode_READ(kind, data, j);
      if (c < 0x80) {
        arena_.push_back(static_cast<char>(c));
      } else if (c < 0x800) {
        arena_.push_back(static_cast<char>(0xC0 | (c >> 6)));
        arena_.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      } else if (c < 0x10000) {
        if (c >= 0xD800 && c <= 0xDFFF)
          throw py::value_error("document " + std::to_string(doc) +
                                " is not encodable as UTF-8 (it contains a lone surrogate code point at index " +
                                std::to_string(j) + ")");
        arena_.push_back(static_cast<char>(0xE0 | (c >> 12)));
        arena_.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        arena_.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      } else {
        arena_.push_back(static_cast<char>(0xF0 | (c >> 18)));
        arena_.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        arena_.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        arena_.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
  }
  std::string arena_;
  std::vector<std::string_view> views_;
};

/// Materialised input: the views of a Python list of str/bytes, or of an ArrowDocuments (either
/// kept alive while the views are used)...
class TextBatch {
 public:
  explicit TextBatch(const py::object& docs) : keep_alive_(docs) {
    if (PyList_Check(docs.ptr())) {
      list_ = std::make_unique<DocumentViews>(py::reinterpret_borrow<py::list>(docs));
      views_ = &list_->views();
    } else if (py::isinstance<ArrowDocuments>(docs)) {
      views_ = &docs.cast<const ArrowDocuments&>().views();
    } else {
      throw py::type_error(std::string("documents must be a list or lexsim._core.ArrowDocuments, got ") +
                           Py_TYPE(docs.ptr())->tp_name);
    }
  }
  Documents docs() const { return Documents(views_->data(), views_->size()); }

 private:
  py::object keep_alive_;
  std::unique_ptr<DocumentViews> list_;
  const std::vector<std::string_view>* views_ = nullptr;
};

/// ...or of a list of lists of terms (str or bytes each).
struct TermBatch {
  py::list keep_alive;
  std::vector<DocumentViews> text;
  TermLists lists;
  explicit TermBatch(const py::list& docs) : keep_alive(docs) {
    lists.resize(docs.size());
    text.reserve(docs.size());
    for (std::size_t i = 0; i < docs.size(); ++i) {
      py::handle item = docs[i];
      if (!PyList_Check(item.ptr()))
        throw py::type_error("analyzed document " + std::to_string(i) + " must be a list of str");
      text.emplace_back(py::reinterpret_borrow<py::list>(item));
      lists[i] = text.back().views();
    }
  }
};

/// Runs fn() without the GIL while Ctrl-C stays responsive: the core polls an interrupt check that
/// briefly takes the GIL to run Python's signal handlers; a KeyboardInterrupt propagates as such.
template <class Fn>
auto without_gil(Fn&& fn) -> decltype(fn()) {
  try {
    py::gil_scoped_release release;
    InterruptGuard guard([] {
      py::gil_scoped_acquire acquire;
      return PyErr_CheckSignals() != 0;
    });
    return fn();
  } catch (const Cancelled&) {
    throw py::error_already_set();
  }
}

void bind_analyzer(py::module_& m);
void bind_vectorizer(py::module_& m);
void bind_tfidf(py::module_& m);
void bind_hashing(py::module_& m);
void bind_model(py::module_& m);
void bind_similarity(py::module_& m);
void bind_search(py::module_& m);
void bind_threads(py::module_& m);
void bind_arrow(py::module_& m);

}  // namespace lexsim::bindings
