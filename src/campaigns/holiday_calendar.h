#pragma once
// HolidayCalendar: national holidays per country, for the calling window ("no national
// holidays", compliance-india.md section 2) and for DND customers who accept calls on
// public holidays or not. Built in: India's three national holidays, every year; other
// dates (a year's Holi or Diwali, another country's holidays) are added from settings.
// The gate only asks whether a local calendar date is a holiday in a country, so the
// question is a table lookup and allocates nothing.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vaarta::campaigns {

struct Holiday {
  std::string country;  // ISO 3166 alpha-2 ("IN"), any case
  int year = 0;         // 0: every year
  int month = 0;        // 1-12
  int day = 0;          // 1-31
  std::string name;     // "Independence Day": named in the gate's refusals
};

class HolidayCalendar {
 public:
  // India's national holidays: 26 January (Republic Day), 15 August (Independence Day)
  // and 2 October (Gandhi Jayanti), every year.
  HolidayCalendar();
  // The built-in holidays and `extra`. Throws std::invalid_argument for a date that does
  // not exist or a country that is not two letters: configuration goes through Add,
  // which says what is wrong, so reaching the throw is a bug.
  explicit HolidayCalendar(std::span<const Holiday> extra);

  // Adds a holiday. `date` is "YYYY-MM-DD" (that day) or "MM-DD" (every year).
  core::Status Add(std::string_view country, std::string_view date, std::string_view name);

  // `country` is ISO 3166 alpha-2 (upper case, "IN"), `days` is days since 1970-01-01
  // (local date).
  bool IsHoliday(std::string_view country, int64_t days) const;
  // The holiday's name for messages; empty when `days` is not a holiday in `country`.
  std::string_view HolidayName(std::string_view country, int64_t days) const;

 private:
  struct Country {
    std::array<char, 2> code{};
    std::array<uint32_t, 13> every_year{};  // [month] bit day: a holiday every year
    std::vector<int64_t> dated;             // sorted days of one-off holidays
    std::vector<Holiday> named;             // everything added, for names
  };
  core::Status Insert(Holiday holiday);
  const Country* Find(std::string_view country) const;

  std::vector<Country> countries_;
};

}  // namespace vaarta::campaigns
