#include "campaigns/zone_rules.h"

#include <gtest/gtest.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <memory>
#include <random>

#include "campaigns/zone_offset_cache.h"
#include "core/clock.h"
#include "test_support/instant.h"

namespace vaarta::campaigns {
namespace {

using testing::At;

constexpr int64_t kHour = 3'600'000;

TEST(ZoneRules, GivesIcusOffsetAtEveryInstant) {
  std::mt19937_64 rng(11);
  for (const char* name : {"America/New_York", "America/Los_Angeles", "Pacific/Auckland",
                           "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe",
                           "America/Santiago", "Asia/Kathmandu", "Africa/Casablanca"}) {
    auto rules = ZoneRules::Load(name);
    ASSERT_TRUE(rules) << name;
    std::unique_ptr<icu::TimeZone> icu(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
    for (int i = 0; i < 20000; ++i) {
      // Instants from 1970 to 2100, with a bias towards hours near transitions.
      const int64_t at = static_cast<int64_t>(rng() % 4'102'444'800'000ULL);
      int32_t raw = 0, dst = 0;
      UErrorCode status = U_ZERO_ERROR;
      icu->getOffset(static_cast<UDate>(at), false, raw, dst, status);
      ASSERT_TRUE(U_SUCCESS(status));
      ASSERT_EQ(rules->OffsetAt(at), raw + dst) << name << " at " << core::FormatIso8601Utc(at);
    }
  }
}

TEST(ZoneRules, FollowsDaylightSavingChangesToTheMillisecond) {
  auto ny = ZoneRules::Load("America/New_York");
  ASSERT_TRUE(ny);
  // 2026-03-08 02:00 EST -> 03:00 EDT, that is 07:00 UTC.
  EXPECT_EQ(ny->OffsetAt(At("2026-03-08T06:59:59.999Z")), -5 * kHour);
  EXPECT_EQ(ny->OffsetAt(At("2026-03-08T07:00:00Z")), -4 * kHour);
  auto auckland = ZoneRules::Load("Pacific/Auckland");
  ASSERT_TRUE(auckland);
  // 2026-04-05 03:00 NZDT -> 02:00 NZST, that is 2026-04-04 14:00 UTC.
  EXPECT_EQ(auckland->OffsetAt(At("2026-04-04T13:59:59Z")), 13 * kHour);
  EXPECT_EQ(auckland->OffsetAt(At("2026-04-04T14:00:00Z")), 12 * kHour);
  auto kolkata = ZoneRules::Load("Asia/Kolkata");
  ASSERT_TRUE(kolkata);
  EXPECT_EQ(kolkata->OffsetAt(At("2026-06-01T00:00:00Z")), core::kIstOffsetMillis);
}

TEST(ZoneRules, TurnsAWallClockIntoTheFirstInstantThatShowsIt) {
  auto ny = ZoneRules::Load("America/New_York");
  ASSERT_TRUE(ny);
  auto local = [](const std::string& wall) { return At(wall + "Z"); };
  // An ordinary wall clock.
  EXPECT_EQ(ny->FirstInstantAtOrAfterLocal(local("2026-11-30T10:00:00")),
            At("2026-11-30T10:00:00-05:00"));
  // 02:30 on 8 March 2026 does not exist: the clock jumps from 02:00 to 03:00.
  EXPECT_EQ(ny->FirstInstantAtOrAfterLocal(local("2026-03-08T02:30:00")),
            At("2026-03-08T03:00:00-04:00"));
  // 01:30 on 1 November 2026 happens twice: the first one, still on daylight time.
  EXPECT_EQ(ny->FirstInstantAtOrAfterLocal(local("2026-11-01T01:30:00")),
            At("2026-11-01T01:30:00-04:00"));
  EXPECT_EQ(ny->FirstInstantAtOrAfterLocal(local("2026-11-01T02:00:00")),
            At("2026-11-01T02:00:00-05:00"));
}

TEST(ZoneRules, NamesTheZonesCountryAndRefusesZonesIcuDoesNotKnow) {
  EXPECT_EQ(ZoneRules::Load("America/New_York")->country(), "US");
  EXPECT_EQ(ZoneRules::Load("Pacific/Auckland")->country(), "NZ");
  EXPECT_EQ(ZoneRules::Load("Asia/Calcutta")->country(), "IN");
  EXPECT_EQ(ZoneRules::Load("Etc/UTC")->country(), "");
  EXPECT_FALSE(ZoneRules::Load("Mars/Olympus_Mons"));
  EXPECT_FALSE(ZoneRules::Load(""));
  EXPECT_FALSE(ZoneRules::Load("Etc/Unknown"));
}

TEST(ZoneOffsetCache, ReadsEachZoneOnceAndRemembersUnknownOnes) {
  ZoneOffsetCache cache(3);
  const ZoneRules* first = cache.Find("Asia/Kolkata");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(cache.Find("Asia/Kolkata"), first);
  EXPECT_EQ(first->name(), "Asia/Kolkata");
  EXPECT_EQ(cache.Find("Nowhere/Special"), nullptr);
  EXPECT_EQ(cache.size(), 2u);
  ASSERT_NE(cache.Find("Europe/London"), nullptr);
  // Full: a new name is refused, the known ones still answer.
  EXPECT_EQ(cache.Find("America/New_York"), nullptr);
  EXPECT_EQ(cache.Find("Asia/Kolkata"), first);
}

}  // namespace
}  // namespace vaarta::campaigns
