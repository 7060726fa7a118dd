// SearchIndex over CSR buffers handed in by the Python layer. The index copies the matrix once;
// results leave as capsule-owned arrays (csr_to_python). The GIL is released while C++ works.
// Saving, loading (lexsim/model_io.hpp) and add() are here too: add() builds the grown index
// beside the old one and swaps it in under the GIL, so searches under way keep the old one.
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "csr_in.hpp"
#include "enum_names.hpp"
#include "gil.hpp"
#include "module.hpp"
#include "numpy_out.hpp"
#include "lexsim/model_io.hpp"
#include "lexsim/search.hpp"

namespace lexsim::bindings {
namespace {

// One index in the data type of the matrix it was built from (float32 stays float32).
class PySearchIndex {
 public:
  PySearchIndex(const py::tuple& documents, const std::string& scoring, double k1, double b, const std::string& method,
                double delta) {
    SearchOptions o;
    const auto parsed = from_string<Scoring>(scoring);
    if (!parsed) throw py::value_error("unknown scoring '" + scoring + "'; expected " + enum_choices<Scoring>());
    o.scoring = *parsed;
    o.method = parse_bm25_method(method);
    o.k1 = k1;
    o.b = b;
    o.delta = delta;
    if (csr_is_float32(documents)) {
      index_ = build<float>(documents, o);
    } else {
      index_ = build<double>(documents, o);
    }
  }

  // A loaded index.
  explicit PySearchIndex(std::variant<SearchIndex<double>, SearchIndex<float>>&& loaded) {
    std::visit(
        [&](auto& index) {
          using I = std::decay_t<decltype(index)>;
          index_ = std::make_shared<const I>(std::move(index));
        },
        loaded);
  }

  py::tuple search(const py::tuple& queries, std::int64_t k, int n_jobs) const {
    const Variant keep = index_;  // a concurrent add() swaps index_; this search keeps its index
    return std::visit([&](const auto& index) { return run(*index, queries, k, n_jobs); }, keep);
  }

  void add(const py::tuple& documents) {
    const Variant keep = index_;
    index_ = std::visit([&](const auto& index) -> Variant { return grown(*index, documents); }, keep);
  }

  py::bytes serialize_index(const py::bytes& metadata, const py::object& vectorizer) const {
    const Variant keep = index_;
    const std::string meta = metadata;
    std::string out;
    std::visit(
        [&](const auto& index) {
          if (vectorizer.is_none()) {
            py::gil_scoped_release release;
            out = serialize(*index, meta);
          } else if (py::isinstance<TfidfVectorizer>(vectorizer)) {
            const auto& v = vectorizer.cast<const TfidfVectorizer&>();
            py::gil_scoped_release release;
            out = serialize(*index, v, meta);
          } else {
            const auto& v = vectorizer.cast<const CountVectorizer&>();
            py::gil_scoped_release release;
            out = serialize(*index, v, meta);
          }
        },
        keep);
    return py::bytes(out);
  }

  void save_index(const py::bytes& path, const py::object& vectorizer, const py::bytes& metadata) const {
    const Variant keep = index_;
    const std::string p = path, meta = metadata;
    std::visit(
        [&](const auto& index) {
          if (vectorizer.is_none()) {
            py::gil_scoped_release release;
            save(*index, p, meta);
          } else if (py::isinstance<TfidfVectorizer>(vectorizer)) {
            const auto& v = vectorizer.cast<const TfidfVectorizer&>();
            py::gil_scoped_release release;
            save(*index, v, p, meta);
          } else {
            const auto& v = vectorizer.cast<const CountVectorizer&>();
            py::gil_scoped_release release;
            save(*index, v, p, meta);
          }
        },
        keep);
  }

  template <class F>
  auto visit(F&& f) const {
    const Variant keep = index_;
    return std::visit([&](const auto& index) { return f(*index); }, keep);
  }

  bool is_float32() const { return std::holds_alternative<std::shared_ptr<const SearchIndex<float>>>(index_); }

