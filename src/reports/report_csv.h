#pragma once
// The calls of a report as CSV (RFC 4180), one line per call. Written by hand: it is a
// few lines of quoting, and the neutralising of spreadsheet formulas below is ours.
#include <string>
#include <string_view>

#include "reports/call_report.h"
#include "reports/report_labels.h"

namespace vaarta::reports {

// A UTF-8 byte order mark (so spreadsheet programs read Devanagari names as UTF-8) and
// the header line.
std::string CsvHeader(const ReportLabels& labels);
void AppendCsvLine(const CallLine& line, std::string* out);
// One field, quoted when it must be. A value a spreadsheet would run as a formula
// (starting with = + - @, tab or carriage return) gets a leading apostrophe, except a
// phone number such as +919812345678, which is data.
std::string CsvField(std::string_view value);

}  // namespace vaarta::reports
