#pragma once
// The calls report: what the agent did over a period of India days, for all campaigns or
// one, for all leads or one list's. Totals, lines by campaign and by day, outcomes; and
// the calls themselves, read in pages for exports that may hold millions of rows.
//
// Hand-overs are the calls whose outcome is "transferred" (the agent passed a hot lead
// to a person); conversions are "interested".
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace vaarta::reports {

// The longest period one report covers: a year and a day, so "this year" fits.
inline constexpr int kMaxReportDays = 366;

struct ReportFilter {
  std::string from_day;  // India date, inclusive: "2026-12-01"
  std::string to_day;    // India date, inclusive
  int64_t from_ms = 0;   // its IST midnight
  int64_t to_ms = 0;     // the IST midnight after to_day (exclusive)
  std::optional<int64_t> campaign_id;
  std::optional<int64_t> list_id;
};

// Checks the days (real calendar dates, from <= to, at most kMaxReportDays) and fills
// the instants. The error names the field.
core::Result<ReportFilter> MakeReportFilter(const std::string& from_day, const std::string& to_day,
                                            std::optional<int64_t> campaign_id,
                                            std::optional<int64_t> list_id);

struct ReportCounts {
  int64_t placed = 0;
  int64_t answered = 0;
  int64_t converted = 0;
  int64_t callbacks = 0;
  int64_t opted_out = 0;
  int64_t handed_over = 0;
  int64_t talk_seconds = 0;
};

struct CampaignLine {
  int64_t campaign_id = 0;
  std::string name;
  ReportCounts counts;
};

struct DayLine {
  std::string day;
  ReportCounts counts;
};

struct CallReport {
  ReportFilter filter;
  std::string campaign_name;  // when filtered by campaign
  std::string list_name;      // when filtered by list
  ReportCounts totals;
  std::vector<CampaignLine> by_campaign;  // most calls first
  std::vector<DayLine> by_day;            // every day of the period, oldest first
  std::map<std::string, int64_t> by_outcome;
};

// The names of the filter's campaign and list (empty when not filtered); kNotFound when
// either does not exist.
struct ReportScope {
  std::string campaign_name;
  std::string list_name;
};
core::Result<ReportScope> ResolveReportScope(storage::Transaction& tx, const ReportFilter& filter);

// kNotFound when the campaign or list does not exist.
core::Result<CallReport> BuildCallReport(storage::Transaction& tx, const ReportFilter& filter);

// One call as exports list it. Times are IST.
struct CallLine {
  int64_t attempt_id = 0;
  int64_t placed_at = 0;
  std::string campaign;
  int64_t lead_id = 0;
  std::string lead_name;
  std::string phone;
  std::string status;
  std::string outcome;
  bool answered = false;
  int64_t talk_seconds = 0;
  std::string provider;
};

int64_t CountCalls(storage::Transaction& tx, const ReportFilter& filter);
// The calls with attempt id > after_id, oldest id first, at most `limit`.
std::vector<CallLine> CallsAfter(storage::Transaction& tx, const ReportFilter& filter,
                                 int64_t after_id, int limit);

nlohmann::json CallReportJson(const CallReport& report);

// "2026-12-03 14:05" in India time.
std::string IstDateTime(int64_t unix_millis);

}  // namespace vaarta::reports
