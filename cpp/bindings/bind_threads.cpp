// Thread counts (lexsim/threads.hpp) for Python, and the two C functions threadpoolctl calls.
#include "module.hpp"
#include "lexsim/threads.hpp"

// threadpoolctl finds lexsim among the loaded shared objects by these symbols and limits its threads
// through them (python/lexsim/_threads.py registers the controller), as it does for OpenBLAS or
// OpenMP. They are the only symbols _core exports besides its PyInit function.
#if defined(_WIN32)
#define LEXSIM_C_EXPORT __declspec(dllexport)
#else
#define LEXSIM_C_EXPORT __attribute__((visibility("default")))
#endif

extern "C" {
LEXSIM_C_EXPORT int lexsim_get_num_threads() {
  try {
    return lexsim::effective_jobs(-1);
  } catch (...) {  // a bad LEXSIM_NUM_THREADS: report the CPUs; the next lexsim call names the error
    return lexsim::available_cpus();
  }
}
// threadpoolctl restores a limit by setting the count it read before: when that is what -1 gives
// without a limit, the limit is removed rather than pinned (so a later change of the affinity mask
// or the environment still counts).
LEXSIM_C_EXPORT void lexsim_set_num_threads(int n) {
  if (n < 1) return;
  int unlimited = 0;
  try {
    unlimited = lexsim::detail::default_jobs();
  } catch (...) {  // a bad LEXSIM_NUM_THREADS: keep the limit asked for
  }
  lexsim::set_thread_limit(n == unlimited ? 0 : n);
}
}

namespace lexsim::bindings {

void bind_threads(py::module_& m) {
  m.def("available_cpus", &available_cpus,
        "CPUs this process may run on: its affinity mask within the cgroup CPU quota (rounded up).");
  m.def("thread_limit", &thread_limit, "The process-wide limit on n_jobs=-1 set by set_thread_limit (0 = none).");
  m.def("set_thread_limit", &set_thread_limit, py::arg("limit"),
        "Limit the threads n_jobs=-1 runs (0 = no limit: LEXSIM_NUM_THREADS, then OMP_NUM_THREADS apply).");
  m.def("effective_n_jobs", &effective_jobs, py::arg("n_jobs"),
        "The threads a call with this n_jobs runs at most (-1: the available CPUs within the limit).");
}

}  // namespace lexsim::bindings
