#pragma once
// Splitting work over threads by contiguous index ranges. Workers write only their own block and
// the caller merges blocks in order, so results never depend on the number of threads.

#include <algorithm>
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

/// Calls fn(worker, begin, end) for `workers` contiguous blocks of [0, n); rethrows the first error.
template <class Fn>
void parallel_blocks(std::int64_t n, int workers, Fn&& fn) {
  if (workers <= 1) {
    fn(0, std::int64_t{0}, n);
    return;
  }
  std::vector<std::thread> threads;
  std::exception_ptr error;
  std::mutex error_mutex;
  for (int w = 0; w < workers; ++w) {
    const std::int64_t begin = n * w / workers, end = n * (w + 1) / workers;
    threads.emplace_back([&, w, begin, end] {
      try {
        fn(w, begin, end);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace lexsim::detail
