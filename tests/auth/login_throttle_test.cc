#include "auth/login_throttle.h"

#include <gtest/gtest.h>

#include "test_support/test_database.h"

namespace vaarta::auth {
namespace {

constexpr int64_t kStart = 1'800'000'000'000;
constexpr int64_t kWindow = 60'000;

class LoginThrottleTest : public ::testing::TestWithParam<std::string> {
 protected:
  LoginThrottleTest()
      : tdb_(GetParam()),
        throttle_(ThrottleLimits{.max_failures_per_account = 3,
                                 .max_failures_per_address = 5,
                                 .window_millis = kWindow}) {}

  std::optional<int64_t> RetryAfter(const std::string& email, const std::string& address,
                                    int64_t now) {
    auto tx = tdb_.db().Begin(false);
    auto r = throttle_.RetryAfter(*tx, email, address, now);
    tx->Commit();
    return r;
  }
  void Fail(const std::string& email, const std::string& address, int64_t now) {
    auto tx = tdb_.db().Begin(true);
    throttle_.RecordFailure(*tx, email, address, now);
    tx->Commit();
  }
  void Clear(const std::string& email) {
    auto tx = tdb_.db().Begin(true);
    throttle_.ClearAccount(*tx, email);
    tx->Commit();
  }

  testing::TestDatabase tdb_;
  LoginThrottle throttle_;
};

TEST_P(LoginThrottleTest, BlocksAccountAfterLimitFromAnyAddress) {
  Fail("a@x.in", "10.0.0.1", kStart);
  Fail("a@x.in", "10.0.0.2", kStart + 1000);
  EXPECT_FALSE(RetryAfter("a@x.in", "10.0.0.9", kStart + 2000));
  Fail("a@x.in", "10.0.0.3", kStart + 2000);
  auto wait = RetryAfter("a@x.in", "10.0.0.9", kStart + 3000);
  ASSERT_TRUE(wait.has_value());
  // Allowed again when the oldest of the three leaves the window.
  EXPECT_EQ(*wait, kStart + kWindow - (kStart + 3000));
  EXPECT_FALSE(RetryAfter("b@x.in", "10.0.0.9", kStart + 3000));
}

TEST_P(LoginThrottleTest, BlocksAddressAcrossAccounts) {
  for (int i = 0; i < 5; ++i) {
    Fail("user" + std::to_string(i) + "@x.in", "10.0.0.1", kStart + i);
  }
  EXPECT_TRUE(RetryAfter("fresh@x.in", "10.0.0.1", kStart + 10).has_value());
  EXPECT_FALSE(RetryAfter("fresh@x.in", "10.0.0.2", kStart + 10).has_value());
}

TEST_P(LoginThrottleTest, SlidingWindowExpiryAllowsAgain) {
  Fail("a@x.in", "10.0.0.1", kStart);
  Fail("a@x.in", "10.0.0.1", kStart + 10'000);
  Fail("a@x.in", "10.0.0.1", kStart + 20'000);
  EXPECT_TRUE(RetryAfter("a@x.in", "", kStart + kWindow - 1).has_value());
  EXPECT_FALSE(RetryAfter("a@x.in", "", kStart + kWindow).has_value());
  // One more failure now fills the window again until the second one ages out.
  Fail("a@x.in", "10.0.0.1", kStart + kWindow);
  auto wait = RetryAfter("a@x.in", "", kStart + kWindow);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 10'000);
}

TEST_P(LoginThrottleTest, ClearAccountKeepsAddressFailures) {
  for (int i = 0; i < 3; ++i) Fail("a@x.in", "10.0.0.1", kStart + i);
  Fail("b@x.in", "10.0.0.1", kStart + 3);
  Fail("c@x.in", "10.0.0.1", kStart + 4);
  EXPECT_TRUE(RetryAfter("a@x.in", "10.0.0.2", kStart + 5).has_value());
  Clear("a@x.in");
  EXPECT_FALSE(RetryAfter("a@x.in", "10.0.0.2", kStart + 5).has_value());
  // The address still has its five failures.
  EXPECT_TRUE(RetryAfter("a@x.in", "10.0.0.1", kStart + 5).has_value());
}

TEST_P(LoginThrottleTest, OldFailuresArePruned) {
  for (int i = 0; i < 120; ++i) Fail("spray" + std::to_string(i) + "@x.in", "10.0.0.1", kStart);
  Fail("late@x.in", "10.0.0.2", kStart + 2 * kWindow);
  for (int i = 0; i < 120; ++i) {
    Fail("late" + std::to_string(i) + "@x.in", "10.0.0.3", kStart + 2 * kWindow);
  }
  auto tx = tdb_.db().Begin(false);
  int64_t old_rows =
      tx->Execute("SELECT COUNT(*) FROM login_failures WHERE at <= $1", {storage::Int(kStart)})
          .rows.at(0)
          .GetInt(0);
  EXPECT_EQ(old_rows, 0);
}

INSTANTIATE_TEST_SUITE_P(Dialects, LoginThrottleTest, vaarta::testing::BothDialects());

}  // namespace
}  // namespace vaarta::auth
