#pragma once
// The API layer's shared pieces: the services handlers call, the authenticated request,
// and ApiRouter, which wraps every handler with authentication, the role check, error
// mapping and the audit record. Handlers stay thin: parse, call one domain function,
// render.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/auth_service.h"
#include "core/clock.h"
#include "core/field_error.h"
#include "core/logger.h"
#include "core/metrics.h"
#include "http/live_feed.h"
#include "http/problem.h"
#include "http/router.h"
#include "settings/settings_repository.h"
#include "storage/database.h"

namespace vaarta::api {

struct ApiServices {
  storage::Database& db;
  const core::Clock& clock;
  const core::Logger& log;
  core::MetricsRegistry& metrics;
  auth::AuthService& auth;
  audit::AuditLog& audit;
  settings::SettingsRepository& settings;
  http::LiveFeed& live;
};

// What a handler receives: the HTTP request plus the authenticated caller, and slots
// for the handler to describe its change for the audit trail.
struct ApiRequest {
  http::Request& http;
  std::optional<auth::Caller> caller;  // always set on non-public routes
  std::string audit_target;            // defaults to the path
  nlohmann::json audit_summary = nlohmann::json::object();

  const auth::Caller& who() const { return *caller; }
  auth::RequestOrigin origin() const { return {http.remote_address, http.request_id}; }

  // Appends this request's audit record inside the handler's transaction, so the change
  // and its record commit together; ApiRouter then adds none of its own.
  void AuditIn(storage::Transaction& tx);

  audit::AuditLog* audit_log = nullptr;  // set by ApiRouter
  std::string audit_action;              // "PUT /api/v1/settings/{key}"
  bool audited = false;
};

// How a state-changing route is audited.
enum class AuditMode {
  kRequest,  // ApiRouter appends one record per request (default for POST/PUT/PATCH/DELETE)
  kDomain,   // the domain service appends richer records itself (login, user changes)
  kNone,     // read-only routes
};

struct RouteSpec {
  std::string method;
  std::string pattern;
  std::optional<auth::Role> min_role;  // nullopt: public
  std::string summary;
  std::optional<AuditMode> audit;  // default: kRequest for writes, kNone for reads
  bool run_on_io_thread = false;
  bool quiet = false;
  int64_t upload_max_bytes = 0;  // > 0: body streamed to a file (http::RouteInfo)
};

using ApiHandler = std::function<http::Response(ApiRequest&)>;
using ApiWebSocketOpen = std::function<std::shared_ptr<http::WebSocketSession>(
    const auth::Caller&, std::shared_ptr<http::WebSocketPeer>)>;

class ApiRouter {
 public:
  ApiRouter(http::Router& router, ApiServices& services) : router_(router), services_(services) {}
  void Add(RouteSpec spec, ApiHandler handler);
  // WebSocket routes authenticate with the Authorization header or ?access_token=
  // (browsers cannot set headers on a WebSocket).
  void AddWebSocket(RouteSpec spec, ApiWebSocketOpen open);
  ApiServices& services() { return services_; }

 private:
  http::Router& router_;
  ApiServices& services_;
};

// --- helpers for handlers ---

http::Response JsonResponse(int status, const nlohmann::json& body);
http::Response NoContent();
// A 400 problem naming every wrong field: `detail` for people, "errors" for editors.
http::Response FieldErrorsProblem(const std::string& code, const std::string& detail,
                                  const std::vector<core::FieldError>& errors);

// Parses the body as a JSON object and refuses fields outside `allowed`. The error
// names the byte offset of a syntax error or the unexpected field.
core::Result<nlohmann::json> ParseJsonObject(const http::Request& request,
                                             const std::vector<std::string>& allowed);
// Reads a required/optional string field with a clear error when it has the wrong type.
core::Result<std::string> RequireString(const nlohmann::json& body, const std::string& field);
core::Result<std::optional<std::string>> OptionalString(const nlohmann::json& body,
                                                        const std::string& field);
core::Result<std::optional<bool>> OptionalBool(const nlohmann::json& body,
                                               const std::string& field);

struct PageRequest {
  int limit = 50;
  int64_t after = 0;  // keyset cursor: 0 = from the start
};
// ?limit= (1..max) and ?after= (an opaque cursor from a previous page's next_cursor).
core::Result<PageRequest> ParsePage(const http::Request& request, int default_limit = 50,
                                    int max_limit = 500);
// Renders {"items": [...], "next_cursor": "..." | null}.
nlohmann::json PageBody(nlohmann::json items, std::optional<int64_t> next_cursor);
std::string EncodeCursor(int64_t key);

// Whole decimal text only (no sign games, no trailing characters).
bool ParseInt64(const std::string& text, int64_t* out);

core::Result<int64_t> ParseIdParam(const http::Request& request, const std::string& name);

nlohmann::json UserJson(const auth::User& user);

}  // namespace vaarta::api
