#include "lexsim/interrupt.hpp"

#include <chrono>
#include <cstdint>

#include "lexsim/errors.hpp"

namespace lexsim {
namespace {

using Clock = std::chrono::steady_clock;

struct PollState {
  InterruptGuard* guard = nullptr;
  const std::function<bool()>* check = nullptr;
  // The clock is read every `stride` calls; the stride adapts so that a read happens about every
  // half millisecond whether a call stands for a 100-byte document or for a row of a big product.
  std::uint32_t calls = 0;
  std::uint32_t stride = 1;
  Clock::time_point last_read{};
  Clock::time_point last_check{};
};

thread_local PollState state;

}  // namespace

InterruptGuard::InterruptGuard(std::function<bool()> check) : check_(std::move(check)), previous_(state.guard) {
  state.guard = this;
  state.check = &check_;
  state.calls = 0;
  state.stride = 1;
  state.last_read = Clock::now();
  state.last_check = state.last_read - std::chrono::milliseconds(50);  // the first clock read checks
}

InterruptGuard::~InterruptGuard() {
  state.guard = previous_;
  state.check = previous_ ? &previous_->check_ : nullptr;
}

namespace detail {

void poll_interrupt() {
  if (state.check == nullptr || ++state.calls < state.stride) return;
  state.calls = 0;
  const auto now = Clock::now();
  const auto since = now - state.last_read;
  state.last_read = now;
  if (since < std::chrono::microseconds(250)) {
    if (state.stride < (1u << 20)) state.stride *= 2;
  } else if (since > std::chrono::milliseconds(1) && state.stride > 1) {
    state.stride /= 2;
  }
  if (now - state.last_check < std::chrono::milliseconds(50)) return;
  state.last_check = now;
  if ((*state.check)()) throw Cancelled();
}

}  // namespace detail
}  // namespace lexsim
