#include "campaigns/holiday_calendar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <vector>

namespace vaarta::campaigns {
namespace {

int64_t Days(int year, unsigned month, unsigned day) {
  using namespace std::chrono;
  return sys_days{
      year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}}}
      .time_since_epoch()
      .count();
}

TEST(HolidayCalendar, KnowsIndiasNationalHolidaysEveryYear) {
  HolidayCalendar calendar;
  for (int year : {1999, 2026, 2027, 2048}) {
    EXPECT_TRUE(calendar.IsHoliday("IN", Days(year, 1, 26))) << year;
    EXPECT_TRUE(calendar.IsHoliday("IN", Days(year, 8, 15))) << year;
    EXPECT_TRUE(calendar.IsHoliday("IN", Days(year, 10, 2))) << year;
    EXPECT_FALSE(calendar.IsHoliday("IN", Days(year, 1, 25))) << year;
    EXPECT_FALSE(calendar.IsHoliday("IN", Days(year, 8, 16))) << year;
    EXPECT_FALSE(calendar.IsHoliday("IN", Days(year, 10, 1))) << year;
  }
  EXPECT_EQ(calendar.HolidayName("IN", Days(2026, 8, 15)), "Independence Day");
  EXPECT_EQ(calendar.HolidayName("IN", Days(2026, 1, 26)), "Republic Day");
  EXPECT_EQ(calendar.HolidayName("IN", Days(2026, 10, 2)), "Gandhi Jayanti");
  EXPECT_EQ(calendar.HolidayName("IN", Days(2026, 10, 3)), "");
}

TEST(HolidayCalendar, OtherCountriesHaveNoHolidaysUntilAdded) {
  HolidayCalendar calendar;
  EXPECT_FALSE(calendar.IsHoliday("US", Days(2026, 7, 4)));
  EXPECT_FALSE(calendar.IsHoliday("GB", Days(2026, 8, 15)));
  EXPECT_FALSE(calendar.IsHoliday("", Days(2026, 8, 15)));
  ASSERT_TRUE(calendar.Add("us", "07-04", "Independence Day").ok());
  EXPECT_TRUE(calendar.IsHoliday("US", Days(2026, 7, 4)));
  EXPECT_TRUE(calendar.IsHoliday("US", Days(2031, 7, 4)));
  EXPECT_FALSE(calendar.IsHoliday("IN", Days(2026, 7, 4)));
}

TEST(HolidayCalendar, AddsOneDayHolidaysForOneYearOnly) {
  HolidayCalendar calendar;
  ASSERT_TRUE(calendar.Add("IN", "2026-03-04", "Holi").ok());
  ASSERT_TRUE(calendar.Add("IN", "2026-11-08", "Diwali").ok());
  ASSERT_TRUE(calendar.Add("IN", "2027-03-22", "Holi").ok());
  EXPECT_TRUE(calendar.IsHoliday("IN", Days(2026, 3, 4)));
  EXPECT_FALSE(calendar.IsHoliday("IN", Days(2027, 3, 4)));
  EXPECT_TRUE(calendar.IsHoliday("IN", Days(2027, 3, 22)));
  EXPECT_TRUE(calendar.IsHoliday("IN", Days(2026, 11, 8)));
  EXPECT_FALSE(calendar.IsHoliday("IN", Days(2026, 11, 7)));
  EXPECT_EQ(calendar.HolidayName("IN", Days(2026, 11, 8)), "Diwali");
  EXPECT_EQ(calendar.HolidayName("IN", Days(2027, 11, 8)), "");
}

TEST(HolidayCalendar, RefusesDatesThatDoNotExistAndSaysWhy) {
  HolidayCalendar calendar;
  auto bad_format = calendar.Add("IN", "4 March", "Holi");
  ASSERT_FALSE(bad_format.ok());
  EXPECT_NE(bad_format.error().message.find("YYYY-MM-DD"), std::string::npos);
  auto no_such_day = calendar.Add("IN", "2026-02-30", "Nothing");
  ASSERT_FALSE(no_such_day.ok());
  EXPECT_NE(no_such_day.error().message.find("does not exist"), std::string::npos);
  EXPECT_FALSE(calendar.Add("IN", "2027-02-29", "Not a leap year").ok());
  EXPECT_FALSE(calendar.Add("IN", "13-01", "Month 13").ok());
  auto country = calendar.Add("IND", "01-01", "New Year");
  ASSERT_FALSE(country.ok());
  EXPECT_NE(country.error().message.find("two-letter"), std::string::npos);
  // 29 February every year is a holiday in leap years only.
  ASSERT_TRUE(calendar.Add("XX", "02-29", "Leap day").ok());
  EXPECT_TRUE(calendar.IsHoliday("XX", Days(2028, 2, 29)));
  EXPECT_FALSE(calendar.IsHoliday("XX", Days(2027, 3, 1)));
}

TEST(HolidayCalendar, TheConstructorTakesExtraHolidaysBesideTheBuiltInOnes) {
  const std::vector<Holiday> extra = {{"IN", 2026, 11, 8, "Diwali"},
                                      {"NZ", 0, 2, 6, "Waitangi Day"}};
  HolidayCalendar calendar(extra);
  EXPECT_TRUE(calendar.IsHoliday("IN", Days(2026, 11, 8)));
  EXPECT_TRUE(calendar.IsHoliday("IN", Days(2026, 8, 15)));
  EXPECT_TRUE(calendar.IsHoliday("NZ", Days(2027, 2, 6)));
  const std::vector<Holiday> impossible = {{"IN", 2026, 2, 30, "Nothing"}};
  EXPECT_THROW(HolidayCalendar{impossible}, std::invalid_argument);
}

}  // namespace
}  // namespace vaarta::campaigns
