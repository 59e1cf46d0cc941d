#include "telephony/circuit_breaker.h"

#include <algorithm>

#include "telephony/telephony_provider.h"

namespace vaarta::telephony {

CircuitBreaker::CircuitBreaker(std::string name, CircuitBreakerOptions options,
                               const core::Clock& clock)
    : name_(std::move(name)), options_(options), clock_(clock) {
  options_.failure_threshold = std::max(1, options_.failure_threshold);
  options_.open_millis = std::max<int64_t>(0, options_.open_millis);
  options_.half_open_probes = std::max(1, options_.half_open_probes);
}

std::string_view CircuitBreaker::StateName(State state) {
  switch (state) {
    case State::kClosed:
      return "closed";
    case State::kOpen:
      return "open";
    case State::kHalfOpen:
      return "half-open";
  }
  return "closed";
}

bool CircuitBreaker::CountsAsFailure(const core::Error& error) {
  return error.detail_code == kProviderUnavailable || error.detail_code == kProviderRateLimited;
}

void CircuitBreaker::Refresh(int64_t now) {
  if (state_ == State::kOpen && now - opened_at_ms_ >= options_.open_millis) {
    state_ = State::kHalfOpen;
    probes_in_flight_ = 0;
    half_open_since_ms_ = now;
  }
  // A probe whose outcome was never recorded (its caller gave up) must not keep the
  // breaker half-open forever: after another cool-down the probe slots free up.
  if (state_ == State::kHalfOpen && probes_in_flight_ >= options_.half_open_probes &&
      now - half_open_since_ms_ >= options_.open_millis) {
    probes_in_flight_ = 0;
    half_open_since_ms_ = now;
  }
}

void CircuitBreaker::Open(int64_t now) {
  state_ = State::kOpen;
  opened_at_ms_ = now;
  probes_in_flight_ = 0;
}

core::Status CircuitBreaker::Allow() {
  std::lock_guard lock(mutex_);
  const int64_t now = clock_.NowMillis();
  Refresh(now);
  if (state_ == State::kClosed) return core::Ok{};
  if (state_ == State::kHalfOpen && probes_in_flight_ < options_.half_open_probes) {
    ++probes_in_flight_;
    return core::Ok{};
  }
  const int64_t retry_at = state_ == State::kOpen ? opened_at_ms_ + options_.open_millis
                                                  : half_open_since_ms_ + options_.open_millis;
  const int64_t wait_s = std::max<int64_t>(0, (retry_at - now + 999) / 1000);
  std::string message = "Requests to " + name_ + " are paused after " +
                        std::to_string(options_.failure_threshold) + " consecutive failures";
  if (!last_failure_.empty()) message += " (last: " + last_failure_ + ")";
  message += state_ == State::kOpen
                 ? "; the next attempt is allowed at " + core::FormatIso8601Utc(retry_at) +
                       " (in " + std::to_string(wait_s) + " s)."
                 : "; a probe request is checking whether it has recovered.";
  return core::MakeError(core::ErrorCode::kUnavailable, std::move(message),
                         std::string(kProviderCircuitOpen));
}

void CircuitBreaker::RecordSuccess() {
  std::lock_guard lock(mutex_);
  state_ = State::kClosed;
  consecutive_failures_ = 0;
  probes_in_flight_ = 0;
  last_failure_.clear();
}

void CircuitBreaker::RecordFailure(std::string_view reason) {
  std::lock_guard lock(mutex_);
  const int64_t now = clock_.NowMillis();
  last_failure_ = std::string(reason.substr(0, 300));
  ++consecutive_failures_;
  if (state_ == State::kHalfOpen) {
    Open(now);  // the probe failed: another full cool-down
  } else if (state_ == State::kClosed && consecutive_failures_ >= options_.failure_threshold) {
    Open(now);
  }
}

void CircuitBreaker::Record(const core::Error* error) {
  if (error != nullptr && CountsAsFailure(*error)) {
    RecordFailure(error->message);
  } else {
    RecordSuccess();
  }
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard lock(mutex_);
  State state = state_;
  if (state == State::kOpen && clock_.NowMillis() - opened_at_ms_ >= options_.open_millis) {
    state = State::kHalfOpen;
  }
  return state;
}

}  // namespace vaarta::telephony
