#include "conversation/callback_slot.h"

#include <cstdio>

#include "campaigns/calling_window_opening.h"
#include "campaigns/civil_date.h"

namespace vaarta::conversation {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : (a - b + 1) / b; }

// Monday 0 .. Sunday 6 (1970-01-01 was a Thursday).
int Weekday(int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

std::string Clock12(int minute_of_day, const std::string& language) {
  int hour = minute_of_day / 60;
  int minute = minute_of_day % 60;
  int h12 = hour % 12 == 0 ? 12 : hour % 12;
  char buffer[32];
  if (language == "hi") {
    std::snprintf(buffer, sizeof buffer, "%d:%02d", h12, minute);
    const char* part = hour < 12 ? "सुबह" : hour < 16 ? "दोपहर" : hour < 20 ? "शाम" : "रात";
    return std::string(part) + " " + buffer + " बजे";
  }
  std::snprintf(buffer, sizeof buffer, "%d:%02d %s", h12, minute, hour < 12 ? "am" : "pm");
  return buffer;
}

}  // namespace

std::optional<CallbackSlot> LegalCallbackSlot(int64_t requested_ms,
                                              const campaigns::CallingWindow& window,
                                              const campaigns::ZoneRules& zone,
                                              const campaigns::HolidayCalendar& holidays) {
  const std::string country(zone.country());
  auto at = campaigns::NextWindowOpening(window, zone, requested_ms, [&](int64_t day) {
    return window.skip_holidays && !country.empty() && holidays.IsHoliday(country, day);
  });
  if (!at) return std::nullopt;
  return CallbackSlot{*at, *at != requested_ms};
}

std::string SayCallbackSlot(const CallbackSlot& slot, const campaigns::CallingWindow& window,
                            const campaigns::ZoneRules& zone, const std::string& language) {
  static constexpr const char* kDaysEn[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                            "Friday", "Saturday", "Sunday"};
  static constexpr const char* kDaysHi[] = {"सोमवार", "मंगलवार", "बुधवार", "गुरुवार",
                                            "शुक्रवार", "शनिवार", "रविवार"};
  static constexpr const char* kMonthsEn[] = {"January",   "February", "March",    "April",
                                              "May",       "June",     "July",     "August",
                                              "September", "October",  "November", "December"};
  static constexpr const char* kMonthsHi[] = {"जनवरी", "फ़रवरी", "मार्च",  "अप्रैल",  "मई",   "जून",
                                              "जुलाई",  "अगस्त",  "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"};
  const int64_t local = slot.at_ms + zone.OffsetAt(slot.at_ms);
  const int64_t day = FloorDiv(local, kDayMs);
  const int minute = static_cast<int>((local - day * kDayMs) / 60'000);
  const campaigns::CivilDate date = campaigns::CivilFromDays(day);
  const int weekday = Weekday(day);
  const std::string date_en = std::string(kDaysEn[weekday]) + " " + std::to_string(date.day) + " " +
                              kMonthsEn[date.month - 1];
  const std::string date_hi = std::string(kDaysHi[weekday]) + " " + std::to_string(date.day) + " " +
                              kMonthsHi[date.month - 1];
  if (language == "hi") {
    std::string when = date_hi + ", " + Clock12(minute, "hi");
    if (!slot.moved) return "आपको " + when + " कॉल किया जाएगा।";
    return "हम केवल " + Clock12(window.start_minute, "hi") + " से " +
           Clock12(window.end_minute, "hi") + " के बीच कॉल कर सकते हैं, इसलिए आपको " + when +
           " कॉल किया जाएगा।";
  }
  std::string when = date_en + " at " + Clock12(minute, "en");
  if (!slot.moved) return "I have noted " + when + ".";
  return "We may only call between " + Clock12(window.start_minute, "en") + " and " +
         Clock12(window.end_minute, "en") + ", so we will call you on " + when + ".";
}

}  // namespace vaarta::conversation
