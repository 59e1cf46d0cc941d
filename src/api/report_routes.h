#pragma once
// Reports: the calls report over a period (by campaign, day and outcome), its exports
// as background jobs (CSV, XLSX, PDF), and a campaign's weekday × hour heatmap.
#include "api/api_context.h"
#include "reports/report_export_runner.h"

namespace vaarta::api {

void RegisterReportRoutes(ApiRouter& router, reports::ReportExportRunner& exports);

}  // namespace vaarta::api
