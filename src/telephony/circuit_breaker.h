#pragma once
// CircuitBreaker: one per provider account. When the provider keeps failing (5xx, network,
// rate limits that outlasted the client's retries), dialling more leads only burns them, so
// after `failure_threshold` consecutive failures the breaker opens and refuses requests for
// a cool-down; then it lets a few probe requests through (half-open), and the first
// success closes it again. Per-call rejections (a bad number) are not the provider's
// health and do not count. Thread-safe; time comes from an injected Clock.
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace vaarta::telephony {

struct CircuitBreakerOptions {
  int failure_threshold = 5;    // consecutive failures that open the breaker
  int64_t open_millis = 30000;  // cool-down before half-open probes
  int half_open_probes = 1;     // requests allowed at once while half-open
};

class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };

  // `name` says whose breaker it is in error messages ("Twilio account AC…").
  CircuitBreaker(std::string name, CircuitBreakerOptions options, const core::Clock& clock);

  // Asks to send one request. OK: send it and report the outcome with Record*. Error
  // (detail code provider_circuit_open, kUnavailable): do not send; the message says when
  // the breaker will try again.
  core::Status Allow();
  void RecordSuccess();
  void RecordFailure(std::string_view reason);
  // Records a request's outcome: errors that speak of the provider's health count as
  // failures, anything else (including per-call rejections) as a success.
  void Record(const core::Error* error);
  template <typename T>
  void Record(const core::Result<T>& result) {
    Record(result.ok() ? nullptr : &result.error());
  }

  // True for errors that say the provider (not the request) is failing.
  static bool CountsAsFailure(const core::Error& error);

  State state() const;
  static std::string_view StateName(State state);  // "closed", "open", "half-open"

 private:
  // Moves open → half-open when the cool-down has passed; callers hold mutex_.
  void Refresh(int64_t now);
  void Open(int64_t now);

  const std::string name_;
  CircuitBreakerOptions options_;
  const core::Clock& clock_;
  mutable std::mutex mutex_;
  State state_ = State::kClosed;
  int consecutive_failures_ = 0;
  int64_t opened_at_ms_ = 0;
  int probes_in_flight_ = 0;
  int64_t half_open_since_ms_ = 0;
  std::string last_failure_;
};

}  // namespace vaarta::telephony
