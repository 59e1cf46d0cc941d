#include "api/routes.h"

namespace vaarta::api {

nlohmann::json AuditRecordJson(const audit::AuditRecord& r) {
  nlohmann::json summary = nlohmann::json::parse(r.entry.summary, nullptr, false);
  if (summary.is_discarded()) summary = r.entry.summary;
  return {{"seq", r.seq},
          {"at", core::FormatIso8601Utc(r.at)},
          {"actor", r.entry.actor},
          {"role", r.entry.role},
          {"address", r.entry.address},
          {"action", r.entry.action},
          {"target", r.entry.target},
          {"outcome", r.entry.outcome},
          {"summary", summary},
          {"request_id", r.entry.request_id},
          {"hash", r.hash}};
}

void RegisterAuditRoutes(ApiRouter& router) {
  ApiServices& s = router.services();
  router.Add({"GET", "/api/v1/audit", auth::Role::kAdmin,
              "Audit records, newest first; filter by actor, action prefix, since, until"},
             [&s](ApiRequest& req) {
               auto page = ParsePage(req.http, 100, 1000);
               if (!page) return http::ProblemFromError(page.error());
               audit::AuditFilter filter;
               if (auto v = req.http.Query("actor"); !v.empty()) filter.actor = v;
               if (auto v = req.http.Query("action"); !v.empty()) filter.action = v;
               for (const char* name : {"since", "until"}) {
                 std::string v = req.http.Query(name);
                 if (v.empty()) continue;
                 int64_t ms = 0;
                 if (!core::ParseIso8601(v, &ms)) {
                   return http::Problem(400, "invalid_time",
                                        std::string(name) +
                                            " must be an ISO-8601 time with offset, e.g. "
                                            "2026-11-24T10:00:00Z; got '" +
                                            v + "'");
                 }
                 (std::string(name) == "since" ? filter.since : filter.until) = ms;
               }
               auto records = s.audit.Page(filter, page->after, page->limit + 1);
               std::optional<int64_t> next;
               if (static_cast<int>(records.size()) > page->limit) {
                 records.resize(static_cast<size_t>(page->limit));
                 next = records.back().seq;
               }
               nlohmann::json items = nlohmann::json::array();
               for (const auto& r : records) items.push_back(AuditRecordJson(r));
               return JsonResponse(200, PageBody(std::move(items), next));
             });
  router.Add({"GET", "/api/v1/audit/verify", auth::Role::kAdmin,
              "Check the audit hash chain from the first record to the last"},
             [&s](ApiRequest&) {
               audit::VerifyReport report = s.audit.Verify();
               return JsonResponse(200, {{"ok", report.ok},
                                         {"records", report.records},
                                         {"first_bad_seq", report.first_bad_seq},
                                         {"problem", report.problem},
                                         {"head_hash", report.head_hash}});
             });
}

}  // namespace vaarta::api
