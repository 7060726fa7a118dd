// The similarity kernels over CSR buffers handed in by the Python layer (no copies of the inputs).
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "csr_in.hpp"
#include "enum_names.hpp"
#include "gil.hpp"
#include "module.hpp"
#include "numpy_out.hpp"
#include "lexsim/similarity.hpp"

namespace lexsim::bindings {
namespace {

template <class T, class IP>
py::tuple run(const py::tuple& a, const std::optional<py::tuple>& b, const TopKOptions& opt) {
  const auto av = csr_view<T, IP>(a, "A");
  std::optional<CsrView<T, IP, std::int32_t>> bv;
  if (b) bv = csr_view<T, IP>(*b, "B");
  CsrMatrix<T> out = without_gil([&] { return top_k(av, bv ? &*bv : nullptr, opt); });
  return csr_to_python(std::move(out));
}

// Calls fn(view) with the view typed after the tuple's buffers: (data, indices:int32, indptr, rows,
// cols), data float32/float64 and indptr int32/int64.
template <class Fn>
auto with_view(const py::tuple& m, Fn&& fn) {
  auto call = [&](auto tag_t, auto tag_ip) {
    using T = decltype(tag_t);
    using IP = decltype(tag_ip);
    return fn(csr_view<T, IP>(m, "X"));
  };
  const bool f32 = csr_is_float32(m);
  const bool ip32 = csr_has_int32_indptr(m);
  // Every branch must return the same type: results are handed back as Python objects.
  if (f32) return ip32 ? call(float{}, std::int32_t{}) : call(float{}, std::int64_t{});
  return ip32 ? call(double{}, std::int32_t{}) : call(double{}, std::int64_t{});
}

template <class T>
py::tuple pairs_to_python(Pairs<T>&& p) {
  return py::make_tuple(move_to_numpy(std::move(p.rows)), move_to_numpy(std::move(p.cols)),
                        move_to_numpy(std::move(p.scores)));
}

}  // namespace

void bind_similarity(py::module_& m) {
  m.def(
      "top_k",
      [](const py::tuple& a, const std::optional<py::tuple>& b, std::int64_t k, std::optional<double> threshold,
         int n_jobs) {
        // Each matrix: (data, indices:int32, indptr, rows, cols); data float32/float64, indptr int32/int64,
        // both matrices of the same types (the Python layer makes sure of it).
        TopKOptions opt;
        opt.k = k;
        opt.threshold = threshold;
        opt.n_jobs = n_jobs;
        const auto data = a[0].cast<py::array>();
        const auto indptr = a[2].cast<py::array>();
        const bool f32 = has_dtype(data, py::dtype::of<float>());
        const bool ip32 = has_dtype(indptr, py::dtype::of<std::int32_t>());
        if (f32) return ip32 ? run<float, std::int32_t>(a, b, opt) : run<float, std::int64_t>(a, b, opt);
        return ip32 ? run<double, std::int32_t>(a, b, opt) : run<double, std::int64_t>(a, b, opt);
      },
      py::arg("a"), py::arg("b"), py::arg("k"), py::arg("threshold"), py::arg("n_jobs"),
      "Top-k cosine similarities between CSR matrices given as buffer tuples.");

  m.def(
      "similar_pairs",
      [](const py::tuple& x, double threshold, int n_jobs) {
        PairsOptions opt;
        opt.threshold = threshold;
        opt.n_jobs = n_jobs;
        return with_view(x, [&](const auto& v) -> py::tuple {
          auto pairs = without_gil([&] { return similar_pairs(v, opt); });
          return pairs_to_python(std::move(pairs));
        });
      },
      py::arg("x"), py::arg("threshold"), py::arg("n_jobs"),
      "Every pair i < j with cosine >= threshold: (rows, cols, scores) arrays.");

  m.def(
      "group",
      [](const py::tuple& x, std::optional<double> threshold, std::int64_t n_terms, int n_jobs,
         const std::string& method, std::int64_t n_neighbors, std::int64_t min_shared, double resolution,
         std::optional<py::array_t<double, py::array::c_style | py::array::forcecast>> dates, double date_window) {
        GroupOptions opt;
        opt.threshold = threshold;
        opt.n_terms = n_terms;
        opt.n_jobs = n_jobs;
        const auto parsed = from_string<GroupMethod>(method);
        if (!parsed) throw InvalidArgument("method must be " + enum_choices<GroupMethod>() + "; got '" + method + "'");
        opt.method = *parsed;
        opt.n_neighbors = n_neighbors;
        opt.min_shared = min_shared;
        opt.resolution = resolution;
        opt.date_window = date_window;
        if (dates) {
          if (dates->ndim() != 1) throw InvalidArgument("dates must be one-dimensional");
          opt.dates.assign(dates->data(), dates->data() + dates->size());
        }
        return with_view(x, [&](const auto& v) -> py::tuple {
          auto g = without_gil([&] { return group(v, opt); });
          py::dict stats;
          stats["n_neighbors"] = g.n_neighbors;
          stats["n_links"] = g.n_links;
          stats["modularity"] = g.modularity;
          return py::make_tuple(move_to_numpy(std::move(g.labels)), move_to_numpy(std::move(g.offsets)),
                                move_to_numpy(std::move(g.members)), move_to_numpy(std::move(g.representative)),
                                csr_to_python(std::move(g.top_terms)), stats);
        });
      },
      py::arg("x"), py::arg("threshold"), py::arg("n_terms"), py::arg("n_jobs"), py::arg("method") = "leiden",
      py::arg("n_neighbors") = 0, py::arg("min_shared") = 3, py::arg("resolution") = 1.0, py::arg("dates") = py::none(),
      py::arg("date_window") = 0.0,
      "Story groups: (labels, offsets, members, representative, top_terms CSR buffers, stats).");

  m.def(
      "top_terms",
      [](const py::tuple& x, std::int64_t n, int n_jobs) {
        return with_view(x, [&](const auto& v) -> py::tuple {
          auto out = without_gil([&] { return top_terms(v, n, n_jobs); });
          return csr_to_python(std::move(out));
        });
      },
      py::arg("x"), py::arg("n"), py::arg("n_jobs"), "Each row's n largest values as CSR buffers.");

  m.def(
      "ranked_order",
      [](const py::tuple& x) {
        return with_view(x, [&](const auto& v) -> py::object {
          auto order = without_gil([&] { return ranked_order(v); });
          return move_to_numpy(std::move(order));
        });
      },
      py::arg("x"), "Positions of each row's stored values in rank order (best first, ties: lower column).");

  m.def(
      "merge_top_k",
      [](const std::vector<py::tuple>& parts, const std::vector<std::int64_t>& offsets, std::int64_t k,
         std::int64_t n_cols) {
        // Every part of the first one's types (the Python layer converts them alike).
        if (parts.empty()) throw InvalidArgument("merge_top_k needs at least one part");
        auto merge = [&](auto tag_t, auto tag_ip) -> py::tuple {
          using T = decltype(tag_t);
          using IP = decltype(tag_ip);
          std::vector<CsrView<T, IP, std::int32_t>> views;
          for (const auto& p : parts) views.push_back(csr_view<T, IP>(p, "part"));
          auto out = without_gil([&] { return merge_top_k(views, offsets, k, n_cols); });
          return csr_to_python(std::move(out));
        };
        const bool f32 = csr_is_float32(parts[0]);
        const bool ip32 = csr_has_int32_indptr(parts[0]);
        if (f32) return ip32 ? merge(float{}, std::int32_t{}) : merge(float{}, std::int64_t{});
        return ip32 ? merge(double{}, std::int32_t{}) : merge(double{}, std::int64_t{});
      },
      py::arg("parts"), py::arg("offsets"), py::arg("k"), py::arg("n_cols"),
      "Per row, the k best of top-k results over column blocks, as CSR buffers.");

  m.def(
      "explain",
      [](const py::tuple& x, std::int64_t i, std::int64_t j) {
        return with_view(x, [&](const auto& v) -> py::tuple {
          const auto parts = explain(v, i, j);
          std::vector<std::int32_t> cols;
          std::vector<double> contribution, wi, wj;
          for (const auto& c : parts) {
            cols.push_back(c.column);
            contribution.push_back(c.contribution);
            wi.push_back(c.weight_i);
            wj.push_back(c.weight_j);
          }
          return py::make_tuple(move_to_numpy(std::move(cols)), move_to_numpy(std::move(contribution)),
                                move_to_numpy(std::move(wi)), move_to_numpy(std::move(wj)));
        });
      },
      py::arg("x"), py::arg("i"), py::arg("j"),
      "Shared columns of rows i and j with their contributions to the cosine, largest first.");
  m.def("group_method_names", &enum_names<GroupMethod>, "The story-group methods' names.");
}

}  // namespace lexsim::bindings
