#pragma once
// ImportJobRunner: runs imports as background jobs with progress to poll and a way to
// cancel, and runs them in the foreground for the CLI. A job row is written before the
// work starts, so a poll finds it at once; its result lands with the import's commit.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "core/clock.h"
#include "core/logger.h"
#include "leads/import_job_repository.h"
#include "leads/lead_importer.h"

namespace vaarta::leads {

struct ImportJobStatus {
  ImportJob job;
  bool running = false;
  int64_t rows = 0;
  int64_t bytes_read = 0;
  int64_t bytes_total = 0;
};

class ImportJobRunner {
 public:
  ImportJobRunner(storage::Database& db, const core::Clock& clock, const core::Logger& log,
                  LeadImporter& importer);
  ~ImportJobRunner();  // cancels running jobs and waits for them

  // Takes ownership of `path` (deleted when the job ends) and imports it in the background.
  core::Result<int64_t> Start(const std::string& path, ImportOptions options);
  // Imports in the calling thread; the job is recorded like a background one.
  core::Result<ImportResult> RunNow(const std::string& path, const ImportOptions& options);
  std::optional<ImportJobStatus> Get(int64_t id);
  std::vector<ImportJobStatus> List(int64_t before_id, int limit);
  std::vector<RowOutcome> Rejects(int64_t job_id, int64_t after_row, int limit);
  // False when the job is not running here.
  bool Cancel(int64_t id);
  // Told about background jobs as they run (at most four times a second) and once when
  // each ends. Set once, before jobs start.
  void SetListener(std::function<void(const ImportJobStatus&)> listener);
  // Jobs left "running" by a process that died are marked failed (SQLite: one process
  // owns the database, so at start-up nothing else can be running).
  void RecoverInterrupted();

 private:
  struct Running {
    ImportProgress progress;
    std::thread thread;
    bool done = false;
  };
  int64_t CreateJob(const ImportOptions& options);
  core::Result<ImportResult> Execute(int64_t job_id, const std::string& path,
                                     const ImportOptions& options, ImportProgress* progress);
  void RecordFailure(int64_t job_id, const core::Error& error);
  void Notify(int64_t job_id);
  // Get, and when `reap`, joins the thread of a finished job.
  std::optional<ImportJobStatus> Status(int64_t id, bool reap);

  storage::Database& db_;
  const core::Clock& clock_;
  const core::Logger& log_;
  LeadImporter& importer_;
  ImportJobRepository jobs_;
  std::mutex mutex_;
  std::map<int64_t, std::shared_ptr<Running>> running_;
  std::function<void(const ImportJobStatus&)> listener_;
};

}  // namespace vaarta::leads
