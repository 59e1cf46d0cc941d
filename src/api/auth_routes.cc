#include "api/routes.h"

namespace vaarta::api {
namespace {

nlohmann::json TokenJson(const auth::TokenPair& pair) {
  return {{"access_token", pair.access_token},
          {"token_type", "Bearer"},
          {"expires_in", pair.expires_in},
          {"refresh_token", pair.refresh_token},
          {"user", UserJson(pair.user)}};
}

http::Response ErrorWithRetry(const core::Error& error) {
  http::Response r = http::ProblemFromError(error);
  if (error.code == core::ErrorCode::kRateLimited) {
    // The message carries "try again in N seconds"; repeat N in Retry-After.
    auto pos = error.message.find("in ");
    std::string seconds = "60";
    if (pos != std::string::npos) {
      std::string rest = error.message.substr(pos + 3);
      std::string digits;
      for (char c : rest) {
        if (!std::isdigit(static_cast<unsigned char>(c))) break;
        digits.push_back(c);
      }
      if (!digits.empty()) seconds = digits;
    }
    r.headers.emplace_back("Retry-After", seconds);
  }
  return r;
}

}  // namespace

void RegisterAuthRoutes(ApiRouter& router) {
  ApiServices& s = router.services();
  router.Add({"POST", "/api/v1/auth/login", std::nullopt, "Log in with e-mail and password",
              AuditMode::kDomain},
             [&s](ApiRequest& req) {
               auto body = ParseJsonObject(req.http, {"email", "password"});
               if (!body) return http::ProblemFromError(body.error());
               auto email = RequireString(*body, "email");
               if (!email) return http::ProblemFromError(email.error());
               auto password = RequireString(*body, "password");
               if (!password) return http::ProblemFromError(password.error());
               auto tokens = s.auth.Login(*email, *password, req.origin());
               if (!tokens) return ErrorWithRetry(tokens.error());
               return JsonResponse(200, TokenJson(*tokens));
             });
  router.Add({"POST", "/api/v1/auth/refresh", std::nullopt,
              "Exchange a refresh token for a new token pair (rotation)", AuditMode::kDomain},
             [&s](ApiRequest& req) {
               auto body = ParseJsonObject(req.http, {"refresh_token"});
               if (!body) return http::ProblemFromError(body.error());
               auto token = RequireString(*body, "refresh_token");
               if (!token) return http::ProblemFromError(token.error());
               auto tokens = s.auth.Refresh(*token, req.origin());
               if (!tokens) return http::ProblemFromError(tokens.error());
               return JsonResponse(200, TokenJson(*tokens));
             });
  router.Add({"POST", "/api/v1/auth/logout", std::nullopt, "Revoke a refresh token and its family",
              AuditMode::kDomain},
             [&s](ApiRequest& req) {
               auto body = ParseJsonObject(req.http, {"refresh_token"});
               if (!body) return http::ProblemFromError(body.error());
               auto token = RequireString(*body, "refresh_token");
               if (!token) return http::ProblemFromError(token.error());
               auto status = s.auth.Logout(*token, req.origin());
               if (!status) return http::ProblemFromError(status.error());
               return NoContent();
             });
  router.Add({"GET", "/api/v1/auth/me", auth::Role::kAgent, "Who the caller is"},
             [&s](ApiRequest& req) {
               const auth::Caller& c = req.who();
               nlohmann::json out = {{"actor", c.actor}, {"role", auth::RoleName(c.role)}};
               if (c.user_id) {
                 auto user = s.auth.GetUser(c.user_id);
                 if (!user) return http::ProblemFromError(user.error());
                 out["user"] = UserJson(*user);
               } else {
                 out["api_key_id"] = c.api_key_id;
               }
               return JsonResponse(200, out);
             });
  router.Add({"POST", "/api/v1/auth/password", auth::Role::kAgent, "Change your own password",
              AuditMode::kDomain},
             [&s](ApiRequest& req) {
               if (!req.who().user_id) {
                 return http::Problem(400, "not_a_user", "API keys have no password");
               }
               auto body = ParseJsonObject(req.http, {"current_password", "new_password"});
               if (!body) return http::ProblemFromError(body.error());
               auto current = RequireString(*body, "current_password");
               if (!current) return http::ProblemFromError(current.error());
               auto next = RequireString(*body, "new_password");
               if (!next) return http::ProblemFromError(next.error());
               auto status = s.auth.ChangeOwnPassword(req.who(), *current, *next, req.origin());
               if (!status) return http::ProblemFromError(status.error());
               return NoContent();
             });
}

}  // namespace vaarta::api
