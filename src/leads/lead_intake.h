#pragma once
// LeadIntake: creates one lead from an API call or a web form, with the same cleaning
// and checks as a file import (phone normalisation, duplicates, DND and do-not-call).
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "leads/lead_importer.h"
#include "leads/lead_list_repository.h"
#include "leads/lead_repository.h"
#include "leads/lead_service.h"

namespace vaarta::leads {

class PhoneNormalizer;

struct NewLead {
  std::string phone;  // any format the importer accepts
  std::string name, email, language, city, state, time_zone;
  std::string source_kind = "api";  // "api" or "form"
  std::string source_detail;        // the API client or form name
  std::vector<std::string> tags;
  nlohmann::json custom = nlohmann::json::object();
  std::string list_name;
};

class LeadIntake {
 public:
  LeadIntake(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit,
             const PhoneNormalizer& phones, ImportChecks checks);
  // Errors: the phone is refused (detail code = the refusal reason), or the number is
  // already a lead ("lead_exists", message names the lead id).
  core::Result<Lead> Create(const NewLead& input, const Actor& actor);

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  audit::AuditLog& audit_;
  const PhoneNormalizer& phones_;
  ImportChecks checks_;
  LeadRepository leads_;
  LeadListRepository lists_;
};

}  // namespace vaarta::leads
