#include "campaigns/civil_date.h"

namespace vaarta::campaigns {
namespace {

void AppendTwoDigits(std::string& out, int64_t value) {
  out.push_back(static_cast<char>('0' + value / 10 % 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

}  // namespace

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  CivilDate date;
  date.day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  date.month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  date.year = yoe + era * 400 + (date.month <= 2);
  return date;
}

bool IsCivilDate(int64_t year, unsigned month, unsigned day) {
  static constexpr unsigned kMonthDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kMonthDays[month - 1]) return false;
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return !(month == 2 && day == 29 && !leap);
}

std::optional<int64_t> ParseCivilDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  unsigned digits[10];
  for (size_t i = 0; i < 10; ++i) digits[i] = static_cast<unsigned char>(text[i]) - '0';
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (digits[i] > 9) return std::nullopt;
  }
  const unsigned year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
  const unsigned month = digits[5] * 10 + digits[6];
  const unsigned day = digits[8] * 10 + digits[9];
  if (!IsCivilDate(year, month, day)) return std::nullopt;
  return DaysFromCivil(year, month, day);
}

std::string FormatCivilDate(int64_t days) {
  const CivilDate date = CivilFromDays(days);
  std::string out;
  out.reserve(10);
  AppendTwoDigits(out, date.year / 100);
  AppendTwoDigits(out, date.year);
  out.push_back('-');
  AppendTwoDigits(out, date.month);
  out.push_back('-');
  AppendTwoDigits(out, date.day);
  return out;
}

}  // namespace vaarta::campaigns
