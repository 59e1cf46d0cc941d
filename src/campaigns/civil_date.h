#pragma once
// Calendar dates as the gate and the holiday calendar count them: days since 1970-01-01
// (proleptic Gregorian), converted from and to year/month/day and "YYYY-MM-DD" with
// integer arithmetic (H. Hinnant's algorithms). The gate converts a few dates per
// decision, where std::chrono's checked conversions and snprintf cost more than the
// rule they serve.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vaarta::campaigns {

struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1;  // 1-12
  unsigned day = 1;    // 1-31
};

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
CivilDate CivilFromDays(int64_t days);
// Whether the date exists (29 February only in leap years).
bool IsCivilDate(int64_t year, unsigned month, unsigned day);
// "2026-11-30" as days; nullopt when the text is not a date that exists.
std::optional<int64_t> ParseCivilDate(std::string_view text);
// Days as "2026-11-30" (years 0-9999).
std::string FormatCivilDate(int64_t days);

}  // namespace vaarta::campaigns
