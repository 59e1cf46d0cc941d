#include "api/data_request_routes.h"

namespace vaarta::api {

void RegisterDataRequestRoutes(ApiRouter& router, leads::DataRequestBook& book) {
  ApiServices& s = router.services();
  router.Add({"GET", "/api/v1/data-requests", auth::Role::kManager,
              "Erasure, access, correction and withdrawal requests and grievances: open ones "
              "soonest due first, then closed ones"},
             [&s, &book](ApiRequest& req) {
               const std::string state = req.http.Query("state");
               if (!state.empty() && state != "open" && state != "closed") {
                 return http::Problem(400, "invalid_state", "state must be open or closed");
               }
               nlohmann::json items = nlohmann::json::array();
               const int64_t now = s.clock.NowMillis();
               for (const auto& r : book.List(state, 500)) {
                 items.push_back(leads::DataRequestJson(r, now));
               }
               return JsonResponse(200, {{"items", items}});
             });
  router.Add(
      {"POST", "/api/v1/data-requests", auth::Role::kManager,
       "Record a request or grievance; it is due 90 days after it was received"},
      [&s, &book](ApiRequest& req) {
        auto body = ParseJsonObject(
            req.http, {"kind", "requester", "channel", "phone", "details", "received_on"});
        if (!body) return http::ProblemFromError(body.error());
        leads::NewDataRequest in;
        auto kind = RequireString(*body, "kind");
        if (!kind) return http::ProblemFromError(kind.error());
        in.kind = *kind;
        auto requester = RequireString(*body, "requester");
        if (!requester) return http::ProblemFromError(requester.error());
        in.requester = *requester;
        std::pair<const char*, std::string*> optional[] = {{"channel", &in.channel},
                                                           {"phone", &in.phone},
                                                           {"details", &in.details},
                                                           {"received_on", &in.received_on}};
        for (auto& [name, target] : optional) {
          auto v = OptionalString(*body, name);
          if (!v) return http::ProblemFromError(v.error());
          if (*v) *target = **v;
        }
        auto added = book.Add(in, req.who().actor);
        if (!added) return http::ProblemFromError(added.error());
        req.audit_target = "data_request:" + std::to_string(added->id);
        req.audit_summary = {{"kind", added->kind}};
        http::Response r = JsonResponse(201, leads::DataRequestJson(*added, s.clock.NowMillis()));
        r.headers.emplace_back("Location", "/api/v1/data-requests/" + std::to_string(added->id));
        return r;
      });
  router.Add({"POST", "/api/v1/data-requests/{id}/close", auth::Role::kManager,
              "Close a request as done or refused, saying what was done or why not"},
             [&s, &book](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto body = ParseJsonObject(req.http, {"outcome", "note"});
               if (!body) return http::ProblemFromError(body.error());
               auto outcome = RequireString(*body, "outcome");
               if (!outcome) return http::ProblemFromError(outcome.error());
               auto note = RequireString(*body, "note");
               if (!note) return http::ProblemFromError(note.error());
               auto closed = book.Close(*id, *outcome, *note, req.who().actor);
               if (!closed) return http::ProblemFromError(closed.error());
               req.audit_target = "data_request:" + std::to_string(*id);
               req.audit_summary = {{"outcome", *outcome}};
               return JsonResponse(200, leads::DataRequestJson(*closed, s.clock.NowMillis()));
             });
}

}  // namespace vaarta::api
