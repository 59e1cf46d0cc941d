#pragma once
// LeadImporter: reads a spreadsheet's records, cleans each row into a lead, refuses
// what cannot be called with a reason per row, drops duplicates, and stores the rest.
// One import is one transaction: it commits everything it reports or nothing, so a
// cancelled or crashed import leaves no partial rows behind and can simply run again.
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "leads/import_job_repository.h"
#include "leads/import_summary.h"
#include "leads/lead_list_repository.h"
#include "leads/lead_repository.h"
#include "storage/database.h"

namespace vaarta::leads {

class PhoneNormalizer;
namespace import {
class RecordReader;
}

enum class DedupeScope { kAll, kList };

struct ImportOptions {
  std::string list_name;                 // empty: no list
  std::vector<std::string> column_maps;  // "field=Header" or "field=#3"
  DedupeScope scope = DedupeScope::kAll;
  bool update_existing = false;  // update stored leads instead of reporting duplicates
  bool dry_run = false;          // do everything, store nothing
  std::string actor;             // who imports, for the audit trail and lead events
  std::string source_kind = "file";
  std::string file_name;  // recorded as the leads' source
};

// The compliance facts an import records on each lead. Supplied by the caller so that
// leads need not know how the DND registry or the do-not-call list are kept.
// The DND registry as it is when an import starts: one import sees one registry.
struct DndScrub {
  // "blocked", "partial", "clear" or "unknown" for an E.164 number.
  std::function<std::string(const std::string& e164)> state;
  std::string registry_date;  // YYYY-MM-DD, empty when no registry is loaded
};

struct ImportChecks {
  std::function<DndScrub()> dnd;  // called once per import and per single lead
  // The numbers among these that are on the business's do-not-call list.
  std::function<std::unordered_set<std::string>(const std::vector<std::string>&)> suppressed;
};

// Shared with a background job: progress to poll and a flag to cancel.
struct ImportProgress {
  std::atomic<int64_t> rows{0};
  std::atomic<int64_t> bytes_read{0};
  std::atomic<int64_t> bytes_total{0};
  std::atomic<bool> cancel{false};
  // Called from the importing thread every chunk of rows (for live progress); may be
  // empty. Must be quick: the import waits for it.
  std::function<void()> on_chunk;
};

struct ImportResult {
  ImportJob job;                    // status "completed", counts and file facts
  std::vector<RowOutcome> rejects;  // every duplicate and refused row, in row order
};

struct ImportPreview {
  std::vector<std::string> headers;
  std::vector<std::pair<std::string, std::string>> mapping;  // field -> header
  std::vector<std::string> custom_columns;
  std::vector<std::string> notes;
  std::string format, encoding, delimiter;
  std::vector<std::string> warnings;
  std::vector<nlohmann::json> rows;  // first rows with the outcome each would get
};

class LeadImporter {
 public:
  LeadImporter(storage::Database& db, const core::Clock& clock, const PhoneNormalizer& phones,
               ImportChecks checks);

  // Runs the import recorded as job `job_id` (created beforehand so it can be polled).
  // Errors: the file cannot be read, no phone column, a wrong --map, cancelled.
  core::Result<ImportResult> Run(import::RecordReader& reader, const ImportOptions& options,
                                 int64_t job_id, ImportProgress* progress);
  // Reads the header and the first `rows` records and says what would happen to each,
  // without storing anything.
  core::Result<ImportPreview> Preview(import::RecordReader& reader,
                                      const std::vector<std::string>& column_maps, int rows);

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  const PhoneNormalizer& phones_;
  ImportChecks checks_;
  LeadRepository leads_;
  LeadListRepository lists_;
  ImportJobRepository jobs_;
};

}  // namespace vaarta::leads
