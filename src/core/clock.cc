#include "core/clock.h"

#include <cstdio>
#include <ctime>

namespace vaarta::core {

std::string FormatIso8601Utc(int64_t unix_millis) {
  int64_t secs = unix_millis / 1000;
  int64_t ms = unix_millis % 1000;
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

bool ParseIso8601(const std::string& text, int64_t* unix_millis) {
  int y, mo, d, h, mi, s;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) !=
          6 ||
      consumed != 19) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
  size_t pos = 19;
  int ms = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) ms = ms * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return false;
    for (int i = digits; i < 3; ++i) ms *= 10;
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (text.size() - pos != 6 || std::sscanf(text.c_str() + pos + 1, "%2d:%2d", &oh, &om) != 2 ||
        text[pos + 3] != ':') {
      return false;
    }
    offset_minutes = (oh * 60 + om) * (text[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return false;
  }
  if (pos != text.size()) return false;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t secs = static_cast<int64_t>(timegm(&tm)) - offset_minutes * 60;
  *unix_millis = secs * 1000 + ms;
  return true;
}

LocalTime ToLocalTime(int64_t unix_millis, int64_t offset_millis) {
  constexpr int64_t kDay = 86'400'000;
  int64_t local = unix_millis + offset_millis;
  LocalTime t;
  // Floor division, so instants before 1970 fall on the right day too.
  t.days = local / kDay - (local % kDay < 0 ? 1 : 0);
  int64_t ms_of_day = local - t.days * kDay;
  t.hour = static_cast<int>(ms_of_day / 3'600'000);
  t.minute = static_cast<int>(ms_of_day / 60'000 % 60);
  t.weekday = static_cast<int>(((t.days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
  return t;
}

std::string LocalDate(int64_t unix_millis, int64_t offset_millis) {
  using namespace std::chrono;
  const int64_t days = ToLocalTime(unix_millis, offset_millis).days;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

bool IsCalendarDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  using namespace std::chrono;
  year_month_day ymd{year{std::stoi(text.substr(0, 4))},
                     month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                     day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
  return ymd.ok();
}

bool IstMidnightOf(const std::string& date, int64_t* unix_millis) {
  return IsCalendarDate(date) && ParseIso8601(date + "T00:00:00+05:30", unix_millis);
}

}  // namespace vaarta::core
