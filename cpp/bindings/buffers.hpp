#pragma once
// The one place where C++ buffers become numpy arrays: vectors are moved into a heap object
// owned by a capsule, so numpy reads the very memory C++ wrote (no copy).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

/// Views of the UTF-8 text of a list of str/bytes. The list must stay alive (and unmodified) while
/// the views are used; str objects cache their UTF-8 form, so this copies nothing for ASCII text.
inline std::vector<std::string_view> document_views(const py::list& docs) {
  std::vector<std::string_view> out;
  out.reserve(docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    PyObject* o = PyList_GET_ITEM(docs.ptr(), static_cast<py::ssize_t>(i));
    if (PyUnicode_Check(o)) {
      Py_ssize_t n = 0;
      const char* p = PyUnicode_AsUTF8AndSize(o, &n);
      if (p == nullptr) {
        PyErr_Clear();
        throw py::value_error("document " + std::to_string(i) +
                              " is not encodable as UTF-8 (it contains a lone surrogate code point)");
      }
      out.emplace_back(p, static_cast<std::size_t>(n));
    } else if (PyBytes_Check(o)) {
      out.emplace_back(PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o)));
    } else {
      throw py::type_error("document " + std::to_string(i) + " is " + std::string(Py_TYPE(o)->tp_name) +
                           ", expected str or bytes");
    }
  }
  return out;
}

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
void bind_similarity(py::module_& m);

}  // namespace lexsim::bindings
