#include "conversation/callback_time_parser.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace vaarta::conversation {
namespace {

int64_t At(const std::string& iso) {
  int64_t ms = 0;
  EXPECT_TRUE(core::ParseIso8601(iso, &ms)) << iso;
  return ms;
}

class CallbackTimeParserTest : public ::testing::Test {
 protected:
  // Tuesday 10 March 2026, 10:00 in India.
  const int64_t now_ = At("2026-03-10T10:00:00+05:30");
  std::optional<int64_t> Parse(const std::string& text, const char* zone = "Asia/Kolkata") {
    auto rules = campaigns::ZoneRules::Load(zone);
    EXPECT_TRUE(rules.has_value());
    return parser_.Parse(normalizer_.Normalize(text), now_, *rules);
  }
  void Expect(const std::string& text, const std::string& iso) {
    auto got = Parse(text);
    ASSERT_TRUE(got.has_value()) << text;
    EXPECT_EQ(core::FormatIso8601Utc(*got), core::FormatIso8601Utc(At(iso))) << text;
  }
  TextNormalizer normalizer_;
  CallbackTimeParser parser_;
};

TEST_F(CallbackTimeParserTest, EnglishTimes) {
  Expect("tomorrow at 5 pm", "2026-03-11T17:00:00+05:30");
  Expect("Can you call me tomorrow at 5 pm", "2026-03-11T17:00:00+05:30");
  Expect("in 2 hours", "2026-03-10T12:00:00+05:30");
  Expect("half an hour", "2026-03-10T10:30:00+05:30");
  Expect("Monday 11am", "2026-03-16T11:00:00+05:30");
  Expect("5:30 p.m.", "2026-03-10T17:30:00+05:30");
  Expect("tomorrow morning", "2026-03-11T10:00:00+05:30");
  Expect("tonight", "2026-03-10T20:00:00+05:30");
  Expect("day after tomorrow", "2026-03-12T10:00:00+05:30");
  Expect("next week", "2026-03-16T10:00:00+05:30");
  Expect("on the 15th", "2026-03-15T10:00:00+05:30");
  Expect("on the 5th", "2026-04-05T10:00:00+05:30");
}

TEST_F(CallbackTimeParserTest, HindiAndHinglishTimes) {
  Expect("kal shaam 6 baje", "2026-03-11T18:00:00+05:30");
  Expect("Abhi busy hoon, kal shaam 6 baje call karna", "2026-03-11T18:00:00+05:30");
  Expect("parso subah 10 baje", "2026-03-12T10:00:00+05:30");
  Expect("कल शाम 6 बजे", "2026-03-11T18:00:00+05:30");
  Expect("परसों सुबह १० बजे", "2026-03-12T10:00:00+05:30");
  Expect("do ghante baad", "2026-03-10T12:00:00+05:30");
  Expect("saade paanch baje", "2026-03-10T17:30:00+05:30");
  Expect("dopahar 2 baje", "2026-03-10T14:00:00+05:30");
  Expect("somvar ko", "2026-03-16T10:00:00+05:30");
}

TEST_F(CallbackTimeParserTest, HoursWithoutAmOrPmAreBusinessHours) {
  Expect("call me at 4", "2026-03-10T16:00:00+05:30");
  Expect("at 9", "2026-03-11T09:00:00+05:30");  // 9 am has passed today
}

TEST_F(CallbackTimeParserTest, NoTimeNamedGivesNothing) {
  EXPECT_FALSE(Parse("call me later").has_value());
  EXPECT_FALSE(Parse("baad mein call karna").has_value());
  EXPECT_FALSE(Parse("").has_value());
}

TEST_F(CallbackTimeParserTest, UsesTheCalleesTimeZone) {
  auto got = Parse("tomorrow at 5 pm", "America/New_York");
  ASSERT_TRUE(got.has_value());
  // 10:00 IST on 10 March is 00:30 EDT the same day (DST began 8 March 2026).
  EXPECT_EQ(core::FormatIso8601Utc(*got), core::FormatIso8601Utc(At("2026-03-11T17:00:00-04:00")));
}

}  // namespace
}  // namespace vaarta::conversation
