#pragma once
// Registration of every API route. Each resource has its own file; RegisterRoutes is
// the one list of them all.
#include "api/api_context.h"

namespace vaarta::api {

void RegisterHealthRoutes(ApiRouter& router);
void RegisterAuthRoutes(ApiRouter& router);
void RegisterUserRoutes(ApiRouter& router);
void RegisterApiKeyRoutes(ApiRouter& router);
void RegisterAuditRoutes(ApiRouter& router);
void RegisterSettingsRoutes(ApiRouter& router);
void RegisterOpenApiRoutes(ApiRouter& router);
void RegisterLiveRoutes(ApiRouter& router);

void RegisterRoutes(ApiRouter& router);

// The API's JSON form of an audit record (also pushed on the live feed).
nlohmann::json AuditRecordJson(const audit::AuditRecord& record);

}  // namespace vaarta::api
