#pragma once
// A report as a PDF for people: the period and filters, the totals, a chart of calls per
// day, the outcomes as bars, and tables by campaign and by day. Drawn with cairo, text
// laid out by pango (HarfBuzz shaping, so Devanagari conjuncts and vowel signs join
// correctly) in Noto Sans and Noto Sans Devanagari. The calls themselves, which may be
// millions, are in the CSV and XLSX exports, not here.
#include <cstdint>
#include <string>

#include "core/result.h"
#include "reports/call_report.h"
#include "reports/report_labels.h"

namespace vaarta::reports {

core::Result<std::string> RenderReportPdf(const CallReport& report, const ReportLabels& labels,
                                          int64_t generated_at);

}  // namespace vaarta::reports
