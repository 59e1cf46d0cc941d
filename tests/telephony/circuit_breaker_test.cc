#include "telephony/circuit_breaker.h"

#include <gtest/gtest.h>

#include "telephony/telephony_provider.h"

namespace vaarta::telephony {
namespace {

core::Error Unavailable() {
  return core::MakeError(core::ErrorCode::kUnavailable, "Twilio answered 503",
                         std::string(kProviderUnavailable));
}

core::Error Rejected() {
  return core::MakeError(core::ErrorCode::kInvalidArgument, "invalid To number",
                         std::string(kProviderRejected));
}

class CircuitBreakerTest : public ::testing::Test {
 protected:
  core::ManualClock clock_{1'700'000'000'000};
  CircuitBreaker breaker_{"Twilio account AC1", {3, 30'000, 1}, clock_};

  void Fail() {
    ASSERT_TRUE(breaker_.Allow().ok());
    auto e = Unavailable();
    breaker_.Record(&e);
  }
};

TEST_F(CircuitBreakerTest, OpensAfterConsecutiveFailuresAndSaysWhenItRetries) {
  Fail();
  Fail();
  EXPECT_EQ(breaker_.state(), CircuitBreaker::State::kClosed);
  Fail();
  EXPECT_EQ(breaker_.state(), CircuitBreaker::State::kOpen);
  auto refused = breaker_.Allow();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().detail_code, kProviderCircuitOpen);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(refused.error().message.find("Twilio account AC1"), std::string::npos);
  EXPECT_NE(refused.error().message.find("in 30 s"), std::string::npos);
  EXPECT_NE(refused.error().message.find(core::FormatIso8601Utc(clock_.NowMillis() + 30'000)),
            std::string::npos);
  EXPECT_NE(refused.error().message.find("Twilio answered 503"), std::string::npos);
}

TEST_F(CircuitBreakerTest, ASuccessResetsTheCount) {
  Fail();
  Fail();
  ASSERT_TRUE(breaker_.Allow().ok());
  breaker_.RecordSuccess();
  Fail();
  Fail();
  EXPECT_EQ(breaker_.state(), CircuitBreaker::State::kClosed);
}

TEST_F(CircuitBreakerTest, PerCallRejectionsAreNotFailures) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(breaker_.Allow().ok());
    core::Result<int> result = Rejected();
    breaker_.Record(result);
  }
  EXPECT_EQ(breaker_.state(), CircuitBreaker::State::kClosed);
  EXPECT_FALSE(CircuitBreaker::CountsAsFailure(Rejected()));
  EXPECT_TRUE(CircuitBreaker::CountsAsFailure(
      core::MakeError(core::ErrorCode::kRateLimited, "429", std::string(kProviderRateLimited))));
  EXPECT_FALSE(CircuitBreaker::CountsAsFailure(
      core::MakeError(core::ErrorCode::kUnauthenticated, "401", std::string(kProviderAuth))));
}

TEST_F(CircuitBreakerTest, HalfOpenAllowsOneProbeAndItsSuccessCloses) {
  Fail();
  Fail();
  Fail();
  clock_.Advance(29'999);
  EXPECT_FALSE(breaker_.Allow().ok());
  clock_.Advance(1);
  EXPECT_EQ(breaker_.state(), CircuitBreaker::State::kHalfOpen);
  ASSERT_TRUE(breaker_.Allow().ok());  // the probe
  auto second = breaker_.Allow();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().detail_code, kProviderCircuitOpen);
  breaker_.Record(static_cast<const core::Error*>(nullptr));
  EXPECT_EQ(breaker_.state(), CircuitBreaker::State::kClosed);
  EXPECT_TRUE(breaker_.Allow().ok());
  EXPECT_TRUE(breaker_.Allow().ok());
}

TEST_F(CircuitBreakerTest, AFailedProbeOpensForAnotherCoolDown) {
  Fail();
  Fail();
  Fail();
  clock_.Advance(30'000);
  Fail();  // the probe fails
  EXPECT_EQ(breaker_.state(), CircuitBreaker::State::kOpen);
  clock_.Advance(29'000);
  EXPECT_FALSE(breaker_.Allow().ok());
  clock_.Advance(1'000);
  EXPECT_TRUE(breaker_.Allow().ok());
}

TEST_F(CircuitBreakerTest, AProbeNeverReportedFreesItsSlotAfterACoolDown) {
  Fail();
  Fail();
  Fail();
  clock_.Advance(30'000);
  ASSERT_TRUE(breaker_.Allow().ok());  // its caller never records an outcome
  EXPECT_FALSE(breaker_.Allow().ok());
  clock_.Advance(30'000);
  EXPECT_TRUE(breaker_.Allow().ok());
}

TEST(CircuitBreaker, HalfOpenAllowsTheConfiguredNumberOfProbes) {
  core::ManualClock clock(0);
  CircuitBreaker breaker("acct", {1, 1000, 3}, clock);
  ASSERT_TRUE(breaker.Allow().ok());
  breaker.RecordFailure("boom");
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
  clock.Advance(1000);
  EXPECT_TRUE(breaker.Allow().ok());
  EXPECT_TRUE(breaker.Allow().ok());
  EXPECT_TRUE(breaker.Allow().ok());
  EXPECT_FALSE(breaker.Allow().ok());
}

}  // namespace
}  // namespace vaarta::telephony
