#include "api/routes.h"

namespace vaarta::api {

void RegisterRoutes(ApiRouter& router) {
  RegisterHealthRoutes(router);
  RegisterOpenApiRoutes(router);
  RegisterAuthRoutes(router);
  RegisterUserRoutes(router);
  RegisterApiKeyRoutes(router);
  RegisterAuditRoutes(router);
  RegisterSettingsRoutes(router);
  RegisterLiveRoutes(router);
}

}  // namespace vaarta::api
