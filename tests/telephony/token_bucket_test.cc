#include "telephony/token_bucket.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace vaarta::telephony {
namespace {

TEST(TokenBucket, StartsFullAndRefusesBeyondTheBurst) {
  core::ManualClock clock(1'000'000);
  TokenBucket bucket(/*rate_per_second=*/2, /*burst=*/3, clock);
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_FALSE(bucket.TryTake());
  EXPECT_EQ(bucket.TimeUntilAvailable(), 500);  // one token at 2 per second
}

TEST(TokenBucket, RefillsAtTheRateAndNeverAboveTheBurst) {
  core::ManualClock clock(0);
  TokenBucket bucket(5, 2, clock);
  ASSERT_TRUE(bucket.TryTake(2));
  clock.Advance(199);
  EXPECT_FALSE(bucket.TryTake());
  EXPECT_EQ(bucket.TimeUntilAvailable(), 1);
  clock.Advance(1);
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_FALSE(bucket.TryTake());
  clock.Advance(60'000);  // a long idle time refills only up to the burst
  EXPECT_EQ(bucket.TimeUntilAvailable(2), 0);
  EXPECT_TRUE(bucket.TryTake(2));
  EXPECT_FALSE(bucket.TryTake());
}

TEST(TokenBucket, AFailedTakeTakesNothing) {
  core::ManualClock clock(0);
  TokenBucket bucket(1, 2, clock);
  ASSERT_TRUE(bucket.TryTake());
  EXPECT_FALSE(bucket.TryTake(2));
  EXPECT_TRUE(bucket.TryTake(1));  // the single token is still there
}

TEST(TokenBucket, MoreThanTheBurstIsNeverAvailable) {
  core::ManualClock clock(0);
  TokenBucket bucket(10, 4, clock);
  EXPECT_EQ(bucket.TimeUntilAvailable(5), -1);
  EXPECT_FALSE(bucket.TryTake(5));
}

TEST(TokenBucket, AClockSteppingBackDoesNotAddTokens) {
  core::ManualClock clock(10'000);
  TokenBucket bucket(1, 1, clock);
  ASSERT_TRUE(bucket.TryTake());
  clock.Set(5'000);
  EXPECT_FALSE(bucket.TryTake());
  clock.Set(10'999);
  EXPECT_FALSE(bucket.TryTake());
  clock.Set(11'000);
  EXPECT_TRUE(bucket.TryTake());
}

TEST(TokenBucket, ConcurrentTakersNeverGetMoreThanTheBucketHolds) {
  core::ManualClock clock(0);
  TokenBucket bucket(1, 100, clock);
  std::atomic<int> taken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (bucket.TryTake()) taken++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(taken.load(), 100);
}

}  // namespace
}  // namespace vaarta::telephony
