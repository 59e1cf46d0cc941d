#include "api/routes.h"

namespace vaarta::api {

void RegisterHealthRoutes(ApiRouter& router) {
  ApiServices& s = router.services();
  // Liveness: answers from the I/O thread without touching anything that can block.
  router.Add({"GET", "/healthz", std::nullopt, "Liveness: the process is serving", std::nullopt,
              /*run_on_io_thread=*/true, /*quiet=*/true},
             [](ApiRequest&) { return http::Response::Json(200, R"({"status":"ok"})"); });
  router.Add({"GET", "/readyz", std::nullopt, "Readiness: the database answers", std::nullopt,
              false, true},
             [&s](ApiRequest&) {
               if (s.db.Ping())
                 return http::Response::Json(200, R"({"status":"ready","database":"ok"})");
               return http::Problem(503, "database_unavailable", "the database does not answer");
             });
  router.Add({"GET", "/metrics", std::nullopt, "Prometheus metrics", std::nullopt, true, true},
             [&s](ApiRequest&) {
               return http::Response::Text(200, s.metrics.RenderPrometheus(),
                                           "text/plain; version=0.0.4; charset=utf-8");
             });
}

}  // namespace vaarta::api
