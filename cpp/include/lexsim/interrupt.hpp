#pragma once
// Stopping long operations from outside (e.g. Ctrl-C in Python) without lexsim knowing the caller.

#include <functional>

#include "lexsim/export.hpp"

namespace lexsim {

/// While alive, long operations on this thread call `check` about every 50 ms; when it returns
/// true they throw lexsim::Cancelled. Guards nest; the innermost wins.
class LEXSIM_API InterruptGuard {
 public:
  explicit InterruptGuard(std::function<bool()> check);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  std::function<bool()> check_;
  InterruptGuard* previous_;
};

namespace detail {
/// Throws lexsim::Cancelled if this thread's interrupt check asks to stop. Cheap: it reads the clock
/// about every half millisecond (how many calls that is adapts to how long a call's work takes).
void poll_interrupt();
}  // namespace detail

}  // namespace lexsim
