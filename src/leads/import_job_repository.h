#pragma once
// ImportJobRepository: all SQL about import jobs and the rows they refused.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leads/import_summary.h"
#include "storage/database.h"

namespace vaarta::leads {

struct ImportJob {
  int64_t id = 0;
  std::optional<int64_t> list_id;
  std::string file_name;
  std::string format;
  std::string encoding;
  std::string options;  // JSON
  std::string status;   // "queued", "running", "completed", "failed", "cancelled"
  ImportSummary summary;
  std::vector<std::string> warnings;
  std::string error;
  std::string created_by;
  int64_t created_at = 0;
  std::optional<int64_t> finished_at;
};

class ImportJobRepository {
 public:
  int64_t Create(storage::Transaction& tx, const ImportJob& job);
  std::optional<ImportJob> FindById(storage::Transaction& tx, int64_t id);
  std::vector<ImportJob> List(storage::Transaction& tx, int64_t before_id, int limit);
  void Finish(storage::Transaction& tx, const ImportJob& job);  // status, counts, facts, error
  // Marks queued and running jobs failed: their process stopped before they finished.
  void FailUnfinished(storage::Transaction& tx, int64_t now);
  void InsertRejects(storage::Transaction& tx, int64_t job_id,
                     const std::vector<RowOutcome>& rejects);
  // Refused rows in row order, after `after_row`, at most limit.
  std::vector<RowOutcome> Rejects(storage::Transaction& tx, int64_t job_id, int64_t after_row,
                                  int limit);
};

}  // namespace vaarta::leads
