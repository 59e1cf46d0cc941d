#pragma once
// LoginThrottle: limits failed logins per account and per address over a sliding
// window. Failures are kept in the database so that every server sharing it enforces
// the same limit.
#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace vaarta::auth {

struct ThrottleLimits {
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  int64_t window_millis = 15 * 60 * 1000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottleLimits limits) : limits_(limits) {}
  // Milliseconds until another attempt is allowed, or nullopt when allowed now.
  std::optional<int64_t> RetryAfter(storage::Transaction& tx, const std::string& email,
                                    const std::string& address, int64_t now);
  void RecordFailure(storage::Transaction& tx, const std::string& email, const std::string& address,
                     int64_t now);
  // A successful login clears the account's failures (not the address's).
  void ClearAccount(storage::Transaction& tx, const std::string& email);

 private:
  ThrottleLimits limits_;
};

}  // namespace vaarta::auth
