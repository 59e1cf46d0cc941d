#include "api/api_context.h"

#include <charconv>

#include "core/clock.h"
#include "core/crypto.h"

namespace vaarta::api {
namespace {

std::string OutcomeFor(int status) {
  if (status < 400) return "success";
  if (status == 401 || status == 403) return "denied";
  return "failed";
}

std::string RoleText(const std::optional<auth::Role>& role) {
  return role ? std::string(auth::RoleName(*role)) : "public";
}

// Authenticates and checks the role; returns the problem response when refused.
std::optional<http::Response> Authorize(ApiServices& services, const RouteSpec& spec,
                                        const std::string& credential, ApiRequest& api) {
  if (!spec.min_role) return std::nullopt;
  if (credential.empty()) {
    http::Response r = http::Problem(401, "missing_credentials",
                                     "this endpoint needs an access token or API key: send "
                                     "'Authorization: Bearer <token>'");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  auto caller = services.auth.Authenticate(credential);
  if (!caller) {
    http::Response r = http::ProblemFromError(caller.error());
    r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
  }
  api.caller = *caller;
  if (!auth::RoleAtLeast(caller->role, *spec.min_role)) {
    return http::Problem(403, "insufficient_role",
                         "this endpoint needs the " + std::string(auth::RoleName(*spec.min_role)) +
                             " role; you are " + std::string(auth::RoleName(caller->role)));
  }
  return std::nullopt;
}

audit::AuditEntry EntryFor(const ApiRequest& api, int status) {
  audit::AuditEntry entry;
  entry.actor = api.caller ? api.caller->actor : "anonymous";
  entry.role = api.caller ? std::string(auth::RoleName(api.caller->role)) : "";
  entry.address = api.http.remote_address;
  entry.action = api.audit_action;
  entry.target = api.audit_target.empty() ? api.http.path : api.audit_target;
  entry.outcome = OutcomeFor(status);
  nlohmann::json summary = api.audit_summary;
  if (status >= 400) summary["status"] = status;
  entry.summary = summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  entry.request_id = api.http.request_id;
  return entry;
}

void AppendAudit(ApiServices& services, ApiRequest& api, int status) {
  try {
    services.audit.Append(EntryFor(api, status));
  } catch (const std::exception& e) {
    services.log.Error("audit append failed",
                       {{"request_id", api.http.request_id}, {"error", e.what()}});
  }
}

}  // namespace

void ApiRouter::Add(RouteSpec spec, ApiHandler handler) {
  bool writes = spec.method != "GET" && spec.method != "HEAD";
  AuditMode mode = spec.audit.value_or(writes ? AuditMode::kRequest : AuditMode::kNone);
  http::RouteInfo info{spec.method,           spec.pattern, RoleText(spec.min_role), spec.summary,
                       spec.run_on_io_thread, spec.quiet,   spec.upload_max_bytes};
  ApiServices* services = &services_;
  router_.Add(info, [services, spec, mode, writes,
                     handler = std::move(handler)](http::Request& request) {
    ApiRequest api{request, std::nullopt, {}, nlohmann::json::object()};
    api.audit_log = &services->audit;
    api.audit_action = spec.method + " " + spec.pattern;
    http::Response response;
    bool authorized = false;
    try {
      if (auto refused = Authorize(*services, spec, request.Header("authorization"), api)) {
        response = std::move(*refused);
      } else {
        authorized = true;
        response = handler(api);
      }
    } catch (const storage::DatabaseError& e) {
      services->log.Error(
          "database error",
          {{"request_id", request.request_id}, {"route", spec.pattern}, {"error", e.what()}});
      response = http::Problem(503, "database_unavailable",
                               "the database could not complete this request; try again "
                               "(request id " +
                                   request.request_id + ")");
    }
    // Writes are audited unless the domain does it; refusals are security events and
    // are recorded on every protected route (401s only on writes, where they matter).
    bool refused = !authorized && (response.status == 403 || (writes && response.status == 401));
    if ((authorized && mode == AuditMode::kRequest && !api.audited) || refused) {
      AppendAudit(*services, api, response.status);
    }
    return response;
  });
}

void ApiRouter::AddWebSocket(RouteSpec spec, ApiWebSocketOpen open) {
  http::RouteInfo info{spec.method,  spec.pattern, RoleText(spec.min_role),
                       spec.summary, false,        false};
  ApiServices* services = &services_;
  auto authenticate = [services, spec](const http::Request& request,
                                       ApiRequest& api) -> std::optional<http::Response> {
    std::string credential = request.Header("authorization");
    if (credential.empty() && !request.Query("access_token").empty()) {
      credential = "Bearer " + request.Query("access_token");
    }
    return Authorize(*services, spec, credential, api);
  };
  http::WebSocketRoute ws;
  ws.authorize = [services, spec, authenticate](http::Request& request) {
    ApiRequest api{request, std::nullopt, {}, nlohmann::json::object()};
    api.audit_action = spec.method + " " + spec.pattern;
    try {
      if (auto refused = authenticate(request, api)) {
        if (refused->status == 403) AppendAudit(*services, api, 403);
        return *refused;
      }
    } catch (const storage::DatabaseError& e) {
      return http::Problem(503, "database_unavailable", "the database is unavailable; try again");
    }
    return http::Response::Text(101, "");
  };
  ws.open = [services, spec, authenticate, open = std::move(open)](
                const http::Request& request, std::shared_ptr<http::WebSocketPeer> peer) {
    // Authorised moments ago in authorize(); resolve the caller again for the session.
    http::Request copy = request;
    ApiRequest api{copy, std::nullopt, {}, nlohmann::json::object()};
    if (authenticate(request, api) || !api.caller) return std::shared_ptr<http::WebSocketSession>();
    return open(*api.caller, std::move(peer));
  };
  router_.AddWebSocket(info, std::move(ws));
}

void ApiRequest::AuditIn(storage::Transaction& tx) {
  audit_log->Append(tx, EntryFor(*this, 200));
  audited = true;
}

http::Response JsonResponse(int status, const nlohmann::json& body) {
  return http::Response::Json(status,
                              body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

http::Response FieldErrorsProblem(const std::string& code, const std::string& detail,
                                  const std::vector<core::FieldError>& errors) {
  http::Response r = http::Problem(400, code, detail);
  nlohmann::json problem = nlohmann::json::parse(r.body);
  problem["errors"] = core::FieldErrorsJson(errors);
  r.body = problem.dump();
  return r;
}

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  return r;
}

core::Result<nlohmann::json> ParseJsonObject(const http::Request& request,
                                             const std::vector<std::string>& allowed) {
  std::string type = request.Header("content-type");
  if (type.rfind("application/json", 0) != 0) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "send the body as JSON with 'Content-Type: application/json'",
                           "unsupported_media_type");
  }
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& e) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the body is not valid JSON (at byte " + std::to_string(e.byte) + ")",
                           "malformed_json");
  }
  if (!body.is_object()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "the body must be a JSON object",
                           "malformed_json");
  }
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "unknown field '" + it.key() + "'; allowed fields: " + list,
                             "unknown_field");
    }
  }
  return body;
}

