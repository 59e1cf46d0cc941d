#include "api/consent_routes.h"

#include "api/do_not_call_routes.h"

namespace vaarta::api {
namespace {

nlohmann::json OptTime(const std::optional<int64_t>& t) {
  return t ? nlohmann::json(core::FormatIso8601Utc(*t)) : nlohmann::json();
}

nlohmann::json ConsentJson(const compliance::Consent& c) {
  return {{"id", c.id},
          {"phone", c.phone_e164 ? nlohmann::json(*c.phone_e164) : nlohmann::json()},
          {"purpose", c.purpose},
          {"source", c.source},
          {"notice_version", c.notice_version},
          {"notice_language", c.notice_language},
          {"given_at", core::FormatIso8601Utc(c.given_at)},
          {"expires_at", OptTime(c.expires_at)},
          {"withdrawn_at", OptTime(c.withdrawn_at)},
          {"withdrawn_by", c.withdrawn_by ? nlohmann::json(*c.withdrawn_by) : nlohmann::json()},
          {"recorded_at", core::FormatIso8601Utc(c.recorded_at)},
          {"recorded_by", c.recorded_by},
          {"erased_at", OptTime(c.erased_at)}};
}

// An optional ISO-8601 time field (with its zone); nullopt when absent or null.
core::Result<std::optional<int64_t>> OptionalTime(const nlohmann::json& body,
                                                  const std::string& field) {
  auto text = OptionalString(body, field);
  if (!text) return text.error();
  if (!*text) return std::optional<int64_t>();
  int64_t millis = 0;
  if (!core::ParseIso8601(**text, &millis)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "field '" + field +
                               "' must be an ISO-8601 time with a zone, like "
                               "2026-11-24T17:51:14Z; got '" +
                               **text + "'",
                           "invalid_field");
  }
  return std::optional<int64_t>(millis);
}

}  // namespace

void RegisterConsentRoutes(ApiRouter& router, compliance::ConsentLedger& ledger) {
  ApiServices& s = router.services();
  router.Add({"GET", "/api/v1/consents", auth::Role::kManager,
              "Consents, newest first; with phone and purpose also the current state"},
             [&ledger, &s](ApiRequest& req) {
               auto page = ParsePage(req.http);
               if (!page) return http::ProblemFromError(page.error());
               std::optional<std::string> phone, purpose;
               if (req.http.query.count("phone")) phone = PhoneFromQuery(req.http, "phone");
               if (req.http.query.count("purpose")) purpose = req.http.Query("purpose");
               auto consents = ledger.List(phone, purpose, page->after, page->limit + 1);
               if (!consents) return http::ProblemFromError(consents.error());
               std::optional<int64_t> next;
               if (static_cast<int>(consents->size()) > page->limit) {
                 consents->resize(static_cast<size_t>(page->limit));
                 next = consents->back().id;
               }
               nlohmann::json items = nlohmann::json::array();
               for (const auto& c : *consents) items.push_back(ConsentJson(c));
               nlohmann::json out = PageBody(std::move(items), next);
               if (phone && purpose) {
                 int64_t now = s.clock.NowMillis();
                 auto state = ledger.Current(*phone, *purpose, now);
                 if (!state) return http::ProblemFromError(state.error());
                 auto reask = ledger.CanAskAgain(*phone, *purpose, now);
                 if (!reask) return http::ProblemFromError(reask.error());
                 out["state"] = {{"status", compliance::ConsentStatusName(state->status)},
                                 {"consent_id", state->consent ? nlohmann::json(state->consent->id)
                                                               : nlohmann::json()},
                                 {"expires_at", state->consent ? OptTime(state->consent->expires_at)
                                                               : nlohmann::json()},
                                 {"withdrawn_at", OptTime(state->withdrawn_at)},
                                 {"can_ask_again", reask->allowed},
                                 {"ask_again_from", OptTime(reask->allowed_from)}};
               }
               return JsonResponse(200, out);
             });
  router.Add(
      {"POST", "/api/v1/consents", auth::Role::kManager, "Record a consent", AuditMode::kDomain},
      [&ledger, &s](ApiRequest& req) {
        auto body = ParseJsonObject(req.http, {"phone", "purpose", "source", "notice_version",
                                               "notice_language", "given_at", "expires_at"});
        if (!body) return http::ProblemFromError(body.error());
        compliance::NewConsent consent;
        for (auto [field, target] :
             {std::pair{"phone", &consent.phone_e164}, std::pair{"purpose", &consent.purpose},
              std::pair{"source", &consent.source},
              std::pair{"notice_version", &consent.notice_version},
              std::pair{"notice_language", &consent.notice_language}}) {
          auto value = RequireString(*body, field);
          if (!value) return http::ProblemFromError(value.error());
          *target = *value;
        }
        auto given_at = OptionalTime(*body, "given_at");
        if (!given_at) return http::ProblemFromError(given_at.error());
        auto expires_at = OptionalTime(*body, "expires_at");
        if (!expires_at) return http::ProblemFromError(expires_at.error());
        consent.given_at = given_at->value_or(s.clock.NowMillis());
        consent.expires_at = *expires_at;
        auto recorded = ledger.Record(consent, ComplianceActor(req));
        if (!recorded) return http::ProblemFromError(recorded.error());
        return JsonResponse(201, ConsentJson(*recorded));
      });
  router.Add({"POST", "/api/v1/consents/withdraw", auth::Role::kAgent,
              "Withdraw a number's consent for a purpose (no reason needed)", AuditMode::kDomain},
             [&ledger, &s](ApiRequest& req) {
               auto body = ParseJsonObject(req.http, {"phone", "purpose", "at"});
               if (!body) return http::ProblemFromError(body.error());
               auto phone = RequireString(*body, "phone");
               if (!phone) return http::ProblemFromError(phone.error());
               auto purpose = RequireString(*body, "purpose");
               if (!purpose) return http::ProblemFromError(purpose.error());
               auto at = OptionalTime(*body, "at");
               if (!at) return http::ProblemFromError(at.error());
               auto withdrawn = ledger.Withdraw(*phone, *purpose, ComplianceActor(req),
                                                at->value_or(s.clock.NowMillis()));
               if (!withdrawn) return http::ProblemFromError(withdrawn.error());
               return JsonResponse(
                   200, {{"purpose", *purpose},
                         {"withdrawn_at", core::FormatIso8601Utc(withdrawn->at)},
                         {"withdrawn", withdrawn->withdrawn},
                         {"ask_again_from", core::FormatIso8601Utc(withdrawn->ask_again_from)}});
             });
}

}  // namespace vaarta::api
