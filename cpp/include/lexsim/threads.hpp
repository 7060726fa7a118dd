#pragma once
// How many threads lexsim starts: the CPUs this process may use, and a process-wide limit.
//
// Every lexsim call that takes n_jobs runs `effective_jobs(n_jobs)` threads at most (fewer when the
// work is small). The rule is scikit-learn's for its OpenMP estimators (_openmp_effective_n_threads):
//
//   n_jobs >= 1   exactly that many: an explicit request is honoured;
//   n_jobs == -1  min(available_cpus(), the limit), the limit being, in this order of precedence,
//                 set_thread_limit() (which threadpoolctl.threadpool_limits calls from Python), the
//                 environment variable LEXSIM_NUM_THREADS, then OMP_NUM_THREADS (which joblib sets in
//                 its worker processes to cores / workers, and Dask's nanny sets to 1), else none.
//
// So "all cores" inside a GridSearchCV(n_jobs=2) worker or a Dask worker uses that worker's share, and
// under `taskset -c 0` or a container's CPU quota it uses what the process may actually run on.
// Results never depend on the number of threads.

#include <string>

#include "lexsim/export.hpp"

namespace lexsim {

/// CPUs this process may run on: the calling thread's affinity mask (taskset, cpusets), capped by the
/// cgroup CPU quota of its cgroup and every ancestor (v1 cpu.cfs_quota_us / cpu.cfs_period_us or v2
/// cpu.max, rounded up: a quota of 1.5 CPUs is 2), at least 1. The quota is read once per process; the
/// affinity mask at every call.
LEXSIM_API int available_cpus();

/// Sets the process-wide limit on the threads n_jobs=-1 runs (0 removes it, so the environment
/// variables apply again). Throws InvalidArgument for a negative limit.
LEXSIM_API void set_thread_limit(int limit);

/// The limit set by set_thread_limit (0 = none).
LEXSIM_API int thread_limit() noexcept;

/// The number of threads a call with this n_jobs runs before it is capped by the amount of work (see
/// the table above). Throws InvalidArgument when n_jobs is 0 or below -1, or when LEXSIM_NUM_THREADS
/// is set to anything but a positive integer (an OMP_NUM_THREADS that is not one is ignored, as
/// OpenMP runtimes ignore it).
LEXSIM_API int effective_jobs(int n_jobs);

namespace detail {
/// What n_jobs=-1 runs when set_thread_limit has set no limit: the available CPUs within the
/// environment's limit. Throws InvalidArgument for a bad LEXSIM_NUM_THREADS.
int default_jobs();
/// The CPU quota (rounded up) that the cgroups listed in `proc_cgroup` (the format of
/// /proc/self/cgroup) impose, with their mount points read from `mountinfo` (the format of
/// /proc/self/mountinfo); 0 when there is none or it cannot be read. Files are passed by path so
/// that tests can describe any host.
int cgroup_cpu_quota(const std::string& mountinfo, const std::string& proc_cgroup);
/// The value of a thread-count environment variable: a positive integer (OMP_NUM_THREADS may be a
/// list "4,2": the first level counts). 0 when unset or empty; -1 when set to anything else.
int parse_thread_count(const char* value) noexcept;
}  // namespace detail

}  // namespace lexsim
