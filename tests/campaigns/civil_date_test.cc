#include "campaigns/civil_date.h"

#include <gtest/gtest.h>

#include <chrono>

namespace vaarta::campaigns {
namespace {

TEST(CivilDate, AgreesWithStdChronoFrom1900To2200) {
  using namespace std::chrono;
  const int64_t first = sys_days{year{1900} / January / 1}.time_since_epoch().count();
  const int64_t last = sys_days{year{2200} / January / 1}.time_since_epoch().count();
  for (int64_t days = first; days < last; ++days) {
    const year_month_day ymd{sys_days{std::chrono::days{days}}};
    const CivilDate date = CivilFromDays(days);
    ASSERT_EQ(date.year, static_cast<int>(ymd.year())) << days;
    ASSERT_EQ(date.month, static_cast<unsigned>(ymd.month())) << days;
    ASSERT_EQ(date.day, static_cast<unsigned>(ymd.day())) << days;
    ASSERT_EQ(DaysFromCivil(date.year, date.month, date.day), days);
  }
}

TEST(CivilDate, ParsesAndFormatsOnlyDatesThatExist) {
  EXPECT_EQ(ParseCivilDate("1970-01-01"), 0);
  EXPECT_EQ(ParseCivilDate("2026-11-30"), 20787);
  EXPECT_EQ(FormatCivilDate(20787), "2026-11-30");
  EXPECT_EQ(FormatCivilDate(-1), "1969-12-31");
  EXPECT_EQ(ParseCivilDate("2028-02-29"), DaysFromCivil(2028, 2, 29));
  for (const char* bad : {"2027-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01",
                          "26-11-30", "2026/11/30", "2026-11-3x", "", "2026-11-30 "}) {
    EXPECT_FALSE(ParseCivilDate(bad)) << bad;
  }
  EXPECT_TRUE(IsCivilDate(2000, 2, 29));
  EXPECT_FALSE(IsCivilDate(1900, 2, 29));
}

}  // namespace
}  // namespace vaarta::campaigns