core::Result<std::string> RequireString(const nlohmann::json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "field '" + field + "' is required",
                           "missing_field");
  }
  if (!it->is_string()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "field '" + field + "' must be a string", "invalid_field");
  }
  return it->get<std::string>();
}

core::Result<std::optional<std::string>> OptionalString(const nlohmann::json& body,
                                                        const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "field '" + field + "' must be a string", "invalid_field");
  }
  return std::optional<std::string>(it->get<std::string>());
}

core::Result<std::optional<bool>> OptionalBool(const nlohmann::json& body,
                                               const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "field '" + field + "' must be true or false", "invalid_field");
  }
  return std::optional<bool>(it->get<bool>());
}

bool ParseInt64(const std::string& text, int64_t* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::string EncodeCursor(int64_t key) { return core::Base64UrlEncode("k:" + std::to_string(key)); }

core::Result<PageRequest> ParsePage(const http::Request& request, int default_limit,
                                    int max_limit) {
  PageRequest page;
  page.limit = default_limit;
  std::string limit = request.Query("limit");
  if (!limit.empty()) {
    int64_t v = 0;
    if (!ParseInt64(limit, &v) || v < 1 || v > max_limit) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "limit must be a whole number from 1 to " + std::to_string(max_limit),
                             "invalid_limit");
    }
    page.limit = static_cast<int>(v);
  }
  std::string after = request.Query("after");
  if (!after.empty()) {
    std::string decoded;
    int64_t v = 0;
    if (!core::Base64UrlDecode(after, &decoded) || decoded.rfind("k:", 0) != 0 ||
        !ParseInt64(decoded.substr(2), &v) || v < 0) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "after must be the next_cursor value of a previous page",
                             "invalid_cursor");
    }
    page.after = v;
  }
  return page;
}

nlohmann::json PageBody(nlohmann::json items, std::optional<int64_t> next_cursor) {
  return {
      {"items", std::move(items)},
      {"next_cursor", next_cursor ? nlohmann::json(EncodeCursor(*next_cursor)) : nlohmann::json()}};
}

core::Result<int64_t> ParseIdParam(const http::Request& request, const std::string& name) {
  int64_t id = 0;
  if (!ParseInt64(request.PathParam(name), &id) || id <= 0) {
    return core::MakeError(
        core::ErrorCode::kInvalidArgument,
        name + " must be a positive whole number, got '" + request.PathParam(name) + "'",
        "invalid_id");
  }
  return id;
}

nlohmann::json UserJson(const auth::User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"name", user.name},
          {"role", auth::RoleName(user.role)},
          {"disabled", user.disabled},
          {"created_at", core::FormatIso8601Utc(user.created_at)},
          {"updated_at", core::FormatIso8601Utc(user.updated_at)}};
}

}  // namespace vaarta::api
