#pragma once
// Importing a business's existing do-not-call list: every number of a CSV, TSV or XLSX
// file (a column of numbers, with or without a header) goes onto the do-not-call list
// in one transaction, so the list gets all of the file or none of it. Rows that are no
// phone number are reported with their row number and reason, like lead imports.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compliance/do_not_call_list.h"
#include "core/result.h"
#include "leads/import_summary.h"
#include "leads/phone/phone_normalizer.h"
#include "storage/database.h"

namespace vaarta::leads {

struct DncImportSummary {
  int64_t total = 0;           // rows with anything in them
  int64_t added = 0;           // numbers newly on the list
  int64_t already_listed = 0;  // on the list before, or earlier in the file
  int64_t invalid = 0;         // rows refused (see rejects)
  std::vector<RowOutcome> rejects;
  // The counts, and the first `max_rejects` refusals with row, reason and message.
  nlohmann::json ToJson(size_t max_rejects = 1000) const;
};

core::Result<DncImportSummary> ImportDoNotCallFile(
    storage::Database& db, compliance::DoNotCallList& list, const PhoneNormalizer& phones,
    const std::string& path, const std::string& reason, const compliance::Actor& actor);

}  // namespace vaarta::leads
