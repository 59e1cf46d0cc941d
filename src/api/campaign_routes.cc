#include "api/campaign_routes.h"

#include "api/do_not_call_routes.h"
#include "campaigns/campaign_json.h"

namespace vaarta::api {
namespace {

using campaigns::CampaignOutcome;
using nlohmann::json;

json FindingsJson(const std::vector<campaigns::ScriptFinding>& findings) {
  json out = json::array();
  for (const auto& f : findings) out.push_back(f.ToJson());
  return out;
}

// Findings with whether they allow a start: the answer of a script check and of readiness.
http::Response VerdictResponse(const std::vector<campaigns::ScriptFinding>& findings) {
  return JsonResponse(
      200, {{"findings", FindingsJson(findings)}, {"can_start", !campaigns::HasErrors(findings)}});
}

// A problem document with the wrong fields and the findings behind a refusal.
http::Response ProblemWith(const core::Error& error,
                           const std::vector<campaigns::FieldError>& field_errors,
                           const std::vector<campaigns::ScriptFinding>& findings) {
  http::Response r = http::ProblemFromError(error);
  json body = json::parse(r.body);
  body["errors"] = core::FieldErrorsJson(field_errors);
  body["findings"] = FindingsJson(findings);
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

// A campaign with its findings (and, after a start, what was enrolled), or the problem.
http::Response OutcomeResponse(const CampaignOutcome& out, int status, bool with_queue) {
  if (!out.ok()) return ProblemWith(*out.error, out.field_errors, out.findings);
  json body = campaigns::CampaignToJson(out.campaign);
  body["findings"] = FindingsJson(out.findings);
  if (with_queue) body["enrolled"] = out.enrolled, body["queued"] = out.queued;
  http::Response r = JsonResponse(status, body);
  if (status == 201) {
    r.headers.emplace_back("Location", "/api/v1/campaigns/" + std::to_string(out.campaign.id));
  }
  return r;
}

// Reads a JSON object body without limiting its fields: the campaign reader names
// every unknown one with the others wrong, in one answer.
core::Result<json> JsonBody(const http::Request& request) {
  auto body = ParseJsonObject(request, {});
  if (body || body.error().detail_code != "unknown_field") return body;
  return json::parse(request.body);
}

void AddTransition(ApiRouter& router, campaigns::CampaignService& service, const char* verb,
                   campaigns::CampaignAction action, const char* summary) {
  router.Add({"POST", std::string("/api/v1/campaigns/{id}/") + verb, auth::Role::kManager, summary,
              AuditMode::kDomain},
             [&service, action](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto out = service.Transition(*id, action, ComplianceActor(req));
               bool starts = action == campaigns::CampaignAction::kStart ||
                             action == campaigns::CampaignAction::kResume;
               return OutcomeResponse(out, 200, starts);
             });
}

json CountsJson(const std::map<std::string, int64_t>& counts) {
  json out = json::object();
  for (const auto& [key, n] : counts) out[key] = n;
  return out;
}

}  // namespace

json CampaignEventJson(const campaigns::Campaign& campaign, std::string_view event) {
  return {{"event", event}, {"campaign", campaigns::CampaignToJson(campaign)}};
}

void RegisterCampaignRoutes(ApiRouter& router, campaigns::CampaignService& service,
                            std::string script_schema) {
  router.Add(
      {"GET", "/api/v1/campaigns", auth::Role::kAgent, "Campaigns, newest first; filter by state"},
      [&service](ApiRequest& req) {
        auto page = ParsePage(req.http, 50, 200);
        if (!page) return http::ProblemFromError(page.error());
        std::optional<campaigns::CampaignState> state;
        if (auto v = req.http.Query("state"); !v.empty()) {
          state = campaigns::ParseCampaignState(v);
          if (!state) {
            return http::Problem(400, "invalid_filter",
                                 "state must be draft, scheduled, running, paused, completed or "
                                 "archived, got '" +
                                     v + "'");
          }
        }
        auto list = service.List(state, page->after, page->limit + 1);
        std::optional<int64_t> next;
        if (static_cast<int>(list.size()) > page->limit) {
          list.resize(static_cast<size_t>(page->limit));
          next = list.back().id;
        }
        json items = json::array();
        for (const auto& c : list) items.push_back(campaigns::CampaignToJson(c));
        return JsonResponse(200, PageBody(std::move(items), next));
      });
  router.Add({"POST", "/api/v1/campaigns", auth::Role::kManager,
              "Create a campaign (a draft); the script's structure is checked", AuditMode::kDomain},
             [&service](ApiRequest& req) {
               auto body = JsonBody(req.http);
               if (!body) return http::ProblemFromError(body.error());
               return OutcomeResponse(service.Create(*body, ComplianceActor(req)), 201, false);
             });
  router.Add({"GET", "/api/v1/campaigns/{id}", auth::Role::kAgent,
              "One campaign with its script's findings"},
             [&service](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto campaign = service.Get(*id);
               if (!campaign) return http::ProblemFromError(campaign.error());
               json body = campaigns::CampaignToJson(*campaign);
               auto findings = service.CheckScript(*id, std::nullopt);
               body["findings"] = findings ? FindingsJson(*findings) : json::array();
               return JsonResponse(200, body);
             });
  router.Add({"GET", "/api/v1/campaigns/{id}/readiness", auth::Role::kAgent,
              "Whether the campaign could start now, and the findings a start would report"},
             [&service](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto findings = service.Readiness(*id);
               if (!findings) return http::ProblemFromError(findings.error());
               return VerdictResponse(*findings);
             });
  router.Add({"PATCH", "/api/v1/campaigns/{id}", auth::Role::kManager,
              "Change a campaign's fields (while it runs: name, pacing, a narrower window)",
              AuditMode::kDomain},
             [&service](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto body = JsonBody(req.http);
               if (!body) return http::ProblemFromError(body.error());
               return OutcomeResponse(service.Update(*id, *body, ComplianceActor(req)), 200, false);
             });
  router.Add({"DELETE", "/api/v1/campaigns/{id}", auth::Role::kManager,
              "Archive a campaign (draft, paused or completed); campaigns are never deleted",
              AuditMode::kDomain},
             [&service](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               return OutcomeResponse(service.Archive(*id, ComplianceActor(req)), 200, false);
             });
  AddTransition(router, service, "start", campaigns::CampaignAction::kStart,
                "Start a draft: enrols its leads and runs it (or schedules it for its start "
                "date); refused with findings when it is not ready");
  AddTransition(router, service, "pause", campaigns::CampaignAction::kPause,
                "Pause a running or scheduled campaign");
  AddTransition(router, service, "resume", campaigns::CampaignAction::kResume,
                "Resume a paused campaign after checking it again; enrols leads added since");
  AddTransition(router, service, "complete", campaigns::CampaignAction::kComplete,
                "Complete a running or paused campaign");
  AddTransition(router, service, "archive", campaigns::CampaignAction::kArchive,
                "Archive a draft, paused or completed campaign");
  router.Add({"POST", "/api/v1/campaigns/{id}/script/check", auth::Role::kManager,
              "Check the campaign's script, or a posted draft of it, for structure and "
              "compliance",
              AuditMode::kNone},
             [&service](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               std::optional<json> script;
               if (!req.http.body.empty()) {
                 auto body = ParseJsonObject(req.http, {"script"});
                 if (!body) return http::ProblemFromError(body.error());
                 if (body->contains("script")) script = (*body)["script"];
               }
               auto findings = service.CheckScript(*id, script);
               if (!findings) return http::ProblemFromError(findings.error());
               return VerdictResponse(*findings);
             });
  router.Add({"POST", "/api/v1/campaigns/script/generate", auth::Role::kManager,
              "Generate a bilingual script from a goal, product facts and offer", AuditMode::kNone},
             [&service](ApiRequest& req) {
               auto body = JsonBody(req.http);
               if (!body) return http::ProblemFromError(body.error());
               campaigns::Campaign facts;
               auto errors = campaigns::ReadCampaignConfig(*body, &facts);
               if (!errors.empty()) {
                 return ProblemWith(core::MakeError(core::ErrorCode::kInvalidArgument,
                                                    "the facts are invalid: " +
                                                        campaigns::DescribeFieldErrors(errors),
                                                    "invalid_campaign"),
                                    errors, {});
               }
               if (facts.goal.empty()) {
                 std::vector<campaigns::FieldError> missing = {
                     {"goal", "is required: what the calls are for, such as \"book a demo\""}};
                 return ProblemWith(
                     core::MakeError(core::ErrorCode::kInvalidArgument,
                                     "say what the calls are for (goal)", "invalid_campaign"),
                     missing, {});
               }
               auto generated = service.Generate(facts);
               return JsonResponse(200, {{"script", generated.script},
                                         {"source", generated.source},
                                         {"findings", FindingsJson(generated.findings)},
                                         {"notes", generated.notes}});
             });
  router.Add({"GET", "/api/v1/campaigns/{id}/stats", auth::Role::kAgent,
              "A campaign's queue by state and outcome, and its calls by status and outcome"},
             [&service](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto stats = service.Stats(*id);
               if (!stats) return http::ProblemFromError(stats.error());
               return JsonResponse(200,
                                   {{"id", *id},
                                    {"leads",
                                     {{"total", stats->leads},
                                      {"by_state", CountsJson(stats->leads_by_state)},
                                      {"by_last_outcome", CountsJson(stats->leads_by_outcome)}}},
                                    {"attempts",
                                     {{"total", stats->attempts},
                                      {"by_status", CountsJson(stats->attempts_by_status)},
                                      {"by_outcome", CountsJson(stats->attempts_by_outcome)}}}});
             });
  router.Add(
      {"GET", "/api/v1/scripts/schema", auth::Role::kAgent, "The JSON Schema of campaign scripts"},
      [schema = std::move(script_schema)](ApiRequest&) {
        if (schema.empty()) {
          return http::Problem(503, "schema_unavailable",
                               "this build does not carry the script schema");
        }
        http::Response r = http::Response::Json(200, schema);
        r.content_type = "application/schema+json";
        return r;
      });
}

}  // namespace vaarta::api
