#include "api/telephony_credential_routes.h"

#include <algorithm>
#include <set>

#include "api/routes.h"
#include "telephony/twilio/twilio_rest_client.h"

namespace vaarta::api {
namespace {

nlohmann::json SecretState(const std::string& hint) {
  return {{"set", !hint.empty()}, {"hint", hint}};
}

nlohmann::json CredentialsJson(storage::Transaction& tx, const TelephonyCredentialApi& api) {
  nlohmann::json out = {{"provider", "twilio"}, {"active_provider", api.active_provider}};
  if (auto stored = api.store.Summary(tx)) {
    out["source"] = "dashboard";
    out["account_sid"] = stored->account_sid;
    out["auth_token"] = SecretState(stored->auth_token_hint);
    out["api_key_sid"] = stored->api_key_sid;
    out["api_key_secret"] = SecretState(stored->api_key_secret_hint);
    out["updated_at"] = core::FormatIso8601Utc(stored->updated_at);
    out["updated_by"] = stored->updated_by;
    // A value sealed under another data key cannot be used; say so rather than fail a call.
    out["readable"] = api.store.Load(tx).ok();
  } else {
    const bool configured = !api.configured_account_sid.empty();
    out["source"] = configured ? "configuration" : "none";
    out["account_sid"] = api.configured_account_sid;
    out["auth_token"] = {{"set", api.configured_auth_token}, {"hint", ""}};
    out["api_key_sid"] = "";
    out["api_key_secret"] = SecretState("");
    out["updated_at"] = nullptr;
    out["updated_by"] = nullptr;
    out["readable"] = configured;
  }
  return out;
}

http::Response FieldProblem(const std::vector<core::FieldError>& errors) {
  return FieldErrorsProblem("invalid_credentials", core::DescribeFieldErrors(errors), errors);
}

// Reads the four fields; absent ones stay empty and `present` says which were sent.
core::Result<settings::TwilioCredentials> ReadFields(const nlohmann::json& body,
                                                     std::set<std::string>* present) {
  settings::TwilioCredentials c;
  std::pair<const char*, std::string*> fields[] = {{"account_sid", &c.account_sid},
                                                   {"auth_token", &c.auth_token},
                                                   {"api_key_sid", &c.api_key_sid},
                                                   {"api_key_secret", &c.api_key_secret}};
  for (auto& [name, slot] : fields) {
    auto value = OptionalString(body, name);
    if (!value) return value.error();
    if (*value) {
      *slot = **value;
      present->insert(name);
    }
  }
  return c;
}

}  // namespace

void RegisterTelephonyCredentialRoutes(ApiRouter& router, TelephonyCredentialApi& api) {
  ApiServices& s = router.services();
  router.Add(
      {"GET", "/api/v1/telephony/credentials", auth::Role::kAdmin,
       "The telephony account in use: which secrets are stored, never the secrets"},
      [&s, &api](ApiRequest&) {
        return JsonResponse(
            200,
            storage::InTransaction(
                s.db, [&](storage::Transaction& tx) { return CredentialsJson(tx, api); }, false));
      });

  router.Add(
      {"PUT", "/api/v1/telephony/credentials", auth::Role::kAdmin,
       "Enter the telephony account's credentials (write-only)"},
      [&s, &api](ApiRequest& req) {
        auto body = ParseJsonObject(req.http,
                                    {"account_sid", "auth_token", "api_key_sid", "api_key_secret"});
        if (!body) return http::ProblemFromError(body.error());
        std::set<std::string> present;
        auto entered = ReadFields(*body, &present);
        if (!entered) return http::ProblemFromError(entered.error());
        req.audit_target = "telephony:twilio";
        std::optional<http::Response> refused;
        nlohmann::json result = storage::InTransaction(s.db, [&](storage::Transaction& tx) {
          auto stored = api.store.Load(tx);
          // A secret left out keeps the stored one, but only for the same account
          // (or API key): a new account without its token would never work.
          settings::TwilioCredentials c = *entered;
          if (stored.ok() && stored->has_value()) {
            const auto& old = **stored;
            if (!present.contains("auth_token") && c.account_sid == old.account_sid) {
              c.auth_token = old.auth_token;
            }
            if (!present.contains("api_key_sid")) c.api_key_sid = old.api_key_sid;
            if (!present.contains("api_key_secret") && c.api_key_sid == old.api_key_sid) {
              c.api_key_secret = old.api_key_secret;
            }
          }
          auto errors = settings::CheckTwilioCredentials(c);
          if (!present.contains("auth_token") && c.auth_token.empty()) {
            errors.erase(std::remove_if(errors.begin(), errors.end(),
                                        [](const auto& e) { return e.field == "auth_token"; }),
                         errors.end());
            errors.push_back({"auth_token", "is required for a new account"});
          }
          if (!errors.empty()) {
            refused = FieldProblem(errors);
            return nlohmann::json();
          }
          api.store.Put(tx, c, s.clock.NowMillis(), req.who().actor);
          // What changed, never the secrets themselves.
          req.audit_summary = {{"account_sid", c.account_sid},
                               {"auth_token_changed", present.contains("auth_token")},
                               {"api_key_sid", c.api_key_sid},
                               {"api_key_secret_changed", present.contains("api_key_secret")}};
          req.AuditIn(tx);
          return CredentialsJson(tx, api);
        });
        if (refused) return *refused;
        if (api.on_changed) api.on_changed();
        return JsonResponse(200, result);
      });

  router.Add({"DELETE", "/api/v1/telephony/credentials", auth::Role::kAdmin,
              "Forget the entered credentials (the configuration's apply again)"},
             [&s, &api](ApiRequest& req) {
               req.audit_target = "telephony:twilio";
               const bool removed = storage::InTransaction(s.db, [&](storage::Transaction& tx) {
                 const bool deleted = api.store.Delete(tx);
                 if (deleted) req.AuditIn(tx);
                 return deleted;
               });
               if (!removed) {
                 return http::Problem(404, "credentials_not_found",
                                      "no telephony credentials were entered in the dashboard");
               }
               if (api.on_changed) api.on_changed();
               return NoContent();
             });

  router.Add({"POST", "/api/v1/telephony/credentials/check", auth::Role::kAdmin,
              "Ask the provider whether credentials (entered now, or stored) open the account"},
             [&s, &api](ApiRequest& req) {
               auto body = ParseJsonObject(
                   req.http, {"account_sid", "auth_token", "api_key_sid", "api_key_secret"});
               if (!body) return http::ProblemFromError(body.error());
               std::set<std::string> present;
               auto entered = ReadFields(*body, &present);
               if (!entered) return http::ProblemFromError(entered.error());
               settings::TwilioCredentials c = *entered;
               if (present.empty()) {
                 auto stored = storage::InTransaction(
                     s.db, [&](storage::Transaction& tx) { return api.store.Load(tx); }, false);
                 if (!stored) return http::ProblemFromError(stored.error());
                 if (!stored->has_value()) {
                   return http::Problem(409, "credentials_not_found",
                                        "no telephony credentials were entered in the dashboard; "
                                        "enter some, or send them with this request to check them "
                                        "before saving");
                 }
                 c = **stored;
               } else if (auto errors = settings::CheckTwilioCredentials(c); !errors.empty()) {
                 return FieldProblem(errors);
               }
               telephony::twilio::TwilioRestConfig config;
               config.api_base_url = api.api_base_url;
               config.account_sid = c.account_sid;
               config.auth_token = c.auth_token;
               config.api_key_sid = c.api_key_sid;
               config.api_key_secret = c.api_key_secret;
               config.max_retries = 1;
               config.request_timeout_ms = 8000;
               telephony::twilio::TwilioRestClient client(config);
               auto account = client.FetchAccount();
               req.audit_target = "telephony:twilio";
               req.audit_summary = {{"account_sid", c.account_sid}, {"ok", account.ok()}};
               if (!account) {
                 return JsonResponse(200, {{"ok", false},
                                           {"account_sid", c.account_sid},
                                           {"detail_code", account.error().detail_code},
                                           {"message", account.error().message}});
               }
               const bool active = account->status == "active";
               return JsonResponse(
                   200, {{"ok", active},
                         {"account_sid", c.account_sid},
                         {"account",
                          {{"sid", account->sid},
                           {"friendly_name", account->friendly_name},
                           {"status", account->status},
                           {"type", account->type}}},
                         {"message", active ? "the provider accepted these credentials"
                                            : "the account is " + account->status +
                                                  ": the provider will refuse its calls"}});
             });
}

}  // namespace vaarta::api
