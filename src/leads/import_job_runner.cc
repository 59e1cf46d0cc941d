#include "leads/import_job_runner.h"

#include <cstdio>

#include "leads/import/record_reader.h"

namespace vaarta::leads {

ImportJobRunner::ImportJobRunner(storage::Database& db, const core::Clock& clock,
                                 const core::Logger& log, LeadImporter& importer)
    : db_(db), clock_(clock), log_(log), importer_(importer) {}

ImportJobRunner::~ImportJobRunner() {
  std::map<int64_t, std::shared_ptr<Running>> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs = running_;
  }
  for (auto& [id, job] : jobs) job->progress.cancel = true;
  for (auto& [id, job] : jobs) {
    if (job->thread.joinable()) job->thread.join();
  }
}

int64_t ImportJobRunner::CreateJob(const ImportOptions& options) {
  ImportJob job;
  job.file_name = options.file_name;
  job.status = "running";
  job.created_by = options.actor;
  job.created_at = clock_.NowMillis();
  job.options =
      nlohmann::json{{"list", options.list_name},
                     {"map", options.column_maps},
                     {"dedupe_scope", options.scope == DedupeScope::kList ? "list" : "all"},
                     {"update", options.update_existing}}
          .dump();
  return storage::InTransaction(db_,
                                [&](storage::Transaction& tx) { return jobs_.Create(tx, job); });
}

void ImportJobRunner::RecordFailure(int64_t job_id, const core::Error& error) {
  try {
    storage::InTransaction(db_, [&](storage::Transaction& tx) {
      auto job = jobs_.FindById(tx, job_id);
      if (!job) return;
      job->status = error.detail_code == "import_cancelled" ? "cancelled" : "failed";
      job->error = error.message;
      job->finished_at = clock_.NowMillis();
      jobs_.Finish(tx, *job);
    });
  } catch (const storage::DatabaseError& e) {
    log_.Error("cannot record import failure", {{"job_id", job_id}, {"error", e.what()}});
  }
}

core::Result<ImportResult> ImportJobRunner::Execute(int64_t job_id, const std::string& path,
                                                    const ImportOptions& options,
                                                    ImportProgress* progress) {
  auto reader = import::OpenRecordReader(path);
  if (!reader) return reader.error();
  try {
    return importer_.Run(**reader, options, job_id, progress);
  } catch (const storage::DatabaseError& e) {
    return core::MakeError(
        core::ErrorCode::kUnavailable,
        std::string("the database failed during the import; nothing was stored: ") + e.what(),
        "database_unavailable");
  }
}

core::Result<ImportResult> ImportJobRunner::RunNow(const std::string& path,
                                                   const ImportOptions& options) {
  if (options.dry_run) {
    ImportProgress progress;
    return Execute(0, path, options, &progress);
  }
  int64_t job_id = CreateJob(options);
  ImportProgress progress;
  auto result = Execute(job_id, path, options, &progress);
  if (!result) RecordFailure(job_id, result.error());
  return result;
}

core::Result<int64_t> ImportJobRunner::Start(const std::string& path, ImportOptions options) {
  int64_t job_id = CreateJob(options);
  auto running = std::make_shared<Running>();
  {
    std::lock_guard lock(mutex_);
    running_[job_id] = running;
  }
  if (listener_) {
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    running->progress.on_chunk = [this, job_id, last] {
      auto now = std::chrono::steady_clock::now();
      if (now - *last < std::chrono::milliseconds(250)) return;
      *last = now;
      Notify(job_id);
    };
  }
  running->thread = std::thread([this, job_id, path, options, running] {
    auto result = Execute(job_id, path, options, &running->progress);
    if (!result) {
      RecordFailure(job_id, result.error());
      log_.Warn("import failed", {{"job_id", job_id}, {"error", result.error().message}});
    } else {
      log_.Info("import completed",
                {{"job_id", job_id}, {"summary", result->job.summary.ToJson()}});
    }
    std::remove(path.c_str());
    {
      std::lock_guard lock(mutex_);
      running->done = true;
    }
    Notify(job_id);
  });
  return job_id;
}

void ImportJobRunner::SetListener(std::function<void(const ImportJobStatus&)> listener) {
  listener_ = std::move(listener);
}

void ImportJobRunner::Notify(int64_t job_id) {
  if (!listener_) return;
  try {
    if (auto status = Status(job_id, false)) listener_(*status);
  } catch (const std::exception& e) {
    // Live progress is a convenience; the job's own record is what counts.
    log_.Warn("import progress not sent", {{"job_id", job_id}, {"error", e.what()}});
  }
}

std::optional<ImportJobStatus> ImportJobRunner::Get(int64_t id) { return Status(id, true); }

std::optional<ImportJobStatus> ImportJobRunner::Status(int64_t id, bool reap) {
  ImportJobStatus status;
  {
    auto tx = db_.Begin(false);
    auto job = jobs_.FindById(*tx, id);
    if (!job) return std::nullopt;
    status.job = *job;
  }
  std::thread finished;
  {
    std::lock_guard lock(mutex_);
    auto it = running_.find(id);
    if (it != running_.end()) {
      status.running = !it->second->done;
      status.rows = it->second->progress.rows.load();
      status.bytes_read = it->second->progress.bytes_read.load();
      status.bytes_total = it->second->progress.bytes_total.load();
      // A finished job's thread is joined by whoever looks next (never the job's own
      // thread, which calls this to tell the listener it is done). Joined outside the
      // lock: the job's last act, that telling, takes the lock too.
      if (reap && it->second->done && it->second->thread.joinable()) {
        finished = std::move(it->second->thread);
        running_.erase(it);
      }
    }
  }
  if (finished.joinable()) finished.join();
  return status;
}

std::vector<ImportJobStatus> ImportJobRunner::List(int64_t before_id, int limit) {
  std::vector<ImportJob> jobs;
  {
    auto tx = db_.Begin(false);
    jobs = jobs_.List(*tx, before_id, limit);
  }
  std::vector<ImportJobStatus> out;
  std::lock_guard lock(mutex_);
  for (auto& job : jobs) {
    ImportJobStatus s;
    s.job = std::move(job);
    auto it = running_.find(s.job.id);
    if (it != running_.end() && !it->second->done) {
      s.running = true;
      s.rows = it->second->progress.rows.load();
      s.bytes_read = it->second->progress.bytes_read.load();
      s.bytes_total = it->second->progress.bytes_total.load();
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<RowOutcome> ImportJobRunner::Rejects(int64_t job_id, int64_t after_row, int limit) {
  auto tx = db_.Begin(false);
  return jobs_.Rejects(*tx, job_id, after_row, limit);
}

bool ImportJobRunner::Cancel(int64_t id) {
  std::lock_guard lock(mutex_);
  auto it = running_.find(id);
  if (it == running_.end() || it->second->done) return false;
  it->second->progress.cancel = true;
  return true;
}

void ImportJobRunner::RecoverInterrupted() {
  if (db_.dialect() != storage::Dialect::kSqlite) return;
  storage::InTransaction(
      db_, [&](storage::Transaction& tx) { jobs_.FailUnfinished(tx, clock_.NowMillis()); });
}

}  // namespace vaarta::leads
