#include "api/routes.h"
#include "core/embedded_files.h"

namespace vaarta::api {

void RegisterOpenApiRoutes(ApiRouter& router) {
  router.Add({"GET", "/api/openapi.json", std::nullopt, "This API's OpenAPI 3.1 description",
              std::nullopt, true, false},
             [](ApiRequest&) {
               auto doc = core::FindEmbeddedFile("api/openapi.json");
               return http::Response::Json(200, std::string(doc.value_or("{}")));
             });
}

}  // namespace vaarta::api
