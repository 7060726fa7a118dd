#pragma once
// The one place where C++ buffers become numpy arrays: vectors are moved into a heap object
// owned by a capsule, so numpy reads the very memory C++ wrote (no copy).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <utility>
#include <vector>

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

}  // namespace lexsim::bindings
