#include "campaigns/holiday_calendar.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <tuple>

#include "campaigns/civil_date.h"

namespace vaarta::campaigns {
namespace {

bool ParseNumber(std::string_view text, int* out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return std::from_chars(text.data(), text.data() + text.size(), *out).ec == std::errc();
}

char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool IsLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace

HolidayCalendar::HolidayCalendar() {
  for (const auto& [month, day, name] :
       {std::tuple{1, 26, "Republic Day"}, std::tuple{8, 15, "Independence Day"},
        std::tuple{10, 2, "Gandhi Jayanti"}}) {
    static_cast<void>(Insert({"IN", 0, month, day, name}));  // valid by construction
  }
}

HolidayCalendar::HolidayCalendar(std::span<const Holiday> extra) : HolidayCalendar() {
  for (const Holiday& holiday : extra) {
    if (auto added = Insert(holiday); !added) throw std::invalid_argument(added.error().message);
  }
}

core::Status HolidayCalendar::Add(std::string_view country, std::string_view date,
                                  std::string_view name) {
  Holiday holiday{std::string(country), 0, 0, 0, std::string(name)};
  bool parsed = false;
  if (date.size() == 10 && date[4] == '-' && date[7] == '-') {
    parsed = ParseNumber(date.substr(0, 4), &holiday.year) &&
             ParseNumber(date.substr(5, 2), &holiday.month) &&
             ParseNumber(date.substr(8, 2), &holiday.day);
  } else if (date.size() == 5 && date[2] == '-') {
    parsed = ParseNumber(date.substr(0, 2), &holiday.month) &&
             ParseNumber(date.substr(3, 2), &holiday.day);
  }
  if (!parsed) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "holiday date '" + std::string(date) +
                               "' must be written YYYY-MM-DD (one day) or MM-DD (every year)",
                           "invalid_holiday");
  }
  return Insert(std::move(holiday));
}

core::Status HolidayCalendar::Insert(Holiday holiday) {
  if (holiday.country.size() != 2 || !IsLetter(holiday.country[0]) ||
      !IsLetter(holiday.country[1])) {
    return core::MakeError(
        core::ErrorCode::kInvalidArgument,
        "holiday country '" + holiday.country + "' must be an ISO 3166 two-letter code such as IN",
        "invalid_holiday");
  }
  // A holiday every year may fall on 29 February: check it against a leap year.
  if (holiday.year < 0 || holiday.year > 9999 || holiday.month < 1 || holiday.day < 1 ||
      !IsCivilDate(holiday.year == 0 ? 2024 : holiday.year, static_cast<unsigned>(holiday.month),
                   static_cast<unsigned>(holiday.day))) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "holiday '" + holiday.name + "' is on a date that does not exist (" +
                               std::to_string(holiday.year) + "-" + std::to_string(holiday.month) +
                               "-" + std::to_string(holiday.day) + ")",
                           "invalid_holiday");
  }
  holiday.country = {Upper(holiday.country[0]), Upper(holiday.country[1])};
  auto it = std::find_if(countries_.begin(), countries_.end(), [&](const Country& c) {
    return c.code[0] == holiday.country[0] && c.code[1] == holiday.country[1];
  });
  if (it == countries_.end()) {
    countries_.emplace_back();
    it = countries_.end() - 1;
    it->code = {holiday.country[0], holiday.country[1]};
  }
  if (holiday.year == 0) {
    it->every_year[static_cast<size_t>(holiday.month)] |= 1u << holiday.day;
  } else {
    const int64_t days = DaysFromCivil(holiday.year, static_cast<unsigned>(holiday.month),
                                       static_cast<unsigned>(holiday.day));
    it->dated.insert(std::upper_bound(it->dated.begin(), it->dated.end(), days), days);
  }
  it->named.push_back(std::move(holiday));
  return core::Ok{};
}

const HolidayCalendar::Country* HolidayCalendar::Find(std::string_view country) const {
  if (country.size() != 2) return nullptr;
  for (const Country& c : countries_) {
    if (c.code[0] == country[0] && c.code[1] == country[1]) return &c;
  }
  return nullptr;
}

bool HolidayCalendar::IsHoliday(std::string_view country, int64_t days) const {
  const Country* c = Find(country);
  if (!c) return false;
  const CivilDate date = CivilFromDays(days);
  if (c->every_year[date.month] >> date.day & 1) return true;
  return std::binary_search(c->dated.begin(), c->dated.end(), days);
}

std::string_view HolidayCalendar::HolidayName(std::string_view country, int64_t days) const {
  const Country* c = Find(country);
  if (!c) return {};
  const CivilDate date = CivilFromDays(days);
  for (const Holiday& h : c->named) {
    if (static_cast<unsigned>(h.month) == date.month && static_cast<unsigned>(h.day) == date.day &&
        (h.year == 0 || h.year == date.year)) {
      return h.name;
    }
  }
  return {};
}

}  // namespace vaarta::campaigns
