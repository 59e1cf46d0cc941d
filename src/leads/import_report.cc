#include "leads/import_report.h"

#include <fstream>

namespace vaarta::leads {
namespace {

// RFC 4180: quote a field holding a delimiter, quote or line break; double its quotes.
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"')
      out += "\"\"";
    else
      out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

std::string ImportReportHeader() { return "row,outcome,reason,message,original\r\n"; }

std::string ImportReportLine(const RowOutcome& r) {
  return std::to_string(r.row) + "," + r.outcome + "," + r.reason + "," + CsvField(r.message) +
         "," + CsvField(r.original) + "\r\n";
}

core::Status WriteImportReport(const std::string& path, const std::vector<RowOutcome>& rows) {
  std::ofstream report(path, std::ios::binary);
  report << ImportReportHeader();
  for (const auto& row : rows) report << ImportReportLine(row);
  report.close();
  if (!report) {
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot write the report to " + path);
  }
  return core::Ok{};
}

}  // namespace vaarta::leads
