#include "telephony/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace vaarta::telephony {

TokenBucket::TokenBucket(double rate_per_second, double burst, const core::Clock& clock)
    : rate_(std::max(rate_per_second, 1e-9)),
      burst_(std::max(burst, 1.0)),
      clock_(clock),
      tokens_(burst_),
      updated_ms_(clock.NowMillis()) {}

double TokenBucket::TokensAt(int64_t now) const {
  // A clock that stepped backwards refills nothing rather than draining the bucket.
  const int64_t elapsed = std::max<int64_t>(0, now - updated_ms_);
  return std::min(burst_, tokens_ + static_cast<double>(elapsed) * rate_ / 1000.0);
}

bool TokenBucket::TryTake(double tokens) {
  std::lock_guard lock(mutex_);
  const int64_t now = clock_.NowMillis();
  double available = TokensAt(now);
  if (now > updated_ms_) updated_ms_ = now;
  tokens_ = available;
  // A tiny tolerance so that rounding in the refill never withholds a whole token.
  if (available + 1e-9 < tokens) return false;
  tokens_ = std::max(0.0, available - tokens);
  return true;
}

int64_t TokenBucket::TimeUntilAvailable(double tokens) const {
  if (tokens > burst_) return -1;
  std::lock_guard lock(mutex_);
  const double missing = tokens - TokensAt(clock_.NowMillis());
  if (missing <= 1e-9) return 0;
  // The tolerance keeps float error (0.995 + 0.005) from rounding one millisecond up.
  return static_cast<int64_t>(std::ceil(missing * 1000.0 / rate_ - 1e-6));
}

}  // namespace vaarta::telephony
