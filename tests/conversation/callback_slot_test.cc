#include "conversation/callback_slot.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace vaarta::conversation {
namespace {

int64_t At(const std::string& iso) {
  int64_t ms = 0;
  EXPECT_TRUE(core::ParseIso8601(iso, &ms)) << iso;
  return ms;
}

class CallbackSlotTest : public ::testing::Test {
 protected:
  std::optional<CallbackSlot> Slot(const std::string& iso) const {
    return LegalCallbackSlot(At(iso), window_, *zone_, holidays_);
  }
  campaigns::CallingWindow window_;  // 10:00-21:00, every day, no national holidays
  std::optional<campaigns::ZoneRules> zone_ = campaigns::ZoneRules::Load("Asia/Kolkata");
  campaigns::HolidayCalendar holidays_;
};

TEST_F(CallbackSlotTest, InsideTheWindowTheRequestIsKept) {
  auto slot = Slot("2026-03-11T18:00:00+05:30");
  ASSERT_TRUE(slot);
  EXPECT_EQ(slot->at_ms, At("2026-03-11T18:00:00+05:30"));
  EXPECT_FALSE(slot->moved);
  EXPECT_EQ(SayCallbackSlot(*slot, window_, *zone_, "en"),
            "I have noted Wednesday 11 March at 6:00 pm.");
  EXPECT_EQ(SayCallbackSlot(*slot, window_, *zone_, "hi"),
            "आपको बुधवार 11 मार्च, शाम 6:00 बजे कॉल किया जाएगा।");
}

TEST_F(CallbackSlotTest, LateEveningMovesToTheNextOpeningAndSaysWhy) {
  auto slot = Slot("2026-03-11T23:00:00+05:30");
  ASSERT_TRUE(slot);
  EXPECT_TRUE(slot->moved);
  EXPECT_EQ(slot->at_ms, At("2026-03-12T10:00:00+05:30"));
  EXPECT_EQ(SayCallbackSlot(*slot, window_, *zone_, "en"),
            "We may only call between 10:00 am and 9:00 pm, so we will call you on Thursday 12 "
            "March at 10:00 am.");
}

TEST_F(CallbackSlotTest, EarlyMorningMovesToThatDaysOpening) {
  auto slot = Slot("2026-03-11T07:30:00+05:30");
  ASSERT_TRUE(slot);
  EXPECT_EQ(slot->at_ms, At("2026-03-11T10:00:00+05:30"));
}

TEST_F(CallbackSlotTest, SkipsClosedDaysAndNationalHolidays) {
  window_.days = 0x1f;  // Monday to Friday
  auto saturday = Slot("2026-03-14T12:00:00+05:30");
  ASSERT_TRUE(saturday);
  EXPECT_EQ(saturday->at_ms, At("2026-03-16T10:00:00+05:30"));  // Monday
  auto republic_day = Slot("2027-01-26T12:00:00+05:30");        // a Tuesday
  ASSERT_TRUE(republic_day);
  EXPECT_EQ(republic_day->at_ms, At("2027-01-27T10:00:00+05:30"));
  window_.days = 0;
  EXPECT_FALSE(Slot("2026-03-14T12:00:00+05:30"));
}

}  // namespace
}  // namespace vaarta::conversation
