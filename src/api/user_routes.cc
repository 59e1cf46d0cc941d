#include "api/routes.h"

namespace vaarta::api {

void RegisterUserRoutes(ApiRouter& router) {
  ApiServices& s = router.services();
  router.Add({"GET", "/api/v1/users", auth::Role::kAdmin, "List users (keyset pages)"},
             [&s](ApiRequest& req) {
               auto page = ParsePage(req.http);
               if (!page) return http::ProblemFromError(page.error());
               auto users = s.auth.ListUsers(page->after, page->limit + 1);
               std::optional<int64_t> next;
               if (static_cast<int>(users.size()) > page->limit) {
                 users.resize(static_cast<size_t>(page->limit));
                 next = users.back().id;
               }
               nlohmann::json items = nlohmann::json::array();
               for (const auto& u : users) items.push_back(UserJson(u));
               return JsonResponse(200, PageBody(std::move(items), next));
             });
  router.Add({"POST", "/api/v1/users", auth::Role::kAdmin, "Create a user", AuditMode::kDomain},
             [&s](ApiRequest& req) {
               auto body = ParseJsonObject(req.http, {"email", "name", "password", "role"});
               if (!body) return http::ProblemFromError(body.error());
               auth::NewUser user;
               auto email = RequireString(*body, "email");
               if (!email) return http::ProblemFromError(email.error());
               auto password = RequireString(*body, "password");
               if (!password) return http::ProblemFromError(password.error());
               auto role_text = RequireString(*body, "role");
               if (!role_text) return http::ProblemFromError(role_text.error());
               auto name = OptionalString(*body, "name");
               if (!name) return http::ProblemFromError(name.error());
               auto role = auth::ParseRole(*role_text);
               if (!role) {
                 return http::Problem(
                     400, "invalid_role",
                     "role must be admin, manager or agent, got '" + *role_text + "'");
               }
               user.email = *email;
               user.password = *password;
               user.role = *role;
               user.name = name->value_or("");
               auto created = s.auth.CreateUser(user, req.who().actor, req.origin());
               if (!created) return http::ProblemFromError(created.error());
               http::Response r = JsonResponse(201, UserJson(*created));
               r.headers.emplace_back("Location", "/api/v1/users/" + std::to_string(created->id));
               return r;
             });
  router.Add({"GET", "/api/v1/users/{id}", auth::Role::kAdmin, "Get one user"},
             [&s](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto user = s.auth.GetUser(*id);
               if (!user) return http::ProblemFromError(user.error());
               return JsonResponse(200, UserJson(*user));
             });
  router.Add({"PATCH", "/api/v1/users/{id}", auth::Role::kAdmin,
              "Change a user's name, role, password or disabled flag", AuditMode::kDomain},
             [&s](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto body = ParseJsonObject(req.http, {"name", "role", "password", "disabled"});
               if (!body) return http::ProblemFromError(body.error());
               auth::UserChange change;
               auto name = OptionalString(*body, "name");
               if (!name) return http::ProblemFromError(name.error());
               change.name = *name;
               auto password = OptionalString(*body, "password");
               if (!password) return http::ProblemFromError(password.error());
               change.password = *password;
               auto disabled = OptionalBool(*body, "disabled");
               if (!disabled) return http::ProblemFromError(disabled.error());
               change.disabled = *disabled;
               auto role_text = OptionalString(*body, "role");
               if (!role_text) return http::ProblemFromError(role_text.error());
               if (*role_text) {
                 auto role = auth::ParseRole(**role_text);
                 if (!role) {
                   return http::Problem(
                       400, "invalid_role",
                       "role must be admin, manager or agent, got '" + **role_text + "'");
                 }
                 change.role = *role;
               }
               auto updated = s.auth.UpdateUser(*id, change, req.who(), req.origin());
               if (!updated) return http::ProblemFromError(updated.error());
               return JsonResponse(200, UserJson(*updated));
             });
}

}  // namespace vaarta::api
