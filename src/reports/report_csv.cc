#include "reports/report_csv.h"

#include <algorithm>

namespace vaarta::reports {
namespace {

bool IsPhoneNumber(std::string_view v) {
  return v.size() > 1 && v[0] == '+' &&
         std::all_of(v.begin() + 1, v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool StartsLikeFormula(std::string_view v) {
  if (v.empty()) return false;
  const char c = v[0];
  if (c == '+' && IsPhoneNumber(v)) return false;
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

}  // namespace

std::string CsvField(std::string_view value) {
  std::string text;
  if (StartsLikeFormula(value)) text = "'";
  text.append(value);
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string CsvHeader(const ReportLabels& l) {
  std::string out = "\xEF\xBB\xBF";
  const std::string* columns[] = {&l.placed_at,    &l.campaign, &l.lead_id, &l.lead,
                                  &l.phone,        &l.status,   &l.outcome, &l.answered,
                                  &l.talk_seconds, &l.provider};
  bool first = true;
  for (const std::string* c : columns) {
    if (!first) out += ',';
    out += CsvField(*c);
    first = false;
  }
  out += "\r\n";
  return out;
}

void AppendCsvLine(const CallLine& line, std::string* out) {
  *out += CsvField(IstDateTime(line.placed_at));
  *out += ',';
  *out += CsvField(line.campaign);
  *out += ',';
  *out += std::to_string(line.lead_id);
  *out += ',';
  *out += CsvField(line.lead_name);
  *out += ',';
  *out += CsvField(line.phone);
  *out += ',';
  *out += CsvField(line.status);
  *out += ',';
  *out += CsvField(line.outcome);
  *out += ',';
  *out += line.answered ? "yes" : "no";
  *out += ',';
  *out += std::to_string(line.talk_seconds);
  *out += ',';
  *out += CsvField(line.provider);
  *out += "\r\n";
}

}  // namespace vaarta::reports
