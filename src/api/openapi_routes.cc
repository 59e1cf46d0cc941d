#include "api/routes.h"
#include "core/embedded_files.h"

namespace vaarta::api {
namespace {

// The document is kept in fragments, one per resource (src/api/openapi/*.json), so that
// each module documents its own routes; foundation.json holds info and shared parts.
// Fragments contribute "paths" and "components.schemas"; a name defined twice is a bug.
std::string AssembleOpenApi() {
  auto base = core::FindEmbeddedFile("api/openapi/foundation.json");
  if (!base) throw std::logic_error("api/openapi/foundation.json is not embedded");
  nlohmann::json doc = nlohmann::json::parse(*base);
  for (const auto& file : core::EmbeddedFiles()) {
    if (file.path.rfind("api/openapi/", 0) != 0 || file.path == "api/openapi/foundation.json")
      continue;
    nlohmann::json fragment = nlohmann::json::parse(file.content);
    // Named, not a temporary: items() refers into the object it iterates.
    nlohmann::json paths = fragment.value("paths", nlohmann::json::object());
    for (auto& [path, ops] : paths.items()) {
      if (doc["paths"].contains(path)) {
        throw std::logic_error("OpenAPI path " + path + " is defined twice (" +
                               std::string(file.path) + ")");
      }
      doc["paths"][path] = ops;
    }
    auto schemas = fragment.value("components", nlohmann::json::object())
                       .value("schemas", nlohmann::json::object());
    for (auto& [name, schema] : schemas.items()) {
      if (doc["components"]["schemas"].contains(name)) {
        throw std::logic_error("OpenAPI schema " + name + " is defined twice (" +
                               std::string(file.path) + ")");
      }
      doc["components"]["schemas"][name] = schema;
    }
  }
  return doc.dump();
}

}  // namespace

void RegisterOpenApiRoutes(ApiRouter& router) {
  std::string document = AssembleOpenApi();
  router.Add({"GET", "/api/openapi.json", std::nullopt, "This API's OpenAPI 3.1 description",
              std::nullopt, true, false},
             [document](ApiRequest&) { return http::Response::Json(200, document); });
}

}  // namespace vaarta::api
