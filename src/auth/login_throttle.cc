#include "auth/login_throttle.h"

#include <algorithm>

namespace vaarta::auth {
namespace {

// Every this many recorded failures, rows older than the window are deleted for all
// e-mails and addresses, so that one-off attempts do not accumulate forever. Keyed on
// the row id, so there is no counter to keep.
constexpr int64_t kPruneEvery = 100;

// When the `max`-th most recent failure in the window leaves it, the count drops below
// the limit; that is when the next attempt is allowed.
std::optional<int64_t> BlockedUntil(storage::Transaction& tx, const char* column,
                                    const std::string& value, int max, int64_t window,
                                    int64_t now) {
  if (max <= 0) return std::nullopt;  // a limit of 0 means no limit
  auto result =
      tx.Execute(std::string("SELECT at FROM login_failures WHERE ") + column +
                     " = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $3",
                 {storage::Text(value), storage::Int(now - window), storage::Int(max - 1)});
  if (result.rows.empty()) return std::nullopt;
  return result.rows.front().GetInt(0) + window;
}

}  // namespace

std::optional<int64_t> LoginThrottle::RetryAfter(storage::Transaction& tx, const std::string& email,
                                                 const std::string& address, int64_t now) {
  std::optional<int64_t> until;
  if (!email.empty()) {
    until = BlockedUntil(tx, "email", email, limits_.max_failures_per_account,
                         limits_.window_millis, now);
  }
  if (!address.empty()) {
    auto by_address = BlockedUntil(tx, "address", address, limits_.max_failures_per_address,
                                   limits_.window_millis, now);
    if (by_address && (!until || *by_address > *until)) until = by_address;
  }
  if (!until || *until <= now) return std::nullopt;
  return *until - now;
}

void LoginThrottle::RecordFailure(storage::Transaction& tx, const std::string& email,
                                  const std::string& address, int64_t now) {
  int64_t id = tx.Execute(
                     "INSERT INTO login_failures (email, address, at) VALUES ($1, $2, $3) "
                     "RETURNING id",
                     {storage::Text(email), storage::Text(address), storage::Int(now)})
                   .rows.at(0)
                   .GetInt(0);
  if (id % kPruneEvery == 0) {
    tx.Execute("DELETE FROM login_failures WHERE at <= $1",
               {storage::Int(now - limits_.window_millis)});
  }
}

void LoginThrottle::ClearAccount(storage::Transaction& tx, const std::string& email) {
  // The rows are detached from the account rather than deleted so that they still count
  // against the address they came from. An empty e-mail never belongs to an account.
  tx.Execute("UPDATE login_failures SET email = '' WHERE email = $1", {storage::Text(email)});
}

}  // namespace vaarta::auth
