#include "api/callback_routes.h"

#include "api/do_not_call_routes.h"

namespace vaarta::api {

void RegisterCallbackRoutes(ApiRouter& router, dialer::CallbackBook& book) {
  router.Add(
      {"POST", "/api/v1/campaigns/{id}/callbacks", auth::Role::kAgent,
       "Book a callback for a lead of the campaign; moved into the legal window",
       AuditMode::kDomain},
      [&book](ApiRequest& req) {
        auto id = ParseIdParam(req.http, "id");
        if (!id) return http::ProblemFromError(id.error());
        auto body = ParseJsonObject(req.http, {"lead_id", "at", "note"});
        if (!body) return http::ProblemFromError(body.error());
        if (!body->contains("lead_id") || !(*body)["lead_id"].is_number_integer()) {
          return http::ProblemFromError({core::ErrorCode::kInvalidArgument,
                                         "lead_id: required, an integer", "invalid_lead_id"});
        }
        auto at_text = RequireString(*body, "at");
        if (!at_text) return http::ProblemFromError(at_text.error());
        int64_t at = 0;
        if (!core::ParseIso8601(*at_text, &at)) {
          return http::ProblemFromError({core::ErrorCode::kInvalidArgument,
                                         "at: must be an ISO 8601 instant with its offset, e.g. "
                                         "2027-01-25T17:00:00+05:30",
                                         "invalid_at"});
        }
        auto note = OptionalString(*body, "note");
        if (!note) return http::ProblemFromError(note.error());
        auto booked = book.Book(*id, (*body)["lead_id"].get<int64_t>(), at, note->value_or(""),
                                ComplianceActor(req));
        if (!booked) return http::ProblemFromError(booked.error());
        return JsonResponse(201, booked->ToJson());
      });
  router.Add({"GET", "/api/v1/campaigns/{id}/callbacks", auth::Role::kAgent,
              "A campaign's callbacks, latest due first; filter by state"},
             [&book](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               int64_t limit = 100;
               if (const auto text = req.http.Query("limit"); !text.empty()) {
                 if (!ParseInt64(text, &limit)) limit = 0;
               }
               auto list = book.List(*id, req.http.Query("state"), static_cast<int>(limit));
               if (!list) return http::ProblemFromError(list.error());
               nlohmann::json items = nlohmann::json::array();
               for (const auto& cb : *list) items.push_back(cb.ToJson());
               return JsonResponse(200, {{"items", items}});
             });
}

}  // namespace vaarta::api
