#pragma once
#include "api/api_context.h"
#include "leads/import_job_runner.h"
#include "leads/lead_intake.h"
#include "leads/lead_list_repository.h"
#include "leads/lead_service.h"

namespace vaarta::api {

// What the lead, list and import routes need.
struct LeadApi {
  leads::LeadService& service;
  leads::LeadIntake& intake;
  leads::LeadImporter& importer;
  leads::ImportJobRunner& imports;
  int64_t max_upload_bytes = 0;
};

void RegisterLeadRoutes(ApiRouter& router, LeadApi& api);
// An import job as the API shows it (GET /api/v1/imports/{id}, and the live "import" topic).
nlohmann::json ImportJobJson(const leads::ImportJobStatus& status);
nlohmann::json LeadJson(const leads::Lead& lead);

}  // namespace vaarta::api
