#include <regex>

#include "api/routes.h"
#include "campaigns/business_defaults.h"

namespace vaarta::api {
namespace {

nlohmann::json SettingJson(const settings::Setting& s) {
  nlohmann::json value = nlohmann::json::parse(s.value, nullptr, false);
  return {{"key", s.key},
          {"value", value.is_discarded() ? nlohmann::json(s.value) : value},
          {"updated_at", core::FormatIso8601Utc(s.updated_at)},
          {"updated_by", s.updated_by}};
}

std::optional<http::Response> CheckKey(const std::string& key) {
  static const std::regex kKey(R"([a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*)");
  if (key.size() > 100 || !std::regex_match(key, kKey)) {
    return http::Problem(400, "invalid_key",
                         "setting keys are dotted lower-case names like 'calling.window_start', "
                         "at most 100 characters; got '" +
                             key + "'");
  }
  return std::nullopt;
}

}  // namespace

void RegisterSettingsRoutes(ApiRouter& router) {
  ApiServices& s = router.services();
  router.Add({"GET", "/api/v1/settings", auth::Role::kManager, "All business settings"},
             [&s](ApiRequest&) {
               auto list = storage::InTransaction(
                   s.db, [&](storage::Transaction& tx) { return s.settings.List(tx); }, false);
               nlohmann::json items = nlohmann::json::array();
               for (const auto& setting : list) items.push_back(SettingJson(setting));
               return JsonResponse(200, {{"items", items}});
             });
  router.Add({"GET", "/api/v1/settings/{key}", auth::Role::kManager, "One business setting"},
             [&s](ApiRequest& req) {
               std::string key = req.http.PathParam("key");
               if (auto bad = CheckKey(key)) return *bad;
               auto found = storage::InTransaction(
                   s.db, [&](storage::Transaction& tx) { return s.settings.Get(tx, key); }, false);
               if (!found)
                 return http::Problem(404, "setting_not_found", "no setting '" + key + "'");
               return JsonResponse(200, SettingJson(*found));
             });
  router.Add({"PUT", "/api/v1/settings/{key}", auth::Role::kAdmin, "Set a business setting"},
             [&s](ApiRequest& req) {
               std::string key = req.http.PathParam("key");
               if (auto bad = CheckKey(key)) return *bad;
               auto body = ParseJsonObject(req.http, {"value"});
               if (!body) return http::ProblemFromError(body.error());
               if (!body->contains("value")) {
                 return http::Problem(400, "missing_field", "field 'value' is required");
               }
               std::string value = (*body)["value"].dump();
               if (value.size() > 64 * 1024) {
                 return http::Problem(400, "value_too_large",
                                      "a setting's value is at most 64 KiB of JSON");
               }
               // The calling-policy defaults must read as a campaign's window or attempts.
               if (auto errors = campaigns::CheckPolicySetting(key, (*body)["value"]);
                   !errors.empty()) {
                 return FieldErrorsProblem("invalid_setting",
                                           key + ": " + core::DescribeFieldErrors(errors), errors);
               }
               settings::Setting setting{key, value, s.clock.NowMillis(), req.who().actor};
               req.audit_target = "setting:" + key;
               storage::InTransaction(s.db, [&](storage::Transaction& tx) {
                 auto before = s.settings.Get(tx, key);
                 s.settings.Put(tx, setting);
                 req.audit_summary = {{"to", (*body)["value"]}};
                 if (before)
                   req.audit_summary["from"] = nlohmann::json::parse(before->value, nullptr, false);
                 req.AuditIn(tx);
               });
               return JsonResponse(200, SettingJson(setting));
             });
  router.Add({"DELETE", "/api/v1/settings/{key}", auth::Role::kAdmin, "Remove a business setting"},
             [&s](ApiRequest& req) {
               std::string key = req.http.PathParam("key");
               if (auto bad = CheckKey(key)) return *bad;
               req.audit_target = "setting:" + key;
               bool removed = storage::InTransaction(s.db, [&](storage::Transaction& tx) {
                 bool deleted = s.settings.Delete(tx, key);
                 if (deleted) req.AuditIn(tx);
                 return deleted;
               });
               if (!removed)
                 return http::Problem(404, "setting_not_found", "no setting '" + key + "'");
               return NoContent();
             });
}

}  // namespace vaarta::api
