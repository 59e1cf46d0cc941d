#include "api/report_routes.h"

#include "core/clock.h"
#include "reports/call_report.h"
#include "reports/campaign_heatmap.h"

namespace vaarta::api {
namespace {

using nlohmann::json;

constexpr int64_t kDayMillis = 24LL * 3600 * 1000;

// An optional id from the query string or a JSON body: absent or empty is "all".
core::Result<std::optional<int64_t>> OptionalId(const std::string& text, const std::string& name) {
  if (text.empty()) return std::optional<int64_t>();
  int64_t id = 0;
  if (!ParseInt64(text, &id) || id <= 0) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           name + " must be a positive whole number", "invalid_" + name);
  }
  return std::optional<int64_t>(id);
}

// The period and scope from ?from=&to=&campaign_id=&list_id=. Without from/to: the last
// seven India days, today included.
core::Result<reports::ReportFilter> FilterFrom(const std::string& from, const std::string& to,
                                               const std::string& campaign, const std::string& list,
                                               int64_t now) {
  auto campaign_id = OptionalId(campaign, "campaign_id");
  if (!campaign_id) return campaign_id.error();
  auto list_id = OptionalId(list, "list_id");
  if (!list_id) return list_id.error();
  std::string from_day = from;
  std::string to_day = to;
  if (to_day.empty()) to_day = core::IstDate(now);
  if (from_day.empty()) from_day = core::IstDate(now - 6 * kDayMillis);
  return reports::MakeReportFilter(from_day, to_day, *campaign_id, *list_id);
}

std::string JsonIdText(const json& body, const char* key, bool* ok) {
  *ok = true;
  if (!body.contains(key) || body[key].is_null()) return "";
  if (body[key].is_number_integer()) return std::to_string(body[key].get<int64_t>());
  *ok = false;
  return "";
}

}  // namespace

