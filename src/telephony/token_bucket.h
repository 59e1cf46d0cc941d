#pragma once
// TokenBucket: the provider account's calls-per-second limit. Tokens refill at `rate` per
// second up to `burst`; placing a call takes one. Providers refuse (Twilio: 429) or queue
// calls above their account's CPS, so the dialer asks the bucket before it dials.
// Thread-safe; time comes from an injected Clock so tests can move it.
#include <cstdint>
#include <mutex>

#include "core/clock.h"

namespace vaarta::telephony {

class TokenBucket {
 public:
  // `rate_per_second` > 0 and `burst` >= 1; the bucket starts full.
  TokenBucket(double rate_per_second, double burst, const core::Clock& clock);

  // Takes `tokens` when that many are available now; false (and takes nothing) otherwise.
  bool TryTake(double tokens = 1);
  // Milliseconds until `tokens` would be available (0 when they are now). More than
  // `burst` tokens never become available: returns -1.
  int64_t TimeUntilAvailable(double tokens = 1) const;

  double rate_per_second() const { return rate_; }
  double burst() const { return burst_; }

 private:
  // Tokens at `now`, without mutating; callers hold mutex_.
  double TokensAt(int64_t now) const;

  const double rate_;
  const double burst_;
  const core::Clock& clock_;
  mutable std::mutex mutex_;
  double tokens_;
  int64_t updated_ms_;
};

}  // namespace vaarta::telephony
