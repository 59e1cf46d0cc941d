#pragma once
// A report as an XLSX workbook, written with libxlsxwriter in constant-memory mode so a
// million calls do not sit in memory: a "Summary" sheet (the period, totals, and the
// lines by campaign, outcome and day) and the calls, one row each, on as many "Calls"
// sheets as Excel's row limit needs.
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "reports/call_report.h"
#include "reports/report_labels.h"

namespace vaarta::reports {

class XlsxReportWriter {
 public:
  // Writes the summary at once; the workbook lives in `path` until Finish.
  static core::Result<std::unique_ptr<XlsxReportWriter>> Open(const std::string& path,
                                                              const CallReport& report,
                                                              const ReportLabels& labels,
                                                              int64_t generated_at);
  ~XlsxReportWriter();
  XlsxReportWriter(const XlsxReportWriter&) = delete;
  XlsxReportWriter& operator=(const XlsxReportWriter&) = delete;

  void AddCalls(const std::vector<CallLine>& lines);
  // Closes the workbook; its bytes are then in the file.
  core::Status Finish();

 private:
  struct State;
  explicit XlsxReportWriter(std::unique_ptr<State> state);
  void StartCallsSheet();
  std::unique_ptr<State> state_;
};

}  // namespace vaarta::reports