void RegisterReportRoutes(ApiRouter& router, reports::ReportExportRunner& exports) {
  ApiServices& s = router.services();
  router.Add({"GET", "/api/v1/reports/calls", auth::Role::kManager,
              "Calls, outcomes and hand-overs over a period of India days, by campaign and day"},
             [&s](ApiRequest& req) {
               auto filter = FilterFrom(req.http.Query("from"), req.http.Query("to"),
                                        req.http.Query("campaign_id"), req.http.Query("list_id"),
                                        s.clock.NowMillis());
               if (!filter) return http::ProblemFromError(filter.error());
               auto report = storage::InTransaction(
                   s.db,
                   [&](storage::Transaction& tx) { return reports::BuildCallReport(tx, *filter); },
                   false);
               if (!report) return http::ProblemFromError(report.error());
               return JsonResponse(200, reports::CallReportJson(*report));
             });

  router.Add({"POST", "/api/v1/reports/exports", auth::Role::kManager,
              "Start exporting the calls report as CSV, XLSX or PDF in the background"},
             [&s, &exports](ApiRequest& req) {
               auto body = ParseJsonObject(
                   req.http, {"format", "from", "to", "campaign_id", "list_id", "language"});
               if (!body) return http::ProblemFromError(body.error());
               auto format_name = RequireString(*body, "format");
               if (!format_name) return http::ProblemFromError(format_name.error());
               auto format = reports::ParseExportFormat(*format_name);
               if (!format) {
                 return http::Problem(400, "invalid_format", "format must be csv, xlsx or pdf");
               }
               auto from = OptionalString(*body, "from");
               if (!from) return http::ProblemFromError(from.error());
               auto to = OptionalString(*body, "to");
               if (!to) return http::ProblemFromError(to.error());
               auto language = OptionalString(*body, "language");
               if (!language) return http::ProblemFromError(language.error());
               const std::string lang = language->value_or("en");
               if (lang != "en" && lang != "hi") {
                 return http::Problem(400, "invalid_language", "language must be en or hi");
               }
               bool ok_campaign = true, ok_list = true;
               std::string campaign = JsonIdText(*body, "campaign_id", &ok_campaign);
               std::string list = JsonIdText(*body, "list_id", &ok_list);
               if (!ok_campaign || !ok_list) {
                 return http::Problem(400, "invalid_scope",
                                      std::string(ok_campaign ? "list_id" : "campaign_id") +
                                          " must be a whole number or null");
               }
               auto filter = FilterFrom(from->value_or(""), to->value_or(""), campaign, list,
                                        s.clock.NowMillis());
               if (!filter) return http::ProblemFromError(filter.error());
               auto started = exports.Start(*filter, *format, lang, req.who().actor);
               if (!started) return http::ProblemFromError(started.error());
               req.audit_target = "report_export:" + std::to_string(started->id);
               req.audit_summary = {
                   {"format", started->format}, {"from", filter->from_day}, {"to", filter->to_day}};
               http::Response r = JsonResponse(202, reports::ReportExportJson(*started));
               r.headers.emplace_back("Location",
                                      "/api/v1/reports/exports/" + std::to_string(started->id));
               return r;
             });

  router.Add({"GET", "/api/v1/reports/exports", auth::Role::kManager,
              "Recent report exports (kept for a day), newest first"},
             [&exports](ApiRequest&) {
               json items = json::array();
               for (const auto& e : exports.List(50)) items.push_back(reports::ReportExportJson(e));
               return JsonResponse(200, {{"items", items}});
             });

  router.Add({"GET", "/api/v1/reports/exports/{id}", auth::Role::kManager,
              "One report export: its state and progress"},
             [&exports](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto found = exports.Get(*id);
               if (!found) {
                 return http::Problem(
                     404, "export_not_found",
                     "export " + std::to_string(*id) + " does not exist or has expired");
               }
               return JsonResponse(200, reports::ReportExportJson(*found));
             });

  // Downloads hold personal data (names, numbers), so each one is in the audit trail.
  router.Add({"GET", "/api/v1/reports/exports/{id}/file", auth::Role::kManager,
              "Download a finished report export", AuditMode::kRequest},
             [&exports](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto file = exports.File(*id);
               if (!file) return http::ProblemFromError(file.error());
               req.audit_target = "report_export:" + std::to_string(*id);
               http::Response r;
               r.status = 200;
               r.content_type = file->content_type;
               r.body = std::move(file->bytes);
               r.headers.emplace_back("Content-Disposition",
                                      "attachment; filename=\"" + file->file_name + "\"");
               r.headers.emplace_back("Cache-Control", "private, no-store");
               return r;
             });

  router.Add({"GET", "/api/v1/campaigns/{id}/heatmap", auth::Role::kAgent,
              "A campaign's calls, answer and conversion rates by weekday and hour of the "
              "callee's clock"},
             [&s](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               std::optional<int64_t> from_ms, to_ms;
               const std::string from = req.http.Query("from");
               const std::string to = req.http.Query("to");
               if (!from.empty() || !to.empty()) {
                 auto filter = reports::MakeReportFilter(from, to, *id, std::nullopt);
                 if (!filter) return http::ProblemFromError(filter.error());
                 from_ms = filter->from_ms;
                 to_ms = filter->to_ms;
               }
               return storage::InTransaction(
                   s.db,
                   [&](storage::Transaction& tx) {
                     if (tx.Execute("SELECT 1 FROM campaigns WHERE id = $1", {storage::Int(*id)})
                             .rows.empty()) {
                       return http::Problem(404, "campaign_not_found",
                                            "campaign " + std::to_string(*id) + " does not exist");
                     }
                     return JsonResponse(
                         200, reports::CampaignHeatmapJson(
                                  reports::BuildCampaignHeatmap(tx, *id, from_ms, to_ms)));
                   },
                   false);
             });
}

}  // namespace vaarta::api
