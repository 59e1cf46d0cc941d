#include "api/webhook_routes.h"

#include "api/routes.h"

namespace vaarta::api {
namespace {

http::Response FieldProblem(const std::vector<core::FieldError>& errors) {
  return FieldErrorsProblem("invalid_webhook", core::DescribeFieldErrors(errors), errors);
}

core::Result<std::optional<std::vector<std::string>>> OptionalEvents(const nlohmann::json& body) {
  if (!body.contains("events")) return std::optional<std::vector<std::string>>();
  const auto& events = body["events"];
  std::vector<std::string> out;
  if (events.is_array()) {
    for (const auto& e : events) {
      if (!e.is_string()) {
        out.clear();
        break;
      }
      out.push_back(e.get<std::string>());
    }
    if (out.size() == events.size()) return std::optional<std::vector<std::string>>(out);
  }
  return core::MakeError(core::ErrorCode::kInvalidArgument,
                         "field 'events' must be an array of event names", "invalid_field");
}

http::Response NotFound(int64_t id) {
  return http::Problem(404, "webhook_not_found", "no webhook endpoint " + std::to_string(id));
}

}  // namespace

void RegisterWebhookRoutes(ApiRouter& router, webhooks::WebhookBook& book) {
  ApiServices& s = router.services();
  router.Add({"GET", "/api/v1/webhook-endpoints", auth::Role::kAdmin,
              "Outbound webhook endpoints and the events they receive"},
             [&s, &book](ApiRequest&) {
               nlohmann::json items = nlohmann::json::array();
               storage::InTransaction(
                   s.db,
                   [&](storage::Transaction& tx) {
                     for (const auto& e : book.List(tx)) items.push_back(e.ToJson());
                   },
                   false);
               nlohmann::json events = webhooks::SubscribableEvents();
               return JsonResponse(200, {{"items", items}, {"events", events}});
             });

  router.Add(
      {"POST", "/api/v1/webhook-endpoints", auth::Role::kAdmin,
       "Add an endpoint; its signing secret is in this answer and never again"},
      [&s, &book](ApiRequest& req) {
        auto body = ParseJsonObject(req.http, {"url", "description", "events"});
        if (!body) return http::ProblemFromError(body.error());
        auto url = RequireString(*body, "url");
        if (!url) return http::ProblemFromError(url.error());
        auto description = OptionalString(*body, "description");
        if (!description) return http::ProblemFromError(description.error());
        auto events = OptionalEvents(*body);
        if (!events) return http::ProblemFromError(events.error());
        webhooks::EndpointFields fields{*url, description->value_or(""),
                                        events->value_or(std::vector<std::string>{})};
        if (auto errors = book.Check(fields); !errors.empty()) return FieldProblem(errors);
        auto [endpoint, secret] = storage::InTransaction(s.db, [&](storage::Transaction& tx) {
          auto made = book.Create(tx, fields, req.who().actor);
          req.audit_target = "webhook:" + std::to_string(made.first.id);
          // The URL may carry a receiver's token in its query: only its host goes in.
          req.audit_summary = {{"events", made.first.events},
                               {"host", made.first.url.substr(0, made.first.url.find('/', 8))}};
          req.AuditIn(tx);
          return made;
        });
        nlohmann::json out = endpoint.ToJson();
        out["secret"] = secret;
        return JsonResponse(201, out);
      });

  router.Add({"PATCH", "/api/v1/webhook-endpoints/{id}", auth::Role::kAdmin,
              "Pause or resume an endpoint, or change its events or description"},
             [&s, &book](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto body = ParseJsonObject(req.http, {"active", "events", "description"});
               if (!body) return http::ProblemFromError(body.error());
               auto active = OptionalBool(*body, "active");
               if (!active) return http::ProblemFromError(active.error());
               auto description = OptionalString(*body, "description");
               if (!description) return http::ProblemFromError(description.error());
               auto events = OptionalEvents(*body);
               if (!events) return http::ProblemFromError(events.error());
               std::optional<http::Response> refused;
               auto updated = storage::InTransaction(s.db, [&](storage::Transaction& tx) {
                 auto current = book.Get(tx, *id);
                 if (!current) return std::optional<webhooks::WebhookEndpoint>();
                 webhooks::EndpointFields fields{current->url,
                                                 description->value_or(current->description),
                                                 events->value_or(current->events)};
                 if (auto errors = book.Check(fields); !errors.empty()) {
                   // The URL was accepted when it was made; only the changed fields count.
                   std::erase_if(errors, [](const auto& e) { return e.field == "url"; });
                   if (!errors.empty()) {
                     refused = FieldProblem(errors);
                     return std::optional<webhooks::WebhookEndpoint>();
                   }
                 }
                 book.Update(tx, *id, *active, *events, *description);
                 req.audit_target = "webhook:" + std::to_string(*id);
                 req.audit_summary = *body;
                 req.AuditIn(tx);
                 return book.Get(tx, *id);
               });
               if (refused) return *refused;
               if (!updated) return NotFound(*id);
               return JsonResponse(200, updated->ToJson());
             });

  router.Add({"DELETE", "/api/v1/webhook-endpoints/{id}", auth::Role::kAdmin,
              "Remove an endpoint and its deliveries"},
             [&s, &book](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               req.audit_target = "webhook:" + std::to_string(*id);
               const bool removed = storage::InTransaction(s.db, [&](storage::Transaction& tx) {
                 const bool deleted = book.Delete(tx, *id);
                 if (deleted) req.AuditIn(tx);
                 return deleted;
               });
               if (!removed) return NotFound(*id);
               return NoContent();
             });

  router.Add(
      {"POST", "/api/v1/webhook-endpoints/{id}/test", auth::Role::kAdmin,
       "Send the endpoint a webhook.test event now"},
      [&s, &book](ApiRequest& req) {
        auto id = ParseIdParam(req.http, "id");
        if (!id) return http::ProblemFromError(id.error());
        req.audit_target = "webhook:" + std::to_string(*id);
        const bool queued = storage::InTransaction(s.db, [&](storage::Transaction& tx) {
          if (!book.Get(tx, *id)) return false;
          book.Enqueue(
              tx,
              {{std::string(webhooks::kTestEvent),
                {{"message", "A test event from Vaarta's Settings"}, {"sent_by", req.who().actor}},
                ""}},
              *id);
          return true;
        });
        if (!queued) return NotFound(*id);
        return JsonResponse(202, {{"queued", true}});
      });

  router.Add({"GET", "/api/v1/webhook-endpoints/{id}/deliveries", auth::Role::kAdmin,
              "An endpoint's latest deliveries (newest first) with their attempts and errors"},
             [&s, &book](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               std::optional<nlohmann::json> items;
               storage::InTransaction(
                   s.db,
                   [&](storage::Transaction& tx) {
                     if (!book.Get(tx, *id)) return;
                     items = nlohmann::json::array();
                     for (const auto& d : book.Deliveries(tx, *id, 100)) {
                       items->push_back(d.ToJson());
                     }
                   },
                   false);
               if (!items) return NotFound(*id);
               return JsonResponse(200, {{"items", *items}});
             });

  router.Add({"POST", "/api/v1/webhook-deliveries/{id}/retry", auth::Role::kAdmin,
              "Send a failed delivery again"},
             [&s, &book](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               req.audit_target = "webhook-delivery:" + std::to_string(*id);
               const bool again = storage::InTransaction(s.db, [&](storage::Transaction& tx) {
                 const bool ok = book.Retry(tx, *id);
                 if (ok) req.AuditIn(tx);
                 return ok;
               });
               if (!again) {
                 return http::Problem(409, "delivery_not_failed",
                                      "delivery " + std::to_string(*id) +
                                          " has not failed (or does not exist): only failed "
                                          "deliveries are sent again");
               }
               return JsonResponse(202, {{"queued", true}});
             });
}

}  // namespace vaarta::api
