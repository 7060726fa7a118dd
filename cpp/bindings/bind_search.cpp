// SearchIndex over CSR buffers handed in by the Python layer. The index copies the matrix once;
// results leave as capsule-owned arrays (csr_to_python). The GIL is released while C++ works.
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <variant>

#include "buffers.hpp"
#include "lexsim/search.hpp"

namespace lexsim::bindings {
namespace {

// One index in the data type of the matrix it was built from (float32 stays float32).
class PySearchIndex {
 public:
  PySearchIndex(const py::tuple& documents, const std::string& scoring, double k1, double b, const std::string& method,
                double delta) {
    SearchOptions o;
    if (scoring == "cosine") {
      o.scoring = Scoring::cosine;
    } else if (scoring == "bm25") {
      o.scoring = Scoring::bm25;
    } else {
      throw py::value_error("unknown scoring '" + scoring + "'; expected 'cosine' or 'bm25'");
    }
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

  py::tuple search(const py::tuple& queries, std::int64_t k, int n_jobs) const {
    return std::visit([&](const auto& index) { return run(*index, queries, k, n_jobs); }, index_);
  }

  template <class F>
  auto visit(F&& f) const {
    return std::visit([&](const auto& index) { return f(*index); }, index_);
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
    if (queries.size() == 5 && py::isinstance<py::array>(queries[0]) && csr_is_float32(queries) != std::is_same_v<T, float>)
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

  std::variant<std::shared_ptr<const SearchIndex<double>>, std::shared_ptr<const SearchIndex<float>>> index_;
};

}  // namespace

void bind_search(py::module_& m) {
  py::class_<PySearchIndex>(m, "SearchIndex", "An immutable cosine or BM25 search index (see lexsim.SearchIndex).")
      .def(py::init<const py::tuple&, const std::string&, double, double, const std::string&, double>(),
           py::arg("documents"), py::arg("scoring"), py::arg("k1"), py::arg("b"), py::arg("method") = "lucene",
           py::arg("delta") = 0.5,
           "documents: (data, indices:int32, indptr, rows, cols) with float32/float64 data and int32/int64 indptr; "
           "BM25 needs raw term counts.")
      .def("search", &PySearchIndex::search, py::arg("queries"), py::arg("k"), py::arg("n_jobs"),
           "The k best documents of each query row, as (data, indices, indptr, shape) of a queries x documents "
           "CSR matrix. The queries must have the index's dtype.")
      .def_property_readonly("n_documents", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.n_documents(); }); })
      .def_property_readonly("n_terms", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.n_terms(); }); })
      .def_property_readonly("scoring", [](const PySearchIndex& s) {
        return s.visit([](const auto& i) { return std::string(i.options().scoring == Scoring::bm25 ? "bm25" : "cosine"); });
      })
      .def_property_readonly("k1", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.options().k1; }); })
      .def_property_readonly("b", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.options().b; }); })
      .def_property_readonly("method", [](const PySearchIndex& s) {
        return s.visit([](const auto& i) { return std::string(method_name(i.options().method)); });
      }, "The BM25 variant, by its bm25s name (stored for cosine too, and unused there).")
      .def_property_readonly("delta", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.options().delta; }); })
      .def_property_readonly("dtype", [](const PySearchIndex& s) { return std::string(s.is_float32() ? "float32" : "float64"); })
      .def_property_readonly("average_length", [](const PySearchIndex& s) { return s.visit([](const auto& i) { return i.average_length(); }); },
                             "BM25: the mean document length in counted terms (0 for cosine).")
      .def(
          "idf", [](const PySearchIndex& s) { return move_to_numpy(s.visit([](const auto& i) { return i.idf(); })); },
          "BM25: the method's idf of each term (empty for cosine); a copy.")
      .def(
          "baseline", [](const PySearchIndex& s) { return move_to_numpy(s.visit([](const auto& i) { return i.baseline(); })); },
          "bm25l and bm25+: each term's score for a document without it (empty otherwise); a copy.");
}

}  // namespace lexsim::bindings
