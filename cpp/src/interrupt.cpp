#include "lexsim/interrupt.hpp"

#include <chrono>
#include <cstdint>

#include "lexsim/errors.hpp"

namespace lexsim {
namespace {

struct PollState {
  InterruptGuard* guard = nullptr;
  const std::function<bool()>* check = nullptr;
  std::uint32_t calls = 0;
  std::chrono::steady_clock::time_point last{};
};

thread_local PollState state;

}  // namespace

InterruptGuard::InterruptGuard(std::function<bool()> check) : check_(std::move(check)), previous_(state.guard) {
  state.guard = this;
  state.check = &check_;
  state.last = std::chrono::steady_clock::now();
}

InterruptGuard::~InterruptGuard() {
  state.guard = previous_;
  state.check = previous_ ? &previous_->check_ : nullptr;
}

namespace detail {

void poll_interrupt() {
  if (state.check == nullptr || (++state.calls & 255u) != 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - state.last < std::chrono::milliseconds(50)) return;
  state.last = now;
  if ((*state.check)()) throw Cancelled();
}

}  // namespace detail
}  // namespace lexsim
