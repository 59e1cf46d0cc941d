#include "core/clock.h"

#include <gtest/gtest.h>

namespace vaarta::core {
namespace {

TEST(Iso8601, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatIso8601Utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601Utc(1795542674123), "2026-11-24T17:51:14.123Z");
}

TEST(Iso8601, ParsesOffsetsIntoUtc) {
  int64_t ms = 0;
  ASSERT_TRUE(ParseIso8601("2026-11-24T23:21:14+05:30", &ms));
  EXPECT_EQ(FormatIso8601Utc(ms), "2026-11-24T17:51:14.000Z");
  ASSERT_TRUE(ParseIso8601("2026-11-24T17:51:14.5Z", &ms));
  EXPECT_EQ(FormatIso8601Utc(ms), "2026-11-24T17:51:14.500Z");
}

TEST(Iso8601, RefusesMalformedText) {
  int64_t ms = 0;
  EXPECT_FALSE(ParseIso8601("2026-11-24 17:51:14Z", &ms));
  EXPECT_FALSE(ParseIso8601("2026-11-24T17:51:14", &ms));  // no offset: ambiguous
  EXPECT_FALSE(ParseIso8601("2026-13-24T17:51:14Z", &ms));
  EXPECT_FALSE(ParseIso8601("2026-11-24T17:51:14Zjunk", &ms));
  EXPECT_FALSE(ParseIso8601("", &ms));
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(1000);
  EXPECT_EQ(clock.NowMillis(), 1000);
  clock.Advance(500);
  EXPECT_EQ(clock.NowMillis(), 1500);
}

}  // namespace
}  // namespace vaarta::core