 private:
  template <class T>
  static std::shared_ptr<const SearchIndex<T>> build(const py::tuple& documents, const SearchOptions& o) {
    if (csr_has_int32_indptr(documents)) {
      const auto v = csr_view<T, std::int32_t>(documents, "documents");
      return without_gil([&] { return std::make_shared<const SearchIndex<T>>(v, o); });
    }
    const auto v = csr_view<T, std::int64_t>(documents, "documents");
    return without_gil([&] { return std::make_shared<const SearchIndex<T>>(v, o); });
  }

  template <class T>
  static py::tuple run(const SearchIndex<T>& index, const py::tuple& queries, std::int64_t k, int n_jobs) {
    if (queries.size() == 5 && py::isinstance<py::array>(queries[0]) &&
        csr_is_float32(queries) != std::is_same_v<T, float>)
      throw py::type_error(std::string("the query matrix must have the index's dtype (") +
                           (std::is_same_v<T, float> ? "float32" : "float64") + ")");
    CsrMatrix<T> out;
    if (csr_has_int32_indptr(queries)) {
      const auto v = csr_view<T, std::int32_t>(queries, "queries");
      out = without_gil([&] { return index.search(v, k, n_jobs); });
    } else {
      const auto v = csr_view<T, std::int64_t>(queries, "queries");
      out = without_gil([&] { return index.search(v, k, n_jobs); });
    }
    return csr_to_python(std::move(out));
  }

  template <class T>
  static std::shared_ptr<const SearchIndex<T>> grown(const SearchIndex<T>& index, const py::tuple& documents) {
    if (csr_is_float32(documents) != std::is_same_v<T, float>)
      throw py::type_error(std::string("the added documents must have the index's dtype (") +
                           (std::is_same_v<T, float> ? "float32" : "float64") + ")");
    auto out = std::make_shared<SearchIndex<T>>(index);  // shares the arrays until add() replaces them
    if (csr_has_int32_indptr(documents)) {
      const auto v = csr_view<T, std::int32_t>(documents, "documents");
      without_gil([&] { out->add(v); });
    } else {
      const auto v = csr_view<T, std::int64_t>(documents, "documents");
      without_gil([&] { out->add(v); });
    }
    return out;
  }

