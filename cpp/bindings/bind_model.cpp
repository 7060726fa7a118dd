// Model files (lexsim/model_io.hpp): vectorizers to bytes and files and back, without the GIL.
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "module.hpp"
#include "lexsim/model_io.hpp"

namespace lexsim::bindings {
namespace {

// (vectorizer, metadata) for Python: the vectorizer moved into a new instance of its class.
py::tuple to_python(Model&& model) {
  py::object v = std::visit([](auto& vec) -> py::object { return py::cast(std::move(vec)); }, model.vectorizer);
  return py::make_tuple(v, py::bytes(model.metadata));
}

CountOptions options_of(const CountVectorizer& v) { return v.options(); }
TfidfOptions options_of(const TfidfVectorizer& v) { return v.tfidf_options(); }

template <class V>
void bind_writers(py::module_& m) {
  m.def(
      "serialize",
      [](const V& v, const py::bytes& metadata) {
        const std::string meta = metadata;
        std::string out;
        {
          py::gil_scoped_release release;
          out = serialize(v, meta);
        }
        return py::bytes(out);
      },
      py::arg("vectorizer"), py::arg("metadata") = py::bytes(""), "The model bytes of a fitted vectorizer.");
  m.def(
      "save",
      [](const V& v, const py::bytes& path, const py::bytes& metadata) {
        const std::string p = path, meta = metadata;
        py::gil_scoped_release release;
        save(v, p, meta);
      },
      py::arg("vectorizer"), py::arg("path"), py::arg("metadata") = py::bytes(""),
      "Write the model atomically to path (file-system encoded bytes).");
  m.def(
      "encode_options",
      [](const V& v) {
        auto o = options_of(v);
        o.n_jobs = 1;  // threads never change results
        return py::bytes(detail::encode_options(o));
      },
      py::arg("vectorizer"),
      "The OPTS section payload of the vectorizer's options with n_jobs=1 (equal bytes: the same analysis and "
      "weighting).");
}

}  // namespace

void bind_model(py::module_& m) {
  m.attr("MODEL_MAGIC") = py::bytes(model_magic, sizeof model_magic);
  m.attr("MODEL_FORMAT_VERSION") = model_format_version;
  bind_writers<CountVectorizer>(m);
  bind_writers<TfidfVectorizer>(m);
  m.def(
      "deserialize",
      [](const py::buffer& data) {
        const py::buffer_info info = data.request();  // held until return: a bytearray cannot be resized meanwhile
        if (info.ndim != 1 || info.strides[0] != info.itemsize)
          throw py::type_error("deserialize() takes bytes or a contiguous 1-d buffer");
        const std::string_view view(static_cast<const char*>(info.ptr),
                                    static_cast<std::size_t>(info.size * info.itemsize));
        std::optional<Model> model;
        {
          py::gil_scoped_release release;
          model.emplace(deserialize(view));
        }
        return to_python(std::move(*model));
      },
      py::arg("data"), "(vectorizer, metadata) from model bytes.");
  m.def(
      "load",
      [](const py::bytes& path) {
        const std::string p = path;
        std::optional<Model> model;
        {
          py::gil_scoped_release release;
          model.emplace(load(p));
        }
        return to_python(std::move(*model));
      },
      py::arg("path"), "(vectorizer, metadata) from a model file (path as file-system encoded bytes).");
  m.def(
      "model_options", [](const CountVectorizer& v) { return options_of(v); }, py::arg("vectorizer"),
      "A copy of a CountVectorizer's options.");
  m.def(
      "model_options", [](const TfidfVectorizer& v) { return options_of(v); }, py::arg("vectorizer"),
      "A copy of a TfidfVectorizer's options.");
}

}  // namespace lexsim::bindings
