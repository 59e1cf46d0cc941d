#include "api/live_call_routes.h"

#include "api/routes.h"

namespace vaarta::api {

void RegisterLiveCallRoutes(ApiRouter& router, TakeOverCall take_over) {
  router.Add({"POST", "/api/v1/live/calls/{id}/take-over", auth::Role::kAgent,
              "Take a call in progress over from the agent: the callee is connected to the "
              "campaign's transfer number"},
             [take_over = std::move(take_over)](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               req.audit_target = "call_attempt:" + std::to_string(*id);
               auto done = take_over(*id, req.who().actor);
               if (!done) return http::ProblemFromError(done.error());
               req.audit_summary = {{"connected_to_last_digits",
                                     done->size() > 4 ? done->substr(done->size() - 4) : *done}};
               return JsonResponse(200, {{"attempt_id", *id}, {"connected_to", *done}});
             });
}

}  // namespace vaarta::api
