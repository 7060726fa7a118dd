#pragma once
// Splitting work over threads by contiguous index ranges. Workers write only their own block and
// the caller merges blocks in order, so results never depend on the number of threads.

#include <algorithm>
#include <climits>
#include <atomic>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

#include "lexsim/threads.hpp"

namespace lexsim::detail {

/// The threads for n_jobs (see lexsim/threads.hpp: -1 = the CPUs this process may use, within the
/// thread limit), capped by the work. Callers validate n_jobs; here any other negative value means -1
/// and 0 means 1, as they always have.
inline int resolve_jobs(int n_jobs, std::int64_t n_items) {
  int n = n_jobs < 0 ? effective_jobs(-1) : n_jobs;
  if (n < 1) n = 1;
  if (n_items < n) n = static_cast<int>(std::max<std::int64_t>(1, n_items));
  return n;
}

/// Tells a worker to give up because an earlier block failed (or was interrupted): the result is
/// lost anyway, and the earlier block's error is the one reported.
class StopToken {
 public:
  StopToken(const std::atomic<int>& first_failed, int worker) : first_failed_(first_failed), worker_(worker) {}
  bool requested() const noexcept { return first_failed_.load(std::memory_order_relaxed) < worker_; }

 private:
  const std::atomic<int>& first_failed_;
  int worker_;
};

/// Calls fn(worker, begin, end, stop) for `workers` contiguous blocks of [0, n) and rethrows the
/// error of the earliest failing block, so the error reported never depends on timing. Worker 0
/// runs on the calling thread (so it sees that thread's interrupt check).
template <class Fn>
void parallel_blocks(std::int64_t n, int workers, Fn&& fn) {
  std::atomic<int> first_failed{INT32_MAX};
  if (workers <= 1) {
    fn(0, std::int64_t{0}, n, StopToken(first_failed, 0));
    return;
  }
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(workers));
  auto run = [&](int w) {
    const std::int64_t begin = n * w / workers, end = n * (w + 1) / workers;
    try {
      fn(w, begin, end, StopToken(first_failed, w));
    } catch (...) {
      errors[static_cast<std::size_t>(w)] = std::current_exception();
      int seen = first_failed.load();
      while (w < seen && !first_failed.compare_exchange_weak(seen, w)) {
      }
    }
  };
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(run, w);
  run(0);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

/// Calls fn(worker, begin, end) for chunks of [0, n) handed out on demand, for work whose cost per
/// item is uneven. Only for work whose result does not depend on which worker did which chunk.
/// Worker 0 runs on the calling thread; after an error the others stop at their next chunk, and the
/// error of the lowest-numbered failing worker is rethrown.
template <class Fn>
void parallel_chunks(std::int64_t n, int workers, std::int64_t chunk, Fn&& fn) {
  std::atomic<std::int64_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(std::max(workers, 1)));
  auto run = [&](int w) {
    try {
      for (;;) {
        if (failed.load(std::memory_order_relaxed)) return;
        const std::int64_t begin = next.fetch_add(chunk);
        if (begin >= n) return;
        fn(w, begin, std::min(n, begin + chunk));
      }
    } catch (...) {
      errors[static_cast<std::size_t>(w)] = std::current_exception();
      failed.store(true);
    }
  };
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(run, w);
  run(0);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace lexsim::detail
