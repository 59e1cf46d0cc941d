#pragma once
// The words of exported reports in the language the manager reads: English or Hindi.
// Exports are documents people forward, so they speak the dashboard's language; the
// column values (outcome codes, dates) stay machine-readable in CSV and XLSX.
#include <string>
#include <string_view>

namespace vaarta::reports {

struct ReportLabels {
  std::string language;  // "en" | "hi"
  std::string title;
  std::string period;
  std::string campaign;
  std::string list;
  std::string all_campaigns;
  std::string all_leads;
  std::string generated;
  std::string placed;
  std::string answered;
  std::string connect_rate;
  std::string converted;
  std::string callbacks;
  std::string opted_out;
  std::string handed_over;
  std::string talk_minutes;
  std::string by_campaign;
  std::string by_day;
  std::string by_outcome;
  std::string calls_per_day;
  std::string summary;
  std::string calls;
  std::string day;
  std::string placed_at;
  std::string lead_id;
  std::string lead;
  std::string phone;
  std::string status;
  std::string outcome;
  std::string talk_seconds;
  std::string provider;
  std::string no_calls;
  std::string page;
};

// "en" or "hi"; anything else is English.
const ReportLabels& LabelsFor(std::string_view language);
// A readable name for an outcome code ("callback_booked" -> "Callback booked").
std::string OutcomeLabel(const ReportLabels& labels, std::string_view outcome);

}  // namespace vaarta::reports
