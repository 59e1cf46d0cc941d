#include "api/routes.h"

namespace vaarta::api {
namespace {

nlohmann::json ApiKeyJson(const auth::ApiKey& key) {
  auto opt_time = [](const std::optional<int64_t>& t) {
    return t ? nlohmann::json(core::FormatIso8601Utc(*t)) : nlohmann::json();
  };
  return {{"id", key.id},
          {"name", key.name},
          {"prefix", key.prefix},
          {"role", auth::RoleName(key.role)},
          {"created_at", core::FormatIso8601Utc(key.created_at)},
          {"last_used_at", opt_time(key.last_used_at)},
          {"revoked_at", opt_time(key.revoked_at)}};
}

}  // namespace

void RegisterApiKeyRoutes(ApiRouter& router) {
  ApiServices& s = router.services();
  router.Add({"GET", "/api/v1/api-keys", auth::Role::kAdmin, "List API keys (never their secrets)"},
             [&s](ApiRequest& req) {
               auto page = ParsePage(req.http);
               if (!page) return http::ProblemFromError(page.error());
               auto keys = s.auth.ListApiKeys(page->after, page->limit + 1);
               std::optional<int64_t> next;
               if (static_cast<int>(keys.size()) > page->limit) {
                 keys.resize(static_cast<size_t>(page->limit));
                 next = keys.back().id;
               }
               nlohmann::json items = nlohmann::json::array();
               for (const auto& k : keys) items.push_back(ApiKeyJson(k));
               return JsonResponse(200, PageBody(std::move(items), next));
             });
  router.Add({"POST", "/api/v1/api-keys", auth::Role::kAdmin,
              "Create an API key; its secret is shown once", AuditMode::kDomain},
             [&s](ApiRequest& req) {
               auto body = ParseJsonObject(req.http, {"name", "role"});
               if (!body) return http::ProblemFromError(body.error());
               auto name = RequireString(*body, "name");
               if (!name) return http::ProblemFromError(name.error());
               auto role_text = RequireString(*body, "role");
               if (!role_text) return http::ProblemFromError(role_text.error());
               auto role = auth::ParseRole(*role_text);
               if (!role) {
                 return http::Problem(
                     400, "invalid_role",
                     "role must be admin, manager or agent, got '" + *role_text + "'");
               }
               auto created = s.auth.CreateApiKey(*name, *role, req.who(), req.origin());
               if (!created) return http::ProblemFromError(created.error());
               nlohmann::json out = ApiKeyJson(created->key);
               out["key"] = created->plaintext;
               return JsonResponse(201, out);
             });
  router.Add({"DELETE", "/api/v1/api-keys/{id}", auth::Role::kAdmin, "Revoke an API key",
              AuditMode::kDomain},
             [&s](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto status = s.auth.RevokeApiKey(*id, req.who(), req.origin());
               if (!status) return http::ProblemFromError(status.error());
               return NoContent();
             });
}

}  // namespace vaarta::api
