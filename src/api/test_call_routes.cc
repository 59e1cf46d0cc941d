#include "api/test_call_routes.h"

namespace vaarta::api {
namespace {

// An utterance longer than this is not something said on a phone.
constexpr size_t kMaxUtteranceBytes = 2000;

http::Response TurnResponse(const core::Result<calls::TestCallTurn>& result) {
  if (!result) return http::ProblemFromError(result.error());
  return JsonResponse(200,
                      {{"state", result->state}, {"turn", calls::AgentTurnJson(result->turn)}});
}

}  // namespace

void RegisterTestCallRoutes(ApiRouter& router, calls::TestCallService& test_calls,
                            TestCallPersonas personas) {
  auto shared = std::make_shared<TestCallPersonas>(std::move(personas));
  router.Add({"GET", "/api/v1/test-calls/personas", auth::Role::kManager,
              "The simulated callees a test call can talk to"},
             [shared](ApiRequest&) {
               return JsonResponse(200, {{"items", shared->list}});
             });
  router.Add(
      {"POST", "/api/v1/campaigns/{id}/test-calls/simulations", auth::Role::kManager,
       "A whole test call between the campaign's agent and a simulated callee", AuditMode::kNone},
      [&test_calls, shared](ApiRequest& req) {
        auto id = ParseIdParam(req.http, "id");
        if (!id) return http::ProblemFromError(id.error());
        auto body = ParseJsonObject(req.http, {"persona", "language"});
        if (!body) return http::ProblemFromError(body.error());
        auto name = RequireString(*body, "persona");
        if (!name) return http::ProblemFromError(name.error());
        auto language = OptionalString(*body, "language");
        if (!language) return http::ProblemFromError(language.error());
        if (language->has_value() && **language != "en" && **language != "hi") {
          return http::Problem(400, "invalid_language", "language must be en or hi");
        }
        auto callee = shared->make(*name);
        if (!callee) {
          std::string names;
          for (const auto& p : shared->list) {
            names += (names.empty() ? "" : ", ") + p["name"].get<std::string>();
          }
          return http::Problem(400, "unknown_persona",
                               "persona '" + *name + "' is not one of " + names);
        }
        auto call = test_calls.Simulate(*id, language->value_or(""), *callee);
        if (!call) return http::ProblemFromError(call.error());
        return JsonResponse(200, calls::SimulatedTestCallJson(*call));
      });
  // Test calls change nothing, so they are not audited turn by turn.
  router.Add(
      {"POST", "/api/v1/campaigns/{id}/test-calls", auth::Role::kManager,
       "Start a typed test call with a campaign's agent: its opening turn", AuditMode::kNone},
      [&test_calls](ApiRequest& req) {
        auto id = ParseIdParam(req.http, "id");
        if (!id) return http::ProblemFromError(id.error());
        auto body = ParseJsonObject(req.http, {"language", "lead_name"});
        if (!body) return http::ProblemFromError(body.error());
        auto language = OptionalString(*body, "language");
        if (!language) return http::ProblemFromError(language.error());
        if (language->has_value() && **language != "en" && **language != "hi") {
          return http::Problem(400, "invalid_language", "language must be en or hi");
        }
        auto name = OptionalString(*body, "lead_name");
        if (!name) return http::ProblemFromError(name.error());
        if (name->value_or("").size() > 200) {
          return http::Problem(400, "invalid_lead_name", "lead_name is longer than 200 bytes");
        }
        return TurnResponse(test_calls.Open(*id, language->value_or(""), name->value_or("")));
      });
  router.Add({"POST", "/api/v1/campaigns/{id}/test-calls/turns", auth::Role::kManager,
              "Say something in a test call: the agent's answer and the state to send next",
              AuditMode::kNone},
             [&test_calls](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto body = ParseJsonObject(req.http, {"state", "text", "digits"});
               if (!body) return http::ProblemFromError(body.error());
               if (!body->contains("state")) {
                 return http::Problem(400, "missing_field",
                                      "state is required: send the state of the previous turn");
               }
               auto text = OptionalString(*body, "text");
               if (!text) return http::ProblemFromError(text.error());
               auto digits = OptionalString(*body, "digits");
               if (!digits) return http::ProblemFromError(digits.error());
               if (text->value_or("").size() > kMaxUtteranceBytes) {
                 return http::Problem(
                     400, "utterance_too_long",
                     "text is longer than " + std::to_string(kMaxUtteranceBytes) + " bytes");
               }
               for (char c : digits->value_or("")) {
                 if (!((c >= '0' && c <= '9') || c == '*' || c == '#')) {
                   return http::Problem(400, "invalid_digits", "digits may hold 0-9, * and # only");
                 }
               }
               return TurnResponse(test_calls.Hear(*id, (*body)["state"], text->value_or(""),
                                                   digits->value_or("")));
             });
}

}  // namespace vaarta::api
