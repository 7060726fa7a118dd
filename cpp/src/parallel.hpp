#pragma once
// Splitting work over threads by contiguous index ranges. Workers write only their own block and
// the caller merges blocks in order, so results never depend on the number of threads.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace lexsim::detail {

/// n_jobs as scikit-learn reads it (None/1 = one thread, -1 = all cores), capped by the work.
inline int resolve_jobs(int n_jobs, std::int64_t n_items) {
  int n = n_jobs;
  if (n < 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (n < 1) n = 1;
  if (n_items < n) n = static_cast<int>(std::max<std::int64_t>(1, n_items));
  return n;
}

/// Calls fn(worker, begin, end, stop) for `workers` contiguous blocks of [0, n) and rethrows the
/// first error. Worker 0 runs on the calling thread (so it sees that thread's interrupt check);
/// once any worker fails, `stop` becomes true and the others should return early.
template <class Fn>
void parallel_blocks(std::int64_t n, int workers, Fn&& fn) {
  std::atomic<bool> stop{false};
  if (workers <= 1) {
    fn(0, std::int64_t{0}, n, stop);
    return;
  }
  std::exception_ptr error;
  std::mutex error_mutex;
  auto run = [&](int w) {
    const std::int64_t begin = n * w / workers, end = n * (w + 1) / workers;
    try {
      fn(w, begin, end, stop);
    } catch (...) {
      stop = true;
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(run, w);
  run(0);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace lexsim::detail
