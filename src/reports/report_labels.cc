#include "reports/report_labels.h"

#include <map>

namespace vaarta::reports {
namespace {

ReportLabels English() {
  ReportLabels l;
  l.language = "en";
  l.title = "Calls report";
  l.period = "Period";
  l.campaign = "Campaign";
  l.list = "List";
  l.all_campaigns = "All campaigns";
  l.all_leads = "All leads";
  l.generated = "Generated";
  l.placed = "Calls placed";
  l.answered = "Answered";
  l.connect_rate = "Connect rate";
  l.converted = "Converted";
  l.callbacks = "Callbacks booked";
  l.opted_out = "Opted out";
  l.handed_over = "Handed to agents";
  l.talk_minutes = "Talk time (min)";
  l.by_campaign = "By campaign";
  l.by_day = "By day";
  l.by_outcome = "Outcomes";
  l.calls_per_day = "Calls per day";
  l.summary = "Summary";
  l.calls = "Calls";
  l.day = "Day";
  l.placed_at = "Placed at (IST)";
  l.lead_id = "Lead ID";
  l.lead = "Lead";
  l.phone = "Phone";
  l.status = "Status";
  l.outcome = "Outcome";
  l.talk_seconds = "Talk (s)";
  l.provider = "Provider";
  l.no_calls = "No calls in this period.";
  l.page = "Page";
  return l;
}

ReportLabels Hindi() {
  ReportLabels l;
  l.language = "hi";
  l.title = "कॉल रिपोर्ट";
  l.period = "अवधि";
  l.campaign = "अभियान";
  l.list = "सूची";
  l.all_campaigns = "सभी अभियान";
  l.all_leads = "सभी लीड";
  l.generated = "बनाई गई";
  l.placed = "की गई कॉल";
  l.answered = "उत्तर मिले";
  l.connect_rate = "कनेक्ट दर";
  l.converted = "रुचि दिखाई";
  l.callbacks = "कॉलबैक बुक";
  l.opted_out = "मना किया";
  l.handed_over = "एजेंट को सौंपे";
  l.talk_minutes = "बातचीत (मिनट)";
  l.by_campaign = "अभियान के अनुसार";
  l.by_day = "दिन के अनुसार";
  l.by_outcome = "परिणाम";
  l.calls_per_day = "प्रति दिन कॉल";
  l.summary = "सारांश";
  l.calls = "कॉल";
  l.day = "दिन";
  l.placed_at = "समय (IST)";
  l.lead_id = "लीड ID";
  l.lead = "लीड";
  l.phone = "फ़ोन";
  l.status = "स्थिति";
  l.outcome = "परिणाम";
  l.talk_seconds = "बातचीत (सेकंड)";
  l.provider = "प्रदाता";
  l.no_calls = "इस अवधि में कोई कॉल नहीं।";
  l.page = "पृष्ठ";
  return l;
}

}  // namespace

const ReportLabels& LabelsFor(std::string_view language) {
  static const ReportLabels kEnglish = English();
  static const ReportLabels kHindi = Hindi();
  return language == "hi" ? kHindi : kEnglish;
}

std::string OutcomeLabel(const ReportLabels& labels, std::string_view outcome) {
  static const std::map<std::string_view, std::pair<const char*, const char*>> kNames = {
      {"interested", {"Interested", "रुचि"}},
      {"not_interested", {"Not interested", "रुचि नहीं"}},
      {"callback_booked", {"Callback booked", "कॉलबैक बुक"}},
      {"opted_out", {"Opted out", "मना किया"}},
      {"wrong_number", {"Wrong number", "गलत नंबर"}},
      {"no_answer", {"No answer", "जवाब नहीं"}},
      {"busy", {"Busy", "व्यस्त"}},
      {"failed", {"Failed", "विफल"}},
      {"voicemail", {"Voicemail", "वॉइसमेल"}},
      {"transferred", {"Handed to agent", "एजेंट को सौंपा"}},
      {"incomplete", {"Incomplete", "अधूरी"}},
  };
  auto it = kNames.find(outcome);
  if (it == kNames.end()) return std::string(outcome);
  return labels.language == "hi" ? it->second.second : it->second.first;
}

}  // namespace vaarta::reports
