#include "api/telephony_webhook_routes.h"

#include "storage/database.h"

namespace vaarta::api {

using telephony::WebhookKind;

namespace {

std::optional<WebhookKind> KindOf(const std::string& name) {
  if (name == "voice") return WebhookKind::kVoice;
  if (name == "status") return WebhookKind::kStatus;
  if (name == "amd") return WebhookKind::kAmd;
  if (name == "gather") return WebhookKind::kGather;
  if (name == "recording") return WebhookKind::kRecording;
  if (name == "connect-end") return WebhookKind::kConnectEnd;
  if (name == "dial-end") return WebhookKind::kDialEnd;
  return std::nullopt;
}

http::Response Document(const telephony::TelephonyProvider& provider,
                        const telephony::CallControlDocument& document) {
  return http::Response::Text(200, provider.RenderDocument(document),
                              provider.document_content_type());
}

}  // namespace

std::string PublicUrl(const std::string& public_base_url, const http::Request& request) {
  std::string base = public_base_url;
  if (base.empty()) base = "http://" + request.Header("host");
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + request.target;
}

bool ParseFormBody(const std::string& body, std::vector<std::pair<std::string, std::string>>* out) {
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string part = body.substr(start, end - start);
    if (!part.empty()) {
      const size_t eq = part.find('=');
      std::string name, value;
      if (!http::PercentDecode(part.substr(0, eq), true, &name)) return false;
      if (eq != std::string::npos && !http::PercentDecode(part.substr(eq + 1), true, &value)) {
        return false;
      }
      out->emplace_back(std::move(name), std::move(value));
    }
    start = end + 1;
  }
  return true;
}

void ApplyTelephonyEvent(TelephonyWebhookServices& s, int64_t attempt_id,
                         const telephony::CallEvent& event) {
  const std::string provider = s.provider->name();
  if (event.kind == WebhookKind::kRecording) {
    if (s.on_recording) s.on_recording(attempt_id, event);
    return;
  }
  auto applied = s.states->Apply(attempt_id, provider, event);
  if (!applied) return;  // unknown or mismatched call: recorded nowhere, logged by caller
  if (event.kind == WebhookKind::kAmd && *applied != calls::ApplyOutcome::kDuplicate) {
    s.flow->MachineDetection(attempt_id, event);
  }
}

void RegisterTelephonyWebhookRoutes(ApiRouter& router,
                                    std::shared_ptr<TelephonyWebhookServices> services) {
  ApiServices& api = router.services();
  auto* invalid = api.metrics.GetCounter("vaarta_webhooks_rejected_total",
                                         "Provider webhooks refused (bad signature or request)");
  auto* accepted =
      api.metrics.GetCounter("vaarta_webhooks_total", "Provider webhooks verified and handled");
  const std::string provider_name = services->provider->name();
  router.Add({"POST", "/webhooks/" + provider_name + "/{kind}", std::nullopt,
              "Telephony provider callbacks (signed by the provider)", AuditMode::kNone},
             [services, &api, invalid, accepted](ApiRequest& req) {
               TelephonyWebhookServices& s = *services;
               const http::Request& http = req.http;
               const auto kind = KindOf(http.PathParam("kind"));
               if (!kind) return http::Problem(404, "not_found", "no such webhook");
               telephony::WebhookRequest hook;
               hook.method = http.method;
               hook.public_url = PublicUrl(s.public_base_url, http);
               hook.body = http.body;
               hook.headers = http.headers;
               std::string content_type = http.Header("content-type");
               content_type = content_type.substr(0, content_type.find(';'));
               hook.content_type = content_type;
               if (content_type == "application/x-www-form-urlencoded" &&
                   !ParseFormBody(http.body, &hook.form)) {
                 invalid->Increment();
                 return http::Problem(400, "webhook_malformed",
                                      "the form body has a malformed escape");
               }
               if (!s.provider->VerifyWebhook(hook)) {
                 invalid->Increment();
                 api.audit.Append(
                     audit::AuditEntry{"anonymous", "", http.remote_address,
                                       "telephony.webhook_rejected", http.path, "denied",
                                       nlohmann::json{{"reason", "invalid or missing signature"},
                                                      {"provider", s.provider->name()},
                                                      {"url", hook.public_url}}
                                           .dump(),
                                       http.request_id});
                 api.log.Warn("webhook signature invalid",
                              {{"path", http.path}, {"remote", http.remote_address}});
                 return http::Problem(403, "webhook_signature_invalid",
                                      "the request does not carry a valid provider signature");
               }
               int64_t attempt_id = 0;
               if (!ParseInt64(http.Query("attempt"), &attempt_id) || attempt_id <= 0) {
                 invalid->Increment();
                 return http::Problem(400, "webhook_malformed",
                                      "the webhook URL has no attempt=<id> parameter");
               }
               auto event = s.provider->ParseWebhook(*kind, hook);
               if (!event) {
                 invalid->Increment();
                 return http::Problem(400, "webhook_malformed", event.error().message);
               }
               accepted->Increment();
               try {
                 switch (*kind) {
                   case WebhookKind::kVoice:
                     return Document(*s.provider, s.flow->Answered(attempt_id, *event));
                   case WebhookKind::kGather:
                     return Document(*s.provider, s.flow->Gathered(attempt_id, *event));
                   case WebhookKind::kConnectEnd:
                     return Document(*s.provider, s.flow->ConnectEnded(attempt_id, *event));
                   case WebhookKind::kDialEnd:
                     return Document(*s.provider, s.flow->DialEnded(attempt_id, *event));
                   default:
                     break;
                 }
               } catch (const storage::DatabaseError& e) {
                 // A live caller is waiting for this answer: say sorry and hang up rather than
                 // let the provider play its own error message. The status callbacks that
                 // follow are spooled, so the call's final state is not lost.
                 api.log.Error("call document failed: database unavailable",
                               {{"path", http.path}, {"error", e.what()}});
                 return Document(*s.provider, s.flow->Apology("en"));
               }
               try {
                 ApplyTelephonyEvent(s, attempt_id, *event);
               } catch (const storage::DatabaseError& e) {
                 // The provider retries only a few times: keep the verified callback ourselves.
                 calls::SpooledWebhook spooled;
                 spooled.provider = s.provider->name();
                 spooled.kind = calls::WebhookKindName(*kind);
                 spooled.attempt_id = attempt_id;
                 spooled.form = hook.form;
                 if (auto kept = s.spool->Append(spooled); !kept) {
                   api.log.Error("webhook lost: database and spool unavailable",
                                 {{"path", http.path}, {"error", e.what()}});
                   return http::Problem(503, "unavailable", "try again");
                 }
                 api.log.Warn("webhook spooled: database unavailable", {{"error", e.what()}});
               }
               return http::Response::Text(200, "", "text/plain");
             });
}

}  // namespace vaarta::api
