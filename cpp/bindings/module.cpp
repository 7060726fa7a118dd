// lexsim._core: the compiled part of the lexsim Python package. Private: use the lexsim package.
#include <pybind11/pybind11.h>

#include "module.hpp"
#include "lexsim/errors.hpp"
#include "lexsim/model_io.hpp"
#include "lexsim/version.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "lexsim's C++ core (private; use the lexsim package).";
  m.attr("__version__") = LEXSIM_VERSION_INFO;
  m.attr("unicode_version") = lexsim::unicode_version();

  // lexsim's C++ exceptions become ValueError subclasses (and NotFittedError also an AttributeError,
  // as in scikit-learn), so Python callers catch them the way they catch scikit-learn's errors.
  // Held for the life of the process (never destroyed, so nothing runs after the interpreter ends).
  static auto* error = new py::exception<lexsim::Error>(m, "LexsimError", PyExc_ValueError);
  static auto* unicode_error = new py::exception<lexsim::UnicodeError>(m, "UnicodeError", error->ptr());
  static auto* model_error = new py::exception<lexsim::ModelFormatError>(m, "ModelFormatError", error->ptr());
  py::object not_fitted_bases = py::make_tuple(*error, py::handle(PyExc_AttributeError));
  static PyObject* not_fitted = PyErr_NewExceptionWithDoc(
      "lexsim._core.NotFittedError", "A vectorizer was used before fit.", not_fitted_bases.ptr(), nullptr);
  error->attr("__doc__") = "Base of the errors raised by lexsim's C++ core (a ValueError).";
  unicode_error->attr("__doc__") =
      "Invalid UTF-8 with decode_error='strict'; attributes document and byte_offset name where.";
  model_error->attr("__doc__") =
      "Bytes that are not a valid lexsim model: empty, truncated, damaged, foreign, from a newer format "
      "version, or inconsistent (a ValueError); attribute byte_offset says where.";
  m.attr("NotFittedError") = py::handle(not_fitted);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const lexsim::NotFittedError& e) {
      PyErr_SetString(not_fitted, e.what());
    } catch (const lexsim::UnicodeError& e) {
      py::object exc = py::handle(unicode_error->ptr())(e.what());
      exc.attr("document") = e.document();
      exc.attr("byte_offset") = e.byte_offset();
      PyErr_SetObject(unicode_error->ptr(), exc.ptr());
    } catch (const lexsim::ModelFormatError& e) {
      py::object exc = py::handle(model_error->ptr())(e.what());
      exc.attr("byte_offset") = e.byte_offset();
      PyErr_SetObject(model_error->ptr(), exc.ptr());
    } catch (const lexsim::FileError& e) {
      // OSError(errno, message) becomes FileNotFoundError, PermissionError... as Python's own do.
      py::object exc = py::handle(PyExc_OSError)(e.error_code(), e.what());
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
    } catch (const lexsim::Error& e) {
      PyErr_SetString(error->ptr(), e.what());
    }
  });

  lexsim::bindings::bind_analyzer(m);
  lexsim::bindings::bind_vectorizer(m);
  lexsim::bindings::bind_tfidf(m);
  lexsim::bindings::bind_hashing(m);
  lexsim::bindings::bind_model(m);
  lexsim::bindings::bind_similarity(m);
  lexsim::bindings::bind_search(m);
  lexsim::bindings::bind_threads(m);
  lexsim::bindings::bind_arrow(m);
}
