#pragma once
// The parts of lexsim._core: one bind_* per area, each in its bind_*.cpp, called by module.cpp.

#include <pybind11/pybind11.h>

namespace lexsim::bindings {

namespace py = pybind11;

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