  using Variant = std::variant<std::shared_ptr<const SearchIndex<double>>, std::shared_ptr<const SearchIndex<float>>>;
  Variant index_;
};

// (kind, object, vectorizer, metadata) of a loaded model: ("vectorizer", vectorizer, None, metadata)
// or ("index", index, vectorizer or None, metadata).
py::tuple to_python(std::variant<Model, IndexModel>&& any) {
  auto vectorizer_object = [](auto& v) -> py::object { return py::cast(std::move(v)); };
  if (auto* model = std::get_if<Model>(&any)) {
    py::object v = std::visit(vectorizer_object, model->vectorizer);
    return py::make_tuple("vectorizer", v, py::none(), py::bytes(model->metadata));
  }
  auto& index = std::get<IndexModel>(any);
  py::object v = index.vectorizer ? std::visit(vectorizer_object, *index.vectorizer) : py::none();
  py::object i = py::cast(PySearchIndex(std::move(index.index)));
  return py::make_tuple("index", i, v, py::bytes(index.metadata));
}

}  // namespace

void bind_search(py::module_& m) {
  py::class_<PySearchIndex>(m, "SearchIndex", "A cosine or BM25 search index (see lexsim.SearchIndex).")
      .def(py::init<const py::tuple&, const std::string&, double, double, const std::string&, double>(),
           py::arg("documents"), py::arg("scoring"), py::arg("k1"), py::arg("b"), py::arg("method") = "lucene",
           py::arg("delta") = 0.5,
           "documents: (data, indices:int32, indptr, rows, cols) with float32/float64 data and int32/int64 indptr; "
           "BM25 needs raw term counts.")
      .def("search", &PySearchIndex::search, py::arg("queries"), py::arg("k"), py::arg("n_jobs"),
           "The k best documents of each query row, as (data, indices, indptr, shape) of a queries x documents "
           "CSR matrix. The queries must have the index's dtype.")
      .def_property_readonly(
          "n_documents", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.n_documents(); }); })
      .def_property_readonly("n_terms",
                             [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.n_terms(); }); })
      .def_property_readonly(
          "scoring",
          [](const PySearchIndex& s) {
            return s.visit([](const auto& i) { return std::string(to_string(i.options().scoring)); });
          })
      .def_property_readonly(
          "k1", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.options().k1; }); })
      .def_property_readonly(
          "b", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.options().b; }); })
      .def_property_readonly(
          "method",
          [](const PySearchIndex& s) {
            return s.visit([](const auto& i) { return std::string(to_string(i.options().method)); });
          },
          "The BM25 variant, by its bm25s name (stored for cosine too, and unused there).")
      .def_property_readonly(
          "delta", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.options().delta; }); })
      .def_property_readonly("dtype",
                             [](const PySearchIndex& s) { return std::string(s.is_float32() ? "float32" : "float64"); })
      .def_property_readonly(
          "average_length",
          [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.average_length(); }); },
          "BM25: the mean document length in counted terms (0 for cosine).")
      .def(
          "idf", [](const PySearchIndex& s) { return move_to_numpy(s.visit([](const auto& i) { return i.idf(); })); },
          "BM25: the method's idf of each term (empty for cosine); a copy.")
      .def(
          "baseline",
          [](const PySearchIndex& s) { return move_to_numpy(s.visit([](const auto& i) { return i.baseline(); })); },
          "bm25l and bm25+: each term's score for a document without it (empty otherwise); a copy.")
      .def("add", &PySearchIndex::add, py::arg("documents"),
           "Append documents, (data, indices, indptr, rows, cols) in the index's dtype, exactly as a build over all "
           "documents would index them.")
      .def("serialize", &PySearchIndex::serialize_index, py::arg("metadata") = py::bytes(""),
           py::arg("vectorizer") = py::none(),
           "The index's model bytes, with the C++ vectorizer or without one (None).")
      .def("save", &PySearchIndex::save_index, py::arg("path"), py::arg("vectorizer"),
           py::arg("metadata") = py::bytes(""),
           "Write the index (with the C++ vectorizer, or None) atomically to path (file-system encoded bytes).")
      .def_property_readonly(
          "mapped", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.is_mapped(); }); },
          "Whether the index reads its arrays from a mapped file.")
      .def(
          "arrays",
          [](const PySearchIndex& s) {
            return s.visit([](const auto& i) {
              std::vector<std::tuple<std::string, std::uintptr_t, std::size_t>> out;
              for (const IndexArray& a : i.arrays())
                out.emplace_back(a.name, reinterpret_cast<std::uintptr_t>(a.data), a.bytes);
              return out;
            });
          },
          "(name, address, size in bytes) of each large array.");

  m.def(
      "deserialize_any",
      [](const py::buffer& data) {
        const py::buffer_info info = data.request();
        if (info.ndim != 1 || info.strides[0] != info.itemsize)
          throw py::type_error("deserialize_any() takes bytes or a contiguous 1-d buffer");
        const std::string_view view(static_cast<const char*>(info.ptr),
                                    static_cast<std::size_t>(info.size * info.itemsize));
        std::optional<std::variant<Model, IndexModel>> any;
        {
          py::gil_scoped_release release;
          any.emplace(deserialize_any(view));
        }
        return to_python(std::move(*any));
      },
      py::arg("data"), "(kind, object, vectorizer, metadata) from model bytes: kind 'vectorizer' or 'index'.");
  m.def(
      "load_any",
      [](const py::bytes& path, bool mmap, bool verify) {
        const std::string p = path;
        std::optional<std::variant<Model, IndexModel>> any;
        {
          py::gil_scoped_release release;
          any.emplace(load_any(p, IndexLoadOptions{mmap, verify}));
        }
        return to_python(std::move(*any));
      },
      py::arg("path"), py::arg("mmap") = false, py::arg("verify") = false,
      "(kind, object, vectorizer, metadata) from a model file: kind 'vectorizer' or 'index' (an index mapped with "
      "mmap).");
  m.def("scoring_names", &enum_names<Scoring>, "The scorings' names, in the index file's code order.");
  m.def("bm25_method_names", &enum_names<Bm25Method>,
        "bm25s's names of the BM25 methods, in the index file's code order.");
}

}  // namespace lexsim::bindings
