#pragma once
// The import report: one CSV line per row an import did not take, as the CLI's
// --report file and the API's download both give it.
#include <string>
#include <vector>

#include "core/result.h"
#include "leads/import_summary.h"

namespace vaarta::leads {

// "row,outcome,reason,message,original\r\n"
std::string ImportReportHeader();
std::string ImportReportLine(const RowOutcome& row);
// Writes the header and a line per row to the file at `path`.
core::Status WriteImportReport(const std::string& path, const std::vector<RowOutcome>& rows);

}  // namespace vaarta::leads
